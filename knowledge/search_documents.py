"""What search indexes of the knowledge side: live resources, handbook chapters, country
profiles, courses and their lessons. Who may find a page is who may open it, by the view
restrictions Wagtail checks when serving it (`knowledge.routing.view_restrictions`: its own,
its ancestors', an alias's original's): under none, everyone; under members-only ("login")
ones, signed-in members; under "groups" ones, the members of those groups and superusers, as
Wagtail's `accept_request` lets them through; under a password, nobody (it is passed per
session, so it is not indexed). Translations of one page share a group, so search shows them
as one result, in the reader's language when it exists. `search.signals` re-indexes a page's
subtree when a restriction on it (or the groups it names) changes or it moves."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wagtail.models import PageViewRestriction

from core.sanitize import plain_text
from search.documents import MEMBERS, PUBLIC, SUPERUSERS, Document, group_audience
from search.registry import SearchAdapter, register

from .course_models import CoursePage, LessonPage
from .handbook_models import ChapterPage
from .models import CountryPage, ResourcePage
from .routing import view_restrictions


def page_audiences(page) -> list[str] | None:
    """The search audiences that may open live `page`, or None when no audience can say it
    (a password). Every restriction must let a reader through, as when Wagtail serves it."""
    rows = view_restrictions(page).values_list("pk", "restriction_type", "groups__id")
    kinds: set[str] = set()
    groups: dict[int, set[int]] = {}  # per "groups" restriction, the groups it names
    for pk, kind, group_id in rows:
        kinds.add(kind)
        if kind == PageViewRestriction.GROUPS:
            groups.setdefault(pk, set())
            if group_id is not None:
                groups[pk].add(group_id)
    kinds.discard(PageViewRestriction.NONE)
    if PageViewRestriction.PASSWORD in kinds:
        return None
    if groups:
        # A reader passes each "groups" restriction by being in one of its groups; one group in
        # all of them passes them all (and the login ones: its members are signed in). A reader
        # who passes two restrictions through two different groups can open the page but does
        # not find it: audiences name one group each, and missing a page is the safe side.
        allowed = set.intersection(*groups.values())
        return [group_audience(pk) for pk in sorted(allowed)] + [SUPERUSERS]
    if kinds == {PageViewRestriction.LOGIN}:
        return [MEMBERS]
    return [PUBLIC]


class PageAdapter(SearchAdapter):
    def queryset(self):
        return self.model.objects.select_related("locale")

    def audiences(self, page) -> list[str] | None:
        """Who may find `page`; None when it is not live or nobody can be named."""
        if not page.live:
            return None
        return page_audiences(page)

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
            # An edit makes it current, not new.
            published=page.first_published_at or page.last_published_at,
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
