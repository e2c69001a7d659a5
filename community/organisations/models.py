"""Organisations, who belongs to them and with which role, invitations, and verification.

An `Organisation` is what members act for (later: opportunities are posted by one). Members join
it through a `Membership` with a role; an organisation always keeps at least one admin (the rule
lives in `membership.py`, the only place that changes roles). Admins invite members with an
`Invitation` the invitee accepts. Verification is asked for with a `VerificationRequest` whose
evidence documents are private files (`core.private_files`, kind `organisation_evidence`); the
organisation's `verification` field is the state every badge reads, so no page needs a join.
The description is stored sanitised whoever writes it; the logo is stored re-encoded.
"""

from __future__ import annotations

from django_countries.fields import CountryField

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.private_files import PrivateFileField
from core.sanitize import clean_html

VERIFY_PERMISSION = "organisations.verify_organisation"
EVIDENCE_KIND = "organisation_evidence"
# The page-cache content group of every page showing organisations (core.page_cache).
PAGE_GROUP = "organisations"
EVIDENCE_TYPES = frozenset({"pdf", "png", "jpg", "jpeg"})
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


class OrganisationType(models.TextChoices):
    DIASPORA = "diaspora", _("Diaspora association")
    GOVERNMENT = "government", _("Government body")
    INTERNATIONAL = "international", _("International organisation")
    NGO = "ngo", _("NGO")
    COMPANY = "company", _("Company")
    ACADEMIC = "academic", _("Academic institution")


class Verification(models.TextChoices):
    NONE = "none", _("Not verified")
    PENDING = "pending", _("Verification pending")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Verification refused")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    logo = models.FileField(_("logo"), upload_to="organisations/logos/", blank=True)
    logo_thumbnail = models.FileField(upload_to="organisations/logos/", blank=True, editable=False)
    type = models.CharField(_("type"), max_length=16, choices=OrganisationType.choices)
    countries = CountryField(_("countries"), multiple=True, blank=True)
    topics = models.ManyToManyField("core.Topic", verbose_name=_("topics"), blank=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    verification = models.CharField(
        max_length=10, choices=Verification.choices, default=Verification.NONE, editable=False
    )
    verified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set by moderation (reportable_models): a hidden organisation is not listed and its page
    # is a 404 to all but its admins and moderators.
    hidden = models.BooleanField(default=False, editable=False)
    # Held for a moderator's first look (`core.trust`: a new member's organisation, or a text
    # matching the word lists): hidden as well, so every reader's path already leaves it out,
    # until a moderator approves it (`editing.approve_held`) or hides it for good.
    held = models.BooleanField(_("held for review"), default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        permissions = [
            ("verify_organisation", _("Can verify organisations (moderation)")),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.description = clean_html(self.description or "")
        super().save(*args, **kwargs)

    @property
    def is_verified(self) -> bool:
        return self.verification == Verification.VERIFIED


# What a reference to an organisation shows (the API's `organisation` of an opportunity or an
# event): its slug, name, verification and whether it is hidden.
REFERENCE_FIELDS = ("id", "slug", "name", "verification", "hidden")


def unshown_in_references(relation: str) -> list[str]:
    """`relation__field` for each of the organisation's other columns, for `.defer()` on a
    queryset that selects the organisation along (`select_related(relation)`) only to show a
    reference to it: its countries above all, which django-countries cleans per instance."""
    return [
        f"{relation}__{field.name}"
        for field in Organisation._meta.concrete_fields
        if field.name not in REFERENCE_FIELDS
    ]


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="org_memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_each")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.organisation}"


class Invitation(models.Model):
    """An admin's invitation of an existing member; made only when the address has an account,
    though the admin is told the same thing either way."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="org_invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_invitation_each")
        ]

    def __str__(self) -> str:
        return f"{self.user} invited to {self.organisation}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a moderator")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class VerificationRequest(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="verification_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    registration_number = models.CharField(_("registration number"), max_length=100)
    email_domain = models.CharField(_("official e-mail domain"), max_length=253, blank=True)
    document = PrivateFileField(
        _("document"),
        kind=EVIDENCE_KIND,
        allowed=EVIDENCE_TYPES,
        max_bytes=EVIDENCE_MAX_BYTES,
        blank=True,
    )
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.status}"


# The open-data API names this set of values once in its schema (SPECTACULAR_SETTINGS).
ORGANISATION_TYPE_VALUES = OrganisationType.values
