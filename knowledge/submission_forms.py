"""The form a signed-in member fills to propose a resource for the library.

Title and summary are plain text: markup is refused with a clear message rather than stored or
silently changed. A proposal needs a link (http or https) or a file; the file is checked by
content, type and size by `core.uploads` before anything is stored. Topics are offered once
each in the reader's language and stored as the default language's row, as editors tag
resources (`knowledge.models.default_language_topics`).
"""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.geography import country_choices
from core.models import Topic
from core.topics import get_concept, topics_for_language
from core.uploads import UploadField

from .models import ResourceType
from .submission_models import SUBMISSION_FILE_TYPES, SUBMISSION_MAX_BYTES

MARKUP = re.compile(r"<\s*[a-zA-Z/!?]")


def refuse_markup(value: str) -> str:
    if MARKUP.search(value or ""):
        raise ValidationError(
            _("Only plain text is accepted here: remove the HTML tags."), code="markup"
        )
    return (value or "").strip()


def topic_choices() -> list[tuple[str, str]]:
    """Each concept once, by its stable slug, labelled in the reader's language."""
    return [(label.slug, label.label) for label in topics_for_language()]


def language_choices() -> list[tuple[str, str]]:
    from .library import language_name

    return [(code, language_name(code)) for code, _name in settings.LANGUAGES]


class ResourceSubmissionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the resource is about and who it helps, in a few sentences."),
    )
    link = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Where the resource can be read. Give a link, a file, or both."),
    )
    file = UploadField(
        label=_("File"),
        allowed=SUBMISSION_FILE_TYPES,
        max_bytes=SUBMISSION_MAX_BYTES,
        required=False,
        help_text=format_lazy(
            _("{types}, up to {size}. Only the editors see it until it is published."),
            types=", ".join(sorted(t.upper() for t in SUBMISSION_FILE_TYPES)),
            size=filesizeformat(SUBMISSION_MAX_BYTES),
        ),
    )
    resource_type = forms.ChoiceField(label=_("Type"), choices=ResourceType.choices)
    language = forms.ChoiceField(label=_("Language of the resource"), choices=language_choices)
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        required=False,
        choices=topic_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        required=False,
        choices=country_choices,
        help_text=_("To choose several, hold Ctrl (⌘ on a Mac) while you click."),
    )

    def clean_title(self) -> str:
        return refuse_markup(self.cleaned_data["title"])

    def clean_summary(self) -> str:
        return refuse_markup(self.cleaned_data["summary"])

    def clean_link(self) -> str:
        link = self.cleaned_data.get("link") or ""
        if link and not link.lower().startswith(("http://", "https://")):
            raise ValidationError(_("Give a link that starts with http:// or https://."))
        return link

    def clean_topics(self) -> list[Topic]:
        slugs = [slug for slug in self.cleaned_data.get("topics") or [] if get_concept(slug)]
        return list(
            Topic.objects.filter(slug__in=slugs, locale__language_code=settings.LANGUAGE_CODE)
        )

    def clean(self) -> dict:
        data = super().clean()
        if (
            not data.get("link")
            and not data.get("file")
            and not self.has_error("link")
            and not (self.has_error("file"))
        ):
            raise ValidationError(
                _("Give a link to the resource or attach its file."), code="nothing"
            )
        return data
