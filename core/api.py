"""Shared pieces of the open-data REST API (each app's endpoints live in its own `api.py`).

Every read endpoint subclasses `ApiReadView`, which gives it, in this order for each request:
1. `?lang=` (else Accept-Language) activated first, so that even errors speak it;
2. authentication, then throttling: per address for anonymous callers (`api_anon`), per token
   (when `request.auth` is a token object with a `pk`) or per member otherwise (`api_member`),
   rates in `settings.API_THROTTLE_RATES`, a 429 with Retry-After beyond them (the throttles of
   `core.api_throttles`, DRF's defaults: every API view has them, read endpoint or not);
3. the query string checked: too long, unknown, repeated or invalid parameters are a 400 problem
   details document (`core.api_problems`) naming each field (valid parameters that no validator
   of the endpoint's own checks against the data are read once per process, not each time);
4. a conditional GET answered 304 before anything is read or serialised, when the endpoint's
   validator (`etag_groups`: the page-cache content groups its data belongs to, whose tokens
   change with every write, plus `etag_extra`) matches If-None-Match / If-Modified-Since; with
   the database cache the throttle's counting statement reads those tokens too, so a 304 costs
   one round trip to PostgreSQL (plus what `etag_extra` asks). The commonest case, an anonymous
   client polling an unchanged list, is answered before the view is reached
   (`ApiReadView.not_modified_early`, called by `core.api_middleware.ConditionalApiMiddleware`:
   the same steps in the same order, for views that authenticate and throttle as every read
   endpoint does); any other request goes on to DRF's path, which takes that request's count
   again rather than counting it twice;
5. `build()` reads and serialises, and the response carries ETag and Last-Modified. Lists build
   plain dicts (from `.values()` rows where they can), what each item relates to read in one
   query per relation (fixed SQL statements where a queryset would be built for each page),
   never a DRF serializer per item: the serializers document the shape (drf-spectacular) and
   the schema tests hold the answers to it. A list may keep its page's statement per process
   (`remembered_keyset_page`, through `core.compiled_queries`), keyed on everything it is
   made from.

What the API shows is the public view of the site, the same for every caller (what an anonymous
reader may see, decided by each app's own visibility and permission functions), so responses
and their validators do not depend on who asks. Lists are paged with an opaque keyset cursor
(`KeysetPage`): stable under inserts, at most `MAX_PAGE_SIZE` items a page.

An endpoint's OpenAPI operation is declared with `@read_operation(...)` on its class (the
parameters and problem responses follow from the view), a detail endpoint finds its object with
`public_or_404`, and a parameter naming something that must exist is checked with `known(...)`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlencode

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.db.models import Q, QuerySet
from django.http import HttpResponseBase, HttpResponseNotModified
from django.utils import timezone, translation
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from django.utils.translation import gettext as _

from .api_problems import PROBLEM_MEDIA_TYPE, ProblemSerializer
from .api_throttles import (
    PUBLIC_API_PREFIX,
    AnonymousIpThrottle,
    MemberOrTokenThrottle,
    anonymous_key,
)
from .api_tokens import TokenAuthentication
from .compiled_queries import CompiledQueries
from .memo import ProcessMemo
from .page_cache import (
    EVERYTHING,
    group_versions,
    token_time,
)

# Accept headers DRF's negotiation answers with the one JSON renderer, as it is.
_PLAIN_ACCEPTS = ("*/*", "application/json")
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
MAX_QUERY_STRING = 2048
# Every endpoint shows the public view: the site's visibility functions are asked for this viewer.
PUBLIC_VIEWER = AnonymousUser()


def only_public_api(endpoints: list[tuple]) -> list[tuple]:
    """drf-spectacular hook: document only the public API, not Wagtail's internal admin API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PUBLIC_API_PREFIX)]


# --- Keyset pagination -----------------------------------------------------------------------


@dataclass(frozen=True)
class Ordering:
    """An order for keyset paging: (field or annotation, descending) pairs, never null, the
    last one unique (the primary key)."""

    name: str
    keys: tuple[tuple[str, bool], ...]

    def order_by(self) -> list[str]:
        return [f"-{name}" if descending else name for name, descending in self.keys]


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "hex") and not isinstance(value, (int, float, str)):
        return str(value)  # UUID
    return value


def encode_cursor(ordering: Ordering, values: list) -> str:
    payload = json.dumps({"o": ordering.name, "v": [_plain(v) for v in values]})
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(ordering: Ordering, cursor: str) -> list:
    invalid = _invalid_cursor()
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeError):
        raise invalid from None
    values = payload.get("v") if isinstance(payload, dict) else None
    if payload.get("o") != ordering.name if isinstance(payload, dict) else True:
        raise invalid
    if not isinstance(values, list) or len(values) != len(ordering.keys):
        raise invalid
    if not all(isinstance(value, (str, int, float)) for value in values):
        raise invalid
    return values


def after(ordering: Ordering, values: list) -> Q:
    """Rows strictly after `values` in `ordering` (a lexicographic comparison)."""
    condition = Q(pk__in=[])
    equal = Q()
    for (name, descending), value in zip(ordering.keys, values, strict=True):
        condition |= equal & Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
        equal &= Q(**{name: value})
    return condition


@dataclass
class KeysetPage:
    items: list
    next_cursor: str | None


def _invalid_cursor() -> ValidationError:
    return ValidationError({"cursor": [_("This cursor is not valid for this listing.")]})


def _page_queryset(queryset: QuerySet, ordering: Ordering, cursor: str | None,
                   size: int) -> QuerySet:  # fmt: skip
    queryset = queryset.order_by(*ordering.order_by())
    if cursor:
        values = decode_cursor(ordering, cursor)
        try:
            queryset = queryset.filter(after(ordering, values))
        except (ValueError, TypeError, DjangoValidationError):
            raise _invalid_cursor() from None
    return queryset[: size + 1]


def keyset_page(queryset: QuerySet, ordering: Ordering, cursor: str | None,
                size: int) -> KeysetPage:  # fmt: skip
    """One page of `queryset` in `ordering`, after `cursor`; one query (size + 1 rows)."""
    queryset = _page_queryset(queryset, ordering, cursor, size)
    try:
        rows = list(queryset)
    except (DataError, DjangoValidationError):  # a forged value of the wrong type
        raise _invalid_cursor() from None
    return _keyset_rows(rows, ordering, size)


# Statements of pages, by every input their SQL depends on (see `remembered_keyset_page`):
# building and compiling the queryset was a fifth of a page's time.
_page_statements = CompiledQueries("api page statements", max_entries=512)


# Pages of rows, by their statement's key and the content version they were read at (see
# `remembered_keyset_page`): the same rows for every caller until that version changes.
_page_rows: ProcessMemo[KeysetPage] = ProcessMemo("api page rows", ttl=600.0, max_entries=256)


def remembered_keyset_page(key: tuple, queryset_of: Callable[[], QuerySet], ordering: Ordering,
                           cursor: str | None, size: int,
                           version: Hashable | None = None) -> KeysetPage:  # fmt: skip
    """`keyset_page(queryset_of(), ...)`, with the page's SQL statement made once per process
    for the same `key`, which must hold every input `queryset_of` builds the query from (the
    language, the parameters, a locale's id...), and run as it is
    (`CompiledQueries.rows_as_compiled`). The current time zone, the ordering, the cursor and
    the size are part of the key already.

    `version`, when given, is the content version the caller's validator was made from (its
    group tokens, `ApiReadView.content_version`): the page's rows are then kept per process
    under it, and read again once it changes. Only for rows that are the same for every
    caller: a validator that answers 304 from that version alone already says they are."""
    full_key = (key, timezone.get_current_timezone_name(), ordering.name, cursor, size)
    if version is not None:
        return _page_rows.get(
            (full_key, version),
            lambda: remembered_keyset_page(key, queryset_of, ordering, cursor, size),
        )
    try:
        rows = _page_statements.rows_as_compiled(
            full_key, lambda: _page_queryset(queryset_of(), ordering, cursor, size)
        )
    except (DataError, DjangoValidationError):  # a forged value of the wrong type
        raise _invalid_cursor() from None
    return _keyset_rows(rows, ordering, size)


def _keyset_rows(rows: list, ordering: Ordering, size: int) -> KeysetPage:
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = encode_cursor(
            ordering, [_attribute(last, name) for name, _d in ordering.keys]
        )
    return KeysetPage(rows, next_cursor)


def _attribute(item, name: str):
    if isinstance(item, dict):  # a row of `.values()`, named as the ordering names it
        return item[name]
    value = item
    for part in name.split("__"):
        value = getattr(value, part)
    return value


def paginated(serializer: type[serializers.Serializer], name: str) -> type:
    """The OpenAPI shape of a page of `serializer` items: `next` and `results`."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "next": serializers.URLField(
                allow_null=True, help_text="The next page's address; null on the last page."
            ),
            "results": serializer(many=True),
        },
    )


class PagingParams(serializers.Serializer):
    cursor = serializers.CharField(
        required=False, max_length=500, help_text="Opaque: copy it from a page's `next`."
    )
    page_size = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        help_text=f"Items per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}); "
        f"a larger value is a 400 error, never silently clamped.",
    )


# --- Schema helpers --------------------------------------------------------------------------

LANG_PARAMETER = OpenApiParameter(
    "lang",
    str,
    enum=[code for code, _name in settings.LANGUAGES],
    description="Language of translated fields and error messages (default: Accept-Language).",
)
CONDITIONAL_PARAMETERS = [
    OpenApiParameter(
        "If-None-Match", str, OpenApiParameter.HEADER, description="An ETag from an earlier answer."
    ),
    OpenApiParameter(
        "If-Modified-Since",
        str,
        OpenApiParameter.HEADER,
        description="A Last-Modified date from an earlier answer.",
    ),
]


def problem_responses(*statuses: int) -> dict:
    """OpenAPI responses for the problem details every endpoint may answer."""
    texts = {
        304: "Not modified since the ETag or date given.",
        400: "Invalid parameters (problem details, with `errors`).",
        401: "An API token was sent that is not valid (revoked, expired, its member suspended).",
        404: "No such public object (problem details).",
        406: "Only JSON is offered (problem details).",
        429: "Too many requests; see the Retry-After header (problem details).",
    }
    responses = {}
    for status in (400, 401, 406, 429, *statuses):
        if status == 304:
            responses[304] = OpenApiResponse(description=texts[304])
        else:
            responses[(status, PROBLEM_MEDIA_TYPE)] = OpenApiResponse(
                ProblemSerializer, description=texts[status]
            )
    return responses


def not_known(value: str) -> serializers.ValidationError:
    """The 400 error of a parameter naming something that does not exist (for the public)."""
    return serializers.ValidationError(_("This value is not known: %(v)s.") % {"v": value})


def known(exists: Callable[[str], bool]) -> Callable[[str], str]:
    """A serializer validator: the value is one for which `exists(value)`, else `not_known`."""

    def check(value: str) -> str:
        if not exists(value):
            raise not_known(value)
        return value

    return check


def read_operation(
    operation_id: str,
    summary: str,
    tag: str,
    response: type[serializers.Serializer],
    *,
    description: str | None = None,
    path: tuple = (),
) -> Callable[[type[ApiReadView]], type[ApiReadView]]:
    """Class decorator: document an `ApiReadView`'s GET as one operation of the open API.

    Its parameters are the `path` one (name, type[, description]: the endpoint then may answer
    404), the view's own (`params_class`, or paging when `paged`), `?lang=` and the conditional
    headers; `response` is wrapped in a page (`Paginated<Name>List`) when the view pages; the
    problem details every endpoint may answer are listed.
    """

    def decorate(view: type[ApiReadView]) -> type[ApiReadView]:
        params_class = view.params_class or (PagingParams if view.paged else None)
        parameters: list = [LANG_PARAMETER, *CONDITIONAL_PARAMETERS]
        if params_class is not None:
            parameters.insert(0, params_class)
        if path:
            name, kind, *text = path
            parameters.insert(
                0, OpenApiParameter(name, kind, OpenApiParameter.PATH, description="".join(text))
            )
        body = response
        if params_class is not None and issubclass(params_class, PagingParams):
            body = paginated(
                response, f"Paginated{response.__name__.removesuffix('Serializer')}List"
            )

        # A method of the view's own: the schema extension attaches to the function object.
        def get(self, request, *args, **kwargs):
            return super(view, self).get(request, *args, **kwargs)

        view.get = extend_schema(
            operation_id=operation_id,
            summary=summary,
            description=description,
            parameters=parameters,
            responses={200: body, **problem_responses(304, *([404] if path else []))},
            tags=[tag],
        )(get)
        return view

    return decorate


def public_or_404(queryset: QuerySet, can_view: Callable, **lookup):
    """The row of `queryset` matching `lookup` if the public may see it (`can_view` asked for
    `PUBLIC_VIEWER`), else a 404: what a detail endpoint shows."""
    found = queryset.filter(**lookup).first()
    if found is None or not can_view(PUBLIC_VIEWER, found):
        raise NotFound
    return found


# --- The base view ---------------------------------------------------------------------------


class ApiReadView(APIView):
    """A read-only endpoint of the open-data API; subclasses implement `build()`."""

    renderer_classes = [JSONRenderer]
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousIpThrottle, MemberOrTokenThrottle]
    http_method_names = ["get", "head", "options"]
    # The endpoint's parameters (a Serializer; a list's inherits `PagingParams`).
    params_class: type[serializers.Serializer] | None = None
    paged = False
    # Page-cache content groups whose tokens change whenever this endpoint's data may have.
    # None: no cheap validator, the ETag is a hash of the body.
    etag_groups: tuple[str, ...] | None = None

    # The tokens of `validator_groups()`: read by the throttle with its count, else by the
    # validator, before `etag_extra` is asked.
    group_tokens: dict[str, str | None] | None = None

    def etag_extra(self, request) -> str:
        """More of the validator, for data that changes with time (deadlines passing)."""
        return ""

    def content_version(self) -> tuple | None:
        """The group tokens this request's validator was made from, as a key for what is the
        same for every caller until they change (None: no validator, or the cache is down)."""
        tokens = self.group_tokens
        if not tokens or any(token is None for token in tokens.values()):
            return None
        return tuple(sorted(tokens.items()))

    def validator_groups(self) -> list[str] | None:
        """The page-cache groups whose tokens make this endpoint's validator (None: none)."""
        if self.etag_groups is None:
            return None
        return sorted({*self.etag_groups, EVERYTHING})

    def build(self, request, params: dict, **kwargs) -> dict | list:
        raise NotImplementedError

    # -- request handling --

    def initial(self, request, *args, **kwargs) -> None:
        self._activate_language(request)
        super().initial(request, *args, **kwargs)
        self.params = self._read_params(request)

    def _activate_language(self, request) -> None:
        codes = [code for code, _name in settings.LANGUAGES]
        wanted = request.GET.getlist("lang")
        if len(wanted) == 1 and wanted[0] in codes:
            translation.activate(wanted[0])
            request.LANGUAGE_CODE = wanted[0]
        self.language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        if self.language not in codes:
            self.language = settings.LANGUAGE_CODE

    def _read_params(self, request) -> dict:
        check_query_string(request)
        params_class = self.params_class or (PagingParams if self.paged else None)
        shape = params_shape(params_class)
        raw, errors = raw_params(request, shape, own=("lang",))
        values = request.GET.getlist("lang")
        if values:
            codes = [code for code, _n in settings.LANGUAGES]
            if len(values) != 1 or values[0] not in codes:
                errors["lang"] = [_("Choose one of: %(codes)s.") % {"codes": ", ".join(codes)}]
        if errors:
            raise ValidationError(errors)
        if params_class is None:
            return {}
        # What the same valid parameters gave is given again without running the serializer
        # (a deep copy of its fields each time): only when no field given has a validator of its
        # own, whose answer may change (an organisation hidden, a topic removed).
        key = None
        if all(shape[name].pure for name in raw):
            key = (params_class, tuple(sorted((k, tuple(v) if isinstance(v, list) else v)
                                             for k, v in raw.items())))  # fmt: skip
            found = _valid_params.get(key)
            if found is not None:
                return {k: list(v) if isinstance(v, list) else v for k, v in found.items()}
        serializer = params_class(data=raw)
        serializer.is_valid(raise_exception=True)
        validated = dict(serializer.validated_data)
        if key is not None:
            with _valid_params_lock:
                _valid_params[key] = validated
                while len(_valid_params) > _VALID_PARAMS_KEPT:
                    _valid_params.pop(next(iter(_valid_params)))
            return {k: list(v) if isinstance(v, list) else v for k, v in validated.items()}
        return validated

    @classmethod
    def not_modified_early(cls, request, initkwargs: dict, args, kwargs) -> HttpResponseBase | None:
        """The 304 of an anonymous conditional GET whose validator still matches, answered
        without DRF (by `core.api_middleware.ConditionalApiMiddleware`, before the view layer
        is reached): what DRF's path would do for such a caller, in its order (language,
        parameters, the per-address throttle with the validator's tokens, the validator), with
        its headers. Anything else (a token, a session cookie, an Accept header or a renderer
        choice to negotiate, an endpoint with its own authentication, permissions or
        throttles, parameters DRF would refuse, a changed validator, a caller over the rate)
        is None, and goes on to DRF's path, which takes the count made here again rather than
        counting twice."""
        view = cls(**initkwargs)
        view.setup(request, *args, **kwargs)
        return view._not_modified_fast(request, *args, **kwargs)

    def _not_modified_fast(self, request, *args, **kwargs) -> HttpResponseBase | None:
        meta = request.META
        if (
            request.method not in ("GET", "HEAD")
            or self.etag_groups is None
            or not (meta.get("HTTP_IF_NONE_MATCH") or meta.get("HTTP_IF_MODIFIED_SINCE"))
            or "HTTP_AUTHORIZATION" in meta
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or meta.get("HTTP_ACCEPT", "*/*") not in _PLAIN_ACCEPTS
            or "format" in kwargs
            or "format" in request.GET
            or not self._plain_read_view()
        ):
            return None
        self.args, self.kwargs = args, kwargs
        self._activate_language(request)
        try:
            self.params = self._read_params(request)
            if not AnonymousIpThrottle().count(request, anonymous_key(request), self):
                return None  # DRF's path answers the 429
            validator = self._validator(request)
        except Exception:  # DRF's path meets it again and answers it (a 400, a problem 500)
            return None
        if validator is None:
            return None
        self._validated = validator
        etag, modified = validator
        if not self._not_modified(request, etag, modified):
            return None
        response = self._decorate(HttpResponseNotModified(), etag, modified)
        response["Allow"] = ", ".join(self.allowed_methods)
        response["Content-Language"] = self.language
        return response

    @classmethod
    def _plain_read_view(cls) -> bool:
        """Whether the view authenticates and throttles as every read endpoint does and lets
        anonymous callers read (what `_not_modified_fast` answers for): its permissions are
        AllowAny's or say `allows_anonymous_reads` (an anonymous GET without a token is never
        refused by them). Worked out once per class."""
        plain = cls.__dict__.get("_plain")
        if plain is None:
            plain = (
                list(cls.authentication_classes) == [TokenAuthentication, SessionAuthentication]
                and all(
                    permission is AllowAny or getattr(permission, "allows_anonymous_reads", False)
                    for permission in cls.permission_classes
                )
                and list(cls.throttle_classes) == [AnonymousIpThrottle, MemberOrTokenThrottle]
                and list(cls.renderer_classes) == [JSONRenderer]
                and cls.initial is ApiReadView.initial
                and cls.get_throttles is ApiReadView.get_throttles
            )
            cls._plain = plain
        return plain

    def get(self, request, *args, **kwargs) -> Response:
        validator = None
        if self.etag_groups is not None:
            validator = self.__dict__.pop("_validated", None) or self._validator(request)
        if validator is not None:
            etag, modified = validator
            if self._not_modified(request, etag, modified):
                return self._decorate(Response(status=304), etag, modified)
        data = self.build(request, self.params, **kwargs)
        if validator is None:
            body = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
            etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
            modified = None
            if self._not_modified(request, etag, None):
                return self._decorate(Response(status=304), etag, None)
        return self._decorate(Response(data), etag, modified)

    # -- conditional requests --

    def _validator(self, request) -> tuple[str, float | None] | None:
        groups = self.validator_groups()
        tokens = self.group_tokens or group_versions(groups)
        if any(token is None for token in tokens.values()):
            return None  # the cache is unreachable: no validator, a full answer each time
        self.group_tokens = tokens  # what `etag_extra` may key a memo of its own on
        query = sorted((k, v) for k, vs in request.GET.lists() for v in vs if k != "lang")
        parts = [
            "v1",
            request.path,
            urlencode(query),
            self.language,
            *(f"{group}={tokens[group]}" for group in groups),
            self.etag_extra(request),
        ]
        etag = '"' + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32] + '"'
        times = [token_time(token) for token in tokens.values()]
        modified = max(times) if all(t is not None for t in times) else None
        return etag, modified

    @staticmethod
    def _not_modified(request, etag: str, modified: float | None) -> bool:
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match:
            if if_none_match.strip() in ("*", etag):  # a client sends back the ETag it got
                return True
            strip = lambda tag: tag[2:] if tag.startswith("W/") else tag  # noqa: E731
            return strip(etag) in {strip(tag) for tag in parse_etags(if_none_match)}
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        return bool(since is not None and modified is not None and int(modified) <= since)

    def _decorate(self, response: Response, etag: str, modified: float | None) -> Response:
        response["ETag"] = etag
        if modified is not None:
            response["Last-Modified"] = http_date(int(modified))
        # Every caller gets the same public view; a client or cache revalidates each time.
        response["Cache-Control"] = "public, no-cache"
        response["Vary"] = "Accept-Language"
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = getattr(self, "language", settings.LANGUAGE_CODE)
        return response

    # -- helpers for subclasses --

    def page_of(self, request, queryset: QuerySet, ordering: Ordering) -> KeysetPage:
        size = self.params.get("page_size") or DEFAULT_PAGE_SIZE
        return keyset_page(queryset, ordering, self.params.get("cursor"), size)

    def next_url(self, request, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        query = request.GET.copy()
        query["cursor"] = cursor
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    def page_response(self, request, page: KeysetPage, serialize: Callable[[list], list]) -> dict:
        return {"next": self.next_url(request, page.next_cursor), "results": serialize(page.items)}


@dataclass(frozen=True)
class _ParamShape:
    many: bool  # a ListField: the parameter may be repeated
    pure: bool  # its validation depends on the value alone (no validator of the endpoint's own)


# Django's and DRF's own validators (lengths, bounds) depend on the value alone.
_PURE_VALIDATORS = ("django.core.validators", "rest_framework.validators")
_shapes: dict[type, dict[str, _ParamShape]] = {}
_valid_params: dict[tuple, dict] = {}
_valid_params_lock = threading.Lock()
_VALID_PARAMS_KEPT = 512


def params_shape(params_class: type[serializers.Serializer] | None) -> dict[str, _ParamShape]:
    """Each parameter of `params_class` with what reading it needs, worked out once a class."""
    if params_class is None:
        return {}
    shape = _shapes.get(params_class)
    if shape is None:
        # A `validate()` or `validate_<name>()` of the class's own may ask the data as well.
        checked_whole = params_class.validate is not serializers.Serializer.validate
        shape = {
            name: _ParamShape(
                many=isinstance(field, serializers.ListField),
                pure=not isinstance(field, serializers.ListField)
                and not checked_whole
                and not hasattr(params_class, f"validate_{name}")
                and all(
                    type(validator).__module__.startswith(_PURE_VALIDATORS)
                    for validator in field.validators
                ),
            )
            for name, field in params_class().fields.items()
        }
        _shapes[params_class] = shape
    return shape


def check_query_string(request) -> None:
    """A query string longer than MAX_QUERY_STRING is refused whole (a 400 problem)."""
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        raise ValidationError(
            {"": [_("The query string is longer than %(n)s characters.") % {"n": MAX_QUERY_STRING}]}
        )


def raw_params(
    request, shape: dict[str, _ParamShape], own: tuple[str, ...] = ()
) -> tuple[dict, dict[str, list[str]]]:
    """The query string read against a parameters class's `shape` (`params_shape`): the raw
    value (or values, for a list) of each known parameter, and what is wrong with the others
    (control characters, unknown, given twice though single), by name. The names in `own` are
    the caller's to read."""
    errors: dict[str, list[str]] = {}
    raw: dict = {}
    for name, values in request.GET.lists():
        if name in own:
            continue
        field = shape.get(name)
        if any(_has_control_characters(value) for value in [name, *values]):
            # PostgreSQL refuses NUL in text; no parameter has a use for control codes.
            errors[name[:50]] = [_("This parameter contains characters that are not allowed.")]
        elif field is None:
            errors[name[:50]] = [_("This parameter is not known here.")]
        elif field.many:
            raw[name] = values
        elif len(values) > 1:
            errors[name] = [_("Give this parameter once.")]
        else:
            raw[name] = values[0]
    return raw, errors


def _has_control_characters(text: str) -> bool:
    return any(ord(char) < 32 or ord(char) == 127 for char in text)


def ordering_field(orderings: dict[str, Ordering], default: str) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=list(orderings), required=False, default=default,
        help_text=f"Order of the results (default `{default}`).",
    )  # fmt: skip
