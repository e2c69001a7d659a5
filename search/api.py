"""`GET /api/v1/search/?q=&lang=&type=&country=&topic=&page=`: the search page's results as JSON,
through the same query reading and backend call, in the OpenAPI schema."""

from __future__ import annotations

import html

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from core.api import problem_responses

from .queries import read_query, run
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
    facets = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()))
    errors = serializers.ListField(child=serializers.CharField())
    notice = serializers.CharField(
        allow_blank=True,
        help_text="Set when the search engine (Elasticsearch) is down and the results come "
        "from the PostgreSQL fallback; empty otherwise.",
    )
    engine = serializers.CharField(
        allow_blank=True, help_text="The engine that answered: elasticsearch or postgres."
    )


class SearchView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="search",
        summary="Search resources, handbook chapters, opportunities and organisations",
        parameters=[
            OpenApiParameter("q", str, description="What to look for, in any language."),
            OpenApiParameter("lang", str, many=True, description="Only these languages."),
            OpenApiParameter("type", str, many=True, description="Only these types."),
            OpenApiParameter("country", str, many=True, description="ISO 3166 country codes."),
            OpenApiParameter("topic", str, many=True, description="Topic slugs."),
            OpenApiParameter("page", int),
        ],
        # Bad parameters are reported in `errors` (as the search page shows them), but the
        # API's plumbing may still answer a problem: an invalid token, JSON only, throttling.
        responses={200: SearchResponseSerializer, **problem_responses()},
    )
    def get(self, request):
        for name, values in request.query_params.lists():
            # PostgreSQL refuses NUL in text (a 500 otherwise); no parameter uses control codes.
            if any(ord(char) < 32 or ord(char) == 127 for text in [name, *values] for char in text):
                raise ValidationError(
                    {name[:50]: [_("This parameter contains characters that are not allowed.")]}
                )
        query, errors = read_query(request.query_params, request.user, request.GET.get("ui"))
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
            "facets": results.facets if results else {"type": {}, "language": {}},
            "errors": errors,
            "notice": results.notice if results else "",
            "engine": results.engine if results else "",
        }
        response = Response(SearchResponseSerializer(data).data)
        response["Cache-Control"] = "private, no-store"
        return response
