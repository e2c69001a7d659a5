"""What search indexes of the knowledge side: live resources, handbook chapters, country
profiles, courses and their lessons. A page under no view restriction is for everyone; one under
a members-only ("login") restriction, on itself or an ancestor, only for signed-in members; one
under a password or group restriction is not indexed (no audience expresses it). Translations of
one page share a group, so search shows them as one result, in the reader's language when it
exists. `search.signals` re-indexes a page's subtree when a restriction on it changes or it
moves."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wagtail.models import PageViewRestriction

from core.sanitize import plain_text
from search.documents import MEMBERS, PUBLIC, Document
from search.registry import SearchAdapter, register

from .course_models import CoursePage, LessonPage
from .handbook_models import ChapterPage
from .models import CountryPage, ResourcePage


class PageAdapter(SearchAdapter):
    def queryset(self):
        return self.model.objects.select_related("locale")

    def audiences(self, page) -> list[str] | None:
        """Who may find `page`, by the view restrictions on it and its ancestors (the rule
        Wagtail applies when serving it); None when it is not live or nobody can be named."""
        if not page.live:
            return None
        kinds = set(
            PageViewRestriction.objects.filter(
                page__path__in=[page.path[:end] for end in range(4, len(page.path) + 1, 4)]
            ).values_list("restriction_type", flat=True)
        )
        kinds.discard(PageViewRestriction.NONE)
        if not kinds:
            return [PUBLIC]
        if kinds == {PageViewRestriction.LOGIN}:
            return [MEMBERS]
        return None  # a password or group restriction

    def summary(self, page) -> str:
        return ""

    def document(self, page) -> Document | None:
        audiences = self.audiences(page)
        if audiences is None:
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
            audiences=audiences,
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
class CountryAdapter(PageAdapter):
    """A country profile: its introduction and profile text, filed under its country."""

    doc_type = "country"
    model = CountryPage
    label = _("Country profiles")
    order = 25

    def summary(self, page) -> str:
        return page.intro

    def document(self, page) -> Document | None:
        document = super().document(page)
        if document is not None:
            document.countries = [str(page.country)] if page.country else []
        return document


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
