"""What the courses declare into the kernel: the "My courses" panel on `/me/` (each course a
member enrolled in, with their progress, a link to continue and their certificate) and their
part of "Your data" (enrolments, completed lessons, quiz answers and scores, certificates:
exported, and erased with the account, which also voids the certificates' codes).
Imported by `knowledge.declarations`.

The dashboard is at its query budget, and most members never enrol: whether a member has
courses at all is kept in their session (`SESSION_FLAG`), set when they sign in (one query
then), when they enrol, and whenever a course page they open finds them enrolled (a course
taken up on another device shows there at their next sign-in or course visit). A member
without courses costs the dashboard no query.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy

from wagtail.models import Page

from core.registries import DashboardPanel, PersonalData, dashboard_panels, personal_data

from .course_models import CoursePage, LessonPage
from .course_progress import Certificate, Enrolment, LessonCompletion, QuizResult
from .library import reader_language, restricted

PANEL_ROWS = 10
SESSION_FLAG = "knowledge_has_courses"


def remember_courses(request: HttpRequest, enrolled: bool) -> None:
    """Note in the member's session whether they have courses (saved only when it changes)."""
    session = getattr(request, "session", None)
    if session is not None and session.get(SESSION_FLAG) != enrolled:
        session[SESSION_FLAG] = enrolled


def _signed_in(sender, request, user, **kwargs) -> None:
    remember_courses(request, Enrolment.objects.filter(member=user).exists())


user_logged_in.connect(_signed_in, dispatch_uid="knowledge_courses_signed_in")


def render_my_courses(request: HttpRequest) -> str | None:
    """The member's courses, newest enrolment first, with their progress: two queries whatever
    their number (the enrolments with the lessons each completed, then the courses with their
    live lessons), none for a member whose session says they have none."""
    if request.session.get(SESSION_FLAG) is False:
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
