"""What search indexes of members: the profiles listed in the members directory, each field for
the audience its member chose, so a search never finds a member by what the reader could not
read on the profile.

A profile becomes up to two documents in one translation group (one result): the fields anyone
may see (audience "public"), and, when some are for signed-in members only, those too
(audience "members"). Fields kept to the member alone are never indexed. Protected, hidden,
deactivated and unlisted members are not indexed at all, as the directory leaves them out
(`visibility.directory_profiles`). Each profile change re-indexes it, and so do changes to its
skills and topics, to the account's name or active state, and a moderator's hiding."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import m2m_changed, post_save
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.bulk import is_bulk_loading
from core.sanitize import plain_text
from core.topics import concept_of
from search.analysis import detect_language
from search.documents import MEMBERS, PUBLIC, Document
from search.registry import SearchAdapter, register
from search.signals import schedule

from .models import Profile
from .visibility import directory_profiles, visible_fields, with_skill_names, with_topic_ids

DOC_TYPE = "member"
# The fields a search may find a member by, besides the name and headline (title, summary) and
# the bio (body): written out as text, in the site's default language.
FOUND_BY = (
    "skills",
    "languages",
    "countries_of_origin",
    "country_of_residence",
    "city",
    "sectors",
    "topics",
    "open_to",
)


class _SignedInReader:
    """Any signed-in member but the profile's own: what `visible_fields` shows them."""

    is_authenticated = True
    pk = None


def _as_text(value) -> str:
    if isinstance(value, list):
        return ", ".join(item["name"] if isinstance(item, dict) else str(item) for item in value)
    return str(value)


@register
class MemberAdapter(SearchAdapter):
    doc_type = DOC_TYPE
    model = Profile
    label = _("Members")
    order = 60
    localised_urls = True

    def queryset(self):
        return Profile.objects.select_related("user")

    def keys(self, object_id) -> list[str]:
        return [self.key(object_id), f"{self.key(object_id)}:members"]

    def document(self, obj: Profile) -> Document | None:
        documents = self.documents(obj)
        return documents[0] if documents else None

    def documents(self, obj: Profile) -> list[Document]:
        if not directory_profiles(None).filter(pk=obj.pk).exists():
            return []
        # Its skills and topics read once for both documents (`visible_fields` reads them).
        with_skill_names([obj])
        with_topic_ids([obj])
        with translation.override(settings.LANGUAGE_CODE):
            url = reverse("members:profile", args=[obj.pk])
            public = self._document(obj, None, self.key(obj.pk), [PUBLIC], url)
            members = self._document(
                obj, _SignedInReader(), f"{self.key(obj.pk)}:members", [MEMBERS], url
            )
        if (members.title, members.summary, members.body) == (
            public.title,
            public.summary,
            public.body,
        ):
            return [public]  # nothing more for members: the public one is theirs too
        return [public, members]

    def _document(self, obj: Profile, reader, key: str, audiences, url: str) -> Document:
        shown = visible_fields(obj, reader)
        bio = plain_text(shown.get("bio", ""))
        lines = [_as_text(shown[field]) for field in FOUND_BY if field in shown]
        body = "\n".join(part for part in (bio, *lines) if part)
        countries = []
        if "countries_of_origin" in shown:
            countries += [country.code for country in obj.countries_of_origin]
        if "country_of_residence" in shown and obj.country_of_residence:
            countries.append(obj.country_of_residence.code)
        return Document(
            key=key,
            doc_type=self.doc_type,
            object_id=str(obj.pk),
            group=self.key(obj.pk),
            language=detect_language(f"{shown.get('headline', '')} {bio}"),
            title=obj.name,
            summary=shown.get("headline", ""),
            body=body,
            url=url,
            audiences=list(audiences),
            countries=list(dict.fromkeys(countries)),
            topics=[concept.slug for concept in map(concept_of, obj.topic_ids) if concept]
            if "topics" in shown
            else [],
            published=obj.user.date_joined,
        )


def _profile_tags_changed(sender, instance, action, reverse, **kwargs) -> None:
    if reverse or not isinstance(instance, Profile) or is_bulk_loading():
        return
    if action in ("post_add", "post_remove", "post_clear"):
        schedule(DOC_TYPE, instance.pk)


def _account_changed(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    """The name a profile is found by, and whether it may be found, are the account's."""
    if raw or is_bulk_loading():
        return
    if update_fields is not None and not {"first_name", "last_name", "is_active"} & set(
        update_fields
    ):
        return  # a log-in's last_login, say
    for pk in Profile.objects.filter(user_id=instance.pk).values_list("pk", flat=True):
        schedule(DOC_TYPE, pk)


m2m_changed.connect(
    _profile_tags_changed, sender=Profile.topics.through, dispatch_uid="search_profile_topics"
)
m2m_changed.connect(
    _profile_tags_changed, sender=Profile.skills.through, dispatch_uid="search_profile_skills"
)
post_save.connect(
    _account_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="search_profile_account"
)
