"""The blocks a handbook chapter is written with: the library's blocks plus practice boxes.

A practice box points the reader from the handbook's advice to a library resource that shows it
in practice. It stores the chosen resource page; the chapter shows it as the library's card, in
the reader's language when the resource has a live translation (`knowledge.handbook`), and every
publication records which resources a chapter cites so that each resource page can list the
chapters that cite it in one query.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from .blocks import ResourceBodyBlock


class PracticeBlock(blocks.StructBlock):
    resource = blocks.PageChooserBlock(
        label=_("resource"), page_type="knowledge.ResourcePage", can_choose_root=False
    )
    note = blocks.TextBlock(
        label=_("why it helps"),
        required=False,
        max_length=500,
        help_text=_("One or two sentences on what the reader will find in it."),
    )

    class Meta:
        icon = "doc-full-inverse"
        label = _("Practice box")


class ChapterBodyBlock(ResourceBodyBlock):
    practice = PracticeBlock()
