"""What search indexes of the knowledge side: resources, handbook chapters, courses and their
lessons that are live and not under a view restriction (the pages every reader may open).
Translations of one page share a group, so search shows them as one result, in the reader's
language when it exists."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.sanitize import plain_text
from search.documents import PUBLIC, Document
from search.registry import SearchAdapter, register

from .course_models import CoursePage, LessonPage
from .handbook_models import ChapterPage
from .library import restricted
from .models import ResourcePage


class PageAdapter(SearchAdapter):
    def queryset(self):
        return self.model.objects.select_related("locale")

    def is_public(self, page) -> bool:
        # The listings' own rule: a page under any view restriction is never shown to all.
        return page.live and not self.model.objects.filter(pk=page.pk).filter(restricted()).exists()

    def summary(self, page) -> str:
        return ""

    def document(self, page) -> Document | None:
        if not self.is_public(page):
            return None
        return Document(
            key=self.key(page.pk),
            doc_type=self.doc_type,
            object_id=str(page.pk),
            group=f"page:{page.translation_key}",
            language=page.locale.language_code,
            title=page.title,
            summary=self.summary(page),
            body=plain_text(str(page.body)),
            url=page.url or "",
            audiences=[PUBLIC],
            countries=[str(code) for code in getattr(page, "countries", [])],
            topics=[topic.slug for topic in page.topics.all()] if hasattr(page, "topics") else [],
            date=page.last_published_at or page.first_published_at,
        )


@register
class ResourceAdapter(PageAdapter):
    doc_type = "resource"
    model = ResourcePage
    label = _("Resources")
    order = 10

    def summary(self, page) -> str:
        return page.summary


@register
class ChapterAdapter(PageAdapter):
    doc_type = "chapter"
    model = ChapterPage
    label = _("Handbook")
    order = 20

    def summary(self, page) -> str:
        return page.intro


@register
class CourseAdapter(PageAdapter):
    doc_type = "course"
    model = CoursePage
    label = _("Courses")
    order = 30

    def summary(self, page) -> str:
        return page.summary


@register
class LessonAdapter(PageAdapter):
    """A lesson's text, quiz questions included (never which answer is right)."""

    doc_type = "lesson"
    model = LessonPage
    label = _("Lessons")
    order = 40

    def summary(self, page) -> str:
        return page.summary
