"""What events declares into the kernel: page-cache signals, the reminders' periodic job, the
notification kinds (registered, waiting list, promoted, reminder, cancelled), "Your data"
(registrations and calendar feed: export and erasure), moderation (events are reportable), the
home and country pages' "Upcoming events" panels, the dashboard's "My events", the demo loader.

The navigation entry `events` (declared by core) becomes a link once `events:index` resolves.
Any write to an event or a registration, from the app or elsewhere (the admin, erasure,
moderation), invalidates the events' content group of the anonymous page cache
(`core.page_cache`): the listing, the event pages and the panels, not unrelated pages.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community.members.zones import reader_zone_name
from core.page_cache import invalidate_groups
from core.registries import (
    DashboardPanel,
    DemoLoader,
    NotificationKind,
    PagePanel,
    PeriodicJob,
    PersonalData,
    ReportableModel,
    dashboard_panels,
    demo_loaders,
    notification_kinds,
    page_panels,
    periodic_jobs,
    personal_data,
    reportable_models,
)
from search.signals import schedule

from . import panels, registration
from .models import PAGE_GROUP, CalendarFeed, Event, Registration, RegistrationStatus
from .permissions import can_view
from .search_documents import DOC_TYPE


def _forget_pages(sender, **kwargs) -> None:
    invalidate_groups(PAGE_GROUP)


post_save.connect(_forget_pages, sender=Event, dispatch_uid="event_saved")
post_delete.connect(_forget_pages, sender=Event, dispatch_uid="event_deleted")
m2m_changed.connect(_forget_pages, sender=Event.topics.through, dispatch_uid="event_topics")
m2m_changed.connect(_forget_pages, sender=Event.resources.through, dispatch_uid="event_resources")


def _reindex_topics(sender, instance, action, **kwargs) -> None:
    # Topics are set after the event's save: its search document must carry them.
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Event):
        schedule(DOC_TYPE, instance.pk)


m2m_changed.connect(_reindex_topics, sender=Event.topics.through, dispatch_uid="event_reindex")
# Seats left are shown on the listing and the page.
post_save.connect(_forget_pages, sender=Registration, dispatch_uid="event_registration_saved")
post_delete.connect(_forget_pages, sender=Registration, dispatch_uid="event_registration_deleted")

periodic_jobs.register(
    "event_reminders",
    PeriodicJob(
        "event_reminders",
        "community.events.tasks.send_event_reminders",
        timedelta(minutes=5),
    ),
)


# --- Notifications -----------------------------------------------------------------------------


def _event_url(notification) -> str:
    return reverse("events:detail", args=[notification.data.get("event", notification.target_id)])


def _visible(recipient, event) -> bool:
    return event is not None and can_view(recipient, event)


def _describe_registered(notification) -> str:
    return _("You are registered for %(title)s") % notification.data


def _describe_waitlisted(notification) -> str:
    return _("%(title)s is full: you are on the waiting list") % notification.data


def _describe_promoted(notification) -> str:
    return _("A seat freed up: you are now registered for %(title)s") % notification.data


def _describe_reminder(notification) -> str:
    if notification.data.get("lead") == "hour":
        return _("%(title)s starts in one hour") % notification.data
    return _("%(title)s starts in 24 hours") % notification.data


def _describe_cancelled(notification) -> str:
    return _("%(title)s has been cancelled") % notification.data


for _kind in (
    NotificationKind(
        registration.CONFIRMED_KIND,
        gettext_lazy("Confirmations of your event registrations"),
        describe=_describe_registered,
        url=_event_url,
        is_visible=_visible,
    ),
    NotificationKind(
        registration.WAITLISTED_KIND,
        gettext_lazy("Places on an event's waiting list"),
        describe=_describe_waitlisted,
        url=_event_url,
        is_visible=_visible,
    ),
    NotificationKind(
        registration.PROMOTED_KIND,
        gettext_lazy("Seats freed for you at an event"),
        describe=_describe_promoted,
        url=_event_url,
        is_visible=_visible,
    ),
    NotificationKind(
        registration.REMINDER_KIND,
        gettext_lazy("Reminders before your events"),
        describe=_describe_reminder,
        url=_event_url,
        is_visible=_visible,
    ),
    NotificationKind(
        registration.CANCELLED_KIND,
        gettext_lazy("Events you registered for being cancelled"),
        describe=_describe_cancelled,
        url=_event_url,
        is_visible=_visible,
    ),
):
    notification_kinds.register(_kind.key, _kind)


# --- Your data -------------------------------------------------------------------------------


def _export(user) -> dict[str, Any]:
    rows = Registration.objects.filter(member=user).select_related("event").order_by("pk")
    feed = CalendarFeed.objects.filter(member=user).first()
    return {
        "registrations": [
            {
                "event": row.event.title,
                "url": reverse("events:detail", args=[row.event_id]),
                "starts_at": row.event.starts_at.isoformat(),
                "status": row.status,
                "registered_at": row.created_at.isoformat(),
                "updated_at": row.updated_at.isoformat(),
            }
            for row in rows
        ],
        "calendar_feed_created_at": feed.created_at.isoformat() if feed else None,
        "events_created": [
            {"title": event.title, "starts_at": event.starts_at.isoformat()}
            for event in Event.objects.filter(creator=user).order_by("pk")
        ],
    }


def _erase(user) -> None:
    # A seat the person held goes to the next on the waiting list, as if they had cancelled.
    for row in Registration.objects.filter(member=user).exclude(
        status=RegistrationStatus.CANCELLED
    ):
        registration.cancel(row)
    Registration.objects.filter(member=user).delete()
    CalendarFeed.objects.filter(member=user).delete()
    # An organisation's event belongs to the organisation: it stays without its creator.
    Event.objects.filter(creator=user).update(creator=None)
    invalidate_groups(PAGE_GROUP)  # a queryset update sends no signal


personal_data.register(
    "events",
    PersonalData(
        "events",
        gettext_lazy("Your event registrations"),
        export=_export,
        erase=_erase,
        order=65,
    ),
)


# --- Moderation ------------------------------------------------------------------------------


def _set_hidden(event: Event, hidden: bool) -> None:
    event.hidden = hidden
    event.save(update_fields=["hidden", "updated_at"])


def _show(request, event: Event) -> str:
    return format_html(
        '<p><a href="{}">{}</a></p><div dir="auto">{}</div>',
        reverse("events:detail", args=[event.pk]),
        event.title,
        event.description,  # stored sanitised
    )


reportable_models.register(
    "events.Event",
    ReportableModel(
        "events.Event",
        author=lambda event: event.creator,
        url=lambda event: reverse("events:detail", args=[event.pk]),
        hide=lambda event, moderator: _set_hidden(event, True),
        restore=lambda event, moderator: _set_hidden(event, False),
        is_hidden=lambda event: event.hidden,
        show=_show,
        can_view=can_view,
    ),
)


# --- Panels ----------------------------------------------------------------------------------

page_panels.register(
    "events_home",
    PagePanel(
        "events_home",
        "home",
        panels.render_home_panel,
        order=35,
        groups=(PAGE_GROUP,),
        # Times show in the reader's own time zone too: kept per zone (core.panel_cache), so a
        # signed-in home page no longer draws it on every view.
        varies_on=reader_zone_name,
    ),
)
page_panels.register(
    "events_country",
    PagePanel(
        "events_country",
        "country",
        panels.render_country_panel,
        order=35,
        groups=(PAGE_GROUP,),
        count=panels.count_upcoming_by_country,
        count_label=gettext_lazy("Upcoming events"),
        # Times show in the reader's own time zone too: kept per zone (core.panel_cache).
        varies_on=reader_zone_name,
    ),
)
dashboard_panels.register(
    "events_mine",
    DashboardPanel(
        "events_mine",
        gettext_lazy("My events"),
        panels.render_my_events,
        order=58,
        is_visible=lambda user: bool(user.is_authenticated),
    ),
)


def _load_demo(progress):
    from .demo import load

    return load(progress)


# After organisations (40), opportunities (50) and forums (60): events are organised by the demo
# organisations, and demo members register for them.
demo_loaders.register("events", DemoLoader("events", _load_demo, order=70))

# The webhook event partners may subscribe to: an event created.
from . import webhook_events  # noqa: E402, F401
