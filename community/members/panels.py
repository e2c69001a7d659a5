"""Members' own panels of the dashboard (`/me/`): "Your profile" and "Your privacy".

Declared into `core.registries.dashboard_panels` (see `declarations.py`), like any other app's
panels: the dashboard view knows none of them. Both read the member's profile, fetched once per
request (`own_profile`); a member without a profile yet sees an empty one, nothing is created
by looking.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.text import capfirst

from core.compiled_queries import CompiledQueries

from .completeness import completeness
from .models import VISIBLE_FIELDS, Block, Profile, Visibility
from .onboarding import STEP_COUNT, is_pending, step_url
from .visibility import display_name_for

# Its panels' reads, on every view of `/me/` (never served from the page cache), compiled to SQL
# once per process (`core.compiled_queries`): each took longer to compile than to answer.
_compiled = CompiledQueries("members' dashboard panels", max_entries=8)


def own_profile(request: HttpRequest) -> Profile:
    """The signed-in member's profile (unsaved and empty when they have none), once a request."""
    profile = getattr(request, "_members_own_profile", None)
    if profile is None:
        user = request.user
        found = _compiled.rows(
            "own profile", lambda: Profile.objects.filter(user=user).order_by("pk")[:1], [user.pk]
        )
        profile = found[0] if found else Profile(user=user)
        profile.user = user  # the request's user, already loaded: no query to read it again
        request._members_own_profile = profile
    return profile


def field_label(field: str) -> str:
    return capfirst(Profile._meta.get_field(field).verbose_name)


def render_profile_panel(request: HttpRequest) -> str:
    profile = own_profile(request)
    context = {
        "profile": profile,
        "completeness": completeness(profile),
        "onboarding_url": (
            step_url(min(max(profile.onboarding_step, 1), STEP_COUNT))
            if is_pending(profile)
            else None
        ),
    }
    return render_to_string("members/panels/profile.html", context, request)


def render_privacy_panel(request: HttpRequest) -> str:
    profile = own_profile(request)
    groups = []
    for audience, label in Visibility.choices:
        fields = [
            field_label(field)
            for field in VISIBLE_FIELDS
            if getattr(profile, f"{field}_visibility") == audience
        ]
        groups.append({"audience": audience, "label": label, "fields": fields})
    return render_to_string(
        "members/panels/privacy.html", {"profile": profile, "groups": groups}, request
    )


def render_blocks_panel(request: HttpRequest) -> str | None:
    """The members this member blocked, each with an unblock button; nothing when there are none."""
    # Each blocked member's profile comes with the block: one query, however many were blocked.
    user = request.user
    blocks = _compiled.rows(
        "blocks",
        lambda: (
            Block.objects.filter(blocker=user)
            .select_related("blocked__profile")
            .order_by("-created_at")
        ),
        [user.pk],
    )
    if not blocks:
        return None
    rows = []
    for block in blocks:
        try:
            profile = block.blocked.profile
        except Profile.DoesNotExist:
            profile = Profile.for_user(block.blocked)
        rows.append({"profile": profile, "name": display_name_for(profile, request.user)})
    return render_to_string("members/panels/blocks.html", {"rows": rows}, request)
