"""What search indexes of events: those anyone may see (not hidden), upcoming or past, with the
start as their date. Access is public: the join link, the recording and the materials are never
indexed, only what the event page shows every reader. Hidden events are removed; saves and
deletes re-index through `search.signals` (registrations change nothing searchable)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.sanitize import plain_text
from search.analysis import detect_language
from search.documents import PUBLIC, Document
from search.registry import SearchAdapter, register

from .models import Event

DOC_TYPE = "event"


@register
class EventAdapter(SearchAdapter):
    doc_type = DOC_TYPE
    model = Event
    label = _("Events")
    order = 35
    localised_urls = True

    def queryset(self):
        return Event.objects.prefetch_related("topics")

    def document(self, obj: Event) -> Document | None:
        if obj.hidden:  # the event page's own answer for anonymous readers
            return None
        with translation.override(settings.LANGUAGE_CODE):
            url = reverse("events:detail", args=[obj.pk])
        body = plain_text(obj.description)
        return Document(
            key=self.key(obj.pk),
            doc_type=self.doc_type,
            object_id=str(obj.pk),
            language=detect_language(f"{obj.title} {body}"),
            title=obj.title,
            summary=obj.venue,
            body=body,
            url=url,
            audiences=[PUBLIC],
            countries=[str(code) for code in obj.countries],
            topics=[topic.slug for topic in obj.topics.all()],
            date=obj.starts_at,
            published=obj.created_at,  # announced then; it starts later
        )
