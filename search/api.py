"""`GET /api/v1/search/?q=&lang=&type=&country=&topic=&page=`: the search page's results as JSON,
through the same query reading and backend call, in the OpenAPI schema.

The search page forgives what a reader types in its address (a page number past the end, an
unknown type are quietly set right); the API does not: like every other endpoint, a parameter
that is unknown, repeated, of the wrong type or out of bounds is a 400 problem details
document naming each field (`SearchParams`), and only a valid query reaches `read_query`."""

from __future__ import annotations

import html
from dataclasses import asdict

from django_countries import countries
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from core.api import check_query_string, params_shape, problem_responses, raw_params

from .analysis import MAX_QUERY_CHARS, enabled_languages
from .backends import SUGGEST_MIN_CHARS
from .documents import no_facets
from .queries import MAX_PAGE, read_query, run
from .registry import adapters
from .suggestions import suggestions
from .views import present


class HitSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.CharField()
    title = serializers.CharField()
    language = serializers.CharField()
    url = serializers.CharField()
    snippet = serializers.CharField(help_text="Plain text around the matched words.")
    score = serializers.FloatField()
    matched_by = serializers.ListField(
        child=serializers.ChoiceField(choices=["keyword", "taxonomy", "semantic"])
    )


class SearchResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = HitSerializer(many=True)
    facets = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="Counts by type and language (of every result the other filters leave), and "
        "by country, topic slug and year (of the results returned, over every page).",
    )
    errors = serializers.ListField(child=serializers.CharField())
    notice = serializers.CharField(
        allow_blank=True,
        help_text="Set when the search engine (Elasticsearch) is down and the results come "
        "from the PostgreSQL fallback; empty otherwise.",
    )
    engine = serializers.CharField(
        allow_blank=True, help_text="The engine that answered: elasticsearch or postgres."
    )


MAX_FILTER_VALUES = 5


def _one_of(allowed, value: str) -> str:
    if value not in allowed:
        raise serializers.ValidationError(_("This value is not known: %(v)s.") % {"v": value[:100]})
    return value


def _search_type(value: str) -> str:
    return _one_of(adapters, value)


def _content_language(value: str) -> str:
    return _one_of(enabled_languages(), value)


def _country(value: str) -> str:
    return _one_of(countries, value.upper())


class SearchParams(serializers.Serializer):
    """The search endpoint's parameters: anything else, or any value out of these bounds, is
    refused with a 400 rather than set right (as the search page does for its readers)."""

    q = serializers.CharField(required=False, allow_blank=True, max_length=MAX_QUERY_CHARS)
    lang = serializers.ListField(
        child=serializers.CharField(validators=[_content_language]),
        required=False,
        max_length=MAX_FILTER_VALUES,
    )
    type = serializers.ListField(
        child=serializers.CharField(validators=[_search_type]),
        required=False,
        max_length=MAX_FILTER_VALUES,
    )
    country = serializers.ListField(
        child=serializers.CharField(max_length=2, validators=[_country]),
        required=False,
        max_length=MAX_FILTER_VALUES,
    )
    topic = serializers.ListField(
        child=serializers.CharField(max_length=80),
        required=False,
        max_length=MAX_FILTER_VALUES,
    )
    year = serializers.ListField(
        child=serializers.IntegerField(min_value=1000, max_value=2999),
        required=False,
        max_length=MAX_FILTER_VALUES,
    )
    page = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)
    closed = serializers.BooleanField(required=False)


def read_search_params(request, params_class: type[serializers.Serializer] = SearchParams) -> dict:
    """The request's parameters checked against `params_class`, else a ValidationError naming
    each field at fault, the unknown ones with the invalid ones (the problem handler makes it
    a 400)."""
    check_query_string(request)
    raw, errors = raw_params(request, params_shape(params_class))
    serializer = params_class(data=raw)
    if not serializer.is_valid():
        errors.update(serializer.errors)
    if errors:
        raise ValidationError(errors)
    return serializer.validated_data


class SearchView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="search",
        summary="Search resources, handbook chapters, opportunities and organisations",
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description=f"What to look for, in any language (at most {MAX_QUERY_CHARS} "
                "characters).",
            ),
            OpenApiParameter(
                "lang",
                str,
                many=True,
                enum=enabled_languages(),
                description=f"Only these languages (at most {MAX_FILTER_VALUES}).",
            ),
            OpenApiParameter(
                "type",
                str,
                many=True,
                description="Only these types: resource, chapter, opportunity, organisation... "
                f"(at most {MAX_FILTER_VALUES}; an unknown one is a 400 error).",
            ),
            OpenApiParameter(
                "country",
                str,
                many=True,
                description=f"ISO 3166 country codes (at most {MAX_FILTER_VALUES}).",
            ),
            OpenApiParameter(
                "topic", str, many=True, description=f"Topic slugs (at most {MAX_FILTER_VALUES})."
            ),
            OpenApiParameter(
                "year",
                int,
                many=True,
                description=f"Only what is dated in these years (at most {MAX_FILTER_VALUES}).",
            ),
            OpenApiParameter(
                "page",
                int,
                description=f"1 to {MAX_PAGE}; a larger value is a 400 error, never clamped.",
            ),
            OpenApiParameter("closed", bool, description="Include closed opportunities."),
        ],
        # Unknown, repeated or invalid parameters are a 400 problem naming each one.
        responses={200: SearchResponseSerializer, **problem_responses()},
    )
    def get(self, request):
        read_search_params(request)
        query, errors = read_query(request.query_params, request.user)
        results = run(query) if query.text else None
        hits = []
        for hit in results.hits if results else []:
            shown = present(hit, query.language)
            hits.append(
                {
                    "type": hit.doc_type,
                    "id": hit.object_id,
                    "title": hit.title,
                    "language": hit.language,
                    "url": request.build_absolute_uri(shown["url"]),
                    "snippet": html.unescape(strip_tags(hit.snippet)),
                    "score": hit.score,
                    "matched_by": hit.matched_by,
                }
            )
        data = {
            "count": results.total if results else 0,
            "page": query.page,
            "pages": results.pages if results else 0,
            "results": hits,
            "facets": results.facets if results else no_facets(),
            "errors": errors,
            "notice": results.notice if results else "",
            "engine": results.engine if results else "",
        }
        response = Response(SearchResponseSerializer(data).data)
        response["Cache-Control"] = "private, no-store"
        return response


class SuggestionSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text="topic (a search for the topic's label), or the type of the suggested page."
    )
    label = serializers.CharField()
    url = serializers.CharField()
    language = serializers.CharField()
    note = serializers.CharField(help_text='The page\'s type and language, or "Topic".')


class SuggestionsResponseSerializer(serializers.Serializer):
    results = SuggestionSerializer(many=True)


class SuggestionParams(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=MAX_QUERY_CHARS)


class SuggestionsView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="search_suggestions",
        summary="What to offer while someone types a search: topics, then titles",
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description=f"What has been typed so far (at most {MAX_QUERY_CHARS} characters; "
                f"nothing is suggested before a word of {SUGGEST_MIN_CHARS} letters).",
            )
        ],
        responses={200: SuggestionsResponseSerializer, **problem_responses()},
    )
    def get(self, request):
        params = read_search_params(request, SuggestionParams)
        offers = suggestions(params.get("q", ""), request.user)
        data = {
            "results": [
                {**asdict(offer), "url": request.build_absolute_uri(offer.url)} for offer in offers
            ]
        }
        response = Response(SuggestionsResponseSerializer(data).data)
        response["Cache-Control"] = "private, no-store"
        return response
