"""`/api/v1/resources/submissions/`: members propose library resources through the API, and read
where their own proposals stand.

`POST` goes through exactly what the site's "Propose a resource" page does: the JSON is turned
into `ResourceSubmissionForm`'s data (so the same field rules and messages, in the request's
language: `?lang=`, else Accept-Language) and a valid form goes to `submissions.submit` (so the
same draft page in the review workflow, the same moderators, the same hourly and daily
allowance: spent, it is a 429 with Retry-After). Bad input is a 400 naming each field, and
nothing is stored. Files are not sent over the API: the form takes a link instead (`link`
is then required); a member with a file proposes it on the site.

`GET` lists the caller's own proposals only (`submission_permissions.is_submitter`: never
another member's), newest first, each with its status, the moderators' reason when not
accepted, and the published resource's address once it is live. Being personal, its answers are
`private` to HTTP caches.

Writing needs a member, by a read-write token or by the site's session (with its CSRF check);
a read-only token is refused by `TokenScopeAllows`. A token acting for an organisation proposes
as its member: a resource belongs to no organisation.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from django.conf import settings
from django.utils.translation import gettext as _

from core.api import ApiReadView, Ordering, problem_responses, read_operation
from core.api_problems import PROBLEM_MEDIA_TYPE, ProblemSerializer
from core.api_tokens import TokenScopeAllows

from . import submissions
from .models import ResourceType
from .submission_forms import ResourceSubmissionForm
from .submission_models import ResourceSubmission, SubmissionState
from .submission_permissions import can_propose, is_submitter

# API field → the proposal form's field (the read API calls the resource type `type`).
FORM_FIELDS = {
    "title": "title",
    "summary": "summary",
    "link": "link",
    "type": "resource_type",
    "language": "language",
    "topics": "topics",
    "countries": "countries",
}
API_FIELDS = {form: api for api, form in FORM_FIELDS.items()}
LIST_FIELDS = {"topics", "countries"}
NEWEST = Ordering("newest", (("created_at", True), ("pk", True)))


class SubmissionInputSerializer(serializers.Serializer):
    """Documents the request body; validation is the site's own proposal form."""

    title = serializers.CharField(max_length=255, help_text="Plain text; HTML is refused.")
    summary = serializers.CharField(
        max_length=1000,
        help_text="What the resource is about and who it helps; plain text, HTML is refused.",
    )
    link = serializers.URLField(
        max_length=500,
        help_text="Where the resource can be read (http or https). Files are not taken over "
        "the API: propose a file on the site.",
    )
    type = serializers.ChoiceField(choices=ResourceType.values)
    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        help_text="The resource's language: its draft waits in that language's library.",
    )
    topics = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Topic slugs (/api/v1/topics/)."
    )
    countries = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="ISO 3166-1 alpha-2 codes, upper case (/api/v1/countries/).",
    )


class SubmissionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    language = serializers.CharField()
    link = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(
        choices=SubmissionState.values,
        help_text="in_review: waiting for the moderators; published; rejected: not accepted.",
    )
    status_label = serializers.CharField(help_text="The status in the requested language.")
    reason = serializers.CharField(
        allow_blank=True, help_text="The moderators' reason when it was not accepted."
    )
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    resource = serializers.UUIDField(
        allow_null=True, help_text="Once published: its id in /api/v1/resources/{id}/."
    )
    url = serializers.URLField(allow_null=True, help_text="Once published: its page.")


def represent(submission: ResourceSubmission, request) -> dict[str, Any]:
    page = submission.page
    live = submission.state == SubmissionState.PUBLISHED and page is not None and page.live
    return {
        "id": submission.pk,
        "title": submission.title,
        "language": submission.language,
        "link": submission.link,
        "status": submission.state,
        "status_label": str(SubmissionState(submission.state).label),
        "reason": submission.reason if submission.state == SubmissionState.REJECTED else "",
        "created_at": submission.created_at.isoformat(),
        "decided_at": submission.decided_at.isoformat() if submission.decided_at else None,
        "resource": str(page.translation_key) if live else None,
        "url": (page.get_full_url(request) or None) if live else None,
    }


# --- From JSON to the form's data ----------------------------------------------------------------


def form_data(payload: Any) -> dict[str, Any]:
    """The proposal form's data for a JSON body; a 400 naming each field sent in the wrong
    shape, unknown, or a file (which only the site's form takes)."""
    if not isinstance(payload, dict):
        raise exceptions.ValidationError(
            {"non_field_errors": [_("Send a JSON object with the resource's fields.")]}
        )
    errors: dict[str, list[str]] = {}
    data: dict[str, Any] = {}
    for key, value in payload.items():
        if key == "file":
            errors[key] = [
                _(
                    "Files cannot be sent through the API: give a link to the resource, or "
                    "propose it with its file on the site."
                )
            ]
        elif key not in FORM_FIELDS:
            errors[key] = [_("This field is unknown.")]
        elif key in LIST_FIELDS:
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                errors[key] = [_("Give a list of texts.")]
            else:
                data[FORM_FIELDS[key]] = value
        elif value is None:
            data[FORM_FIELDS[key]] = ""
        elif isinstance(value, bool) or not isinstance(value, str | int | float):
            errors[key] = [_("Give a text or a number.")]
        else:
            data[FORM_FIELDS[key]] = str(value)
    if errors:
        raise exceptions.ValidationError(errors)
    return data


def form_errors(form: ResourceSubmissionForm) -> exceptions.ValidationError:
    """The form's errors under the API's field names (a 400, nothing stored)."""
    errors = {}
    for field, messages in form.errors.items():
        key = "non_field_errors" if field == "__all__" else API_FIELDS.get(field, field)
        errors[key] = list(messages)
    return exceptions.ValidationError(errors)


# --- The view ------------------------------------------------------------------------------------


class MayPropose(BasePermission):
    """A signed-in member, for reading their proposals as for proposing."""

    def has_permission(self, request, view) -> bool:
        return can_propose(request.user)


def _problem(text: str) -> OpenApiResponse:
    return OpenApiResponse(ProblemSerializer, description=text)


WRITE_PROBLEMS = {
    **problem_responses(),
    (400, PROBLEM_MEDIA_TYPE): _problem(
        "Bad input: the errors of each field (problem details); nothing was stored."
    ),
    (401, PROBLEM_MEDIA_TYPE): _problem("No valid token or session."),
    (403, PROBLEM_MEDIA_TYPE): _problem(
        "Not allowed: a read-only token, or a session request without its CSRF token."
    ),
    (415, PROBLEM_MEDIA_TYPE): _problem("The body must be JSON (application/json)."),
    (429, PROBLEM_MEDIA_TYPE): _problem(
        "Too many requests, or too many proposals this hour or day; see Retry-After."
    ),
}


@read_operation(
    "resource_submissions_list",
    "Your resource proposals and their review status",
    "library",
    SubmissionSerializer,
    description=(
        "The resources you proposed (never anyone else's), newest first: waiting for the "
        "moderators, published (with the resource's address) or not accepted (with their "
        "reason). Needs a token or a session."
    ),
)
class SubmissionListAndCreate(ApiReadView):
    """GET: the caller's own proposals; POST: a new proposal, as the site's form makes it."""

    http_method_names = ["get", "head", "options", "post"]
    permission_classes = [MayPropose, TokenScopeAllows]
    parser_classes = [JSONParser]
    paged = True

    def initial(self, request, *args, **kwargs) -> None:
        if request.method == "POST":
            self.paged = False  # the query string of a POST takes `lang` only
        super().initial(request, *args, **kwargs)

    def build(self, request, params: dict, **kwargs) -> dict:
        mine = ResourceSubmission.objects.filter(member=request.user).select_related("page")
        page = self.page_of(request, mine, NEWEST)

        def serialize(items: list[ResourceSubmission]) -> list[dict]:
            # The query already keeps to the caller's; asked again, as every view asks.
            return [represent(item, request) for item in items if is_submitter(request.user, item)]

        return self.page_response(request, page, serialize)

    @extend_schema(
        operation_id="resource_submissions_create",
        summary="Propose a resource for the library (members)",
        description=(
            "The site's proposal form and review workflow: the resource waits, unpublished, "
            "for the moderators; you are told of their decision. Give a link (files only "
            "through the site's form). The site's allowance applies (a few proposals an "
            "hour, more a day)."
        ),
        request=SubmissionInputSerializer,
        responses={201: SubmissionSerializer, **WRITE_PROBLEMS},
        tags=["library"],
    )
    def post(self, request) -> Response:
        form = ResourceSubmissionForm(form_data(request.data))
        if not form.is_valid():
            raise form_errors(form)
        try:
            submission = submissions.submit(request.user, form.cleaned_data)
        except submissions.TooMany as refused:
            raise exceptions.Throttled(wait=refused.retry_after, detail=refused.message) from None
        except submissions.Refused as refused:
            field = refused.field or "non_field_errors"
            raise exceptions.ValidationError({field: [refused.message]}) from None
        response = Response(represent(submission, request), status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response

    def _decorate(self, response: Response, etag: str, modified: float | None) -> Response:
        response = super()._decorate(response, etag, modified)
        # One member's list: no shared cache may keep it, and it differs by caller.
        response["Cache-Control"] = "private, no-cache"
        response["Vary"] = "Accept-Language, Authorization, Cookie"
        return response
