"""`/api/v1/members/`: the public members directory, with the fields members made public.

Who appears is the directory's own answer (`visibility.directory_profiles`: members who asked
to be listed, never protected, hidden or deactivated ones), and each profile's fields are
`visibility.visible_fields` for an anonymous reader: the open data holds only what a member
chose to show everyone. Fields shared with signed-in members stay on the site, whoever calls
(an API token must not turn into a bulk export of members-only details). A protected member
is a 404 here for everyone, moderators included.
"""

from __future__ import annotations

from rest_framework import serializers

from django.db.models import Q
from django.urls import reverse

from core.api import (
    PUBLIC_VIEWER,
    ApiReadView,
    Ordering,
    PagingParams,
    ordering_field,
    public_or_404,
    read_operation,
)
from core.api_taxonomy import country_param, topic_param

from .models import PAGE_GROUP, Profile, Sector
from .visibility import (
    can_view_profile,
    directory_profiles,
    filter_by_visible,
    visible_fields,
    with_skill_names,
    with_topic_ids,
)

ORDERINGS = {
    "updated": Ordering("updated", (("updated_at", True), ("pk", True))),
}


class MemberParams(PagingParams):
    skill = serializers.CharField(required=False, max_length=60)
    origin = country_param("Country of origin (ISO code), among members who show it publicly.")
    residence = country_param(
        "Country of residence (ISO code), among members who show it publicly."
    )
    sector = serializers.ChoiceField(choices=Sector.values, required=False)
    topic = topic_param()
    ordering = ordering_field(ORDERINGS, "updated")


class LanguageSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField(allow_blank=True)


class AvatarSerializer(serializers.Serializer):
    url = serializers.URLField()
    thumbnail = serializers.URLField()


class MemberSerializer(serializers.Serializer):
    """Only the fields the member made public and filled in are present (`name` always is)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.URLField(help_text="The profile page on this site.")
    avatar = AvatarSerializer(required=False)
    headline = serializers.CharField(required=False)
    bio = serializers.CharField(required=False, help_text="Sanitised HTML.")
    skills = serializers.ListField(child=serializers.CharField(), required=False)
    languages = LanguageSerializer(many=True, required=False)
    countries_of_origin = serializers.ListField(child=serializers.CharField(), required=False)
    country_of_residence = serializers.CharField(required=False)
    city = serializers.CharField(required=False)
    time_zone = serializers.CharField(required=False)
    links = serializers.ListField(child=serializers.CharField(), required=False)
    open_to = serializers.ListField(child=serializers.CharField(), required=False)
    sectors = serializers.ListField(child=serializers.CharField(), required=False)
    topics = serializers.ListField(child=serializers.CharField(), required=False)


def member_data(profile: Profile, request) -> dict:
    shown = visible_fields(profile, PUBLIC_VIEWER)
    if "avatar" in shown:
        shown["avatar"] = {
            key: request.build_absolute_uri(value) for key, value in shown["avatar"].items()
        }
    return {
        "id": profile.pk,
        "url": request.build_absolute_uri(reverse("members:profile", args=[profile.pk])),
        **{key: str(value) if key == "name" else value for key, value in shown.items()},
    }


@read_operation(
    "members_list",
    "The members directory (public fields only)",
    "members",
    MemberSerializer,
    description="Members who chose to be listed; filters match only fields they show "
    "publicly, so that filtering cannot reveal a hidden value.",
)
class MemberList(ApiReadView):
    """Listed members, with the fields each made public."""

    params_class = MemberParams
    etag_groups = (PAGE_GROUP,)

    def build(self, request, params: dict, **kwargs) -> dict:
        viewer = PUBLIC_VIEWER
        profiles = directory_profiles(viewer)
        skill = " ".join(params.get("skill", "").split())
        if skill:
            profiles = filter_by_visible(profiles, viewer, "skills", Q(skills__name__iexact=skill))
        if params.get("origin"):
            condition = Q(countries_of_origin__contains=params["origin"])
            profiles = filter_by_visible(profiles, viewer, "countries_of_origin", condition)
        if params.get("residence"):
            condition = Q(country_of_residence=params["residence"])
            profiles = filter_by_visible(profiles, viewer, "country_of_residence", condition)
        if params.get("sector"):
            condition = Q(sectors__contains=[params["sector"]])
            profiles = filter_by_visible(profiles, viewer, "sectors", condition)
        if params.get("topic"):
            condition = Q(topics__slug=params["topic"])
            profiles = filter_by_visible(profiles, viewer, "topics", condition)
        page = self.page_of(request, profiles.distinct(), ORDERINGS["updated"])
        items = with_topic_ids(with_skill_names(page.items))
        return self.page_response(
            request,
            page,
            lambda _items: [
                member_data(item, request) for item in items if can_view_profile(viewer, item)
            ],
        )


@read_operation(
    "members_retrieve", "One member's public profile", "members", MemberSerializer, path=("id", int)
)
class MemberDetail(ApiReadView):
    """One member's public profile (never a protected member)."""

    etag_groups = (PAGE_GROUP,)

    def build(self, request, params: dict, id: int = 0, **kwargs) -> dict:
        # The public view: a protected or hidden member does not exist here, for anyone.
        found = public_or_404(Profile.objects.select_related("user"), can_view_profile, pk=id)
        with_topic_ids(with_skill_names([found]))
        return member_data(found, request)
