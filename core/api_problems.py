"""Every error of the open-data API as an RFC 9457 problem details document.

A client of `/api/v1/` always gets `application/problem+json` when something goes wrong: a
`type` (a `tag:` URI naming the kind of problem, stable across releases), a translated `title`
(in the request's language, `?lang=` or Accept-Language), a `detail` saying what happened this
time, the `status`, and for invalid parameters an `errors` list naming each field. Never an HTML
page, never a stack trace.

`problem_exception_handler` is DRF's `EXCEPTION_HANDLER`; Django's own 400/403/404/500 handlers
call `problem_response` for paths under the API prefix (an unknown address under `/api/v1/`
never reaches a DRF view).
"""

from __future__ import annotations

import json
import logging

from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "tag:diasporahub.org,2026:problems/"

# status -> (slug of the problem type, title). Titles are translated when the problem is built.
PROBLEMS: dict[int, tuple[str, object]] = {
    400: ("invalid-parameters", gettext_lazy("Invalid request parameters")),
    401: ("not-authenticated", gettext_lazy("Authentication needed")),
    403: ("forbidden", gettext_lazy("Not allowed")),
    404: ("not-found", gettext_lazy("Not found")),
    405: ("method-not-allowed", gettext_lazy("Method not allowed")),
    406: ("not-acceptable", gettext_lazy("Response format not available")),
    412: ("precondition-failed", gettext_lazy("Precondition failed")),
    414: ("uri-too-long", gettext_lazy("Address too long")),
    415: ("unsupported-media-type", gettext_lazy("Unsupported media type")),
    429: ("too-many-requests", gettext_lazy("Too many requests")),
    500: ("server-error", gettext_lazy("Server error")),
}


def is_api_path(path: str) -> bool:
    from .api import PUBLIC_API_PREFIX

    return path.startswith(PUBLIC_API_PREFIX)


def problem(status: int, detail: str = "", errors: list[dict] | None = None) -> dict:
    """The problem details document for `status`, title in the active language."""
    slug, title = PROBLEMS.get(status, PROBLEMS[500] if status >= 500 else PROBLEMS[400])
    data = {"type": PROBLEM_TYPE_BASE + slug, "title": str(title), "status": status}
    data["detail"] = detail or str(title)
    if errors:
        data["errors"] = errors
    return data


def field_errors(detail, prefix: str = "") -> list[dict]:
    """DRF's nested validation detail flattened to [{"name": field, "reason": message}]."""
    found: list[dict] = []
    if isinstance(detail, dict):
        for name, value in detail.items():
            key = name if name != "non_field_errors" else ""
            found.extend(
                field_errors(value, f"{prefix}.{key}" if prefix and key else key or prefix)
            )
    elif isinstance(detail, list):
        for item in detail:
            found.extend(field_errors(item, prefix))
    else:
        found.append({"name": prefix, "reason": str(detail)})
    return found


def problem_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, then the result reshaped as problem details (API paths only)."""
    request = context.get("request")
    response = drf_exception_handler(exc, context)
    if request is None or not is_api_path(request.path):
        return response
    if response is None:
        # An unexpected error: logged with its traceback, answered without one.
        logger.exception("Unhandled error in %s", request.path, exc_info=exc)
        response = Response(status=500)
        data = problem(500, _("Something went wrong on our side. Please try again later."))
    elif isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.detail)
        detail = _("Some parameters are not valid: %(names)s.") % {
            "names": ", ".join(sorted({error["name"] or "-" for error in errors}))
        }
        data = problem(response.status_code, detail, errors)
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        if isinstance(exc, (exceptions.NotFound, Http404)):
            detail = _("There is nothing at this address, or it is not public.")
        elif isinstance(exc, exceptions.MethodNotAllowed):
            detail = _("This address only answers GET, HEAD and OPTIONS requests.")
        elif isinstance(exc, exceptions.Throttled) and str(exc.detail).startswith(
            str(exceptions.Throttled.default_detail)
        ):
            # DRF's generic wording; a view's own (a posting allowance) is kept as it is.
            detail = _("Too many requests: try again in %(seconds)s seconds.") % {
                "seconds": response.headers.get("Retry-After", "1")
            }
        data = problem(response.status_code, str(detail))
    response.data = data
    response.content_type = PROBLEM_MEDIA_TYPE
    response["Cache-Control"] = "no-store"
    return response


def problem_response(request: HttpRequest, status: int, detail: str = "") -> HttpResponse:
    """A problem details response outside DRF (Django's error handlers)."""
    response = HttpResponse(
        json.dumps(problem(status, detail), ensure_ascii=False),
        status=status,
        content_type=PROBLEM_MEDIA_TYPE,
    )
    response["Cache-Control"] = "no-store"
    return response


class ProblemErrorSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The parameter or field at fault (empty: the request).")
    reason = serializers.CharField(help_text="What is wrong with it, in the request's language.")


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField(help_text="A URI naming the kind of problem (stable).")
    title = serializers.CharField(help_text="A short summary, in the request's language.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong this time.")
    errors = ProblemErrorSerializer(many=True, required=False, help_text="Invalid parameters.")
