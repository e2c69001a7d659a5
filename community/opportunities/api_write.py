"""Write endpoints of the open-data API for opportunities: partners' programs post, update and
close their organisation's opportunities (`POST /api/v1/opportunities/`,
`PATCH /api/v1/opportunities/{id}/`, `POST /api/v1/opportunities/{id}/close/`).

They go through exactly what the site's form does: the JSON is turned into the posting form's
data and checked by `OpportunityForm` (so the same field rules, sanitising and messages; the
description is HTML here, sanitised as it comes, where the site's textarea sends plain text),
rights come from `permissions.py`, the hourly allowance from `core.trust`, and publishing from
`lifecycle.publish` (so the same review rules: `core.trust` and `core.screening` hold a new
member's or an unverified organisation's opportunity for a moderator). Bad input is a 400 with
the errors of each field and nothing saved; saving and publishing happen in one transaction.

A token acting for an organisation (`core.api_tokens`) posts for that organisation only and may
change only that organisation's opportunities; a read-only token is refused by the default
permission `TokenScopeAllows`. Errors are raised as DRF exceptions, so the API's one exception
handler renders them (problem details).

The views are also mixins (`OpportunityCreateMixin.post`, `OpportunityUpdateMixin.patch`), for
the read endpoints' list and detail views to take on when both live at the same address.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from django.conf import settings
from django.db import transaction
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from community.organisations.models import Organisation, Role
from core import trust
from core.api import problem_responses
from core.api_problems import PROBLEM_MEDIA_TYPE, ProblemSerializer
from core.api_tokens import TokenScopeAllows, token_of
from core.topics import topics_for_language
from core.trust import posting_limit_message

from . import lifecycle, permissions
from .api import OpportunityDetail, OpportunityList
from .forms import OpportunityForm
from .models import ApplyMethod, Opportunity, OpportunityType, Status, WorkMode

# API field → the posting form's field.
FORM_FIELDS = {
    "type": "type",
    "title": "title",
    "description": "description",
    "countries": "countries",
    "topics": "topics",
    "work_mode": "work_mode",
    "start_date": "start_date",
    "compensation": "compensation",
    "apply_method": "apply_method",
    "apply_url": "apply_url",
    "time_zone": "time_zone",
    "deadline": "deadline_local",
    "skills": "skills",
    "languages": "languages_text",
    "organisation": "organisation",
}
API_FIELDS = {form: api for api, form in FORM_FIELDS.items()}
LIST_FIELDS = {"countries", "topics", "skills", "languages"}
CONTROL_FIELDS = {"publish"}


class OpportunityInputSerializer(serializers.Serializer):
    """Documents the request body; validation is the site's own posting form."""

    type = serializers.ChoiceField(choices=OpportunityType.choices)
    title = serializers.CharField(max_length=200, help_text="Plain text; HTML is refused.")
    description = serializers.CharField(help_text="HTML; sanitised as on the site.")
    deadline = serializers.CharField(
        help_text="ISO 8601 date and time, read in `time_zone` (an offset, when given, is "
        "converted to it). Must be in the future."
    )
    time_zone = serializers.CharField(required=False, default="UTC", help_text="IANA name.")
    apply_method = serializers.ChoiceField(choices=ApplyMethod.choices, required=False)
    apply_url = serializers.URLField(
        required=False, help_text="https link; required when `apply_method` is `link`."
    )
    work_mode = serializers.ChoiceField(choices=WorkMode.choices, required=False)
    countries = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="ISO 3166 country codes."
    )
    topics = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Topic slugs."
    )
    skills = serializers.ListField(child=serializers.CharField(), required=False)
    languages = serializers.ListField(child=serializers.CharField(), required=False)
    start_date = serializers.DateField(required=False, allow_null=True)
    compensation = serializers.CharField(required=False, allow_blank=True)
    organisation = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Id of an organisation you administer; left out, a token acting for an "
        "organisation posts for it, any other posts as yourself.",
    )
    publish = serializers.BooleanField(
        required=False,
        help_text="Publish now (the default when creating); held for review by the same rules "
        "as the site.",
    )


class OpportunityOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    type = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    status = serializers.CharField(help_text="draft, published or archived.")
    review = serializers.CharField(
        help_text="held: waiting for a moderator; sent_back: a moderator sent it back to you as "
        "a draft (see review_note); change it and publish it again."
    )
    review_note = serializers.CharField(
        help_text="Why a moderator sent it back (review sent_back), as they wrote it; empty "
        "otherwise."
    )
    is_public = serializers.BooleanField()
    deadline = serializers.DateTimeField()
    time_zone = serializers.CharField()
    work_mode = serializers.CharField()
    countries = serializers.ListField(child=serializers.CharField())
    topics = serializers.ListField(child=serializers.CharField())
    skills = serializers.ListField(child=serializers.CharField())
    languages = serializers.ListField(child=serializers.CharField())
    start_date = serializers.DateField(allow_null=True)
    compensation = serializers.CharField()
    apply_method = serializers.CharField()
    apply_url = serializers.CharField()
    organisation = serializers.IntegerField(allow_null=True)


def represent(opportunity: Opportunity) -> dict[str, Any]:
    with translation.override(settings.LANGUAGE_CODE):
        path_ = reverse("opportunities:detail", args=[opportunity.pk])
    return {
        "id": opportunity.pk,
        "url": f"{settings.SITE_URL}{path_}",
        "type": opportunity.type,
        "title": opportunity.title,
        "description": opportunity.description,
        "status": opportunity.status,
        "review": opportunity.review,
        "review_note": opportunity.review_note,
        "is_public": opportunity.is_public,
        "deadline": opportunity.deadline.isoformat(),
        "time_zone": opportunity.time_zone,
        "work_mode": opportunity.work_mode,
        "countries": [str(country.code) for country in opportunity.countries],
        "topics": sorted({topic.slug for topic in opportunity.topics.all()}),
        "skills": sorted(opportunity.skills.names()),
        "languages": list(opportunity.languages or []),
        "start_date": opportunity.start_date.isoformat() if opportunity.start_date else None,
        "compensation": opportunity.compensation,
        "apply_method": opportunity.apply_method,
        "apply_url": opportunity.apply_url,
        "organisation": opportunity.organisation_id,
    }


# --- From JSON to the form's data ----------------------------------------------------------------


def _topic_ids(slugs) -> list[str]:
    """The form's choices are the topics' rows in the reader's language: the same concepts."""
    ids = {label.slug: label.id for label in topics_for_language()}
    return sorted({str(ids[slug]) for slug in slugs if slug in ids})


def _current_values(opportunity: Opportunity) -> dict[str, Any]:
    """What the edit form would send unchanged, so a PATCH changes only the fields given."""
    local = opportunity.local_deadline
    return {
        "type": opportunity.type,
        "title": opportunity.title,
        "description": opportunity.description,
        "countries": [str(country.code) for country in opportunity.countries],
        "topics": _topic_ids(opportunity.topics.values_list("slug", flat=True)),
        "work_mode": opportunity.work_mode,
        "start_date": opportunity.start_date.isoformat() if opportunity.start_date else "",
        "compensation": opportunity.compensation,
        "apply_method": opportunity.apply_method,
        "apply_url": opportunity.apply_url,
        "time_zone": opportunity.time_zone,
        "deadline_local": local.strftime("%Y-%m-%dT%H:%M"),
        "skills": ", ".join(opportunity.skills.names()),
        "languages_text": ", ".join(opportunity.languages or []),
    }


def _deadline_text(value: str, zone_name: str) -> str:
    """An ISO 8601 date-time as the form reads it (minutes, in the opportunity's zone)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value  # the form says what is wrong with it
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(ZoneInfo(zone_name))
        except (ZoneInfoNotFoundError, ValueError):
            return value
    return moment.strftime("%Y-%m-%dT%H:%M")


def form_data(payload: Any, current: dict[str, Any] | None = None) -> tuple[dict, bool | None]:
    """The posting form's data for a JSON body (over `current` for an update), and whether to
    publish. Raises a 400 naming each field sent in the wrong shape or unknown."""
    if not isinstance(payload, dict):
        raise exceptions.ValidationError(
            {"non_field_errors": [_("Send a JSON object with the opportunity's fields.")]}
        )
    errors: dict[str, list[str]] = {}
    data = dict(current or {})
    publish = None
    slugs = None
    for key, value in payload.items():
        if key == "publish":
            if not isinstance(value, bool):
                errors[key] = [_("Give true or false.")]
            publish = value
            continue
        if key not in FORM_FIELDS:
            errors[key] = [_("This field is unknown.")]
            continue
        if key in LIST_FIELDS:
            if not isinstance(value, list) or not all(
                isinstance(item, str | int) and not isinstance(item, bool) for item in value
            ):
                errors[key] = [_("Give a list of texts.")]
                continue
            items = [str(item) for item in value]
            if key == "topics":
                if slugs is None:
                    slugs = {label.slug: label.id for label in topics_for_language()}
                unknown = [item for item in items if item not in slugs]
                if unknown:
                    errors[key] = [_("Unknown topics: %(slugs)s") % {"slugs": ", ".join(unknown)}]
                    continue
                items = [str(slugs[item]) for item in items]
            elif key in {"skills", "languages"}:
                items = ", ".join(items)
            data[FORM_FIELDS[key]] = items
            continue
        if value is None:
            data[FORM_FIELDS[key]] = ""
        elif isinstance(value, bool) or not isinstance(value, str | int | float):
            errors[key] = [_("Give a text or a number.")]
        else:
            data[FORM_FIELDS[key]] = str(value)
    if errors:
        raise exceptions.ValidationError(errors)
    if "deadline" in payload and isinstance(payload["deadline"], str):
        data["deadline_local"] = _deadline_text(payload["deadline"], data.get("time_zone") or "UTC")
    data.setdefault("time_zone", "UTC")
    data.setdefault("apply_method", ApplyMethod.LINK)
    return data, publish


def form_errors(form: OpportunityForm) -> exceptions.ValidationError:
    """The form's errors under the API's field names (a 400, nothing saved)."""
    errors = {}
    for field, messages in form.errors.items():
        key = "non_field_errors" if field == "__all__" else API_FIELDS.get(field, field)
        errors[key] = list(messages)
    return exceptions.ValidationError(errors)


# --- Who may ------------------------------------------------------------------------------------


def _administered(user) -> list[Organisation]:
    return list(
        Organisation.objects.filter(
            memberships__user=user, memberships__role=Role.ADMIN, hidden=False
        ).order_by("name")
    )


def editable_or_error(request, pk: int) -> Opportunity:
    """The opportunity if this request may change it; 404 when it may not even see it, 403 when
    it sees but may not change it (or the token acts for another organisation)."""
    opportunity = Opportunity.objects.select_related("organisation").filter(pk=pk).first()
    if opportunity is None or not permissions.can_view(request.user, opportunity):
        raise exceptions.NotFound(_("No such opportunity."))
    if not permissions.can_edit(request.user, opportunity):
        raise exceptions.PermissionDenied(_("You may not change this opportunity."))
    token = token_of(request)
    if token is not None and token.organisation_id is not None:
        if opportunity.organisation_id != token.organisation_id:
            raise exceptions.PermissionDenied(
                _("This token acts for another organisation: it may not change this opportunity.")
            )
    return opportunity


def _save(form: OpportunityForm, publish: bool) -> Opportunity:
    with transaction.atomic():
        opportunity = form.save()
        if publish and opportunity.status == Status.DRAFT:
            lifecycle.publish(opportunity)
        else:
            # An edit of a published one matching the word lists goes back to review.
            lifecycle.hold_if_screened(opportunity)
    return opportunity


# --- Views ----------------------------------------------------------------------------------------


def _problem(text: str) -> OpenApiResponse:
    return OpenApiResponse(ProblemSerializer, description=text)


# Every error is a problem details document (`core.api_problems`), as `WRITE_PROBLEMS` of
# `knowledge.submission_api` declares them; every write may be throttled (429).
ERRORS = {
    **problem_responses(),
    (400, PROBLEM_MEDIA_TYPE): _problem(
        "Bad input: the errors of each field (problem details); nothing was saved."
    ),
    (401, PROBLEM_MEDIA_TYPE): _problem("No valid token or session."),
    (403, PROBLEM_MEDIA_TYPE): _problem(
        "Not allowed: a read-only token, another organisation's opportunity, or a session "
        "request without its CSRF token."
    ),
    (415, PROBLEM_MEDIA_TYPE): _problem("The body must be JSON (application/json)."),
    (429, PROBLEM_MEDIA_TYPE): _problem(
        "Too many requests, or too many opportunities posted this hour; see Retry-After."
    ),
}
# Changing or closing one: it may not exist, or not be visible to the caller.
ERRORS_OF_ONE = {
    **ERRORS,
    (404, PROBLEM_MEDIA_TYPE): _problem("No such opportunity, or not one you may see."),
}


class OpportunityCreateMixin:
    """POST: a new opportunity, as the site's posting form makes it."""

    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="opportunities_create",
        summary="Post an opportunity (organisation admins, members as themselves)",
        request=OpportunityInputSerializer,
        responses={201: OpportunityOutputSerializer, **ERRORS},
    )
    def post(self, request):
        user = request.user
        token = token_of(request)
        organisations = _administered(user)
        payload = request.data
        if token is not None and token.organisation_id is not None and isinstance(payload, dict):
            wanted = payload.get("organisation", token.organisation_id)
            if wanted != token.organisation_id:
                raise exceptions.PermissionDenied(
                    _("This token acts for one organisation: it may post only for that one.")
                )
            payload = {**payload, "organisation": token.organisation_id}
        data, publish = form_data(payload)
        wanted = data.get("organisation", "")
        # Refused before the form, as on the site: posting for an organisation one does not
        # administer.
        if wanted and not any(str(org.pk) == wanted for org in organisations):
            raise exceptions.PermissionDenied(
                _("You can post only for organisations you administer.")
            )
        form = OpportunityForm(data, organisations=organisations, description_is_html=True)
        if not form.is_valid():
            raise form_errors(form)
        if not permissions.can_post_for(user, form.cleaned_data["organisation"]):
            raise exceptions.PermissionDenied(
                _("You can post only for organisations you administer.")
            )
        if not trust.allows_post(user, "opportunities"):
            raise exceptions.Throttled(wait=3600, detail=posting_limit_message())
        form.instance.poster = user
        opportunity = _save(form, publish is not False)
        body = represent(opportunity)
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})


class OpportunityUpdateMixin:
    """PATCH: change the fields given, through the site's edit form."""

    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="opportunities_update",
        summary="Change an opportunity (its poster and its organisation's admins)",
        request=OpportunityInputSerializer(partial=True),
        responses={200: OpportunityOutputSerializer, **ERRORS_OF_ONE},
    )
    def patch(self, request, id: int):
        opportunity = editable_or_error(request, id)
        payload = request.data
        if isinstance(payload, dict) and "organisation" in payload:
            if payload["organisation"] != opportunity.organisation_id:
                raise exceptions.ValidationError(
                    {"organisation": [_("An opportunity cannot move to another organisation.")]}
                )
            payload = {key: value for key, value in payload.items() if key != "organisation"}
        data, publish = form_data(payload, _current_values(opportunity))
        form = OpportunityForm(data, instance=opportunity, description_is_html=True)
        if not form.is_valid():
            raise form_errors(form)
        opportunity = _save(form, bool(publish))
        return Response(represent(opportunity))


class ReadsOrSignedInWrites(BasePermission):
    """Anyone reads the public view; writing needs a member (by token or session)."""

    # GET and HEAD pass for anyone (core.api's conditional fast path relies on it).
    allows_anonymous_reads = True

    def has_permission(self, request, view) -> bool:
        signed_in = bool(request.user and request.user.is_authenticated)
        return request.method in SAFE_METHODS or signed_in


# One address each for reading and writing, as REST clients expect: the read views of
# `api.py` (their parameters, ETags, throttles) with the write methods added.
class OpportunityListAndCreate(OpportunityCreateMixin, OpportunityList):
    http_method_names = ["get", "head", "options", "post"]
    permission_classes = [ReadsOrSignedInWrites, TokenScopeAllows]


class OpportunityDetailAndUpdate(OpportunityUpdateMixin, OpportunityDetail):
    http_method_names = ["get", "head", "options", "patch"]
    permission_classes = [ReadsOrSignedInWrites, TokenScopeAllows]


class OpportunityCloseView(APIView):
    permission_classes = [IsAuthenticated, TokenScopeAllows]

    @extend_schema(
        operation_id="opportunities_close",
        summary="Close an opportunity now (its deadline becomes now)",
        request=None,
        responses={200: OpportunityOutputSerializer, **ERRORS_OF_ONE},
    )
    def post(self, request, pk: int):
        opportunity = editable_or_error(request, pk)
        lifecycle.close_now(opportunity)
        return Response(represent(opportunity))


# Mounted under /api/v1/ by idiaspora/urls.py.
urlpatterns = [
    path("opportunities/<int:pk>/close/", OpportunityCloseView.as_view(), name="opportunity-close"),
]
