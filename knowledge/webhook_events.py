"""The webhook event the knowledge app emits: a resource published (first time or again).

Declared into `core.registries.webhook_events` and sent through `core.webhooks.emit`, which
delivers it to the partners' hooks subscribed to it. Only what any reader of the page sees goes
out: a page behind a view restriction (or under one) is not announced.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wagtail.signals import page_published

from core.registries import WebhookEvent, webhook_events
from core.webhooks import emit

from .models import ResourcePage

RESOURCE_PUBLISHED = "resource.published"

webhook_events.register(
    RESOURCE_PUBLISHED, WebhookEvent(RESOURCE_PUBLISHED, _("A resource was published"), order=10)
)


def resource_data(page: ResourcePage) -> dict:
    """What a partner receives about a published resource: public fields and its address."""
    return {
        "id": page.pk,
        "title": page.title,
        "summary": page.summary,
        "resource_type": page.resource_type,
        "language": page.locale.language_code,
        "countries": [str(country.code) for country in page.countries],
        "url": page.full_url,
        "first_published_at": page.first_published_at.isoformat()
        if page.first_published_at
        else None,
        "last_published_at": page.last_published_at.isoformat() if page.last_published_at else None,
    }


def _published(sender, instance, **kwargs) -> None:
    page = instance.specific
    if page.get_view_restrictions().exists():
        return
    emit(RESOURCE_PUBLISHED, resource_data(page))


page_published.connect(_published, sender=ResourcePage, dispatch_uid="knowledge_resource_webhook")
