"""Forms: an organisation, an invitation, a verification request, a moderator's decision.

Nothing is half-saved: views save only valid forms, and a refused logo (wrong type by content,
a decompression bomb, too large) fails the whole form before anything is written. An
organisation's description is typed as plain text (paragraphs, line breaks, links), stored as
sanitised HTML and shown again for editing as the text that was typed (`core.sanitize`).
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from community.members.avatars import AVATAR_TYPES, MAX_AVATAR_BYTES
from community.members.forms import refuse_markup
from core.forms import TypedTextMixin
from core.geography import country_choices
from core.models import Topic
from core.topics import concept_of, topic_choices
from core.uploads import UploadField

from .models import Organisation, VerificationRequest

DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](-*[a-z0-9])*\.)+[a-z]{2,63}$")


class OrganisationForm(TypedTextMixin, forms.ModelForm):
    typed_text_fields = ("description",)

    logo = UploadField(
        label=_("Logo"),
        allowed=AVATAR_TYPES,
        max_bytes=MAX_AVATAR_BYTES,
        required=False,
        help_text=_("JPEG, PNG or WebP, up to 5 MB."),
        widget=forms.FileInput,
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        required=False,
        choices=country_choices,
        help_text=_("To choose several, hold Ctrl (⌘ on a Mac) while you click."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    topics = forms.TypedMultipleChoiceField(
        label=_("Topics"), required=False, coerce=int, choices=topic_choices
    )

    class Meta:
        model = Organisation
        fields = ["name", "type", "countries", "topics", "description", "website", "contact_email"]
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Tags are stored on whichever language's row was chosen; show them in the reader's.
            chosen = set()
            for topic_id in self.instance.topics.values_list("pk", flat=True):
                concept = concept_of(topic_id)
                if concept:
                    chosen.add(concept.in_language(self._language()).id)
            self.initial["topics"] = sorted(chosen)
            self.initial["countries"] = [c.code for c in self.instance.countries]

    @staticmethod
    def _language() -> str:
        from django.utils.translation import get_language

        return get_language() or "en"

    def clean_name(self) -> str:
        return refuse_markup(self.cleaned_data["name"])

    def clean_description(self) -> str:
        return self.typed_html("description")

    def clean_topics(self) -> list[Topic]:
        return list(Topic.objects.filter(pk__in=self.cleaned_data.get("topics") or []))


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the member to invite"))


class VerificationForm(forms.ModelForm):
    document = UploadField(
        label=_("Document"),
        allowed=VerificationRequest._meta.get_field("document").allowed,
        max_bytes=VerificationRequest._meta.get_field("document").max_bytes,
        required=False,
        help_text=_(
            "A registration certificate or an official letter: PDF, PNG or JPEG, up to 10 MB. "
            "Only this organisation's administrators and the moderators who verify it can open it."
        ),
        widget=forms.FileInput,
    )

    class Meta:
        model = VerificationRequest
        fields = ["registration_number", "email_domain", "document"]

    def clean_registration_number(self) -> str:
        return refuse_markup(self.cleaned_data["registration_number"])

    def clean_email_domain(self) -> str:
        domain = self.cleaned_data.get("email_domain", "").strip().lower().lstrip("@")
        if domain and not DOMAIN.match(domain):
            raise ValidationError(_("Enter a domain such as example.org."), code="domain")
        return domain


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (sent to the organisation's administrators)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why, so the administrators can fix it."))
        return data
