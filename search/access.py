"""Who is asking: the audiences a reader belongs to, matched against each document's
`audiences` inside the engine query (never filtered afterwards), so results and counts agree
with what the pages would show them."""

from __future__ import annotations

from collections.abc import Callable

from .documents import MEMBERS, PUBLIC, user_audience

# Apps add audiences of their own (an organisation's members, say) by appending here.
audience_providers: list[Callable[[object], list[str]]] = []


def viewer_audiences(user) -> list[str]:
    if user is None or not user.is_authenticated:
        return [PUBLIC]
    audiences = [PUBLIC, MEMBERS, user_audience(user.pk)]
    for provider in audience_providers:
        audiences.extend(provider(user))
    return audiences
