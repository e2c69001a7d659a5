"""Page types of the diaspora-mobilisation handbook: `HandbookPage` → `ChapterPage`.

Imported at the end of `knowledge.models` so that Django finds them there; their reading side
(table of contents, numbering, previous/next, practice boxes, the print view, the fallback to
the original for untranslated chapters) lives in `knowledge.handbook`.

`ChapterCitation` is an index kept by every publication of a chapter: which resources (by
translation key, so any copy of a resource counts) its live content cites in practice boxes.
A resource page asks it for the chapters citing it in one query instead of searching every
chapter's body.
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

from .handbook_blocks import ChapterBodyBlock
from .models import BasePage


class HandbookPage(BasePage):
    """The handbook of one language: its introduction and numbered table of contents."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["knowledge.HomePage"]
    subpage_types = ["knowledge.ChapterPage"]
    max_count_per_parent = 1
    # A live chapter of that slug is served as Wagtail would, found by the routing's one query
    # (knowledge.routing); only `print/` and a chapter missing in this language come to `route`.
    routes_children_by_slug = True

    class Meta:
        verbose_name = _("handbook")

    def route(self, request, path_components):
        from .handbook import route_in_handbook

        return route_in_handbook(self, request, path_components, super().route)

    def serve(self, request, *args, **kwargs):
        from .library import mark_cacheability

        return mark_cacheability(request, super().serve(request, *args, **kwargs))

    def get_template(self, request, *args, **kwargs):
        if kwargs.get("print_view"):
            return "knowledge/handbook_print.html"
        return super().get_template(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .handbook import handbook_context

        context = super().get_context(request, *args, **kwargs)
        context.update(handbook_context(self, request, print_view=bool(kwargs.get("print_view"))))
        return context


class ChapterPage(BasePage):
    """One chapter, in one language (its locale); its position among its siblings numbers it."""

    intro = models.TextField(
        _("introduction"), max_length=2000, help_text=_("What the chapter covers, for its reader.")
    )
    body = StreamField(ChapterBodyBlock(), verbose_name=_("body"), blank=True)
    last_reviewed = models.DateField(
        _("last reviewed"),
        null=True,
        blank=True,
        help_text=_("When an editor last checked that the advice still holds."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("last_reviewed"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    override_translatable_fields = [
        TranslatableField("intro"),
        TranslatableField("body"),
        # A translation is reviewed when it is checked, which may be later than the original.
        SynchronizedField("last_reviewed", overridable=True),
    ]
    parent_page_types = ["knowledge.HandbookPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("handbook chapter")
        verbose_name_plural = _("handbook chapters")

    def clean(self):
        from .handbook import PRINT_SEGMENT

        super().clean()
        if self.slug == PRINT_SEGMENT:
            # `<handbook>/print/` is the whole handbook on one page: a chapter there is unreachable.
            raise ValidationError({"slug": _("This slug is kept for the print view.")})

    def serve(self, request, *args, **kwargs):
        from .library import mark_cacheability

        return mark_cacheability(request, super().serve(request, *args, **kwargs))

    def get_context(self, request, *args, **kwargs):
        from .handbook import chapter_context

        context = super().get_context(request, *args, **kwargs)
        context.update(
            chapter_context(self, request, kwargs.get("reader_library"), kwargs.get("handbook"))
        )
        return context


class ChapterCitation(models.Model):
    """A chapter's live content cites a resource (any of its translations) in a practice box."""

    chapter = models.ForeignKey(ChapterPage, on_delete=models.CASCADE, related_name="citations")
    resource_key = models.UUIDField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chapter", "resource_key"], name="unique_citation")
        ]

    def __str__(self) -> str:
        return f"{self.chapter_id} cites {self.resource_key}"
