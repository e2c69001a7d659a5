"""Who may see a profile and which of its fields: the one answer every page, feed and adapter uses.

Pages (profile, directory), later feeds, the search adapter and the API call these functions
and nothing else, so a rule changes in one place:
- `can_view_profile(viewer, profile)`: a protected profile, or one hidden by the moderators after a
  report, exists only for its member and for holders of `members.view_protected_profile`
  (moderators); everyone else gets a 404.
- `visible_fields(profile, viewer)`: the fields this viewer may see, by each field's audience.
  Audiences: "public" (anyone), "members" (signed in), "private" (the member alone). Moderators
  read what members read: they may open protected profiles, but "only me" stays only the member's.
- `display_name_for(profile, viewer)`: "a member" for a protected member seen anonymously.
- `field_audiences(profile)`: per field, the widest audience, for search engines that filter by
  access fields inside the engine; a protected or unlisted-everywhere profile is all "private".
- `directory_profiles(viewer)` / `filter_by_visible(...)`: the directory's queryset, where a
  filter only matches on a field the viewer could see (or filtering would reveal hidden values).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.geography import country_name, language_choices
from core.memo import ProcessMemo
from core.topics import concept_of

from .models import VISIBLE_FIELDS, LanguageLevel, OpenTo, Profile, Sector, Visibility

PROTECTED_PERMISSION = "members.view_protected_profile"
PUBLIC, MEMBERS, PRIVATE = (
    Visibility.PUBLIC.value,
    Visibility.MEMBERS.value,
    Visibility.PRIVATE.value,
)


def _is_self(viewer, profile: Profile) -> bool:
    return bool(viewer is not None and viewer.is_authenticated and viewer.pk == profile.user_id)


def audiences(viewer, profile: Profile) -> frozenset[str]:
    """The audiences `viewer` belongs to for `profile`'s fields."""
    if _is_self(viewer, profile):
        return frozenset({PUBLIC, MEMBERS, PRIVATE})
    if viewer is not None and viewer.is_authenticated:
        return frozenset({PUBLIC, MEMBERS})
    return frozenset({PUBLIC})


def can_moderate_profiles(viewer) -> bool:
    return bool(
        viewer is not None and viewer.is_authenticated and viewer.has_perm(PROTECTED_PERMISSION)
    )


def can_view_profile(viewer, profile: Profile) -> bool:
    """Whether the profile page exists for `viewer` (a 404 otherwise, never a 403)."""
    if not profile.user.is_active and not can_moderate_profiles(viewer):
        return False
    if not (profile.protected or profile.hidden_by_moderation):
        return True
    return _is_self(viewer, profile) or can_moderate_profiles(viewer)


def display_name_for(profile: Profile, viewer) -> str:
    """The member's name, except that a protected member is "a member" to anonymous readers."""
    if profile.protected and not (viewer is not None and viewer.is_authenticated):
        return _("a member")
    return profile.name


# Names in each interface language, built once per process: catalogues do not change while it
# runs, and a directory page would otherwise name and sort every language once per card.
_language_names_by_locale: dict[str, dict[str, str]] = {}


def _language_names() -> dict[str, str]:
    locale = get_language() or "en"
    names = _language_names_by_locale.get(locale)
    if names is None:
        names = _language_names_by_locale[locale] = dict(language_choices())
    return names


# The labels of a field's choices in each language: str() of a lazy label asks gettext each time,
# and a directory page shows dozens. Translations do not change while a process runs.
_choice_labels: ProcessMemo[dict[str, str]] = ProcessMemo(
    "profile choice labels", ttl=3600.0, max_entries=64
)


def _labels(choices) -> dict[str, str]:
    """`choices`' labels by value, translated into the reader's language."""
    key = (choices.__module__, choices.__qualname__, get_language() or "en")
    return _choice_labels.get(key, lambda: {value: str(label) for value, label in choices.choices})


def _value(profile: Profile, field: str) -> Any:
    """A field's value as pages show it (names in the reader's language), or None when empty."""
    if field == "skills":
        names = getattr(profile, "skill_names", None)
        if names is None:
            names = [tag.name for tag in profile.skills.all()]
        return sorted(names, key=str.casefold) or None
    if field == "languages":
        names = _language_names()
        levels = _labels(LanguageLevel)
        return [
            {"code": item["code"], "name": names.get(item["code"], item["code"]),
             "level": levels.get(item.get("level"), "")}
            for item in profile.languages or []
            if item.get("code")
        ] or None  # fmt: skip
    if field == "countries_of_origin":
        return [country_name(c.code) for c in profile.countries_of_origin] or None
    if field == "country_of_residence":
        code = profile.country_of_residence.code if profile.country_of_residence else ""
        return country_name(code) if code else None
    if field == "open_to":
        labels = _labels(OpenTo)
        return [labels.get(item, str(item)) for item in profile.open_to or []] or None
    if field == "sectors":
        labels = _labels(Sector)
        return [labels.get(item, str(item)) for item in profile.sectors or []] or None
    if field == "topics":
        ids = getattr(profile, "topic_ids", None)
        if ids is None:
            ids = list(profile.topics.values_list("pk", flat=True)) if profile.pk else []
        language = get_language() or "en"
        # One label per concept, in the reader's language (English where it is not translated).
        labels = {
            concept.slug: concept.in_language(language).label
            for concept in map(concept_of, ids)
            if concept is not None
        }
        return sorted(labels.values(), key=str.casefold) or None
    if field == "avatar":
        if not profile.avatar:
            return None
        thumbnail = profile.avatar_thumbnail or profile.avatar
        return {"url": profile.avatar.url, "thumbnail": thumbnail.url}
    return getattr(profile, field) or None


def visible_fields(profile: Profile, viewer) -> dict[str, Any]:
    """The non-empty fields `viewer` may see, by field name; "name" is always there."""
    allowed = audiences(viewer, profile)
    shown: dict[str, Any] = {"name": display_name_for(profile, viewer)}
    for field in VISIBLE_FIELDS:
        if getattr(profile, f"{field}_visibility") not in allowed:
            continue
        value = _value(profile, field)
        if value is not None:
            shown[field] = value
    return shown


def field_audiences(profile: Profile) -> dict[str, str]:
    """Per field, who may see it: "public", "members" or "private" (for search access fields).

    A protected profile is private through and through: it must not be findable at all.
    """
    if profile.protected or profile.hidden_by_moderation or not profile.user.is_active:
        return {"name": PRIVATE, **dict.fromkeys(VISIBLE_FIELDS, PRIVATE)}
    return {
        "name": PUBLIC,
        **{field: getattr(profile, f"{field}_visibility") for field in VISIBLE_FIELDS},
    }


def viewer_audiences(viewer) -> list[str]:
    """The audiences a viewer belongs to for other members' fields (never "private")."""
    if viewer is not None and viewer.is_authenticated:
        return [PUBLIC, MEMBERS]
    return [PUBLIC]


def directory_profiles(viewer) -> QuerySet[Profile]:
    """Members who asked to be listed, never protected or hidden ones (attach skills once paged)."""
    return (
        Profile.objects.filter(
            in_directory=True, protected=False, hidden_by_moderation=False, user__is_active=True
        )
        .select_related("user")
        .order_by("-updated_at", "pk")
    )


def with_skill_names(profiles: Iterable[Profile]) -> list[Profile]:
    """The profiles, each with `skill_names` read in one query for all of them.

    One flat query instead of taggit's prefetch, which builds a queryset per profile and cost
    the directory more time than everything else it does.
    """
    from django.contrib.contenttypes.models import ContentType

    from taggit.models import TaggedItem

    profiles = list(profiles)
    by_id = {profile.pk: profile for profile in profiles}
    for profile in profiles:
        profile.skill_names = []
    if by_id:
        rows = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Profile), object_id__in=list(by_id)
        ).values_list("object_id", "tag__name")
        for object_id, name in rows:
            by_id[object_id].skill_names.append(name)
    return profiles


def with_topic_ids(profiles: Iterable[Profile]) -> list[Profile]:
    """The profiles, each with `topic_ids` read in one query for all of them (as skills are)."""
    profiles = list(profiles)
    by_id = {profile.pk: profile for profile in profiles}
    for profile in profiles:
        profile.topic_ids = []
    if by_id:
        rows = Profile.topics.through.objects.filter(profile_id__in=list(by_id)).values_list(
            "profile_id", "topic_id"
        )
        for profile_id, topic_id in rows:
            by_id[profile_id].topic_ids.append(topic_id)
    return profiles


def filter_by_visible(
    queryset: QuerySet[Profile], viewer, field: str, condition: Q
) -> QuerySet[Profile]:
    """Apply a filter on `field` only among profiles whose `field` the viewer may see."""
    visible = Q(**{f"{field}_visibility__in": viewer_audiences(viewer)})
    if viewer is not None and viewer.is_authenticated:
        visible |= Q(user=viewer)
    return queryset.filter(visible & condition)
