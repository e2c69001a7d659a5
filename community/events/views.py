"""The events pages: listing (upcoming / past, filtered, keyset pages), event page, organisers'
create / edit / cancel and attendee list (with a CSV export), members' registration and
cancellation, the `.ics` of one event, and a member's calendar feed (a secret, revocable address).

Each view parses, authorises through `permissions.py`, and hands registration changes to
`registration.py`. Anonymous listing and event pages may be served by the page cache: they
depend on the events' and organisations' content groups (any write to an event or a registration
shows at once, see `core.page_cache`) and are kept no longer than the next moment one of their
events starts, ends or closes registration. The calendar feed is never cached: its response says
`no-store`, and a revoked address answers 404 from the next request on.
"""

from __future__ import annotations

import csv
from datetime import UTC

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from community.members.views import country_options
from community.members.visibility import display_name_for
from community.members.zones import reader_zone_name
from community.organisations.models import PAGE_GROUP as ORGANISATIONS
from core.compiled_queries import CompiledQueries
from core.geography import language_choices
from core.geography import language_names as spoken_language_names
from core.memo import ProcessMemo
from core.page_cache import depends_on, expire_within
from core.topics import concept_of, topics_for_language

from . import calendar, permissions, registration, webhook_events
from .forms import EventForm, resource_pages
from .listing import (
    PAGE_SIZE,
    EventFilters,
    cursor,
    listed,
    next_change,
    next_listing_change,
    with_seats,
    with_topic_ids,
)
from .models import (
    PAGE_GROUP,
    CalendarFeed,
    Event,
    EventType,
    Registration,
    RegistrationStatus,
)

# Each card of the listing, rendered once per process for the values it shows (see `_card`):
# twenty cards drawn by the template engine (two dates in two zones, names of countries, the
# organiser's badge) cost several times the rest of the page together.
_cards: ProcessMemo[str] = ProcessMemo("event cards", ttl=600.0, max_entries=2000)
# The filter form (a select of every country, topic and language) is the same for every reader
# of a language with the same filters and topics: drawn once for them, keyed on all of them.
_filter_forms: ProcessMemo[str] = ProcessMemo("event filter forms", ttl=600.0, max_entries=500)


def topic_labels(event: Event, language: str) -> list[str]:
    """The event's topics in `language`, each concept once, sorted; from the ids annotated by
    `listing.with_topic_ids` when present (no query), else from its rows."""
    ids = getattr(event, "topic_ids", None)
    if ids is None:
        ids = [topic.pk for topic in event.topics.all()]
    labels = {}
    for topic_id in ids:
        concept = concept_of(topic_id)
        if concept:
            labels[concept.slug] = concept.in_language(language).label
    return sorted(labels.values(), key=str.casefold)


def language_names(codes: list[str]) -> list[str]:
    names = spoken_language_names()
    return [names.get(code, code) for code in codes]


def _card(event: Event, topics: list[str], language: str, zone: str) -> SafeString:
    """The listing card for `event`, from the memo when nothing it shows changed.

    The key holds every value `events/_card.html` shows (title, type, format, cancellation, the
    organiser's name, address and badge, start, end and time zone, the reader's own zone beside
    them, topics, countries, seats taken, and the interface language of its labels, dates and
    links), so an edit, a registration or a verification gives a new key. Nothing in a card
    depends on who reads it beyond their time zone.
    """
    organisation = event.organisation
    key = (
        language,
        zone,
        event.pk,
        event.title,
        event.type,
        event.format,
        event.is_cancelled,
        organisation
        and (organisation.slug, organisation.name, organisation.verification, organisation.type),
        event.starts_at,
        event.ends_at,
        event.time_zone,
        tuple(topics),
        tuple(str(code) for code in event.countries),
        event.capacity,
        event.confirmed,
    )
    html = _cards.get(
        key,
        lambda: render_to_string(
            "events/_card.html", {"event": event, "topics": topics, "reader_zone": zone}
        ),
    )
    return mark_safe(html)  # noqa: S308 - rendered by the auto-escaping template above


def _filter_form(filters: EventFilters, language: str) -> SafeString:
    """The listing's filter form for these filters, from the memo when unchanged."""
    topics = topics_for_language()
    key = (
        language,
        filters.past,
        filters.type,
        filters.topic,
        filters.country,
        filters.language,
        filters.online,
        tuple((topic.slug, topic.label) for topic in topics),
    )

    def draw() -> str:
        context = {
            "filters": filters,
            "types": EventType.choices,
            "topics": topics,
            "language_options": language_choices(),
            "country_options": country_options(filters.country),
        }
        return render_to_string("events/_filter_form.html", context)

    return mark_safe(_filter_forms.get(key, draw))  # noqa: S308 - rendered by the auto-escaping template


# The event's read, on every view of its page and every action on it, compiled to SQL once per
# process (`core.compiled_queries`): it took longer to compile than to answer.
_compiled = CompiledQueries("events", max_entries=4)


def _visible_or_404(request: HttpRequest, pk: int, for_page: bool = False) -> Event:
    """The event if the reader may see it. `for_page` (the event page, which only shows) also
    reads the reader's role in its organisation and their registration in the same query."""
    user = request.user
    answers = for_page and user.is_authenticated

    def queryset() -> QuerySet[Event]:
        found = with_topic_ids(with_seats(Event.objects.select_related("organisation")))
        if answers:
            found = permissions.with_answers_for(found, user)
        return found.filter(pk=pk)[:1]

    # In the order its SQL takes them: the seats' status, the reader's answers (their role, then
    # their registration's id and status, each not cancelled), the event.
    confirmed, cancelled = RegistrationStatus.CONFIRMED, RegistrationStatus.CANCELLED
    params = [confirmed, *([user.pk, user.pk, cancelled, user.pk, cancelled] if answers else [])]
    found = _compiled.rows(("event", answers), queryset, [*params, pk])
    event = found[0] if found else None
    if event is not None and for_page:
        permissions.remember_answers_for(event, request.user)
    if event is None or not permissions.can_view(request.user, event):
        raise Http404(_("No such event."))
    return event


def _managed_or_403(request: HttpRequest, pk: int) -> Event:
    event = _visible_or_404(request, pk)
    if not permissions.can_manage(request.user, event):
        raise PermissionDenied
    return event


def index(request: HttpRequest) -> HttpResponse:
    depends_on(request, PAGE_GROUP, ORGANISATIONS)
    filters = EventFilters.from_query(request.GET)
    now = timezone.now()

    # Cards show neither the description nor the materials: the longest columns stay in the
    # database.
    def page_of() -> QuerySet[Event]:
        shown = listed().select_related("organisation").defer("description", "materials")
        return filters.apply(with_topic_ids(with_seats(shown)), now)[: PAGE_SIZE + 1]

    if filters == EventFilters():
        # The listing everyone lands on, its SQL compiled once per process: in the order it
        # takes them, the seats' status, then the moment upcoming events end after.
        found = _compiled.rows("listing", page_of, [RegistrationStatus.CONFIRMED.value, now])
    else:
        found = list(page_of())
    events, more = found[:PAGE_SIZE], len(found) > PAGE_SIZE
    language = get_language() or "en"
    zone = reader_zone_name(request)
    response = render(
        request,
        "events/index.html",
        {
            "events": events,
            "cards": [
                _card(event, topic_labels(event, language), language, zone) for event in events
            ],
            "filters": filters,
            "filter_form": _filter_form(filters, language),
            "next_url": f"?{filters.query(after=cursor(events[-1]))}" if more else "",
            "first_url": f"?{filters.query()}" if filters.after else "",
            "upcoming_url": f"?{filters.query(when='')}",
            "past_url": f"?{filters.query(when='past')}",
            "can_create": request.user.is_authenticated and permissions.can_create(request.user),
            "reader_zone": zone,
            "noindex": bool(filters.after),
        },
    )
    if getattr(request, "_cache_update_cache", False):
        # How long a copy may be kept: only the page cache keeps one, never of a member's page.
        moments = [next_listing_change(now), next_change(events, now)]
        expire_within(response, min((m for m in moments if m is not None), default=None))
    return response


def _detail_context(request: HttpRequest, event: Event) -> dict:
    user = request.user
    manage = permissions.can_manage(user, event)
    mine = permissions.registration_of(user, event)
    now = timezone.now()
    return {
        "event": event,
        "topics": topic_labels(event, get_language() or "en"),
        "spoken": language_names(event.languages or []),
        "resources": [
            (page.title, page.get_url(request=request))
            for page in resource_pages().filter(pk__in=event.resources.values("pk"))
        ],
        "can_manage": manage,
        "registration": mine,
        "can_register": permissions.can_register(user, event) and mine is None,
        "show_join_link": permissions.can_see_join_link(user, event),
        "show_follow_up": permissions.can_see_follow_up(user, event),
        "is_past": event.is_past(now),
        "registration_open": event.registration_open(now),
        "seats_left": None if event.capacity is None else max(event.capacity - event.confirmed, 0),
        "reader_zone": reader_zone_name(request),
        "noindex": event.hidden,
    }


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    depends_on(request, PAGE_GROUP, ORGANISATIONS)
    event = _visible_or_404(request, pk, for_page=True)
    response = render(request, "events/detail.html", _detail_context(request, event))
    expire_within(response, next_change([event], timezone.now()))
    return response


def _form_page(request: HttpRequest, form: EventForm, event: Event | None, status: int = 200):
    return render(
        request,
        "events/form.html",
        {"form": form, "event": event, "noindex": True},
        status=status,
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    organisations = permissions.organisations_for(request.user)
    site = permissions.can_organise_site_events(request.user)
    if not organisations and not site:
        raise PermissionDenied
    if request.method == "POST":
        form = EventForm(request.POST, organisations=organisations, may_organise_site=site)
        if form.is_valid():
            if not permissions.can_create_for(request.user, form.cleaned_data["organisation"]):
                raise PermissionDenied
            with transaction.atomic():
                form.instance.creator = request.user
                event = form.save()
                webhook_events.created(event)
            messages.success(request, _("The event has been published."))
            return redirect("events:detail", event.pk)
        messages.error(request, _("Nothing was saved: please correct the errors below."))
        return _form_page(request, form, None, status=400)
    # Times are entered in the organiser's own zone unless they choose another.
    initial = {"time_zone": reader_zone_name(request) or "UTC"}
    form = EventForm(organisations=organisations, may_organise_site=site, initial=initial)
    return _form_page(request, form, None)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_or_403(request, pk)
    if request.method == "POST":
        with transaction.atomic():
            # Locked while validating and saving: nobody registers between the capacity check
            # and the new capacity (registration.py locks the same row).
            locked = (
                Event.objects.select_for_update(of=("self",))
                .select_related("organisation")
                .get(pk=pk)
            )
            form = EventForm(request.POST, instance=locked)
            if form.is_valid():
                event = form.save()
                if not event.is_past() and not event.is_cancelled:
                    registration.promote(event)  # seats added go to the waiting list
                saved = True
            else:
                saved = False
        if saved:
            messages.success(request, _("The event has been saved."))
            return redirect("events:detail", event.pk)
        messages.error(request, _("Nothing was saved: please correct the errors below."))
        return _form_page(request, form, event, status=400)
    return _form_page(request, EventForm(instance=event), event)


@require_POST
@login_required
def cancel_event(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_or_403(request, pk)
    told = registration.cancel_event(event)
    messages.success(
        request,
        ngettext(
            "The event is cancelled. %(count)s person was told.",
            "The event is cancelled. %(count)s people were told.",
            told,
        )
        % {"count": told},
    )
    return redirect("events:detail", event.pk)


@require_POST
@login_required
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_or_404(request, pk)
    try:
        mine = registration.register(event, request.user)
    except registration.Refused as refused:
        messages.error(request, refused.message)
        return redirect("events:detail", event.pk)
    if mine.status == RegistrationStatus.CONFIRMED:
        messages.success(request, _("You are registered. The join details are below."))
    else:
        messages.info(
            request,
            _("The event is full: you are on the waiting list and will be told if a seat frees."),
        )
    return redirect("events:detail", event.pk)


@require_POST
@login_required
def unregister(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_or_404(request, pk)
    mine = permissions.registration_of(request.user, event)
    if mine is not None:
        registration.cancel(mine)
        messages.success(request, _("Your registration has been cancelled."))
    return redirect("events:detail", event.pk)


def _attendee_rows(request: HttpRequest, event: Event) -> list[dict]:
    rows = []
    found = (
        event.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("member__profile")
        .order_by("status", "queued_at", "pk")
    )
    for item in found:
        profile = getattr(item.member, "profile", None)
        name = display_name_for(profile, request.user) if profile else str(item.member)
        rows.append({"registration": item, "name": name, "email": item.member.email})
    return rows


@login_required
def attendees(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_or_403(request, pk)
    return render(
        request,
        "events/attendees.html",
        {"event": event, "rows": _attendee_rows(request, event), "noindex": True},
    )


def _csv_cell(value: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: keep it text.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@login_required
def attendees_csv(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_or_403(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-attendees.csv"'
    response.write("\ufeff")  # spreadsheets read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow([_("Name"), _("E-mail"), _("Status"), _("Registered at (UTC)")])
    for row in _attendee_rows(request, event):
        item = row["registration"]
        writer.writerow(
            [
                _csv_cell(row["name"]),
                _csv_cell(row["email"]),
                item.get_status_display(),
                item.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return response


def ics(request: HttpRequest, pk: int) -> HttpResponse:
    depends_on(request, PAGE_GROUP)
    event = _visible_or_404(request, pk)
    url = request.build_absolute_uri(reverse("events:detail", args=[event.pk]))
    place = permissions.registration_of(request.user, event)
    entry = calendar.place_entry(
        event,
        url,
        place.status if place is not None else None,
        with_join_link=permissions.can_see_join_link(request.user, event),
    )
    body = calendar.build([entry])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


@never_cache
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A member's calendar of the events they registered for, at a secret address."""
    found = CalendarFeed.objects.select_related("member").filter(token=token).first()
    if found is None or not found.member.is_active:
        raise Http404(_("No such calendar."))
    member = found.member
    mine = (
        Registration.objects.filter(
            member=member,
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED],
            event__hidden=False,
        )
        .select_related("event")
        .order_by("event__starts_at")
    )
    base = request.build_absolute_uri("/")[:-1]
    with_language = f"/{settings.LANGUAGE_CODE}"
    entries = [
        calendar.place_entry(
            item.event,
            f"{base}{with_language}{_event_path(item.event.pk)}",
            item.status,
            with_join_link=item.status == RegistrationStatus.CONFIRMED,
        )
        for item in mine
    ]
    body = calendar.build(entries, name=_("Diaspora Hub: my events"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store, max-age=0"
    return response


def _event_path(pk: int) -> str:
    """The event page's address without its language prefix (the feed adds the default)."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("events:detail", args=[pk])
    return path.removeprefix(f"/{settings.LANGUAGE_CODE}")


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The member's own registrations (seat or waiting list), upcoming first, then past ones."""
    now = timezone.now()
    rows = list(
        Registration.objects.filter(
            member=request.user,
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED],
            event__hidden=False,
        )
        .select_related("event")
        .order_by("event__starts_at", "pk")
    )
    return render(
        request,
        "events/mine.html",
        {
            "upcoming": [row for row in rows if row.event.ends_at > now],
            "past": [row for row in rows if row.event.ends_at <= now][::-1][:20],
            "reader_zone": reader_zone_name(request),
            "noindex": True,
        },
    )


@login_required
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """Show, create, renew or revoke the member's calendar feed address."""
    if request.method == "POST":
        action = request.POST.get("action")
        with transaction.atomic():
            CalendarFeed.objects.filter(member=request.user).delete()
            if action in ("create", "renew"):
                CalendarFeed.objects.create(member=request.user)
        if action == "revoke":
            messages.success(request, _("Your calendar address no longer works."))
        else:
            messages.success(
                request, _("Your calendar address is ready. Any earlier address no longer works.")
            )
        return redirect("events:calendar")
    found = CalendarFeed.objects.filter(member=request.user).first()
    url = request.build_absolute_uri(reverse("events:feed", args=[found.token])) if found else ""
    return render(request, "events/calendar.html", {"feed_url": url, "noindex": True})
