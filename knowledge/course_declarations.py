"""What the courses declare into the kernel: the "My courses" panel on `/me/` (each course a
member enrolled in, with their progress, a link to continue and their certificate) and their
part of "Your data" (enrolments, completed lessons, quiz answers and scores, certificates:
exported, and erased with the account, which also voids the certificates' codes).
Imported by `knowledge.declarations`.

Most members never enrol: whether a member has any course progress at all (an enrolment, a
completed lesson or a quiz answered) comes with their user row on every request
(`core.registries.signed_in_user_columns`), so a member without any costs the dashboard and the
course pages no query, and a course taken up on another device shows at once.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy

from wagtail.models import Page

from core.registries import (
    DashboardPanel,
    PersonalData,
    SignedInUserColumn,
    dashboard_panels,
    personal_data,
    signed_in_user_columns,
)

from .course_models import CoursePage, LessonPage
from .course_progress import Certificate, Enrolment, LessonCompletion, QuizResult
from .library import reader_language, restricted

PANEL_ROWS = 10
PROGRESS_COLUMN = "has_course_progress"


def _progress_column() -> Exists:
    """Whether the user row's member has any course progress (`signed_in_user_columns`)."""
    mine = OuterRef("pk")
    return (
        Exists(Enrolment.objects.filter(member=mine))
        | Exists(LessonCompletion.objects.filter(member=mine))
        | Exists(QuizResult.objects.filter(member=mine))
    )


signed_in_user_columns.register(
    PROGRESS_COLUMN, SignedInUserColumn(PROGRESS_COLUMN, _progress_column)
)


def has_course_progress(user) -> bool:
    """Whether `user` may have course progress to show: False only when their user row said
    they have none (a user read otherwise is asked as if they had some)."""
    return bool(getattr(user, PROGRESS_COLUMN, True))


def render_my_courses(request: HttpRequest) -> str | None:
    """The member's courses, newest enrolment first, with their progress: two queries whatever
    their number (the enrolments with the lessons each completed, then the courses with their
    live lessons), none for a member who has no course progress."""
    if not has_course_progress(request.user):
        return None
    completed = LessonCompletion.objects.filter(
        member=OuterRef("member"), course_key=OuterRef("course_key")
    ).values("lesson_key")
    enrolments = list(
        Enrolment.objects.filter(member=request.user)
        .select_related("certificate")
        .annotate(done_keys=ArraySubquery(completed))
        .order_by("-enrolled_at", "-pk")[:PANEL_ROWS]
    )
    if not enrolments:
        return None
    from .courses import certificate, certificate_url

    lessons = (
        LessonPage.objects.live()
        .filter(path__startswith=OuterRef("path"), depth=OuterRef("depth") + 2)
        .exclude(restricted())
        .values("translation_key")
    )
    language = reader_language()
    courses: dict = {}
    for page in (
        CoursePage.objects.live()
        .filter(translation_key__in=[e.course_key for e in enrolments])
        .exclude(restricted())
        .annotate(lesson_keys=ArraySubquery(lessons))
        .select_related("locale").defer("body").order_by("pk")
    ):  # fmt: skip
        known = courses.get(page.translation_key)
        if known is None or (page.locale.language_code == language
                             and known.locale.language_code != language):  # fmt: skip
            courses[page.translation_key] = page
    rows = []
    for enrolment in enrolments:
        page = courses.get(enrolment.course_key)
        issued = certificate(enrolment)
        if page is None and issued is None:
            continue  # a withdrawn course, nothing left to show
        keys = set(page.lesson_keys) if page else set()
        rows.append({
            "title": page.title if page else issued.course_title,
            "url": page.get_url(request) if page else None,
            "language_code": page.locale.language_code if page else None,
            "done": len(keys & set(enrolment.done_keys)),
            "total": len(keys),
            "certificate_url": certificate_url(issued.code) if issued else None,
        })  # fmt: skip
    if not rows:
        return None
    return render_to_string("knowledge/courses/panel.html", {"rows": rows}, request)


dashboard_panels.register(
    "knowledge_courses",
    DashboardPanel(
        "knowledge_courses",
        gettext_lazy("My courses"),
        render_my_courses,
        order=55,
        is_visible=lambda user: bool(user.is_authenticated),
    ),
)


def _titles(keys) -> dict:
    """A title for each course or lesson key (the oldest copy's), for the export."""
    titles: dict = {}
    for key, title in (
        Page.objects.filter(translation_key__in=list(keys)).order_by("-pk")
        .values_list("translation_key", "title")
    ):  # fmt: skip
        titles[key] = title
    return titles


def _export(user) -> dict[str, Any]:
    enrolments = list(Enrolment.objects.filter(member=user).select_related("certificate"))
    completions = list(LessonCompletion.objects.filter(member=user).order_by("completed_at"))
    results = list(QuizResult.objects.filter(member=user).order_by("updated_at"))
    titles = _titles(
        {e.course_key for e in enrolments}
        | {c.lesson_key for c in completions}
        | {r.lesson_key for r in results}
    )
    certificates = Certificate.objects.filter(enrolment__member=user).select_related("enrolment")
    return {
        "course_enrolments": [
            {
                "course": titles.get(e.course_key, ""),
                "enrolled_at": e.enrolled_at.isoformat(),
                "completed_at": e.completed_at.isoformat() if e.completed_at else None,
            }
            for e in enrolments
        ],
        "completed_lessons": [
            {"lesson": titles.get(c.lesson_key, ""), "completed_at": c.completed_at.isoformat()}
            for c in completions
        ],
        "quiz_results": [
            {
                "lesson": titles.get(r.lesson_key, ""),
                "best_score": r.best_score,
                "last_score": r.last_score,
                "questions": r.questions,
                "attempts": r.attempts,
                "last_answers": r.last_answers,
                "updated_at": r.updated_at.isoformat(),
            }
            for r in results
        ],
        "course_certificates": [
            {
                "course": c.course_title,
                "code": c.code,
                "issued_at": c.issued_at.isoformat(),
                "name_shown": c.show_name,
            }
            for c in certificates
        ],
    }


def _erase(user) -> None:
    # Certificates go with their enrolment: their codes then verify nothing.
    Enrolment.objects.filter(member=user).delete()
    LessonCompletion.objects.filter(member=user).delete()
    QuizResult.objects.filter(member=user).delete()


personal_data.register(
    "knowledge_courses",
    PersonalData(
        "knowledge_courses",
        gettext_lazy("Your courses"),
        export=_export,
        erase=_erase,
        order=75,
    ),
)
