"""Forms: an opportunity (create/edit), a new deadline, an expression of interest, and a
moderator's decision on a held opportunity (approve, send back with a note, hide).

Nothing is half-saved: views save only valid forms. The title is plain text (HTML refused), the
description is typed as plain text (paragraphs, line breaks, links), stored as sanitised HTML
and shown again for editing as the text that was typed (`core.sanitize`; the API, which sends
HTML, says so with `description_is_html`), the link must be https (and is required unless
people apply on this site), and a deadline must be in the future. An expression of interest is
plain text with an optional CV that `core.uploads` checks by content (PDF, DOCX or ODT, 5 MB at
most). The deadline is entered in the poster's time zone and stored in UTC.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from community.members.forms import refuse_markup
from core.forms import TypedTextMixin
from core.geography import country_choices
from core.models import Topic
from core.sanitize import clean_html
from core.topics import topic_choices

from .models import (
    MESSAGE_MAX_LENGTH,
    REVIEW_NOTE_MAX_LENGTH,
    Application,
    ApplyMethod,
    Opportunity,
)


def zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(available_timezones())]


class OpportunityForm(TypedTextMixin, forms.ModelForm):
    typed_text_fields = ("description",)

    organisation = forms.TypedChoiceField(
        label=_("Post for"), required=False, coerce=int, empty_value=None
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"), required=False, choices=country_choices
    )
    topics = forms.TypedMultipleChoiceField(
        label=_("Topics"), required=False, coerce=int, choices=topic_choices
    )
    skills = forms.CharField(
        label=_("Skills"), required=False, help_text=_("Separate them with commas.")
    )
    languages_text = forms.CharField(
        label=_("Languages"), required=False, max_length=200,
        help_text=_("Separate them with commas."),
    )  # fmt: skip
    deadline_local = forms.DateTimeField(
        label=_("Deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("In the time zone below."),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=zone_choices, initial="UTC")
    start_date = forms.DateField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    apply_method = forms.ChoiceField(
        label=_("How to apply"),
        choices=ApplyMethod.choices,
        initial=ApplyMethod.LINK,
        widget=forms.RadioSelect,
    )
    apply_url = forms.URLField(
        label=_("How to apply: a link (https)"),
        assume_scheme="https",
        max_length=500,
        required=False,
        help_text=_("Required when people apply on your site."),
    )

    class Meta:
        model = Opportunity
        fields = [
            "type", "title", "description", "countries", "topics", "work_mode",
            "start_date", "compensation", "apply_method", "apply_url", "time_zone",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}

    def __init__(
        self, *args, user=None, organisations=(), description_is_html: bool = False, **kwargs
    ) -> None:
        self.description_is_html = description_is_html
        super().__init__(*args, **kwargs)
        self.organisations = {org.pk: org for org in organisations}
        choices = [("", _("Myself, as a member"))] + [(org.pk, org.name) for org in organisations]
        instance = self.instance
        if instance.pk and instance.organisation is not None:
            choices.append((instance.organisation_id, instance.organisation.name))
        self.fields["organisation"].choices = choices
        if instance.pk:
            self.initial["organisation"] = instance.organisation_id
            self.initial["countries"] = [c.code for c in instance.countries]
            self.initial["topics"] = list(instance.topics.values_list("pk", flat=True))
            self.initial["skills"] = ", ".join(instance.skills.names())
            self.initial["languages_text"] = ", ".join(instance.languages or [])
            self.initial["deadline_local"] = instance.local_deadline.replace(tzinfo=None)
            self.fields["organisation"].disabled = True

    def shows_typed_text(self, name: str) -> bool:
        return not self.description_is_html

    def clean_title(self) -> str:
        return refuse_markup(self.cleaned_data["title"])

    def clean_description(self) -> str:
        if self.description_is_html:
            return clean_html(self.cleaned_data["description"])
        return self.typed_html("description")

    def clean_compensation(self) -> str:
        return refuse_markup(self.cleaned_data.get("compensation", ""))

    def clean_organisation(self):
        if self.instance.pk:
            return self.instance.organisation
        pk = self.cleaned_data.get("organisation")
        if pk is None:
            return None
        if pk not in self.organisations:
            raise ValidationError(_("You can post only for organisations you administer."))
        return self.organisations[pk]

    def clean_apply_url(self) -> str:
        url = self.cleaned_data.get("apply_url") or ""
        if url and not url.lower().startswith("https://"):
            raise ValidationError(_("Give a link that starts with https://."), code="scheme")
        return url

    def clean_topics(self) -> list[Topic]:
        return list(Topic.objects.filter(pk__in=self.cleaned_data.get("topics") or []))

    def clean_skills(self) -> list[str]:
        raw = refuse_markup(self.cleaned_data.get("skills", ""))
        return [s.strip()[:100] for s in raw.split(",") if s.strip()][:20]

    def clean_languages_text(self) -> list[str]:
        raw = refuse_markup(self.cleaned_data.get("languages_text", ""))
        return [s.strip()[:40] for s in raw.split(",") if s.strip()][:10]

    def clean(self):
        data = super().clean()
        if (
            data.get("apply_method") == ApplyMethod.LINK
            and not data.get("apply_url")
            and "apply_url" not in self.errors
        ):
            self.add_error(
                "apply_url",
                ValidationError(
                    _(
                        "Give the link where people apply, or choose to receive expressions "
                        "of interest on this site."
                    ),
                    code="required",
                ),
            )
        local = data.get("deadline_local")
        zone_name = data.get("time_zone") or "UTC"
        if local is not None:
            try:
                zone = ZoneInfo(zone_name)
            except (ZoneInfoNotFoundError, ValueError):
                zone = ZoneInfo("UTC")
            deadline = timezone.make_naive(local) if timezone.is_aware(local) else local
            deadline = datetime.combine(deadline.date(), deadline.time(), tzinfo=zone)
            stored = self.instance.deadline
            # Compared to the minute, as the form shows it: an unchanged past deadline may stay.
            changed = not self.instance.pk or deadline != stored.replace(second=0, microsecond=0)
            if changed and deadline <= timezone.now():
                self.add_error("deadline_local", _("The deadline must be in the future."))
            else:
                data["deadline"] = deadline
        return data

    def save(self, commit: bool = True) -> Opportunity:
        opportunity = super().save(commit=False)
        data = self.cleaned_data
        if not opportunity.pk:
            opportunity.organisation = data["organisation"]
        opportunity.deadline = data["deadline"]
        opportunity.languages = data["languages_text"]
        opportunity.save()
        opportunity.topics.set(data["topics"])
        opportunity.skills.set(data["skills"])
        return opportunity


class ExtendForm(forms.Form):
    deadline_local = forms.DateTimeField(
        label=_("New deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args, zone: ZoneInfo, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean_deadline_local(self) -> datetime:
        local = self.cleaned_data["deadline_local"]
        if timezone.is_aware(local):
            local = timezone.make_naive(local)
        deadline = datetime.combine(local.date(), local.time(), tzinfo=self.zone)
        if deadline <= timezone.now():
            raise ValidationError(_("The deadline must be in the future."))
        return deadline


class ApplicationForm(forms.ModelForm):
    """A member's expression of interest; the CV field comes from the model (UploadField)."""

    message = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
    )

    class Meta:
        model = Application
        fields = ["message", "cv"]
        labels = {"cv": _("Your CV (optional)")}
        help_texts = {
            "cv": _(
                "PDF, DOCX or ODT, up to 5 MB. Only the poster and the organisation's "
                "administrators can open it; it is deleted when the opportunity is archived."
            )
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Formatted per request: a lazy string formatted at import would stay in English.
        self.fields["message"].help_text = gettext(
            "Plain text only, up to %(count)s characters."
        ) % {"count": MESSAGE_MAX_LENGTH}

    def clean_message(self) -> str:
        return refuse_markup(self.cleaned_data["message"])


class DecisionForm(forms.Form):
    """A moderator's decision on one held opportunity: the buttons send `decision`, the note
    goes to the poster (shown on their opportunity, as plain text) and to the moderation log.
    Sending back needs a note: the poster must know what to change."""

    APPROVE, SEND_BACK, HIDE = "approve", "send_back", "hide"

    decision = forms.ChoiceField(
        choices=[
            (APPROVE, _("Approve")),
            (SEND_BACK, _("Send back to its poster")),
            (HIDE, _("Hide")),
        ]
    )
    note = forms.CharField(
        label=_("Note to the poster"),
        help_text=_(
            "Needed to send it back: say what to change. The poster sees it as you write it, "
            "and it goes to the moderation log."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        max_length=REVIEW_NOTE_MAX_LENGTH,
        required=False,
        strip=True,
    )

    def __init__(self, *args, opportunity_id: int | None = None, **kwargs) -> None:
        # One form per held opportunity on the queue page: the ids must differ between them.
        if opportunity_id is not None:
            kwargs.setdefault("auto_id", f"id_%s_{opportunity_id}")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == self.SEND_BACK and not data.get("note"):
            self.add_error(
                "note", gettext("Say what the poster should change before sending it back.")
            )
        return data
