"""The courses' reading and doing side: a course's outline, a member's progress and where to
continue, lessons with their quizzes, marking a lesson complete, quiz scoring, certificates.

Reading is public (anonymous readers get the cached pages); enrolling, progress, quizzes and
certificates need a signed-in member and are only ever the member's own: every write takes the
member from the session, never from the form, and quiz answers are scored here from the
lesson's stored content (the form sends answer ids, never whether they are right).

Costs are fixed whatever the course's size: one query for the outline (every live module and
lesson, their titles and keys; none when this process remembers it, see `outline`), one for the
member's completed lessons, one for their enrolment with its certificate, one for their quiz
results (a lesson's own among them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.postgres.expressions import ArraySubquery
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.models import Page

from core.registries import member_privacy

from .course_declarations import has_course_progress
from .course_models import CoursePage, CoursesIndexPage, LessonPage, ModulePage
from .course_progress import Certificate, Enrolment, LessonCompletion, QuizResult
from .library import language_name, locale_code, mark_cacheability, reader_language, restricted

MAX_ANSWER_FIELDS = 100  # a quiz has at most 10 questions of 8 answers: more is tampering


class QuizError(ValueError):
    """Answers that cannot be scored; the message is translated and shown to the member."""


# --- The outline ----------------------------------------------------------------------------


@dataclass
class LessonEntry:
    page: Page
    number: str
    url: str
    done: bool = False
    best: QuizResult | None = None


@dataclass
class ModuleEntry:
    page: Page
    number: int
    url: str
    lessons: list[LessonEntry] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.done)

    @property
    def finished(self) -> bool:
        return bool(self.lessons) and self.done == len(self.lessons)


def outline(course: Page, request: HttpRequest) -> list[ModuleEntry]:
    """The live, unrestricted modules of `course` with their lessons, in order: one query, or
    none when this process remembers it (`knowledge.declarations.remembered`, forgotten on any
    publish). Each call gets entries of its own, which the member's progress is written into."""
    from .declarations import remembered

    kept = remembered(
        request, ("outline", course.pk), lambda: outlines([course], request)[course.path]
    )
    return [
        ModuleEntry(module.page, module.number, module.url,
                    [LessonEntry(lesson.page, lesson.number, lesson.url)
                     for lesson in module.lessons])
        for module in kept
    ]  # fmt: skip


def outlines(courses: list[Page], request: HttpRequest) -> dict[str, list[ModuleEntry]]:
    """`outline` of each of these courses (by path), all of them in one query."""
    found: dict[str, list[ModuleEntry]] = {course.path: [] for course in courses}
    if not courses:
        return found
    near = Q()
    for course in courses:
        near |= Q(path__startswith=course.path, depth__in=(course.depth + 1, course.depth + 2))
    pages = Page.objects.live().filter(near).exclude(restricted()).order_by("path")
    by_path: dict[str, ModuleEntry] = {}
    for page in pages:
        module_path = page.path[: -Page.steplen]
        if module_path in found:
            modules = found[module_path]
            entry = ModuleEntry(page, len(modules) + 1, page.get_url(request))
            modules.append(entry)
            by_path[page.path] = entry
        else:
            module = by_path.get(module_path)
            if module is not None:
                number = f"{module.number}.{len(module.lessons) + 1}"
                module.lessons.append(LessonEntry(page, number, page.get_url(request)))
    return {
        path: [module for module in modules if module.lessons] for path, modules in found.items()
    }


def lessons_of(modules: list[ModuleEntry]) -> list[LessonEntry]:
    return [lesson for module in modules for lesson in module.lessons]


def apply_progress(modules: list[ModuleEntry], done: set, results: dict) -> None:
    for lesson in lessons_of(modules):
        lesson.done = lesson.page.translation_key in done
        lesson.best = results.get(lesson.page.translation_key)


def completed_keys(user, course_key) -> set:
    return set(
        LessonCompletion.objects.filter(member=user, course_key=course_key).values_list(
            "lesson_key", flat=True
        )
    )


def enrolment_of(user, course_key) -> Enrolment | None:
    """The member's enrolment with its certificate and, in the same query, the keys of the
    lessons they completed in the course (`completed`)."""
    completed = LessonCompletion.objects.filter(
        member=OuterRef("member_id"), course_key=OuterRef("course_key")
    ).values("lesson_key")
    return (
        Enrolment.objects.filter(member=user, course_key=course_key)
        .select_related("certificate")
        .annotate(completed=ArraySubquery(completed))
        .first()
    )


def continue_url(modules: list[ModuleEntry]) -> str | None:
    """The first lesson the member has not completed, in course order (None when all are)."""
    return next((lesson.url for lesson in lessons_of(modules) if not lesson.done), None)


def certificate(enrolment: Enrolment | None) -> Certificate | None:
    if enrolment is None:
        return None
    try:
        return enrolment.certificate
    except Certificate.DoesNotExist:
        return None


def certificate_url(code: str) -> str:
    return reverse("courses:certificate", args=[code])


# --- Quizzes ----------------------------------------------------------------------------------


def _items(raw_list) -> list[tuple[str, dict]]:
    """A ListBlock's raw items as (id, value); items saved before ids existed get positions."""
    items = []
    for position, item in enumerate(raw_list or []):
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
            items.append((str(item.get("id") or position), item["value"]))
        else:
            items.append((str(position), item))
    return items


def quizzes(page: LessonPage) -> dict[str, dict]:
    """The lesson's quizzes by block id: questions and answers with their ids."""
    found = {}
    for position, raw in enumerate(page.body.raw_data):
        if raw["type"] != "quiz":
            continue
        quiz_id = str(raw.get("id") or position)
        questions = []
        for question_id, question in _items(raw["value"].get("questions")):
            answers = [
                {
                    "id": answer_id,
                    "text": answer.get("text", ""),
                    "correct": bool(answer.get("correct")),
                    "feedback": answer.get("feedback", ""),
                }
                for answer_id, answer in _items(question.get("answers"))
            ]
            questions.append({
                "id": question_id, "question": question.get("question", ""),
                "multiple": bool(question.get("multiple")), "answers": answers,
            })  # fmt: skip
        found[quiz_id] = {"id": quiz_id, "title": raw["value"].get("title", ""),
                          "questions": questions, "position": position}  # fmt: skip
    return found


def parse_answers(quiz: dict, data) -> dict[str, list[str]]:
    """The answer ids chosen for each question of `quiz`, from the posted form `data`.

    Refuses (QuizError) an unanswered question, an answer id that is not one of the question's,
    and two answers to a single-choice question: nothing is recorded then."""
    if len(data) > MAX_ANSWER_FIELDS:
        raise QuizError(_("This quiz could not be read. Please answer it again."))
    chosen: dict[str, list[str]] = {}
    for question in quiz["questions"]:
        values = [value for value in data.getlist(f"q-{question['id']}") if value]
        known = {answer["id"] for answer in question["answers"]}
        if not values:
            raise QuizError(_("Please answer every question before checking your answers."))
        if any(value not in known for value in values) or len(set(values)) != len(values):
            raise QuizError(
                _("One of the answers sent is not part of this quiz. Please choose again.")
            )
        if len(values) > 1 and not question["multiple"]:
            raise QuizError(_("Choose only one answer for a single-choice question."))
        chosen[question["id"]] = values
    return chosen


def score_quiz(quiz: dict, chosen: dict[str, list[str]]) -> int:
    """How many questions were answered right: every right answer and no wrong one chosen."""
    score = 0
    for question in quiz["questions"]:
        right = {answer["id"] for answer in question["answers"] if answer["correct"]}
        if set(chosen.get(question["id"], ())) == right:
            score += 1
    return score


def record_quiz(user, lesson: LessonPage, course_key, quiz: dict,
                chosen: dict[str, list[str]]) -> QuizResult:  # fmt: skip
    """Score and keep the member's attempt; the best score is never lowered."""
    score = score_quiz(quiz, chosen)
    mine = {"member": user, "lesson_key": lesson.translation_key, "quiz_id": quiz["id"]}
    try:
        with transaction.atomic():
            QuizResult.objects.get_or_create(**mine, defaults={"course_key": course_key})
    except IntegrityError:  # made by a simultaneous attempt: updated below like any other
        pass
    with transaction.atomic():
        # Locked: two attempts at once both count, and the best of them is kept.
        result = QuizResult.objects.select_for_update().get(**mine)
        result.questions = len(quiz["questions"])
        result.last_score = score
        result.best_score = max(result.best_score, score) if result.attempts else score
        result.attempts += 1
        result.last_answers = chosen
        result.updated_at = timezone.now()
        result.save()
    return result


# --- Doing: enrol, complete, claim -------------------------------------------------------------


def enrol(user, course_key) -> Enrolment:
    try:
        with transaction.atomic():
            enrolment, _created = Enrolment.objects.get_or_create(
                member=user, course_key=course_key
            )
    except IntegrityError:  # enrolled by a simultaneous request
        enrolment = Enrolment.objects.get(member=user, course_key=course_key)
    return enrolment


def complete_lesson(user, lesson: Page, course_key) -> None:
    enrol(user, course_key)
    try:
        with transaction.atomic():
            LessonCompletion.objects.get_or_create(
                member=user, lesson_key=lesson.translation_key, defaults={"course_key": course_key}
            )
    except IntegrityError:  # completed by a simultaneous request (a double click)
        pass


def claim_certificate(user, course: CoursePage, request: HttpRequest,
                      show_name: bool) -> Certificate | None:  # fmt: skip
    """The member's certificate for `course` (issued now if needed, their consent to show their
    name updated), or None while a lesson is still to do. The outline is read afresh: a
    certificate is never issued on a remembered copy."""
    modules = outlines([course], request)[course.path]
    done = completed_keys(user, course.translation_key)
    lessons = lessons_of(modules)
    if not lessons or any(lesson.page.translation_key not in done for lesson in lessons):
        return None
    enrolment = enrol(user, course.translation_key)
    with transaction.atomic():
        Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.completed_at is None:
            enrolment.completed_at = timezone.now()
            enrolment.save(update_fields=["completed_at"])
        issued, _created = Certificate.objects.get_or_create(
            enrolment=enrolment, defaults={"course_title": course.title, "show_name": show_name}
        )
        if issued.show_name != show_name:
            issued.show_name = show_name
            issued.save(update_fields=["show_name"])
    return issued


def holder_name(issued: Certificate) -> str | None:
    """The holder's name as the certificate shows it to anyone: only with their consent, never
    for a protected member (`core.registries.member_privacy`)."""
    member = issued.enrolment.member
    if not issued.show_name or not member.is_active or member_privacy.protects(member):
        return None
    return member_privacy.name_of(member) or None


# --- Serving -----------------------------------------------------------------------------------


def _must_sign_in(request: HttpRequest, page: Page) -> HttpResponse | None:
    if request.user.is_authenticated:
        return None
    messages.info(request, _("Sign in to keep your progress in this course."))
    return redirect_to_login(page.get_url(request) or "/", settings.LOGIN_URL)


def _course_of(page: Page) -> Page:
    """The course above a module or lesson (its ancestors, read once by the routing)."""
    node = page
    while node.depth > 2:
        node = node.get_parent()
        if node.specific_class is CoursePage:
            return node
    raise Page.DoesNotExist("not in a course")


def serve_course(course: CoursePage, request: HttpRequest,
                 render: Callable[..., HttpResponse]) -> HttpResponse:  # fmt: skip
    if request.method != "POST":
        return mark_cacheability(request, render())
    refused = _must_sign_in(request, course)
    if refused is not None:
        return refused
    action = request.POST.get("action")
    if action == "enrol":
        enrol(request.user, course.translation_key)
        messages.success(request, _("You are enrolled. Your progress is kept as you go."))
        return HttpResponseRedirect(course.get_url(request))
    if action == "certificate":
        issued = claim_certificate(request.user, course, request,
                                   show_name=request.POST.get("show_name") == "on")  # fmt: skip
        if issued is None:
            response = render(form_error=_("Complete every lesson to receive the certificate."))
            response.status_code = 400
            return response
        return HttpResponseRedirect(certificate_url(issued.code))
    response = render(form_error=_("This action is not known. Please try again."))
    response.status_code = 400
    return response


def serve_lesson(lesson: LessonPage, request: HttpRequest,
                 render: Callable[..., HttpResponse]) -> HttpResponse:  # fmt: skip
    if request.method != "POST":
        return mark_cacheability(request, render())
    refused = _must_sign_in(request, lesson)
    if refused is not None:
        return refused
    course = _course_of(lesson)
    action = request.POST.get("action")
    if action == "complete":
        complete_lesson(request.user, lesson, course.translation_key)
        modules = outline(course, request)
        apply_progress(modules, completed_keys(request.user, course.translation_key), {})
        following = continue_url(modules)
        if following is None:
            messages.success(
                request, _("You completed every lesson: claim your certificate below.")
            )
            return HttpResponseRedirect(f"{course.get_url(request)}#certificate")
        messages.success(request, _("Lesson marked as complete."))
        return HttpResponseRedirect(following)
    if action == "quiz":
        quiz = quizzes(lesson).get(request.POST.get("quiz", ""))
        if quiz is None:
            error = _("This quiz is no longer part of the lesson. Please reload the page.")
            state = {"quiz_id": None, "error": error, "chosen": {}}
        else:
            try:
                chosen = parse_answers(quiz, request.POST)
            except QuizError as refused_answers:
                chosen_now = {
                    q["id"]: request.POST.getlist(f"q-{q['id']}") for q in quiz["questions"]
                }
                state = {"quiz_id": quiz["id"], "error": str(refused_answers),
                         "chosen": chosen_now}  # fmt: skip
            else:
                enrol(request.user, course.translation_key)
                record_quiz(request.user, lesson, course.translation_key, quiz, chosen)
                return HttpResponseRedirect(f"{lesson.get_url(request)}#quiz-{quiz['id']}")
        response = render(quiz_state=state)
        response.status_code = 400
        return response
    unknown = _("This action is not known. Please try again.")
    response = render(quiz_state={"quiz_id": None, "chosen": {}, "error": unknown})
    response.status_code = 400
    return response


# --- Page contexts -----------------------------------------------------------------------------


def _member_progress(request: HttpRequest, course: Page, modules: list[ModuleEntry],
                     lesson: Page | None = None) -> dict:  # fmt: skip
    """Progress of the signed-in member (nothing for anonymous readers): none for a member whose
    user row says they have no course progress at all, else two queries, three when they are
    not enrolled. On a lesson, the same query for their quiz results also brings the lesson's
    own (`lesson_results`, by quiz id)."""
    if not request.user.is_authenticated:
        return {"enrolment": None, "certificate": None, "lesson_results": {}}
    key = course.translation_key
    if not has_course_progress(request.user):
        # Nothing to read: the member's user row says they never enrolled, completed a lesson
        # or answered a quiz.
        apply_progress(modules, set(), {})
        return {"enrolment": None, "certificate": None, "lesson_results": {}}
    enrolment = enrolment_of(request.user, key)
    mine = Q(course_key=key)
    if lesson is not None:
        mine |= Q(lesson_key=lesson.translation_key)
    results: dict = {}
    lesson_results: dict = {}
    for result in QuizResult.objects.filter(mine, member=request.user).order_by("pk"):
        if result.course_key == key:
            results.setdefault(result.lesson_key, result)
        if lesson is not None and result.lesson_key == lesson.translation_key:
            lesson_results[result.quiz_id] = result
    # Completing a lesson enrols (`complete_lesson`): without an enrolment, asked on its own.
    done = set(enrolment.completed) if enrolment is not None else completed_keys(request.user, key)
    apply_progress(modules, done, results)
    return {"enrolment": enrolment, "certificate": certificate(enrolment),
            "lesson_results": lesson_results}  # fmt: skip


def course_context(course: CoursePage, request: HttpRequest, form_error: str | None) -> dict:
    modules = outline(course, request)
    context = _member_progress(request, course, modules)
    lessons = lessons_of(modules)
    done = sum(1 for lesson in lessons if lesson.done)
    context.update({
        "modules": modules, "lesson_count": len(lessons), "done_count": done,
        "all_done": bool(lessons) and done == len(lessons),
        "continue_url": continue_url(modules) or (lessons[0].url if lessons else None),
        "started": done > 0, "form_error": form_error,
        "page_language_code": locale_code(course),
    })  # fmt: skip
    if context["certificate"] is not None:
        context["certificate_url"] = certificate_url(context["certificate"].code)
    return context


def module_context(module: ModulePage, request: HttpRequest) -> dict:
    course = _course_of(module)
    modules = outline(course, request)
    context = _member_progress(request, course, modules)
    here = next((m for m in modules if m.page.pk == module.pk), None)
    context.update({"course": course, "course_url": course.get_url(request), "module": here,
                    "page_language_code": locale_code(module)})  # fmt: skip
    return context


def _body_items(lesson: LessonPage, result_by_quiz: dict, state: dict | None) -> list[dict]:
    """The lesson's blocks as its template draws them: quizzes with the member's last answers
    and the feedback on each (or the refused attempt's choices and error), others as Wagtail
    renders them."""
    found = quizzes(lesson)
    items = []
    for position, raw in enumerate(lesson.body.raw_data):
        if raw["type"] != "quiz":
            items.append({"kind": "block", "block": lesson.body[position]})
            continue
        quiz = found[str(raw.get("id") or position)]
        result = result_by_quiz.get(quiz["id"])
        refused = state if state and state.get("quiz_id") == quiz["id"] else None
        chosen = refused["chosen"] if refused else (result.last_answers if result else {})
        questions = []
        for question in quiz["questions"]:
            picked = set(chosen.get(question["id"], ()))
            right = {a["id"] for a in question["answers"] if a["correct"]}
            show = result is not None and refused is None  # feedback on the recorded attempt
            answers = [{**answer, "chosen": answer["id"] in picked, "show": show}
                       for answer in question["answers"]]  # fmt: skip
            questions.append({**question, "answers": answers,
                              "right": show and picked == right})  # fmt: skip
        items.append({"kind": "quiz", "quiz": quiz, "questions": questions, "result": result,
                      "error": refused["error"] if refused else None})  # fmt: skip
    return items


def lesson_context(lesson: LessonPage, request: HttpRequest, state: dict | None) -> dict:
    course = _course_of(lesson)
    modules = outline(course, request)
    context = _member_progress(request, course, modules, lesson)
    results = context.pop("lesson_results")
    lessons = lessons_of(modules)
    position = next((i for i, e in enumerate(lessons) if e.page.pk == lesson.pk), None)
    entry = lessons[position] if position is not None else None
    module = next((m for m in modules if entry in m.lessons), None) if entry else None
    context.update({
        "course": course, "course_url": course.get_url(request), "module": module,
        "entry": entry, "items": _body_items(lesson, results, state),
        "previous": lessons[position - 1] if position else None,
        "next": lessons[position + 1] if position is not None
        and position + 1 < len(lessons) else None,
        "lesson_count": len(lessons), "done_count": sum(1 for e in lessons if e.done),
        "general_error": state["error"] if state and state.get("quiz_id") is None else None,
        "page_language_code": locale_code(lesson),
    })  # fmt: skip
    return context


@dataclass
class CourseCard:
    page: CoursePage
    url: str
    language: str | None
    language_code: str


def index_context(index: CoursesIndexPage, request: HttpRequest) -> dict:
    """Every live course once: in the index's language when translated, else the original."""
    pages = CoursePage.objects.live().exclude(restricted()).select_related("locale").order_by("pk")
    by_key: dict = {}
    for page in pages:
        by_key.setdefault(page.translation_key, []).append(page)
    cards = []
    for copies in by_key.values():
        here = next((c for c in copies if c.locale_id == index.locale_id), None)
        page = here or copies[0]
        code = page.locale.language_code
        cards.append(CourseCard(page, page.get_url(request),
                                None if here else language_name(code), code))  # fmt: skip
    return {"courses": cards}


def certificate_context(issued: Certificate, request: HttpRequest) -> dict:
    """What anyone with the code sees: the course (in the reader's language when translated),
    the date, and the holder's name only when `holder_name` allows it."""
    language = reader_language()
    key = issued.enrolment.course_key
    copies = list(
        CoursePage.objects.live().filter(translation_key=key).select_related("locale")
        .defer("body").order_by("pk")
    )  # fmt: skip
    course = next((c for c in copies if c.locale.language_code == language), None) or (
        copies[0] if copies else None
    )
    return {
        "certificate": issued,
        "course_title": course.title if course else issued.course_title,
        "course_url": course.get_url(request) if course else None,
        "course_language_code": course.locale.language_code if course else None,
        "holder_name": holder_name(issued),
        "is_holder": request.user.is_authenticated
        and request.user.pk == issued.enrolment.member_id,
        "verify_url": request.build_absolute_uri(certificate_url(issued.code)),
    }
