"""The webhook events the opportunities app emits: one published (the first time anyone but its
managers may see it, after review when it was held) and one closed, by its managers or by its
deadline passing (the periodic `announce_closed_opportunities` notices those).

Declared into `core.registries.webhook_events`; `lifecycle` calls `published` and `closed`, which
send through `core.webhooks` only what the public page shows. A closing is sent once per deadline
(`emit_once`), whichever path notices it first; an extended and closed-again one is sent again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.registries import WebhookEvent, webhook_events
from core.webhooks import emit, emit_once, not_yet_emitted

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


def _closed_key(opportunity: Opportunity) -> str:
    return f"{CLOSED}:{opportunity.pk}:{opportunity.deadline.isoformat()}"


def closed(opportunity: Opportunity) -> None:
    if opportunity.is_public:
        emit_once(CLOSED, _closed_key(opportunity), opportunity_data(opportunity))


# How far back the periodic scan looks: the worker may have been down for a while.
LOOK_BACK = timedelta(days=2)


def announce_closed(now: datetime | None = None) -> int:
    """Send `opportunity.closed` for public ones whose deadline passed lately; safe late or
    twice. Returns how many were announced."""
    from .listing import listed

    now = now or timezone.now()
    recent = list(
        listed()
        .filter(deadline__lte=now, deadline__gt=now - LOOK_BACK)
        .select_related("organisation")
    )
    fresh = not_yet_emitted([_closed_key(item) for item in recent])
    announced = 0
    for item in recent:
        if _closed_key(item) in fresh:
            closed(item)
            announced += 1
    return announced
