"""`/api/v1/organisations/`: diaspora organisations, their public fields only.

Which organisations exist for the public is `permissions.can_view` for an anonymous reader (a
hidden one never appears); a contact address is for signed-in members on the site
(`permissions.can_see_contact`) and is never part of the open data, nor are members,
invitations or verification requests and their documents. Filters mirror the directory's.
"""

from __future__ import annotations

from rest_framework import serializers

from django.db.models import Q
from django.db.models.functions import Lower
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
from core.api_taxonomy import (
    CountryRefSerializer,
    TopicRefSerializer,
    country_param,
    country_ref,
    topic_param,
    topic_refs,
)

from . import permissions
from .models import PAGE_GROUP, Organisation, OrganisationType, Verification

ORDERINGS = {
    "name": Ordering("name", (("name_key", False), ("pk", False))),
    "newest": Ordering("newest", (("created_at", True), ("pk", True))),
}


class OrganisationParams(PagingParams):
    type = serializers.ChoiceField(choices=OrganisationType.values, required=False)
    country = country_param()
    topic = topic_param()
    verified = serializers.BooleanField(
        required=False, default=None, allow_null=True,
        help_text="true: verified organisations only; false: the others only.",
    )  # fmt: skip
    ordering = ordering_field(ORDERINGS, "name")


class OrganisationSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="Stable identifier.")
    name = serializers.CharField()
    type = serializers.ChoiceField(choices=OrganisationType.values)
    type_label = serializers.CharField()
    verified = serializers.BooleanField(help_text="Verified by the site's moderators.")
    description = serializers.CharField(help_text="Sanitised HTML.")
    website = serializers.CharField(allow_blank=True)
    logo = serializers.URLField(allow_null=True)
    countries = CountryRefSerializer(many=True)
    topics = TopicRefSerializer(many=True)
    created_at = serializers.DateTimeField()
    url = serializers.URLField(help_text="Its page on this site.")


def public_organisations():
    return Organisation.objects.filter(hidden=False).prefetch_related("topics")


def organisation_data(organisation: Organisation, request, language: str) -> dict:
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "type": organisation.type,
        "type_label": organisation.get_type_display(),
        "verified": organisation.is_verified,
        "description": organisation.description,
        "website": organisation.website,
        "logo": request.build_absolute_uri(organisation.logo.url) if organisation.logo else None,
        "countries": [country_ref(country.code) for country in organisation.countries],
        "topics": topic_refs([topic.pk for topic in organisation.topics.all()], language),
        "created_at": organisation.created_at.isoformat(),
        "url": request.build_absolute_uri(
            reverse("organisations:detail", args=[organisation.slug])
        ),
    }


@read_operation(
    "organisations_list", "Diaspora organisations", "organisations", OrganisationSerializer
)
class OrganisationList(ApiReadView):
    """Organisations that are not hidden, with their public fields only."""

    params_class = OrganisationParams
    etag_groups = (PAGE_GROUP,)

    def build(self, request, params: dict, **kwargs) -> dict:
        found = public_organisations().annotate(name_key=Lower("name"))
        if params.get("type"):
            found = found.filter(type=params["type"])
        if params.get("country"):
            found = found.filter(countries__contains=params["country"])
        if params.get("topic"):
            found = found.filter(topics__slug=params["topic"]).distinct()
        if params.get("verified") is True:
            found = found.filter(verification=Verification.VERIFIED)
        elif params.get("verified") is False:
            found = found.filter(~Q(verification=Verification.VERIFIED))
        page = self.page_of(request, found, ORDERINGS[params.get("ordering") or "name"])
        return self.page_response(
            request,
            page,
            lambda items: [
                organisation_data(item, request, self.language)
                for item in items
                if permissions.can_view(PUBLIC_VIEWER, item)
            ],
        )


@read_operation(
    "organisations_retrieve",
    "One organisation",
    "organisations",
    OrganisationSerializer,
    path=("slug", str),
)
class OrganisationDetail(ApiReadView):
    """One organisation that is not hidden, its public fields only."""

    etag_groups = (PAGE_GROUP,)

    def build(self, request, params: dict, slug: str = "", **kwargs) -> dict:
        organisation = public_or_404(public_organisations(), permissions.can_view, slug=slug)
        return organisation_data(organisation, request, self.language)
