"""`/api/v1/events/`: the events the public listing shows, upcoming unless `?when=past`.

What the public may see is the listing's own answer (`listing.listed()`: not hidden by a
moderator; cancelled events stay, marked `cancelled`, as on the site) and `permissions.can_view`
for an anonymous reader on a single one; the filters are the listing's (`EventFilters.apply`),
plus a format and an organisation. The join link, the recording and the materials are for
confirmed attendees and organisers (`permissions.can_see_join_link` / `can_see_follow_up`, never
true for the public view), so they are never part of the open data, nor who registered: only
how many places are left.

Times are given in the event's own time zone (an ISO 8601 offset, with `time_zone` naming the
zone), as the site shows them. The validator of an answer also counts the events that have
started, ended or closed registration since: an event moves from upcoming to past, or closes its
registration, without anybody writing anything.
"""

from __future__ import annotations

from rest_framework import serializers

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from community.organisations.models import PAGE_GROUP as ORGANISATIONS
from community.organisations.models import Organisation, unshown_in_references
from core.api import (
    PUBLIC_VIEWER,
    ApiReadView,
    Ordering,
    PagingParams,
    known,
    public_or_404,
    read_operation,
)
from core.api_taxonomy import (
    CountryRefSerializer,
    TopicRefSerializer,
    country_param,
    country_ref,
    topic_param,
    topic_refs,
)
from core.geography import language_choices

from . import permissions
from .listing import EventFilters, listed, with_seats, with_topic_ids
from .models import PAGE_GROUP, Event, EventFormat, EventType

ORDERINGS = {
    "start": Ordering("start", (("starts_at", False), ("pk", False))),
    "-start": Ordering("-start", (("starts_at", True), ("pk", True))),
}


def _organisation_exists(slug: str) -> bool:
    return Organisation.objects.filter(slug=slug, hidden=False).exists()


def _spoken_language(code: str) -> bool:
    return code in dict(language_choices())


class EventParams(PagingParams):
    when = serializers.ChoiceField(
        choices=["upcoming", "past"], required=False, default="upcoming",
        help_text="upcoming (default): not yet ended, soonest first; past: ended, latest first.",
    )  # fmt: skip
    type = serializers.ChoiceField(choices=EventType.values, required=False)
    # Not `format`: DRF reads that parameter to choose a renderer.
    event_format = serializers.ChoiceField(
        choices=EventFormat.values, required=False, help_text="online, in_person or hybrid."
    )
    online = serializers.BooleanField(
        required=False, default=False, help_text="Only those one can join online (or hybrid)."
    )
    topic = topic_param()
    country = country_param()
    language = serializers.CharField(
        required=False, max_length=3, validators=[known(_spoken_language)],
        help_text="A language spoken at the event (ISO 639-1 code).",
    )  # fmt: skip
    org = serializers.CharField(
        required=False, max_length=80, validators=[known(_organisation_exists)],
        help_text="An organisation's slug: the events it organises.",
    )  # fmt: skip
    # No default value: the default depends on `when` (soonest first, or latest first).
    ordering = serializers.ChoiceField(
        choices=list(ORDERINGS), required=False,
        help_text="Order of the results (default `start` for upcoming, `-start` for past).",
    )  # fmt: skip


class EventOrganisationSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    verified = serializers.BooleanField()


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField(help_text="Sanitised HTML.")
    type = serializers.ChoiceField(choices=EventType.values)
    type_label = serializers.CharField(help_text="The type's name in the requested language.")
    format = serializers.ChoiceField(choices=EventFormat.values)
    format_label = serializers.CharField(help_text="The format's name in the requested language.")
    venue = serializers.CharField(allow_blank=True, help_text="Where it happens in person.")
    starts_at = serializers.DateTimeField(help_text="In the event's time zone (ISO 8601).")
    ends_at = serializers.DateTimeField(help_text="In the event's time zone (ISO 8601).")
    time_zone = serializers.CharField(help_text="The IANA name of the event's time zone.")
    languages = serializers.ListField(
        child=serializers.CharField(), help_text="Languages spoken (ISO 639-1 codes)."
    )
    interpretation = serializers.BooleanField(help_text="Interpretation is available.")
    capacity = serializers.IntegerField(allow_null=True, help_text="null: no limit.")
    places_left = serializers.IntegerField(
        allow_null=True, help_text="null: no limit; 0: full, the waiting list is open."
    )
    registration_deadline = serializers.DateTimeField(
        allow_null=True, help_text="null: registration closes when the event starts."
    )
    registration_open = serializers.BooleanField()
    cancelled = serializers.BooleanField(help_text="Cancelled events stay listed, marked.")
    past = serializers.BooleanField(help_text="The event has ended.")
    site_event = serializers.BooleanField(help_text="Organised by Diaspora Hub itself.")
    organisation = EventOrganisationSerializer(
        allow_null=True, help_text="The organiser (null: the site, or an organisation not public)."
    )
    topics = TopicRefSerializer(many=True)
    countries = CountryRefSerializer(many=True)
    url = serializers.URLField(help_text="Its page on this site.")
    ics_url = serializers.URLField(help_text="The event as an iCalendar file.")


def public_events():
    # The topics' ids come with each row (`with_topic_ids`), named from the taxonomy memo: no
    # prefetch query, no topic instances.
    # Of the organiser, only what its reference shows is read.
    organiser = listed().select_related("organisation")
    organiser = organiser.defer(*unshown_in_references("organisation"))
    return with_topic_ids(with_seats(organiser))


# An id no event has, put in the reversed addresses once a page and replaced by each event's.
_ANY_ID = 987654321


class PageConstants:
    """What every event of one answer shares, worked out once: the type and format names in the
    request's language (`get_FOO_display` translates every choice again for each event) and its
    two addresses."""

    def __init__(self, request) -> None:
        self.type_labels = {value: str(label) for value, label in EventType.choices}
        self.format_labels = {value: str(label) for value, label in EventFormat.choices}
        self.detail = request.build_absolute_uri(reverse("events:detail", args=[_ANY_ID]))
        self.ics = request.build_absolute_uri(reverse("events:ics", args=[_ANY_ID]))

    def address(self, template: str, pk: int) -> str:
        return template.replace(str(_ANY_ID), str(pk))


def event_data(
    event: Event, request, language: str, now, shared: PageConstants | None = None
) -> dict:
    shared = shared or PageConstants(request)
    organisation = event.organisation
    deadline = event.registration_deadline
    return {
        "id": event.pk,
        "title": event.title,
        "description": event.description,
        "type": event.type,
        "type_label": shared.type_labels.get(event.type, event.type),
        "format": event.format,
        "format_label": shared.format_labels.get(event.format, event.format),
        "venue": event.venue,
        "starts_at": event.local_start.isoformat(),
        "ends_at": event.local_end.isoformat(),
        "time_zone": event.time_zone,
        "languages": [str(code) for code in event.languages or [] if isinstance(code, str)],
        "interpretation": event.interpretation,
        "capacity": event.capacity,
        "places_left": None if event.capacity is None else max(event.capacity - event.confirmed, 0),
        "registration_deadline": deadline.astimezone(event.zone).isoformat() if deadline else None,
        "registration_open": event.registration_open(now),
        "cancelled": event.is_cancelled,
        "past": event.is_past(now),
        "site_event": event.organisation_id is None,
        "organisation": {
            "slug": organisation.slug,
            "name": organisation.name,
            "verified": organisation.is_verified,
        }
        if organisation is not None and not organisation.hidden
        else None,
        "topics": topic_refs(event.topic_ids or [], language),
        "countries": [country_ref(country.code) for country in event.countries],
        "url": shared.address(shared.detail, event.pk),
        "ics_url": shared.address(shared.ics, event.pk),
    }


class _EventView(ApiReadView):
    etag_groups = (PAGE_GROUP, ORGANISATIONS)

    def etag_extra(self, request) -> str:
        # How many listed events have started, ended, closed registration: each changes an
        # answer (upcoming or past, registration open) without any write.
        now = timezone.now()
        counts = (
            listed()
            .annotate(closes=Coalesce("registration_deadline", "starts_at"))
            .aggregate(
                started=Count("pk", filter=Q(starts_at__lte=now)),
                ended=Count("pk", filter=Q(ends_at__lte=now)),
                closed=Count("pk", filter=Q(closes__lte=now)),
            )
        )
        return ",".join(f"{name}={counts[name]}" for name in sorted(counts))


@read_operation(
    "events_list",
    "Events: webinars, workshops, conferences, meetups, trainings",
    "events",
    EventSerializer,
    description="Upcoming ones by default (`when=past` for the others), filtered as the "
    "site's events listing filters. Never the join link, the recording, the materials or who "
    "registered.",
)
class EventList(_EventView):
    """The events of the public listing, upcoming unless `when=past`."""

    params_class = EventParams

    def build(self, request, params: dict, **kwargs) -> dict:
        now = timezone.now()
        filters = EventFilters(
            past=params.get("when") == "past",
            type=params.get("type", ""),
            topic=params.get("topic", ""),
            country=params.get("country", ""),
            language=params.get("language", ""),
            online=bool(params.get("online")),
        )
        found = filters.apply(public_events(), now)
        if params.get("event_format"):
            found = found.filter(format=params["event_format"])
        if params.get("org"):
            found = found.filter(organisation__slug=params["org"], organisation__hidden=False)
        default = "-start" if filters.past else "start"
        page = self.page_of(request, found, ORDERINGS[params.get("ordering") or default])
        shared = PageConstants(request)
        return self.page_response(
            request,
            page,
            lambda items: [
                event_data(item, request, self.language, now, shared)
                for item in items
                if permissions.can_view(PUBLIC_VIEWER, item)
            ],
        )


@read_operation(
    "events_retrieve",
    "One event (upcoming or past)",
    "events",
    EventSerializer,
    path=("id", int, "The event's id."),
)
class EventDetail(_EventView):
    """One event the public may see, upcoming or past, cancelled ones marked."""

    def build(self, request, params: dict, id: int = 0, **kwargs) -> dict:
        event = public_or_404(public_events(), permissions.can_view, pk=id)
        return event_data(event, request, self.language, timezone.now())
