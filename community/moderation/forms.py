"""The report form a member fills in: a reason from the shared list and a few words, plain text."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import TEXT_MAX_LENGTH, Report, reason_choices

# A tag, a comment or a doctype: "a < b" and "<3" stay allowed, markup does not.
_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]")
# Control characters (other than line breaks and tabs) have no place in a moderator's screen.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_plain_text(value: str) -> str:
    """The text as written, without control characters; markup is refused with a clear error."""
    if _MARKUP.search(value):
        raise forms.ValidationError(
            _("Please write plain text: HTML tags are not allowed."), code="markup"
        )
    return _CONTROL.sub("", value).strip()


class ReportForm(forms.ModelForm):
    reason = forms.ChoiceField(
        label=_("Why are you reporting this?"), choices=reason_choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Anything the moderators should know (optional)"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    class Meta:
        model = Report
        fields = ["reason", "text"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Read in the reporter's language when the form is built.
        self.fields["text"].help_text = gettext(
            "Plain text, up to %(limit)s characters. The member you report is not told who you are."
        ) % {"limit": TEXT_MAX_LENGTH}

    def clean_text(self) -> str:
        return clean_plain_text(self.cleaned_data.get("text", ""))


class DecisionForm(forms.Form):
    """A moderator's decision on every open report of one object."""

    action = forms.ChoiceField(
        choices=[("hide", "hide"), ("restore", "restore"), ("dismiss", "dismiss")]
    )
    content_type = forms.IntegerField()
    object_id = forms.IntegerField(min_value=1)
    note = forms.CharField(
        label=_("Decision note (optional, seen by moderators only)"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
    )

    def clean_note(self) -> str:
        return clean_plain_text(self.cleaned_data.get("note", ""))
