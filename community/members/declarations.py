"""What members declares into the kernel: its demo loader, its part of "Your data" (the profile
and photo a member downloads, their blocks and the log of messages they sent, never the text;
erased with the account), its dashboard panels ("Your profile",
"Your privacy"), the log-in redirect to onboarding with the sign-up signal that offers it, the
page-cache signal handlers, and profiles as reportable (moderators hide one: out of the
directory, a 404 to everyone else).

The navigation entry `members` (declared by core) becomes a link once `members:index`
resolves, which mounting `urls.py` does. Any write to a profile outside `editing.save_profile`
(the Django admin, an import, the demo, erasure, moderation) still invalidates the members'
content group of the anonymous page cache (`core.page_cache`).
"""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_signed_up

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.guards import register_privileged_permission
from core.page_cache import invalidate_groups
from core.registries import (
    DashboardPanel,
    DemoLoader,
    ExportFile,
    LoginRedirect,
    PersonalData,
    ReportableModel,
    SignedInUserColumn,
    dashboard_panels,
    demo_loaders,
    login_redirects,
    member_privacy,
    notification_hooks,
    personal_data,
    reportable_models,
    signed_in_user_columns,
)
from search.signals import schedule

from . import onboarding, panels, search_documents, zones
from .models import PAGE_GROUP, Block, ContactLog, Profile
from .visibility import PROTECTED_PERMISSION, can_view_profile, visible_fields


def _forget_pages(sender, **kwargs) -> None:
    invalidate_groups(PAGE_GROUP)


def _forget_profile(sender, instance: Profile, **kwargs) -> None:
    # A deleted account's photo must not stay reachable at its old address.
    names = [f.name for f in (instance.avatar, instance.avatar_thumbnail) if f]
    storage = Profile._meta.get_field("avatar").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    invalidate_groups(PAGE_GROUP)


post_save.connect(_forget_pages, sender=Profile, dispatch_uid="members_profile_saved")
post_delete.connect(_forget_profile, sender=Profile, dispatch_uid="members_profile_deleted")

# Opening a protected profile is moderation: its holders must use a second factor.
register_privileged_permission(PROTECTED_PERMISSION)


def _export_contact(user) -> dict[str, Any]:
    """Whom the member blocked and the messages they sent through the platform (the log only:
    the platform never keeps a message's text)."""
    return {
        "blocked_members": [
            {"member": Profile.for_user(block.blocked).pk, "since": block.created_at.isoformat()}
            for block in Block.objects.filter(blocker=user).select_related("blocked")
        ],
        "messages_sent": [
            {
                "to_member": Profile.for_user(log.recipient).pk,
                "subject": log.subject,
                "sent_at": log.sent_at.isoformat(),
            }
            for log in ContactLog.objects.filter(sender=user).select_related("recipient")
        ],
    }


def _export_profile(user) -> dict[str, Any]:
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return _export_contact(user)
    fields = {
        name: getattr(profile, name)
        for name in (
            "display_name",
            "headline",
            "bio",
            "languages",
            "city",
            "time_zone",
            "links",
            "open_to",
            "sectors",
            "in_directory",
            "protected",
            "contact_allowed",
            "onboarding",
        )
    }
    fields["skills"] = sorted(profile.skills.names())
    fields["topics"] = sorted({topic.slug for topic in profile.topics.all()})
    fields["countries_of_origin"] = [country.code for country in profile.countries_of_origin]
    fields["country_of_residence"] = profile.country_of_residence.code or ""
    fields["visibility"] = {
        field.name.removesuffix("_visibility"): getattr(profile, field.name)
        for field in Profile._meta.get_fields()
        if field.name.endswith("_visibility")
    }
    fields["photo"] = profile.avatar.name.rsplit("/", 1)[-1] if profile.avatar else None
    fields["updated_at"] = profile.updated_at.isoformat()
    fields.update(_export_contact(user))
    return fields


def _profile_files(user) -> list[ExportFile]:
    profile = Profile.objects.filter(user=user).first()
    if profile is None or not profile.avatar:
        return []
    return [(profile.avatar.name.rsplit("/", 1)[-1], profile.avatar)]


def _erase_profile(user) -> None:
    # Blocks both ways and the log of messages sent and received go with the account.
    Block.objects.filter(blocker=user).delete()
    Block.objects.filter(blocked=user).delete()
    ContactLog.objects.filter(sender=user).delete()
    ContactLog.objects.filter(recipient=user).delete()
    # Deleting the row runs _forget_profile: the photo files go once the deletion commits.
    for profile in Profile.objects.filter(user=user):
        profile.skills.clear()
        profile.delete()


personal_data.register(
    "members",
    PersonalData(
        "members",
        _("Your profile"),
        export=_export_profile,
        erase=_erase_profile,
        files=_profile_files,
        order=10,
    ),
)


def _load_demo(progress):
    from .demo import load

    return load(progress)


# After the accounts (20): the demo accounts get profiles too.
demo_loaders.register("members", DemoLoader("members", _load_demo, order=30))


def _set_hidden(profile: Profile, hidden: bool) -> None:
    # Only the flag: the member's own "last updated" (the directory's order) is theirs.
    Profile.objects.filter(pk=profile.pk).update(hidden_by_moderation=hidden)
    profile.hidden_by_moderation = hidden
    schedule(search_documents.DOC_TYPE, profile.pk)  # found, or no longer, by search
    # A queryset update sends no signal: the cached profile, directory and organisation pages
    # showing this member must be told here.
    invalidate_groups(PAGE_GROUP)


reportable_models.register(
    "members.Profile",
    ReportableModel(
        "members.Profile",
        author=lambda profile: profile.user,
        url=lambda profile: reverse("members:profile", args=[profile.pk]),
        hide=lambda profile, moderator: _set_hidden(profile, True),
        restore=lambda profile, moderator: _set_hidden(profile, False),
        is_hidden=lambda profile: profile.hidden_by_moderation,
        can_view=lambda user, profile: can_view_profile(user, profile),
        template="members/_reported_profile.html",
        template_context=lambda request, profile: {"fields": visible_fields(profile, request.user)},
    ),
)


# The dashboard, /me/: members' own panels come first; other apps add theirs after.
def _signed_in(user) -> bool:
    return bool(user.is_authenticated)


dashboard_panels.register(
    "members_profile",
    DashboardPanel(
        "members_profile",
        _("Your profile"),
        panels.render_profile_panel,
        order=10,
        is_visible=_signed_in,
    ),
)
dashboard_panels.register(
    "members_privacy",
    DashboardPanel(
        "members_privacy",
        _("Your privacy"),
        panels.render_privacy_panel,
        order=20,
        is_visible=_signed_in,
    ),
)
dashboard_panels.register(
    "members_blocks",
    DashboardPanel(
        "members_blocks",
        _("Members you blocked"),
        panels.render_blocks_panel,
        order=25,
        is_visible=_signed_in,
    ),
)

# A member who signed up is offered the profile set-up at their log-ins until they finish or
# skip it; the kernel's allauth adapter asks login_redirects, so it never imports members.
user_signed_up.connect(onboarding.offer_to_new_member, dispatch_uid="members_offer_onboarding")
login_redirects.register(
    "onboarding", LoginRedirect("onboarding", onboarding.login_redirect, order=10)
)


# A member the recipient blocked cannot notify them (core.notify asks this before storing).
def _is_blocked(recipient, actor) -> bool:
    return Block.objects.filter(blocker_id=recipient.pk, blocked_id=actor.pk).exists()


notification_hooks.is_blocked = _is_blocked


# Apps that cannot import members (a knowledge course certificate) ask the kernel whether a
# member's name may be shown, and which name: protected or moderator-hidden members never.
def _is_protected(user) -> bool:
    return (
        Profile.objects.filter(user=user)
        .filter(Q(protected=True) | Q(hidden_by_moderation=True))
        .exists()
    )


def _public_name(user) -> str:
    return Profile.objects.filter(user=user).values_list("display_name", flat=True).first() or ""


member_privacy.is_protected = _is_protected
member_privacy.public_name = _public_name

# Pages showing a moment set in someone else's zone (deadlines, events) also show it in the
# reader's: their zone comes with their user row rather than by a query on each such page.
signed_in_user_columns.register(
    zones.READER_ZONE_COLUMN, SignedInUserColumn(zones.READER_ZONE_COLUMN, zones.zone_column)
)
