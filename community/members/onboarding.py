"""The profile set-up a new member is offered after their first log-in: four short steps.

Each step is the members profile form narrowed to a few fields (`step_form`), so it validates,
cleans and saves exactly as the full form does (`editing.save_profile`), audiences included.
Where a member stands is stored on the profile (`Profile.onboarding`, `onboarding_step`):
the set-up resumes at the step they reached, and once finished or skipped it is never shown
again. Who is offered it: accounts made through sign-up (allauth's `user_signed_up`, sent by
the worker that creates the account) start "pending"; every other account stays "none".

How a new member gets there: members declares a `core.registries.login_redirects` entry, which
the kernel's allauth adapter consults after a log-in; the kernel imports nothing from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .forms import LANGUAGE_ROWS, ProfileForm
from .models import Onboarding, Profile


@dataclass(frozen=True)
class Step:
    """One step: its title, a sentence saying why, and the profile form fields it asks for."""

    number: int
    title: Any
    intro: Any
    fields: tuple[str, ...]


STEPS: tuple[Step, ...] = (
    Step(
        1,
        _("About you"),
        _("How other members will know you."),
        ("display_name", "headline", "headline_visibility"),
    ),
    Step(
        2,
        _("Where you are from and where you live"),
        _("Members look for people from a country or living in one. Give only what you are "
          "comfortable with: every field is optional."),
        ("countries_of_origin", "countries_of_origin_visibility", "country_of_residence",
         "country_of_residence_visibility", "city", "city_visibility"),
    ),
    Step(
        3,
        _("Skills, languages and interests"),
        _("What you can share, and the languages you can share it in."),
        ("skills_text", "skills_visibility", "languages_visibility", "sectors",
         "sectors_visibility", "topics", "topics_visibility",
         *(f"{kind}_{row}" for row in range(1, LANGUAGE_ROWS + 1)
           for kind in ("language", "level"))),
    ),
    Step(
        4,
        _("Directory and privacy"),
        _("You decide who finds you. The safe choices are already made: change them only if "
          "you want to."),
        ("in_directory", "protected"),
    ),
)  # fmt: skip
STEP_COUNT = len(STEPS)


def step(number: int) -> Step | None:
    return STEPS[number - 1] if 1 <= number <= STEP_COUNT else None


def step_form(number: int, profile: Profile, data: Any = None) -> ProfileForm:
    """The profile form with only step `number`'s fields: same validation, same saving."""
    form = ProfileForm(data, instance=profile)
    wanted = set(STEPS[number - 1].fields)
    for name in list(form.fields):
        if name not in wanted:
            del form.fields[name]
    if "in_directory" in form.fields:  # the step explains the default beside the box
        form.fields["in_directory"].widget.attrs["aria-describedby"] = "directory-help"
    return form


def is_pending(profile: Profile | None) -> bool:
    return profile is not None and profile.onboarding == Onboarding.PENDING


def step_url(number: int) -> str:
    return reverse("members:onboarding_step", args=[number])


def login_redirect(request) -> str | None:
    """Where a member who just signed in goes first: the set-up step they reached, if pending."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    reached = (
        Profile.objects.filter(user=user, onboarding=Onboarding.PENDING)
        .values_list("onboarding_step", flat=True)
        .first()
    )
    if reached is None:
        return None
    return step_url(min(max(reached, 1), STEP_COUNT))


def offer_to_new_member(sender, user, **kwargs) -> None:
    """allauth's `user_signed_up`: the account is new, so the set-up will be offered."""
    Profile.objects.update_or_create(
        user=user, defaults={"onboarding": Onboarding.PENDING, "onboarding_step": 1}
    )


def remember_step_reached(profile: Profile, number: int) -> None:
    """After step `number` is saved: resume at the next one, or finish after the last."""
    if number >= STEP_COUNT:
        profile.onboarding = Onboarding.FINISHED
    else:
        profile.onboarding_step = max(profile.onboarding_step, number + 1)


def skip(profile: Profile) -> None:
    """Skip for now: the set-up is not offered again; the dashboard still says what is missing."""
    Profile.objects.filter(pk=profile.pk).update(onboarding=Onboarding.SKIPPED)
