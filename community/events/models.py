"""Events: webinars, workshops, conferences, meetups and trainings, and who registered for them.

An `Event` belongs to an organisation (its admins organise it) or to the site (managed by holders
of `events.manage_site_events`). Its start and end are stored in UTC with the organiser's IANA
time zone name, in which they are shown beside the reader's own time. The join link, the
recording and the materials are for confirmed attendees and organisers only (`permissions.py`).
Library resources are linked through Wagtail's own `Page`, limited by content type to the
knowledge app's resource pages, so this app never imports `knowledge`.

A `Registration` is confirmed or on the waiting list; every change of status goes through
`registration.py`, which locks the event row so two people can never take the last seat.
A member's `CalendarFeed` is the secret address of their personal calendar; revoking it deletes
the row, so the old address answers 404 at once.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django_countries.fields import CountryField

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.sanitize import clean_html

# The page-cache content group of every page showing events (core.page_cache).
PAGE_GROUP = "events"
MANAGE_SITE_EVENTS = "events.manage_site_events"
# Wagtail pages an event may link to: the knowledge app's resource pages, named, not imported.
RESOURCE_APP_LABEL = "knowledge"
RESOURCE_MODEL = "resourcepage"


class EventType(models.TextChoices):
    WEBINAR = "webinar", _("Webinar")
    WORKSHOP = "workshop", _("Workshop")
    CONFERENCE = "conference", _("Conference")
    MEETUP = "meetup", _("Meetup")
    TRAINING = "training", pgettext_lazy("an event type", "Training")


class EventFormat(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("Hybrid")


class Event(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="created_events",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    type = models.CharField(_("type"), max_length=12, choices=EventType.choices)
    format = models.CharField(
        _("format"), max_length=10, choices=EventFormat.choices, default=EventFormat.ONLINE
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    join_url = models.URLField(_("join link"), max_length=500, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    interpretation = models.BooleanField(_("interpretation available"), default=False)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    topics = models.ManyToManyField("core.Topic", verbose_name=_("topics"), blank=True)
    countries = CountryField(_("countries"), multiple=True, blank=True)
    recording_url = models.URLField(_("recording link"), max_length=500, blank=True)
    materials = models.TextField(_("materials"), blank=True)
    resources = models.ManyToManyField(
        "wagtailcore.Page",
        verbose_name=_("library resources"),
        blank=True,
        related_name="+",
        limit_choices_to={
            "content_type__app_label": RESOURCE_APP_LABEL,
            "content_type__model": RESOURCE_MODEL,
        },
    )
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set by moderation (reportable_models): hidden from all but its organisers and moderators.
    hidden = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["hidden", "ends_at", "starts_at"])]
        permissions = [("manage_site_events", _("Can organise the site's own events"))]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.description = clean_html(self.description or "")
        self.materials = clean_html(self.materials or "")
        super().save(*args, **kwargs)

    @property
    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def closes_at(self) -> datetime:
        """When registration closes: the deadline if set, else the start."""
        return self.registration_deadline or self.starts_at

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def is_past(self, now: datetime | None = None) -> bool:
        return self.ends_at <= (now or timezone.now())

    def registration_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return not self.is_cancelled and not self.hidden and now < self.closes_at

    @property
    def is_online(self) -> bool:
        return self.format in (EventFormat.ONLINE, EventFormat.HYBRID)


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", pgettext_lazy("a registration's status", "Cancelled")


class Registration(models.Model):
    """One member's place at one event (or on its waiting list); one row per member and event.

    `reminded_day_at` / `reminded_hour_at` record the reminders sent 24 hours and 1 hour before:
    the reminder job claims each with a conditional update, so it is sent once, however many
    workers run the job at the same moment.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(max_length=10, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)
    # When the member joined the waiting list (its order) or was confirmed.
    queued_at = models.DateTimeField(default=timezone.now, editable=False)
    reminded_day_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_hour_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "member"], name="one_registration_per_member")
        ]
        indexes = [models.Index(fields=["status", "event"])]

    def __str__(self) -> str:
        return f"{self.member} → {self.event}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret address of a member's calendar of their events; deleted to revoke it."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.member}"


# The open-data API names this set of values once in its schema (SPECTACULAR_SETTINGS).
EVENT_TYPE_VALUES = EventType.values
