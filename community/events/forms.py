"""The organisers' event form: create and edit, with the organiser's time zone.

Nothing is half-saved: views save only valid forms, and the form refuses, with a translated
message on the field concerned, an end before the start, a registration deadline after the
start, a capacity below the seats already taken, a join, recording or materials link that is not
https, and an in-person event without a venue. Times are entered in the chosen time zone and
stored in UTC. The title and venue are plain text; the description and materials are typed as
plain text (paragraphs, line breaks, links), stored as sanitised HTML (`core.sanitize`) and shown
again for editing as the text that was typed. Library resources are chosen among live resource
pages, found by content type.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail.models import Page

from community.members.forms import refuse_markup
from core.forms import TypedTextMixin
from core.geography import country_choices, language_choices
from core.models import Topic
from core.topics import topic_choices

from .models import RESOURCE_APP_LABEL, RESOURCE_MODEL, Event, EventFormat
from .registration import confirmed_count

LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(available_timezones())]


def resource_pages():
    return Page.objects.live().filter(
        content_type__app_label=RESOURCE_APP_LABEL, content_type__model=RESOURCE_MODEL
    )


def _local_field(label, required: bool = True, help_text=None) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=LOCAL_FORMATS,
        help_text=help_text,
    )


def _https(value: str) -> str:
    if value and not value.lower().startswith("https://"):
        raise ValidationError(_("Give a link that starts with https://."), code="scheme")
    return value


class EventForm(TypedTextMixin, forms.ModelForm):
    typed_text_fields = ("description", "materials")

    organisation = forms.TypedChoiceField(
        label=_("Organised by"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": _("You can organise events only for organisations you administer.")
        },
    )
    start_local = _local_field(_("Starts"), help_text=_("In the time zone below."))
    end_local = _local_field(_("Ends"), help_text=_("In the time zone below."))
    deadline_local = _local_field(
        _("Registration closes"),
        required=False,
        help_text=_("Optional; registration closes at the start when left empty."),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=zone_choices, initial="UTC")
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), required=False, choices=language_choices
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"), required=False, choices=country_choices
    )
    topics = forms.TypedMultipleChoiceField(
        label=_("Topics"), required=False, coerce=int, choices=topic_choices
    )
    join_url = forms.URLField(
        label=_("Join link (https)"),
        assume_scheme="https",
        max_length=500,
        required=False,
        help_text=_("Shown only to confirmed attendees and organisers."),
    )
    recording_url = forms.URLField(
        label=_("Recording link (https)"),
        assume_scheme="https",
        max_length=500,
        required=False,
        help_text=_("Shown to attendees once the event has ended."),
    )
    resources = forms.ModelMultipleChoiceField(
        label=_("Library resources"), required=False, queryset=Page.objects.none()
    )

    # Who organises it first; the times right above the zone they are in ("in the time zone
    # below"); what attendees get after the event last.
    field_order = [
        "organisation", "type", "title", "description", "format", "venue", "join_url",
        "start_local", "end_local", "time_zone", "deadline_local", "capacity", "languages",
        "interpretation", "countries", "topics", "resources", "recording_url", "materials",
    ]  # fmt: skip

    class Meta:
        model = Event
        fields = [
            "type", "title", "description", "format", "venue", "join_url", "time_zone",
            "languages", "interpretation", "capacity", "countries", "recording_url",
            "materials",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "materials": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "capacity": _("Leave empty for no limit. Beyond it, people join a waiting list."),
            "materials": _("Shown to attendees once the event has ended."),
        }

    def __init__(self, *args, organisations=(), may_organise_site: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {org.pk: org for org in organisations}
        self.may_organise_site = may_organise_site
        choices = [(org.pk, org.name) for org in organisations]
        if may_organise_site:
            choices.insert(0, ("", _("The site itself")))
        instance = self.instance
        if instance.pk and instance.organisation is not None:
            choices.append((instance.organisation_id, instance.organisation.name))
        self.fields["organisation"].choices = choices
        self.fields["resources"].queryset = resource_pages().order_by("title")
        # Titles come in any script too: each runs in its own direction.
        self.fields["title"].widget.attrs["dir"] = "auto"
        if instance.pk:
            self.fields["organisation"].disabled = True
            self.initial["organisation"] = instance.organisation_id
            self.initial["countries"] = [c.code for c in instance.countries]
            self.initial["topics"] = list(instance.topics.values_list("pk", flat=True))
            self.initial["resources"] = list(instance.resources.values_list("pk", flat=True))
            self.initial["start_local"] = instance.local_start.replace(tzinfo=None)
            self.initial["end_local"] = instance.local_end.replace(tzinfo=None)
            if instance.registration_deadline:
                self.initial["deadline_local"] = instance.registration_deadline.astimezone(
                    instance.zone
                ).replace(tzinfo=None)

    def clean_title(self) -> str:
        return refuse_markup(self.cleaned_data["title"])

    def clean_description(self) -> str:
        return self.typed_html("description")

    def clean_materials(self) -> str:
        return self.typed_html("materials")

    def clean_venue(self) -> str:
        return refuse_markup(self.cleaned_data.get("venue", ""))

    def clean_join_url(self) -> str:
        return _https(self.cleaned_data.get("join_url") or "")

    def clean_recording_url(self) -> str:
        return _https(self.cleaned_data.get("recording_url") or "")

    def clean_organisation(self):
        if self.instance.pk:
            return self.instance.organisation
        pk = self.cleaned_data.get("organisation")
        if pk is None:
            if not self.may_organise_site:
                raise ValidationError(_("Choose the organisation that organises it."))
            return None
        if pk not in self.organisations:
            raise ValidationError(
                _("You can organise events only for organisations you administer.")
            )
        return self.organisations[pk]

    def clean_topics(self) -> list[Topic]:
        return list(Topic.objects.filter(pk__in=self.cleaned_data.get("topics") or []))

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and capacity < 1:
            raise ValidationError(_("Give at least one seat, or leave it empty for no limit."))
        if capacity is not None and self.instance.pk:
            taken = confirmed_count(self.instance)
            if capacity < taken:
                raise ValidationError(
                    ngettext(
                        "%(count)s person is already registered: the capacity cannot be lower.",
                        "%(count)s people are already registered: the capacity cannot be lower.",
                        taken,
                    )
                    % {"count": taken},
                    code="below_registrations",
                )
        return capacity

    def _aware(self, local: datetime | None, zone: ZoneInfo) -> datetime | None:
        if local is None:
            return None
        if timezone.is_aware(local):
            local = timezone.make_naive(local)
        return datetime.combine(local.date(), local.time(), tzinfo=zone)

    def clean(self):
        data = super().clean()
        try:
            zone = ZoneInfo(data.get("time_zone") or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("UTC")
        start = self._aware(data.get("start_local"), zone)
        end = self._aware(data.get("end_local"), zone)
        deadline = self._aware(data.get("deadline_local"), zone)
        if start and end and end <= start:
            self.add_error("end_local", _("The event must end after it starts."))
        if start and deadline and deadline > start:
            self.add_error("deadline_local", _("Registration must close before the event starts."))
        if start and not self.instance.pk and start <= timezone.now():
            self.add_error("start_local", _("The event must start in the future."))
        if data.get("format") in (EventFormat.IN_PERSON, EventFormat.HYBRID) and not data.get(
            "venue"
        ):
            self.add_error("venue", _("Give the venue of an event held in person."))
        data["starts_at"], data["ends_at"], data["registration_deadline"] = start, end, deadline
        return data

    def save(self, commit: bool = True) -> Event:
        event = super().save(commit=False)
        data = self.cleaned_data
        if not event.pk:
            event.organisation = data["organisation"]
        event.starts_at = data["starts_at"]
        event.ends_at = data["ends_at"]
        event.registration_deadline = data["registration_deadline"]
        event.languages = data["languages"]
        event.save()
        event.topics.set(data["topics"])
        event.resources.set(data["resources"])
        return event
