"""What organisations declares into the kernel: private evidence files, "Your data", moderation
(reportable_models), panels for home and country pages, the demo loader, page-cache signals,
and a live revoke when a membership ends (the member's open pages re-check what they follow).

The navigation entry `organisations` (declared by core) becomes a link once
`organisations:index` resolves, which mounting `urls.py` does. Any write outside the app's own
operations (the Django admin, an import, erasure, moderation) still invalidates the
organisations' content group of the anonymous page cache (`core.page_cache`).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.country_panels import counts_by_country
from core.live import revoke_user
from core.page_cache import invalidate_groups
from core.registries import (
    DemoLoader,
    PagePanel,
    PersonalData,
    PrivateFileKind,
    ReportableModel,
    demo_loaders,
    organisation_directory,
    page_panels,
    personal_data,
    private_files,
    reportable_models,
)

from .models import (
    EVIDENCE_KIND,
    PAGE_GROUP,
    Invitation,
    Membership,
    Organisation,
    Role,
    Verification,
    VerificationRequest,
)
from .permissions import can_read_evidence, evidence_needs_second_factor


def _forget_pages(sender, **kwargs) -> None:
    invalidate_groups(PAGE_GROUP)


for _model in (Organisation, Membership, VerificationRequest):
    post_save.connect(_forget_pages, sender=_model, dispatch_uid=f"orgs_{_model.__name__}_saved")
    post_delete.connect(
        _forget_pages, sender=_model, dispatch_uid=f"orgs_{_model.__name__}_deleted"
    )
m2m_changed.connect(
    _forget_pages, sender=Organisation.topics.through, dispatch_uid="orgs_topics_changed"
)

private_files.register(
    EVIDENCE_KIND,
    PrivateFileKind(
        EVIDENCE_KIND,
        VerificationRequest,
        "document",
        can_read_evidence,
        needs_second_factor=evidence_needs_second_factor,
    ),
)


# --- Your data -------------------------------------------------------------------------------


def _export(user) -> dict[str, Any]:
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    invitations = Invitation.objects.filter(user=user).select_related("organisation")
    return {
        "memberships": [
            {
                "organisation": m.organisation.name,
                "address": m.organisation.slug,
                "role": m.role,
                "joined_at": m.joined_at.isoformat(),
            }
            for m in memberships
        ],
        "invitations": [i.organisation.name for i in invitations],
    }


def sole_admin_of(user) -> list[Organisation]:
    """The organisations `user` is the only admin of."""
    mine = Organisation.objects.filter(memberships__user=user, memberships__role=Role.ADMIN)
    return [
        organisation
        for organisation in mine
        if not organisation.memberships.filter(role=Role.ADMIN).exclude(user=user).exists()
    ]


def _blockers(user) -> list[str]:
    return [
        _("You are the only administrator of %(organisation)s: hand it over first.")
        % {"organisation": organisation.name}
        for organisation in sole_admin_of(user)
    ]


def _erase(user) -> None:
    Membership.objects.filter(user=user).delete()
    Invitation.objects.filter(user=user).delete()


personal_data.register(
    "organisations",
    PersonalData(
        "organisations",
        gettext_lazy("Your organisations"),
        export=_export,
        erase=_erase,
        blockers=_blockers,
        order=20,
    ),
)


# --- Moderation ------------------------------------------------------------------------------


def _set_hidden(organisation: Organisation, hidden: bool) -> None:
    organisation.hidden = hidden
    # Hidden or restored by a moderator: either way, no longer waiting for one.
    organisation.held = False
    organisation.save(update_fields=["hidden", "held"])


def _show(request, organisation: Organisation) -> str:
    return format_html(
        '<p><a href="{}">{}</a></p><div>{}</div>',
        reverse("organisations:detail", args=[organisation.slug]),
        organisation.name,
        organisation.description,  # stored sanitised
    )


def _first_admin(organisation: Organisation):
    membership = organisation.memberships.filter(role=Role.ADMIN).order_by("joined_at").first()
    return membership.user if membership else None


reportable_models.register(
    "organisations.Organisation",
    ReportableModel(
        "organisations.Organisation",
        author=_first_admin,
        url=lambda organisation: reverse("organisations:detail", args=[organisation.slug]),
        hide=lambda organisation, moderator: _set_hidden(organisation, True),
        restore=lambda organisation, moderator: _set_hidden(organisation, False),
        is_hidden=lambda organisation: organisation.hidden,
        show=_show,
    ),
)


# --- Panels ----------------------------------------------------------------------------------

PANEL_SIZE = 6


def _panel(title: str, organisations, more_url: str = "") -> str:
    if not organisations:
        return ""
    return render_to_string(
        "organisations/_panel.html",
        {"title": title, "organisations": organisations, "more_url": more_url},
    )


def _home_panel(request, page) -> str:
    recent = Organisation.objects.filter(hidden=False, verification=Verification.VERIFIED).order_by(
        "-verified_at"
    )[:PANEL_SIZE]
    return _panel(_("Recently verified organisations"), list(recent))


def _country_panel(request, page) -> str:
    country = getattr(page, "country", None)
    code = getattr(country, "code", country) or ""
    if not code:
        return ""
    found = Organisation.objects.filter(hidden=False, countries__contains=str(code)).order_by(
        "-verification", "name"
    )[:PANEL_SIZE]
    more_url = f"{reverse('organisations:index')}?country={code}"
    return _panel(_("Organisations working in this country"), list(found), more_url)


page_panels.register(
    "organisations_home",
    PagePanel(
        "organisations_home",
        "home",
        _home_panel,
        order=40,
        groups=(PAGE_GROUP,),
        # The same for every reader of a language (core.panel_cache).
        varies_on=lambda request: (),
    ),
)


def _country_counts(request, codes: list[str]) -> dict[str, int]:
    """How many listed organisations work in each of these countries: one query for all."""
    return counts_by_country(request, Organisation.objects.filter(hidden=False), codes)


page_panels.register(
    "organisations_country",
    PagePanel(
        "organisations_country",
        "country",
        _country_panel,
        order=40,
        groups=(PAGE_GROUP,),
        count=_country_counts,
        count_label=gettext_lazy("Organisations"),
        # The same for every reader of a language (core.panel_cache).
        varies_on=lambda request: (),
    ),
)


def _load_demo(progress):
    from .demo import load

    return load(progress)


# After the members (30): demo members become admins and members of the organisations.
demo_loaders.register("organisations", DemoLoader("organisations", _load_demo, order=40))


# --- Notifications and follows --------------------------------------------------------------------


def _declare_notifications() -> None:
    from core.follows import register_followable
    from core.registries import NotificationKind, notification_kinds

    from . import permissions, verification

    notification_kinds.register(
        verification.VERIFICATION_KIND,
        NotificationKind(
            verification.VERIFICATION_KIND,
            gettext_lazy("Verification decisions about your organisations"),
            describe=verification.describe_decision,
            url=verification.decision_url,
            details=verification.decision_details,
            default_email="immediately",
        ),
    )
    # Members follow an organisation they may see (a hidden one only its admins and moderators).
    register_followable("organisations.organisation", permissions.can_view)


_declare_notifications()


def _membership_ended(sender, instance, **kwargs) -> None:
    # What the member followed live because they belonged (an organisation's private forum, say)
    # is re-checked on their open pages.
    revoke_user(instance.user_id)


post_delete.connect(_membership_ended, sender=Membership, dispatch_uid="organisations_live_left")


# --- Who administers which organisation, for API tokens acting for one and webhooks -------------


def _administered(user) -> list[tuple[int, str]]:
    if user is None or not user.is_authenticated:
        return []
    return list(
        Organisation.objects.filter(
            memberships__user=user, memberships__role=Role.ADMIN, hidden=False
        )
        .order_by("name")
        .values_list("pk", "name")
    )


def _is_admin(user, organisation_id: int) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user, organisation_id=organisation_id, role=Role.ADMIN, organisation__hidden=False
    ).exists()


def _name(organisation_id: int) -> str | None:
    return Organisation.objects.filter(pk=organisation_id).values_list("name", flat=True).first()


organisation_directory.administered = _administered
organisation_directory.is_admin = _is_admin
organisation_directory.name = _name
