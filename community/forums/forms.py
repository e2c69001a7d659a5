"""The forums' forms: new thread, reply (perhaps quoting), edit a post, edit a thread, move.

Oversized or empty text gets a clear translated error on its field and the form keeps what was
typed; an image is checked by `core.uploads.UploadField` exactly as an avatar is.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.uploads import UploadField

from .images import IMAGE_TYPES, MAX_IMAGE_BYTES
from .models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Forum, Language

MAX_TAGS = 5


def _body_field() -> forms.CharField:
    return forms.CharField(
        label=_("Message"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "data-mentions": "", "dir": "auto"}),
        help_text=_("Markdown: **bold**, *italic*, [link](https://…), lists. Type @ to mention."),
        error_messages={
            "max_length": _(
                "This message is too long (%(show_value)d characters); the limit is "
                "%(limit_value)d."
            ),
            "required": _("Write a message first."),
        },
    )


def _image_field() -> UploadField:
    return UploadField(
        label=_("Image (optional)"),
        allowed=IMAGE_TYPES,
        max_bytes=MAX_IMAGE_BYTES,
        required=False,
    )


def _clean_tags(raw: str) -> list[str]:
    tags = [tag.strip()[:50] for tag in raw.split(",") if tag.strip()]
    if len(tags) > MAX_TAGS:
        raise forms.ValidationError(_("At most %(count)d tags.") % {"count": MAX_TAGS})
    return list(dict.fromkeys(tags))


def _image_description_field() -> forms.CharField:
    return forms.CharField(
        label=_("Describe the image for people who cannot see it"),
        max_length=200,
        required=False,
    )


class ThreadMetaForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        error_messages={
            "max_length": _(
                "This title is too long (%(show_value)d characters); the limit is %(limit_value)d."
            )
        },
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Up to five, separated by commas."),
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Detect it for me")), *Language.choices],
    )

    def clean_tags(self) -> list[str]:
        return _clean_tags(self.cleaned_data.get("tags", ""))


class ThreadForm(ThreadMetaForm):
    body = _body_field()
    image = _image_field()
    image_description = _image_description_field()


class ReplyForm(forms.Form):
    body = _body_field()
    quoted = forms.IntegerField(required=False, widget=forms.HiddenInput)
    image = _image_field()
    image_description = _image_description_field()


class EditPostForm(forms.Form):
    body = _body_field()
    image = _image_field()
    image_description = _image_description_field()


NOTE_MAX_LENGTH = 500


def _note_field() -> forms.CharField:
    return forms.CharField(
        label=_("Why (for the moderation log)"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        strip=True,
    )


class ThreadActionForm(forms.Form):
    """A moderator's pin, lock, close, hide (or their undoing), of a thread or of one post:
    the reason goes to the log."""

    note = _note_field()


class MoveForm(forms.Form):
    forum = forms.ModelChoiceField(label=_("Move to"), queryset=Forum.objects.all())
    note = _note_field()
