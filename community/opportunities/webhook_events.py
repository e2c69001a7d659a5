"""The webhook events the opportunities app emits: one published (the first time anyone but its
managers may see it, after review when it was held) and one closed early by its managers.

Declared into `core.registries.webhook_events`; `lifecycle` calls `published` and `closed`, which
send through `core.webhooks.emit` only what the public page shows.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.registries import WebhookEvent, webhook_events
from core.webhooks import emit

from .models import Opportunity

PUBLISHED = "opportunity.published"
CLOSED = "opportunity.closed"

webhook_events.register(
    PUBLISHED, WebhookEvent(PUBLISHED, _("An opportunity was published"), order=20)
)
webhook_events.register(CLOSED, WebhookEvent(CLOSED, _("An opportunity was closed"), order=30))


def opportunity_data(opportunity: Opportunity) -> dict:
    """The public fields of an opportunity and its address, as a partner receives them."""
    organisation = opportunity.organisation
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("opportunities:detail", args=[opportunity.pk])
    return {
        "id": opportunity.pk,
        "title": opportunity.title,
        "type": opportunity.type,
        "work_mode": opportunity.work_mode,
        "countries": [str(country.code) for country in opportunity.countries],
        "deadline": opportunity.deadline.isoformat(),
        "organisation": {
            "id": organisation.pk,
            "name": organisation.name,
            "slug": organisation.slug,
        }
        if organisation is not None and not organisation.hidden
        else None,
        "url": f"{settings.SITE_URL}{path}",
    }


def published(opportunity: Opportunity) -> None:
    if opportunity.is_public:
        emit(PUBLISHED, opportunity_data(opportunity))


def closed(opportunity: Opportunity) -> None:
    if opportunity.is_public:
        emit(CLOSED, opportunity_data(opportunity))
