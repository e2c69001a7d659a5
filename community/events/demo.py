"""Demo events: ten webinars, workshops, meetups, trainings and a conference around the day the
demo is loaded, organised by several demo organisations (and one by the site) in several time
zones, with registrations from demo members: one event is full with a waiting list, two are over
with a recording, one is cancelled.

Idempotent: events are created only when no demo event exists yet. Written with bulk_create (a
handful of queries): the test template database loads the demo.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from community.organisations.models import Organisation
from core.emails import canonical_email
from core.models import Topic, User
from core.page_cache import invalidate_groups
from core.sanitize import clean_html

from .models import PAGE_GROUP, Event, Registration, RegistrationStatus

# title, type, format, organisation slug (None: the site), time zone, days from now, local hour,
# hours long, capacity, languages, countries, topics, venue, description
DEMO = [
    ("Remittances without the fees: a practical webinar", "webinar", "online",
     "naija-remit-cooperative", "Europe/London", 2, 18, 1.5, 100, ["en"], ["NG", "GB"],
     ["remittances", "financial-literacy"], "",
     "<p>How to compare transfer services, read the real exchange rate and avoid hidden fees, "
     "with examples from the Nigeria–UK corridor.</p>"),
    ("Atelier : la santé mentale des soignants de la diaspora", "workshop", "hybrid",
     "senegalese-health-network", "Africa/Dakar", 5, 10, 3, 12, ["fr", "wo"], ["SN", "FR"],
     ["health"], "Maison des associations, Dakar",
     "<p>Un atelier pour les soignants qui travaillent entre le Sénégal et la France : "
     "épuisement, soutien entre pairs et ressources.</p>"),
    ("Diaspora bonds: lessons from Latin America", "conference", "hybrid",
     "latam-diaspora-bonds", "America/Mexico_City", 12, 9, 8, 300, ["es", "en"], ["MX", "BR"],
     ["diaspora-bonds", "diaspora-investment"], "Centro de Convenciones, Ciudad de México",
     "<p>A day of talks on how diaspora bonds were issued, who bought them, and what went "
     "wrong.</p>"),
    ("Ghana diaspora homecoming meetup", "meetup", "in_person",
     "ghana-diaspora-affairs", "Africa/Accra", 20, 17, 3, 80, ["en"], ["GH"],
     ["diaspora-engagement"], "Accra International Conference Centre",
     "<p>Meet returnees, investors and the Office of Diaspora Affairs.</p>"),
    ("Recognising your qualifications abroad", "training", "online",
     "andean-scholars", "America/Lima", 9, 19, 2, 3, ["es"], ["PE", "CO", "ES"],
     ["recognition-of-qualifications"], "",
     "<p>Paso a paso: homologar un título en España, Perú y Colombia.</p>"),
    ("Women founders across MENA: investor office hours", "workshop", "online",
     "mena-women-founders", "Asia/Amman", 1, 14, 2, 20, ["ar", "en"], ["EG", "JO", "GB"],
     ["womens-entrepreneurship"], "",
     "<p>ساعات مكتبية مع مستثمرين لرائدات الأعمال في الشتات. Office hours with investors.</p>"),
    ("Mapping the South Asian diaspora: methods", "webinar", "online",
     "south-asia-diaspora-map", "Asia/Kolkata", -6, 16, 1.5, None, ["en", "hi"],
     ["IN", "BD", "CA"], ["diaspora-mapping"], "",
     "<p>Surveys, consular registers and social media: what each tells you.</p>"),
    ("Crisis response coordination call", "meetup", "online",
     "horn-crisis-relief", "Africa/Addis_Ababa", -2, 15, 1, 50, ["en", "am"],
     ["ET", "SO", "US"], ["crisis-response"], "",
     "<p>How diaspora groups can coordinate relief without duplicating efforts.</p>"),
    ("Digital skills for returnees", "training", "hybrid",
     "vietnam-returnee-tech", "Asia/Ho_Chi_Minh", 15, 9, 4, 25, ["vi", "en"], ["VN", "DE"],
     ["digital-inclusion", "return-and-reintegration"], "Saigon Innovation Hub",
     "<p>Cloud tools, online freelancing and digital public services for people coming "
     "home.</p>"),
    ("Diaspora Hub: how to engage your diaspora (orientation)", "webinar", "online",
     None, "UTC", 7, 13, 1, None, ["en", "fr", "es", "ar"], [],
     ["diaspora-engagement"], "",
     "<p>A tour of the hub for ministries and associations: the library, opportunities, "
     "forums and events.</p>"),
]  # fmt: skip
MEET = "https://meet.example.org/"
CANCELLED_TITLE = "Ghana diaspora homecoming meetup"
REGISTRANTS = ["amara", "farah", "kwame", "lucia", "ravi", "sofia", "rania", "youssef", "camila"]


def _users(locals_: list[str]) -> list[User]:
    wanted = [canonical_email(f"{local}@members.example.org") for local in locals_]
    found = {u.email_canonical: u for u in User.objects.filter(email_canonical__in=wanted)}
    return [found[email] for email in wanted if email in found]


@transaction.atomic
def load(progress: Callable[[str], None]) -> str:
    titles = [row[0] for row in DEMO]
    if Event.objects.filter(title__in=titles).exists():
        return f"{len(titles)} events (already there)"
    now = timezone.now()
    organisations = {o.slug: o for o in Organisation.objects.all()}
    topics = {t.slug: t for t in Topic.objects.filter(locale__language_code="en")}
    from zoneinfo import ZoneInfo

    events = []
    for (title, kind, fmt, org, zone, days, hour, hours, capacity, languages, countries,
         _topics, venue, description) in DEMO:  # fmt: skip
        local = (now + timedelta(days=days)).astimezone(ZoneInfo(zone))
        start = local.replace(hour=hour, minute=0, second=0, microsecond=0)
        past = days < 0
        events.append(
            Event(
                title=title, type=kind, format=fmt, organisation=organisations.get(org or ""),
                time_zone=zone, starts_at=start, ends_at=start + timedelta(hours=hours),
                capacity=capacity, languages=languages, countries=countries, venue=venue,
                description=clean_html(description),
                join_url="" if fmt == "in_person" else f"{MEET}{sum(map(ord, title))}",
                interpretation=len(languages) > 2,
                recording_url=f"https://video.example.org/{days + 100}" if past else "",
                materials=clean_html("<p>Slides and notes from the session.</p>") if past else "",
                cancelled_at=now if title == CANCELLED_TITLE else None,
            )
        )  # fmt: skip
    Event.objects.bulk_create(events)
    links = [
        Event.topics.through(event_id=event.pk, topic_id=topics[slug].pk)
        for event, row in zip(events, DEMO, strict=True)
        for slug in row[11]
        if slug in topics
    ]
    Event.topics.through.objects.bulk_create(links, ignore_conflicts=True)
    # Two events point to library resources in the reader's language (Wagtail pages, by type).
    from .forms import resource_pages

    english = list(resource_pages().filter(locale__language_code="en").order_by("pk")[:3])
    Event.resources.through.objects.bulk_create(
        [
            Event.resources.through(event_id=event.pk, page_id=page.pk)
            for event in (events[0], events[6])
            for page in english
        ],
        ignore_conflicts=True,
    )
    people = _users(REGISTRANTS)
    member = User.objects.filter(email_canonical=canonical_email("member@example.org")).first()
    registrations = []
    for n, event in enumerate(events):
        if event.cancelled_at:
            continue
        chosen = people[n % 3 :: 2] + ([member] if member and n in (0, 4, 6) else [])
        for k, person in enumerate(chosen):
            full = event.capacity is not None and k >= event.capacity
            registrations.append(
                Registration(
                    event=event, member=person,
                    status=RegistrationStatus.WAITLISTED if full else RegistrationStatus.CONFIRMED,
                    created_at=now - timedelta(days=3, minutes=k),
                    queued_at=now - timedelta(days=3, minutes=-k),
                )
            )  # fmt: skip
    Registration.objects.bulk_create(registrations, ignore_conflicts=True)
    invalidate_groups(PAGE_GROUP)
    progress(f"events: {len(events)} events, {len(registrations)} registrations")
    return f"{len(events)} events, {len(registrations)} registrations"
