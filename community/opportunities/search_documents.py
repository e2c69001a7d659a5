"""What search indexes of opportunities: the public ones (published, not held, not hidden), with
their deadline so "open" is decided at query time. Drafts, held and hidden ones are removed."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from search.analysis import detect_language
from search.documents import PUBLIC, Document
from search.registry import SearchAdapter, register

from .models import Opportunity


@register
class OpportunityAdapter(SearchAdapter):
    doc_type = "opportunity"
    model = Opportunity
    label = _("Opportunities")
    order = 30
    localised_urls = True

    def queryset(self):
        return Opportunity.objects.prefetch_related("topics")

    def document(self, obj: Opportunity) -> Document | None:
        if not obj.is_public:  # the detail page's own answer for anonymous readers
            return None
        with translation.override(settings.LANGUAGE_CODE):
            url = reverse("opportunities:detail", args=[obj.pk])
        return Document(
            key=self.key(obj.pk),
            doc_type=self.doc_type,
            object_id=str(obj.pk),
            language=detect_language(f"{obj.title} {obj.description}"),
            title=obj.title,
            body=obj.description,
            url=url,
            audiences=[PUBLIC],
            countries=[str(code) for code in obj.countries],
            topics=[topic.slug for topic in obj.topics.all()],
            date=obj.public_since or obj.created_at,
            deadline=obj.deadline if obj.status == "published" else None,
        )
