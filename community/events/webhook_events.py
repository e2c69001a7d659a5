"""The webhook event the events app emits: an event created, with what its public page shows
(never the join link, which only attendees see). Declared into `core.registries.webhook_events`;
the organiser's create view calls `created` inside its transaction, so nothing is sent for an
event that was not saved."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.registries import WebhookEvent, webhook_events
from core.webhooks import emit

from .models import Event

CREATED = "event.created"

webhook_events.register(CREATED, WebhookEvent(CREATED, _("An event was created"), order=40))


def event_data(event: Event) -> dict:
    """The public fields of an event and its address, as a partner receives them."""
    organisation = event.organisation
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("events:detail", args=[event.pk])
    return {
        "id": event.pk,
        "title": event.title,
        "type": event.type,
        "format": event.format,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "time_zone": event.time_zone,
        "languages": list(event.languages),
        "countries": [str(country.code) for country in event.countries],
        "organisation": {
            "id": organisation.pk,
            "name": organisation.name,
            "slug": organisation.slug,
        }
        if organisation is not None and not organisation.hidden
        else None,
        "url": f"{settings.SITE_URL}{path}",
    }


def created(event: Event) -> int:
    """Tell subscribed partners that `event` was created."""
    return emit(CREATED, event_data(event))
