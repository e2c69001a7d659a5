"""`/api/v1/courses/`: the self-paced courses as data, with their modules and lessons in order.

Each course is listed once, as the courses index lists it: the copy in `?lang=` (else the
Accept-Language) when it has one, else the original, with its own `language` and every
translation. Which pages exist for the public is the site's own answer: live pages under no view
restriction (`library.restricted`), and a course's outline is `courses.outlines`, the modules
and lessons (live, unrestricted, numbered) its page shows. A lesson is named and linked, never
its quiz (the right answers and their feedback stay on the server), and nothing of a member's
enrolment, progress, quiz results or certificates is ever part of the open data.

A page of courses costs a fixed number of queries: the courses (with their locale), their
translations, and every module and lesson of the page's courses in one.
"""

from __future__ import annotations

from datetime import UTC, datetime

from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from django.conf import settings
from django.db.models import Case, DateTimeField, IntegerField, Value, When
from django.db.models.functions import Coalesce, Lower

from core.api import ApiReadView, Ordering, PagingParams, ordering_field, read_operation
from core.page_urls import PageUrls

from .api import TranslationSerializer, _iso, _locale_ids, _translations
from .course_models import CoursePage
from .courses import ModuleEntry, outlines
from .library import restricted

LANGUAGES = [code for code, _name in settings.LANGUAGES]

COURSE_ORDERINGS = {
    "title": Ordering("title", (("title_key", False), ("pk", False))),
    "newest": Ordering("newest", (("published_key", True), ("pk", True))),
}


class CourseParams(PagingParams):
    language = serializers.ChoiceField(
        choices=LANGUAGES,
        required=False,
        help_text="Only courses available in this language (given in it).",
    )
    ordering = ordering_field(COURSE_ORDERINGS, "title")


class LessonRefSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="Its place in the course: module.lesson, from 1.1.")
    title = serializers.CharField()
    url = serializers.URLField()


class ModuleRefSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="Its place in the course, from 1.")
    title = serializers.CharField()
    url = serializers.URLField()
    lessons = LessonRefSerializer(many=True, help_text="In order.")


class CourseSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The course, whatever its language (stable).")
    title = serializers.CharField()
    summary = serializers.CharField(help_text="Who the course is for and what they learn.")
    duration = serializers.CharField(allow_blank=True, help_text="The time it takes, as written.")
    language = serializers.CharField(help_text="The language of this copy.")
    url = serializers.URLField(help_text="Its page on this site.")
    lesson_count = serializers.IntegerField()
    modules = ModuleRefSerializer(many=True, help_text="In order, each with its lessons.")
    first_published_at = serializers.DateTimeField(allow_null=True)
    last_published_at = serializers.DateTimeField(allow_null=True)
    translations = TranslationSerializer(many=True, help_text="Every language it is in.")


def public_courses():
    """Live courses under no view restriction, every copy."""
    return CoursePage.objects.live().exclude(restricted())


def courses(language: str, params: dict):
    """The public courses, one copy each: in `language` when translated, else the original."""
    locale_id = _locale_ids().get(language) or 0
    # DISTINCT ON keeps the first copy of each course: the reader's, else the oldest.
    chosen = (
        public_courses()
        .order_by(
            "translation_key",
            Case(When(locale_id=locale_id, then=0), default=1, output_field=IntegerField()),
            "pk",
        )
        .distinct("translation_key")
        .values("pk")
    )
    found = CoursePage.objects.filter(pk__in=chosen)
    if params.get("language"):
        available = public_courses().filter(locale__language_code=params["language"])
        found = found.filter(translation_key__in=available.values("translation_key"))
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    return (
        found.annotate(
            title_key=Lower("title"),
            published_key=Coalesce(
                "first_published_at", Value(epoch), output_field=DateTimeField()
            ),
        )
        .select_related("locale")
        .defer("body")
    )


def _module_data(module: ModuleEntry, request) -> dict:
    return {
        "number": module.number,
        "title": module.page.title,
        "url": request.build_absolute_uri(module.url),
        "lessons": [
            {
                "number": lesson.number,
                "title": lesson.page.title,
                "url": request.build_absolute_uri(lesson.url),
            }
            for lesson in module.lessons
        ],
    }


def serialize_courses(pages: list[CoursePage], request) -> list[dict]:
    urls = PageUrls(request)
    copies = _translations((page.translation_key for page in pages), urls)
    modules_of = outlines(pages, request)
    found = []
    for page in pages:
        modules = modules_of[page.path]
        found.append(
            {
                "id": str(page.translation_key),
                "title": page.title,
                "summary": page.summary,
                "duration": page.duration,
                "language": page.locale.language_code,
                "url": urls.full_url(page.url_path) or "",
                "lesson_count": sum(len(module.lessons) for module in modules),
                "modules": [_module_data(module, request) for module in modules],
                "first_published_at": _iso(page.first_published_at),
                "last_published_at": _iso(page.last_published_at),
                "translations": copies.get(page.translation_key, []),
            }
        )
    return found


@read_operation(
    "courses_list",
    "The self-paced courses, with their modules and lessons",
    "courses",
    CourseSerializer,
    description=(
        "Every public course once, in the requested language when it is translated (else in "
        "its original language), with its modules and lessons in order. Never quiz answers, "
        "never a member's progress or certificates."
    ),
)
class CourseList(ApiReadView):
    """The courses: each public course once, in the requested language when translated."""

    params_class = CourseParams
    etag_groups = ()  # Wagtail content: every publish empties the page cache and its tokens

    def build(self, request, params: dict, **kwargs) -> dict:
        ordering = COURSE_ORDERINGS[params.get("ordering") or "title"]
        page = self.page_of(request, courses(self.language, params), ordering)
        return self.page_response(request, page, lambda items: serialize_courses(items, request))


@read_operation(
    "courses_retrieve",
    "One course, with its modules and lessons",
    "courses",
    CourseSerializer,
    description="In the requested language when it is translated, else in its original.",
    path=("id", OpenApiTypes.UUID, "The course's id."),
)
class CourseDetail(ApiReadView):
    """One public course, in the requested language when translated."""

    etag_groups = ()

    def build(self, request, params: dict, id=None, **kwargs) -> dict:
        found = list(courses(self.language, {}).filter(translation_key=id)[:1])
        if not found:
            raise NotFound
        return serialize_courses(found, request)[0]
