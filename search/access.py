"""Who is asking: the audiences a reader belongs to, matched against each document's
`audiences` inside the engine query (never filtered afterwards), so results and counts agree
with what the pages would show them.

Worked out afresh for every query, never cached: a member who joins or leaves a group (or an
organisation) finds what it opens at once, and nothing needs re-indexing."""

from __future__ import annotations

from collections.abc import Callable

from .documents import MEMBERS, PUBLIC, SUPERUSERS, group_audience, user_audience

# Apps add audiences of their own (an organisation's members, say) by appending here.
audience_providers: list[Callable[[object], list[str]]] = []


def viewer_audiences(user) -> list[str]:
    if user is None or not user.is_authenticated:
        return [PUBLIC]
    audiences = [PUBLIC, MEMBERS, user_audience(user.pk)]
    # As Wagtail's `accept_request` for a "groups" view restriction: a member of one of its
    # groups passes, and so does a superuser (in no group at all). Read as it reads them,
    # `user.groups.all()` and `is_superuser`: a request that has not given its second factor
    # (`core.privilege`) shows the Member role's group only and no superuser, so its reader
    # finds what the pages would open to it, not what the account could open.
    audiences.extend(group_audience(group.pk) for group in user.groups.all())
    if user.is_superuser:
        audiences.append(SUPERUSERS)
    for provider in audience_providers:
        audiences.extend(provider(user))
    return audiences
