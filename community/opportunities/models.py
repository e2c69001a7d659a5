"""Opportunities: jobs, volunteering, funding calls, mentoring, investment, fellowships.

The stored `status` is what the poster chose (draft, published, archived) plus its moderation
`review` (held, approved, sent back to the poster with a note) and `hidden`; "closing soon" and
"closed" are never stored: `phase(now)` computes them from the deadline when read, so they are
right even when the archiving job runs late or not at all.
The deadline is stored in UTC with the poster's time zone name, in which it is shown.

People apply either on the poster's own site (`apply_url`) or here, with an expression of
interest (`Application`: a plain-text message and an optional CV kept as a private file, kind
`opportunity_cv`, readable only by the applicant, the poster and the organisation's admins).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django_countries.fields import CountryField

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from taggit.managers import TaggableManager

from core.private_files import PrivateFileField
from core.sanitize import clean_html

# The page-cache content group of every page showing opportunities (core.page_cache).
PAGE_GROUP = "opportunities"
CLOSING_SOON = timedelta(days=7)
ARCHIVE_AFTER = timedelta(days=90)
# A moderator's note when sending an opportunity back (the moderation log's note holds as much).
REVIEW_NOTE_MAX_LENGTH = 1000


class OpportunityType(models.TextChoices):
    JOB = "job", _("Job")
    VOLUNTEERING = "volunteering", _("Volunteering")
    FUNDING = "funding", _("Funding call")
    MENTORING = "mentoring", _("Mentoring")
    INVESTMENT = "investment", _("Investment")
    FELLOWSHIP = "fellowship", _("Fellowship or training")


class WorkMode(models.TextChoices):
    REMOTE = "remote", _("Remote")
    ON_SITE = "on_site", _("On site")
    HYBRID = "hybrid", _("Hybrid")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", pgettext_lazy("an opportunity's status", "Published")
    ARCHIVED = "archived", _("Archived")


class Phase(models.TextChoices):
    """What a reader sees: the stored status refined by the deadline."""

    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("an opportunity's phase", "Open")
    CLOSING_SOON = "closing_soon", _("Closing soon")
    CLOSED = "closed", _("Closed")
    ARCHIVED = "archived", _("Archived")


class Review(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Not needed")
    HELD = "held", _("Held for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SENT_BACK = "sent_back", _("Sent back to its poster")


class ApplyMethod(models.TextChoices):
    LINK = "link", _("On the poster's site, through a link")
    ON_SITE = "on_site", _("On this site: members send an expression of interest")


class Opportunity(models.Model):
    type = models.CharField(_("type"), max_length=16, choices=OpportunityType.choices)
    title = models.CharField(_("title"), max_length=200)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="opportunities",
    )
    poster = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="opportunities",
    )
    description = models.TextField(_("description"))
    countries = CountryField(_("countries"), multiple=True, blank=True)
    topics = models.ManyToManyField("core.Topic", verbose_name=_("topics"), blank=True)
    work_mode = models.CharField(
        _("where"), max_length=8, choices=WorkMode.choices, default=WorkMode.REMOTE
    )
    skills = TaggableManager(_("skills"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    deadline = models.DateTimeField(_("deadline"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    start_date = models.DateField(_("start date"), null=True, blank=True)
    compensation = models.CharField(_("compensation"), max_length=200, blank=True)
    apply_method = models.CharField(
        _("how to apply"), max_length=8, choices=ApplyMethod.choices, default=ApplyMethod.LINK
    )
    # Required by the form when people apply through the link; optional when they apply here.
    apply_url = models.URLField(_("how to apply (link)"), max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    review = models.CharField(
        max_length=10, choices=Review.choices, default=Review.NOT_NEEDED, editable=False
    )
    # Why a moderator sent it back to its poster as a draft (`lifecycle.send_back`): shown to
    # its poster and its organisation's admins until they publish it again.
    review_note = models.TextField(
        _("moderator's note"), max_length=REVIEW_NOTE_MAX_LENGTH, blank=True, editable=False
    )
    # Set by moderation (reportable_models): hidden from all but its poster and moderators.
    hidden = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)
    # When anyone could first see it (published without review, or approved): saved searches
    # alert about opportunities by this moment, not by when a draft was started.
    public_since = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["status", "review", "deadline"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.description = clean_html(self.description or "")
        super().save(*args, **kwargs)

    def phase(self, now: datetime | None = None) -> str:
        """Draft, open, closing soon, closed or archived, computed from the deadline at `now`."""
        now = now or timezone.now()
        if self.status == Status.DRAFT:
            return Phase.DRAFT
        if self.status == Status.ARCHIVED:
            return Phase.ARCHIVED
        if self.deadline <= now:
            return Phase.CLOSED
        if self.deadline - now <= CLOSING_SOON:
            return Phase.CLOSING_SOON
        return Phase.OPEN

    def phase_label(self) -> str:
        return Phase(self.phase()).label

    @property
    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")

    @property
    def local_deadline(self) -> datetime:
        """The deadline in the poster's time zone, for display with its UTC offset."""
        return self.deadline.astimezone(self.zone)

    @property
    def is_closed(self) -> bool:
        return self.phase() in (Phase.CLOSED, Phase.ARCHIVED)

    @property
    def is_public(self) -> bool:
        return (
            self.status != Status.DRAFT
            and self.review in (Review.NOT_NEEDED, Review.APPROVED)
            and not self.hidden
        )

    @property
    def takes_applications(self) -> bool:
        """Whether members express interest on this site (rather than through a link)."""
        return self.apply_method == ApplyMethod.ON_SITE

    @property
    def poster_unverified(self) -> bool:
        return self.organisation is None or not self.organisation.is_verified


# --- Expressions of interest ---------------------------------------------------------------

CV_KIND = "opportunity_cv"
CV_TYPES = frozenset({"pdf", "docx", "odt"})
CV_MAX_BYTES = 5 * 1024 * 1024
MESSAGE_MAX_LENGTH = 2000


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Sent")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(models.Model):
    """A member's expression of interest in an opportunity; one per member and opportunity.

    The CV goes when the opportunity is archived (`applications.drop_cvs`); the record stays so
    both sides keep the history. Deleting the record deletes its CV (PrivateFileField).
    """

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opportunity_applications"
    )
    message = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    cv = PrivateFileField(
        _("CV"), kind=CV_KIND, allowed=CV_TYPES, max_bytes=CV_MAX_BYTES, blank=True
    )
    status = models.CharField(
        max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "applicant"], name="one_application_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.opportunity}"


# Registered with this app through this module; kept apart (see saved_models' docstring).
from .saved_models import Frequency, SavedOpportunity, SavedSearch  # noqa: E402, F401

# The open-data API names this set of values once in its schema (SPECTACULAR_SETTINGS).
OPPORTUNITY_TYPE_VALUES = OpportunityType.values
