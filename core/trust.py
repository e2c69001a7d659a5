"""Trust levels: what a member's content may do before the community knows them.

Every app that takes members' content (forum posts, opportunities, bios, organisation pages
and resource submissions) asks the same two questions here rather than inventing its own limits:

    level_for(user) -> int
    limits_for(user) -> Limits   # posts_per_hour, links_per_post, images_allowed, hold_for_review

A level is earned automatically (approved items counted through
`core.registries.trust_contributions`, and account age), or set by a moderator (`User.trust_level`,
the moderation app's "Trust level" page), which wins either way. Staff and moderators are trusted.

`allows_post(user, scope)` counts one post against `posts_per_hour` with `core.ratelimit`;
`count_links(text)` is the one way links are counted. Forums call:
    limits = limits_for(request.user)
    if not allows_post(request.user, "forums-post"): refuse (429, translated message)
    if count_links(body) > limits.links_per_post: form error (`links_error(limits)`)
    if not limits.images_allowed and has images: form error
    held = limits.hold_for_review or bool(core.screening.screen(body, language))
Organisation pages (`community.organisations.editing`) count new organisations, not edits, and
hold a new member's organisation or a word-list match until a moderator approves it. Resource
submissions (`knowledge.submissions`) count proposals, limit links in their title and summary
(not the resource's own link), and are all held anyway, in the editors' review workflow: a
word-list match warns the reviewers instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext, ngettext

from . import ratelimit
from .guards import privileged_permissions
from .registries import trust_contributions

NEW = 0
BASIC = 1
TRUSTED = 2
LEVELS = (NEW, BASIC, TRUSTED)

# Earned automatically: (level, approved items, account age). A new member's first item is held
# for review (as opportunities always did); one approved item lifts them to basic.
AUTOMATIC = ((TRUSTED, 10, timedelta(days=60)), (BASIC, 1, timedelta(0)))


@dataclass(frozen=True)
class Limits:
    posts_per_hour: int
    links_per_post: int
    images_allowed: bool
    hold_for_review: bool


LIMITS = {
    NEW: Limits(posts_per_hour=5, links_per_post=1, images_allowed=False, hold_for_review=True),
    BASIC: Limits(posts_per_hour=20, links_per_post=5, images_allowed=True, hold_for_review=False),
    TRUSTED: Limits(
        posts_per_hour=60, links_per_post=20, images_allowed=True, hold_for_review=False
    ),
}

_LINK = re.compile(r"(?i)\bhttps?://|\bwww\.|<a\s")


def approved_items(user) -> int:
    """The member's approved items across every app that declared a contribution."""
    return sum(contribution.approved_count(user) for contribution in trust_contributions)


def level_for(user) -> int:
    """The member's trust level: a moderator's choice, else what participation earned."""
    if not getattr(user, "is_authenticated", False):
        return NEW
    if user.trust_level is not None:
        return min(max(user.trust_level, NEW), TRUSTED)
    # Staff and whoever holds a guarded permission (moderators) are trusted: asked through
    # core.guards so the kernel never names an app's permission.
    if (
        user.is_staff
        or user.is_superuser
        or any(user.has_perm(permission) for permission in privileged_permissions)
    ):
        return TRUSTED
    age = timezone.now() - user.date_joined
    needed = [(level, items, min_age) for level, items, min_age in AUTOMATIC if age >= min_age]
    if not needed:
        return NEW
    count = approved_items(user)
    for level, items, _min_age in needed:
        if count >= items:
            return level
    return NEW


def limits_for(user) -> Limits:
    """What the member's content may do at their level."""
    return LIMITS[level_for(user)]


def count_links(text: str) -> int:
    """Links in a text, plain (http://, www.) or as HTML anchors; each anchor counts once."""
    anchors = len(re.findall(r"(?i)<a\s", text or ""))
    # An anchor's text is often its own address (typed text is linked that way): not a second.
    outside = re.sub(r"(?is)<a\s[^>]*>.*?</a>|<a\s[^>]*>", " ", text or "")
    plain = len(re.findall(r"(?i)\bhttps?://|\bwww\.", outside))
    return anchors + plain


def links_error(limits: Limits) -> str:
    """The translated form error for too many links."""
    return ngettext(
        "New members may add at most %(count)d link here. Remove some, or try again once you "
        "have taken part a little longer.",
        "New members may add at most %(count)d links here. Remove some, or try again once you "
        "have taken part a little longer.",
        limits.links_per_post,
    ) % {"count": limits.links_per_post}


def allows_post(user, scope: str) -> bool:
    """Count one post in `scope`; False when the member's hourly allowance is used up."""
    return ratelimit.hit(f"trust-{scope}", str(user.pk), limits_for(user).posts_per_hour, 3600)


def posting_limit_message() -> str:
    """The translated message when `allows_post` says no; what was typed is kept by the caller."""
    return gettext(
        "You have posted a lot in the last hour. Nothing was lost: please send this again in "
        "an hour. Your limit grows as you take part."
    )
