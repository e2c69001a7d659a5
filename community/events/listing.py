"""Which events readers are shown, the listing's filters, its keyset pages, and when a cached
page showing events must be renewed.

`EventFilters.from_query(request.GET)` reads only the parameters it knows and drops malformed
values (never an error). Upcoming events (not yet ended) come soonest first, past ones latest
first; a page continues after the last event of the previous one
(`after=<microseconds since 1970>.<id>`), so a deep page costs what the first costs (no OFFSET,
no COUNT).

A cached page (`core.page_cache`) must not outlive the moment one of its events starts, ends or
closes its registration, nor the moment an event moves from upcoming to past:
`next_change` gives the first such moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, Min, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils.http import urlencode

from core.geography import language_choices

from .models import Event, EventFormat, EventType, RegistrationStatus

PAGE_SIZE = 20
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def listed() -> QuerySet[Event]:
    """What listings and panels may show: not hidden (cancelled ones stay, marked)."""
    return Event.objects.filter(hidden=False)


def with_topic_ids(queryset: QuerySet[Event]) -> QuerySet[Event]:
    """Each event with the ids of its topic rows (`topic_ids`), in the same query: pages name
    them from the taxonomy memo (`core.topics.concept_of`), never from the topic table."""
    return queryset.annotate(
        topic_ids=ArraySubquery(
            Event.topics.through.objects.filter(event_id=OuterRef("pk")).values("topic_id")
        )
    )


def with_seats(queryset: QuerySet[Event]) -> QuerySet[Event]:
    return queryset.annotate(
        confirmed=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
        )
    )


def _country(value: str) -> str:
    value = value.strip().upper()
    return value if len(value) == 2 and value.isascii() and value.isalpha() else ""


@dataclass(frozen=True)
class EventFilters:
    past: bool = False
    type: str = ""
    topic: str = ""
    country: str = ""
    language: str = ""
    online: bool = False
    after: tuple[datetime, int] | None = None

    @classmethod
    def from_query(cls, query: QueryDict) -> EventFilters:
        kind = query.get("type", "")
        language = query.get("language", "")
        topic = query.get("topic", "").strip()[:80]
        after = None
        raw = query.get("after", "")
        stamp, _dot, pk = raw.partition(".")
        if stamp.isdigit() and pk.isdigit() and len(stamp) <= 17 and len(pk) <= 18:
            after = (EPOCH + timedelta(microseconds=int(stamp)), int(pk))
        return cls(
            past=query.get("when") == "past",
            type=kind if kind in EventType.values else "",
            topic=topic if topic.replace("-", "").isalnum() else "",
            country=_country(query.get("country", "")),
            language=language if language in dict(language_choices()) else "",
            online=query.get("online") == "1",
            after=after,
        )

    def query(self, **overrides) -> str:
        """The filters as a query string, without the page cursor unless given."""
        params = {
            "when": "past" if self.past else "",
            "type": self.type,
            "topic": self.topic,
            "country": self.country,
            "language": self.language,
            "online": "1" if self.online else "",
        }
        params.update(overrides)
        return urlencode({key: value for key, value in params.items() if value})

    def apply(self, queryset: QuerySet[Event], now: datetime) -> QuerySet[Event]:
        if self.past:
            queryset = queryset.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
        else:
            queryset = queryset.filter(ends_at__gt=now).order_by("starts_at", "pk")
        if self.type:
            queryset = queryset.filter(type=self.type)
        if self.topic:
            # A subquery, not a join: a join would multiply the rows the seat count adds up.
            tagged = Event.topics.through.objects.filter(topic__slug=self.topic)
            queryset = queryset.filter(pk__in=tagged.values("event_id"))
        if self.country:
            # Codes are stored comma-separated; two letters never straddle a comma.
            queryset = queryset.filter(countries__contains=self.country)
        if self.language:
            queryset = queryset.filter(languages__contains=[self.language])
        if self.online:
            queryset = queryset.filter(format__in=[EventFormat.ONLINE, EventFormat.HYBRID])
        if self.after:
            moment, pk = self.after
            if self.past:
                queryset = queryset.filter(Q(starts_at__lt=moment) | Q(starts_at=moment, pk__lt=pk))
            else:
                queryset = queryset.filter(Q(starts_at__gt=moment) | Q(starts_at=moment, pk__gt=pk))
        return queryset

    @property
    def is_filtered(self) -> bool:
        return bool(self.type or self.topic or self.country or self.language or self.online)


def cursor(event: Event) -> str:
    moment = event.starts_at - EPOCH
    return f"{moment // timedelta(microseconds=1)}.{event.pk}"


def next_change(events, now: datetime) -> float | None:
    """Seconds until one of these events starts, ends or closes its registration."""
    moments = [
        moment
        for event in events
        for moment in (event.closes_at, event.starts_at, event.ends_at)
        if moment > now
    ]
    return min((moment - now).total_seconds() for moment in moments) if moments else None


def next_listing_change(now: datetime) -> float | None:
    """Seconds until any listed event ends (moving from upcoming to past), in one query."""
    found = listed().aggregate(first_end=Min("ends_at", filter=Q(ends_at__gt=now)))
    moment = found["first_end"]
    return (moment - now).total_seconds() if moment else None
