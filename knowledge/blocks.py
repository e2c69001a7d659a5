"""The blocks a library resource's body is written with.

Every block is made of Wagtail's plain text, rich text and chooser blocks so that
wagtail-localize offers each piece of text for translation segment by segment (Wagtail's
TableBlock and TypedTableBlock are opaque to it, hence a table built from list blocks). Embeds go
through `knowledge.embeds`, which works without the internet and refuses unknown providers.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock, EmbedValue
from wagtail.images.blocks import ImageBlock

from .embeds import SUPPORTED_PROVIDERS, find_offline_embed

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Section")), ("h3", _("Subsection"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "knowledge/blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("who said or wrote it"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "knowledge/blocks/quote.html"


class FigureBlock(blocks.StructBlock):
    image = ImageBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "knowledge/blocks/figure.html"


class OfflineEmbedBlock(EmbedBlock):
    """A video from a supported provider, embedded without asking the provider anything."""

    def clean(self, value):
        url = value.url if isinstance(value, EmbedValue) else value
        if url and find_offline_embed(url) is None:
            raise ValidationError(
                _("Only videos from %(providers)s can be embedded. Link to other sites instead.")
                % {"providers": ", ".join(SUPPORTED_PROVIDERS)}
            )
        return super().clean(value)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "knowledge/blocks/embed.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    label = blocks.CharBlock(
        label=_("link text"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the document's title."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "knowledge/blocks/document.html"


class TableRowBlock(blocks.StructBlock):
    cells = blocks.ListBlock(blocks.CharBlock(label=_("cell"), required=False), label=_("cells"))


class TableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(label=_("caption"), max_length=300)
    header_row = blocks.BooleanBlock(
        label=_("the first row holds the column headings"), required=False, default=True
    )
    rows = blocks.ListBlock(TableRowBlock(), label=_("rows"))

    class Meta:
        icon = "table"
        label = _("Table")
        template = "knowledge/blocks/table.html"


class KeyFigureBlock(blocks.StructBlock):
    figure = blocks.CharBlock(label=_("figure"), max_length=20, help_text=_("e.g. 4.2 million"))
    label = blocks.CharBlock(label=_("what it counts"), max_length=200)


class KeyFiguresBlock(blocks.StructBlock):
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("figures"), min_num=1, max_num=6)

    class Meta:
        icon = "pick"
        label = _("Key figures")
        template = "knowledge/blocks/key_figures.html"


class ResourceBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Text"), features=RICH_TEXT_FEATURES, template="knowledge/blocks/paragraph.html"
    )
    heading = HeadingBlock()
    quote = QuoteBlock()
    image = FigureBlock()
    embed = OfflineEmbedBlock()
    document = DocumentBlock()
    table = TableBlock()
    key_figures = KeyFiguresBlock()
