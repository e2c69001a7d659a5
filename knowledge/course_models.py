"""Page types of the self-paced courses: `CoursesIndexPage` → `CoursePage` → `ModulePage` →
`LessonPage`.

Imported at the end of `knowledge.models` so that Django finds them there. Their reading side
(the outline, a member's progress, quiz scoring, certificates) lives in `knowledge.courses`; a
member's enrolment, completed lessons, quiz results and certificates are plain Django models in
`knowledge.course_progress`, keyed by the pages' translation keys so that progress made in one
language counts in every other.

Members act on a course by posting to its pages (enrol, claim the certificate) and lessons
(mark complete, answer a quiz): forms that work without JavaScript, scored and checked on the
server, and answered with a redirect (or the page again with the error and the member's choices).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from .course_blocks import LessonBodyBlock
from .models import BasePage

# `<courses>/certificates/<code>/` is the certificate's address (knowledge.course_urls).
RESERVED_SLUGS = ("certificates",)


class CoursesIndexPage(BasePage):
    """The courses of one language, each course once (the reader's copy, else the original)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["knowledge.HomePage"]
    subpage_types = ["knowledge.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("courses")
        verbose_name_plural = _("courses")

    def serve(self, request, *args, **kwargs):
        from .library import mark_cacheability

        return mark_cacheability(request, super().serve(request, *args, **kwargs))

    def get_context(self, request, *args, **kwargs):
        from .courses import index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(index_context(self, request))
        return context


class CoursePage(BasePage):
    """A self-paced course: what it teaches, then its modules and lessons, and for a signed-in
    member their progress, a "continue" link and, once every lesson is done, the certificate."""

    summary = models.TextField(
        _("summary"), max_length=600, help_text=_("Who the course is for and what they learn.")
    )
    body = RichTextField(
        _("about this course"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    duration = models.CharField(
        _("time needed"), max_length=60, blank=True, help_text=_("e.g. About 90 minutes")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("duration"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    override_translatable_fields = [
        TranslatableField("summary"),
        TranslatableField("body"),
        TranslatableField("duration"),
    ]
    parent_page_types = ["knowledge.CoursesIndexPage"]
    subpage_types = ["knowledge.ModulePage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("This slug is kept for the course certificates.")})

    def serve(self, request, *args, **kwargs):
        from .courses import serve_course

        return serve_course(self, request, lambda **extra: super(CoursePage, self).serve(
            request, *args, **{**kwargs, **extra}))  # fmt: skip

    def get_context(self, request, *args, **kwargs):
        from .courses import course_context

        context = super().get_context(request, *args, **kwargs)
        context.update(course_context(self, request, kwargs.get("form_error")))
        return context


class ModulePage(BasePage):
    """A group of lessons in a course; its page lists them with the member's progress."""

    intro = models.TextField(_("introduction"), max_length=1000, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    override_translatable_fields = [TranslatableField("intro")]
    parent_page_types = ["knowledge.CoursePage"]
    subpage_types = ["knowledge.LessonPage"]

    class Meta:
        verbose_name = _("course module")
        verbose_name_plural = _("course modules")

    def get_context(self, request, *args, **kwargs):
        from .courses import module_context

        context = super().get_context(request, *args, **kwargs)
        context.update(module_context(self, request))
        return context


class LessonPage(BasePage):
    """One lesson: readable as text whatever else it holds (a video is optional), with
    downloads, a short quiz, and a "mark as complete" button for signed-in members."""

    summary = models.TextField(_("summary"), max_length=600, blank=True)
    minutes = models.PositiveSmallIntegerField(
        _("minutes to read"), null=True, blank=True, help_text=_("An estimate, shown to readers.")
    )
    body = StreamField(LessonBodyBlock(), verbose_name=_("lesson"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("minutes"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    override_translatable_fields = [
        TranslatableField("summary"),
        TranslatableField("body"),
        SynchronizedField("minutes"),
    ]
    parent_page_types = ["knowledge.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def serve(self, request, *args, **kwargs):
        from .courses import serve_lesson

        return serve_lesson(self, request, lambda **extra: super(LessonPage, self).serve(
            request, *args, **{**kwargs, **extra}))  # fmt: skip

    def get_context(self, request, *args, **kwargs):
        from .courses import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(self, request, kwargs.get("quiz_state")))
        return context
