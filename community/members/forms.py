"""The profile form: each field with its audience beside it, clean text, a checked avatar.

Nothing is half-saved: the view saves only a valid form, and a refused avatar leaves every
other field as the member typed it in the re-displayed form. The bio may hold simple
formatting and is sanitised; every other text field holds plain text and refuses markup with
a clear message, rather than silently storing something other than what was typed.
"""

from __future__ import annotations

import re
import zoneinfo
from functools import lru_cache

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core import trust
from core.geography import country_choices, language_choices
from core.models import Topic
from core.sanitize import clean_html
from core.topics import FALLBACK_LANGUAGE, concept_of, topic_choices
from core.uploads import UploadField

from .avatars import AVATAR_TYPES, MAX_AVATAR_BYTES
from .models import VISIBLE_FIELDS, LanguageLevel, OpenTo, Profile, Sector

LANGUAGE_ROWS = 4
MAX_LINKS = 5
MARKUP = re.compile(r"<\s*[a-zA-Z/!?]")


@lru_cache(maxsize=1)
def time_zone_choices() -> list[tuple[str, str]]:
    zones = sorted(
        z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith("Etc/")
    )
    return [("", "—"), *((zone, zone.replace("_", " ")) for zone in zones)]


def refuse_markup(value: str) -> str:
    if MARKUP.search(value or ""):
        raise ValidationError(
            _("Only plain text is accepted here: remove the HTML tags."), code="markup"
        )
    return value.strip()


class ProfileForm(forms.ModelForm):
    avatar = UploadField(
        label=_("Photo"),
        allowed=AVATAR_TYPES,
        max_bytes=MAX_AVATAR_BYTES,
        required=False,
        help_text=_("JPEG, PNG or WebP, up to 5 MB. We remove location and camera details."),
        widget=forms.FileInput,
    )
    remove_avatar = forms.BooleanField(label=_("Remove my photo"), required=False)
    skills_text = forms.CharField(
        label=_("Skills"),
        required=False,
        max_length=500,
        help_text=_("Separate skills with commas, e.g. public health, data analysis."),
    )
    countries_of_origin = forms.MultipleChoiceField(
        label=_("Countries of origin"),
        required=False,
        choices=country_choices,
        help_text=_("To choose several, hold Ctrl (⌘ on a Mac) while you click."),
    )
    country_of_residence = forms.ChoiceField(
        label=_("Country of residence"),
        required=False,
        choices=lambda: [("", "—"), *country_choices()],
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        choices=time_zone_choices,
        help_text=_("Guessed from your browser when empty; change it if it is wrong."),
    )
    links_text = forms.CharField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Up to five web addresses, one per line."),
    )
    open_to = forms.MultipleChoiceField(
        label=_("Open to"),
        required=False,
        choices=OpenTo.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"),
        required=False,
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The fields you work in."),
    )
    topics = forms.TypedMultipleChoiceField(
        label=_("Topics"),
        required=False,
        coerce=int,
        choices=topic_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The diaspora topics you care about or work on."),
    )

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "headline",
            "bio",
            "city",
            "in_directory",
            "protected",
            "contact_allowed",
            *(f"{field}_visibility" for field in VISIBLE_FIELDS),
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "bio": _("Simple formatting is kept (bold, lists, links); anything else is removed."),
            "protected": _(
                "For members at risk: your profile disappears for everyone but you and the "
                "moderators, leaves the directory, and your name shows as “a member” to "
                "visitors who are not signed in."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        profile: Profile = self.instance
        for field in VISIBLE_FIELDS:
            target = (
                "skills_text" if field == "skills" else "links_text" if field == "links" else field
            )
            label = self.fields[target].label if target in self.fields else _("Languages spoken")
            self.fields[f"{field}_visibility"].label = format_lazy(
                _("Who can see: {field}"), field=label
            )
            self.fields[f"{field}_visibility"].widget.attrs["class"] = "visibility"
        names = [("", "—"), *language_choices()]
        for row in range(1, LANGUAGE_ROWS + 1):
            self.fields[f"language_{row}"] = forms.ChoiceField(
                label=format_lazy(_("Language {number}"), number=row),
                required=False,
                choices=names,
            )
            self.fields[f"level_{row}"] = forms.ChoiceField(
                label=format_lazy(_("Level of language {number}"), number=row),
                required=False,
                choices=[("", "—"), *LanguageLevel.choices],
            )
        if not self.is_bound and profile.pk:
            self.initial["skills_text"] = ", ".join(t.name for t in profile.skills.all())
            self.initial["links_text"] = "\n".join(profile.links or [])
            self.initial["countries_of_origin"] = [c.code for c in profile.countries_of_origin]
            self.initial["country_of_residence"] = (
                profile.country_of_residence.code if profile.country_of_residence else ""
            )
            self.initial["time_zone"] = profile.time_zone
            self.initial["open_to"] = list(profile.open_to or [])
            self.initial["sectors"] = list(profile.sectors or [])
            # Stored as English rows; ticked as the rows of the reader's language.
            language = get_language() or FALLBACK_LANGUAGE
            self.initial["topics"] = sorted(
                {
                    concept.in_language(language).id
                    for concept in map(concept_of, profile.topics.values_list("pk", flat=True))
                    if concept is not None
                }
            )
            for row, item in enumerate((profile.languages or [])[:LANGUAGE_ROWS], start=1):
                self.initial[f"language_{row}"] = item.get("code", "")
                self.initial[f"level_{row}"] = item.get("level", "")

    def language_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"language_{r}"], self[f"level_{r}"]) for r in range(1, LANGUAGE_ROWS + 1)]

    def clean_display_name(self) -> str:
        return refuse_markup(self.cleaned_data["display_name"])

    def clean_headline(self) -> str:
        return refuse_markup(self.cleaned_data["headline"])

    def clean_city(self) -> str:
        return refuse_markup(self.cleaned_data["city"])

    def clean_bio(self) -> str:
        bio = clean_html(self.cleaned_data["bio"]).strip()
        # A new member's bio is a favourite place for spam links: core.trust sets how many.
        limits = trust.limits_for(self.instance.user)
        if trust.count_links(bio) > limits.links_per_post:
            raise forms.ValidationError(trust.links_error(limits), code="too_many_links")
        return bio

    def clean_skills_text(self) -> list[str]:
        text = refuse_markup(self.cleaned_data["skills_text"])
        skills = []
        for raw in text.split(","):
            skill = " ".join(raw.split())
            if skill and skill.casefold() not in {s.casefold() for s in skills}:
                if len(skill) > 60:
                    raise ValidationError(_("Each skill must be at most 60 characters."))
                skills.append(skill)
        if len(skills) > 20:
            raise ValidationError(_("List at most 20 skills."))
        return skills

    def clean_topics(self) -> list[Topic]:
        """The English row of each chosen concept: one tag per concept whatever the form's
        language, so changing interface language never duplicates or loses a topic."""
        rows = {
            concept.in_language(FALLBACK_LANGUAGE).id
            for concept in map(concept_of, self.cleaned_data.get("topics") or [])
            if concept is not None
        }
        return list(Topic.objects.filter(pk__in=rows))

    def clean_links_text(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["links_text"].splitlines()]
        links = [line for line in lines if line]
        if len(links) > MAX_LINKS:
            raise ValidationError(_("Give at most five links."))
        check = URLValidator(schemes=["http", "https"])
        for link in links:
            try:
                check(link)
            except ValidationError:
                raise ValidationError(
                    _("“%(link)s” is not a web address starting with https:// or http://."),
                    params={"link": link[:80]},
                    code="bad_link",
                ) from None
        return links

    def clean(self) -> dict:
        cleaned = super().clean()
        if "language_1" not in self.fields:  # a form of some fields only (onboarding steps)
            return cleaned
        languages = []
        for row in range(1, LANGUAGE_ROWS + 1):
            code, level = cleaned.get(f"language_{row}"), cleaned.get(f"level_{row}")
            if level and not code:
                self.add_error(f"language_{row}", _("Choose the language for this level."))
            elif code and code not in {item["code"] for item in languages}:
                languages.append({"code": code, "level": level or ""})
        cleaned["languages"] = languages
        return cleaned

    def apply(self, profile: Profile) -> list[str] | None:
        """Copy the non-model fields onto `profile`; return the skills to set after saving.

        Only the fields this form has: a form narrowed to some of them (an onboarding step)
        leaves the others as they are, and returns None when it has no skills to set.
        """
        data = self.cleaned_data
        copied = {
            "languages": "languages",
            "countries_of_origin": "countries_of_origin",
            "country_of_residence": "country_of_residence",
            "time_zone": "time_zone",
            "links_text": "links",
            "open_to": "open_to",
            "sectors": "sectors",
        }
        for source, target in copied.items():
            if source in data:
                setattr(profile, target, data[source])
        return data.get("skills_text")
