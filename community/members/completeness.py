"""How complete a member's profile is: a clear list of parts, the share filled, what to do next.

The dashboard's "Your profile" panel shows it. Every part counts the same, so the percentage is
"parts filled / parts listed" and a member can see exactly which part moves it. The list is in
the order a member is asked to fill it: the first empty part is the next step, and its link
opens the profile form at that field. Location details a member at risk may rather not give
(city, time zone) are left out on purpose: they are never pushed for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Profile


@dataclass(frozen=True)
class Part:
    """One part of a profile: its name, the step that fills it, how to tell it is filled, and
    the form field the step's link goes to."""

    key: str
    label: Any
    action: Any
    is_filled: Callable[[Profile], bool]
    field_id: str


def _has_skills(profile: Profile) -> bool:
    names = getattr(profile, "skill_names", None)
    if names is None:
        names = list(profile.skills.names()) if profile.pk else []
    return bool(names)


PARTS: tuple[Part, ...] = (
    Part("name", _("Your name"), _("Add your name"),
         lambda p: bool(p.display_name or p.user.get_full_name()), "id_display_name"),
    Part("headline", _("A headline"), _("Add a headline"), lambda p: bool(p.headline),
         "id_headline"),
    Part("avatar", _("A photo"), _("Add a photo"), lambda p: bool(p.avatar), "id_avatar"),
    Part("bio", _("A few words about you"), _("Write a few words about you"),
         lambda p: bool(p.bio), "id_bio"),
    Part("skills", _("Your skills"), _("List your skills"), _has_skills, "id_skills_text"),
    Part("languages", _("The languages you speak"), _("Add the languages you speak"),
         lambda p: bool(p.languages), "id_language_1"),
    Part("countries_of_origin", _("Where you are from"), _("Say where you are from"),
         lambda p: bool(p.countries_of_origin), "id_countries_of_origin"),
    Part("country_of_residence", _("Where you live"), _("Say where you live"),
         lambda p: bool(p.country_of_residence), "id_country_of_residence"),
    Part("open_to", _("What you are open to"), _("Say what you are open to"),
         lambda p: bool(p.open_to), "id_open_to_0"),
    Part("links", _("Links to your work"), _("Add links to your work"),
         lambda p: bool(p.links), "id_links_text"),
)  # fmt: skip


@dataclass(frozen=True)
class Completeness:
    """Which parts are filled, the percentage, and the next part to fill (None when all are)."""

    parts: list[tuple[Part, bool]]
    filled: int
    total: int
    next_part: Part | None

    @property
    def percent(self) -> int:
        return round(100 * self.filled / self.total) if self.total else 100

    def edit_url(self, part: Part) -> str:
        return f"{reverse('members:edit')}#{part.field_id}"

    @property
    def next_url(self) -> str | None:
        return self.edit_url(self.next_part) if self.next_part else None


def completeness(profile: Profile) -> Completeness:
    """The completeness of `profile` (an unsaved one counts as empty)."""
    parts = [(part, part.is_filled(profile)) for part in PARTS]
    missing = [part for part, filled in parts if not filled]
    return Completeness(
        parts=parts,
        filled=len(parts) - len(missing),
        total=len(parts),
        next_part=missing[0] if missing else None,
    )
