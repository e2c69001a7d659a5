"""The report form a member fills in: a reason from the shared list and a few words, plain text."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core import trust

from .actions import SUSPENSION_DAYS
from .models import TEXT_MAX_LENGTH, ModerationAction, Report, WordList, reason_choices

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
        choices=[
            (key, key)
            for key in ("approve", "dismiss", "hide", "restore", "delete", "warn", "suspend", "ban")
        ]
    )
    days = forms.TypedChoiceField(
        label=_("Suspend for"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=lambda: [("", "—")] + [(d, d) for d in SUSPENSION_DAYS],
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


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why should the moderators look again?"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Plain text. You may appeal only once, so say everything here."),
    )

    def clean_text(self) -> str:
        text = clean_plain_text(self.cleaned_data.get("text", ""))
        if not text:
            raise forms.ValidationError(_("Please say why the moderators should look again."))
        return text


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("uphold", "uphold"), ("reverse", "reverse")])
    note = forms.CharField(max_length=TEXT_MAX_LENGTH, required=False)

    def clean_note(self) -> str:
        return clean_plain_text(self.cleaned_data.get("note", ""))


class LogFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=lambda: [("", _("All actions")), *ModerationAction.Kind.choices],
    )
    moderator = forms.EmailField(label=_("Moderator's e-mail"), required=False)
    author = forms.EmailField(label=_("Author's e-mail"), required=False)


class WordListForm(forms.ModelForm):
    terms = forms.CharField(
        label=_("Terms"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
        help_text=_(
            "One word or phrase per line. Content containing one is held for a moderator, "
            "never deleted. Case, accents, look-alike letters and Arabic spelling variants "
            "are matched too."
        ),
    )

    class Meta:
        model = WordList
        fields = ["terms"]

    def clean_terms(self) -> str:
        text = clean_plain_text(self.cleaned_data.get("terms", ""))
        lines = [" ".join(line.split()) for line in text.splitlines()]
        return "\n".join(dict.fromkeys(line for line in lines if line))


class TrustForm(forms.Form):
    email = forms.EmailField(label=_("Member's e-mail address"))
    level = forms.TypedChoiceField(
        label=_("Trust level"),
        coerce=lambda value: None if value == "" else int(value),
        empty_value=None,
        required=False,
        choices=[
            ("", _("Automatic (earned by taking part)")),
            (trust.NEW, _("New: first items held, few links, no images")),
            (trust.BASIC, pgettext_lazy("a trust level", "Basic")),
            (trust.TRUSTED, _("Trusted")),
        ],
    )
    note = forms.CharField(
        label=_("Note (seen by moderators only)"), required=False, max_length=TEXT_MAX_LENGTH
    )

    def clean_note(self) -> str:
        return clean_plain_text(self.cleaned_data.get("note", ""))
