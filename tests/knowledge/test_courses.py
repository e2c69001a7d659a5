"""The self-paced courses, on the demo course "Engaging your diaspora: first steps" (three
modules of two lessons, a quiz closing each module, in English, French and Arabic): quiz
scoring on the server with the best score kept, progress and "continue", certificates issued
only when every lesson is done and verified by their code (the holder's name only with their
consent, never for a protected member), who may do what, refused input, and the queries a
signed-in member's course and lesson pages cost."""

from __future__ import annotations

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.registries import member_privacy
from knowledge.course_progress import Certificate, Enrolment, LessonCompletion, QuizResult
from knowledge.courses import quizzes, score_quiz
from knowledge.models import CoursePage, LessonPage
from tests.members.conftest import make_member
from tests.organisations.conftest import client_for

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 12


def course(language: str = "en") -> CoursePage:
    return CoursePage.objects.get(slug="engaging-your-diaspora", locale__language_code=language)


def lessons(language: str = "en") -> list[LessonPage]:
    here = course(language)
    return list(LessonPage.objects.live().descendant_of(here).order_by("path"))


def quiz_of(lesson: LessonPage) -> dict:
    return next(iter(quizzes(lesson).values()))


def answers(quiz: dict, right: bool) -> dict:
    """Form data answering every question of `quiz` rightly, or each with one wrong answer."""
    data = {"action": "quiz", "quiz": quiz["id"]}
    for question in quiz["questions"]:
        if right:
            data[f"q-{question['id']}"] = [a["id"] for a in question["answers"] if a["correct"]]
        else:
            wrong = next(a for a in question["answers"] if not a["correct"])
            data[f"q-{question['id']}"] = [wrong["id"]]
    return data


@pytest.fixture
def member():
    user, _profile = make_member()
    user.first_name, user.last_name = "Amina", "Diallo"
    user.save()
    return user


@pytest.fixture
def privacy_declared():
    """Members' protected mode, as community/members declares it into core (`member_privacy`)."""
    assert member_privacy.is_protected is not None
    yield


def complete_all(user) -> None:
    key = course().translation_key
    for lesson in lessons():
        LessonCompletion.objects.get_or_create(
            member=user, lesson_key=lesson.translation_key, defaults={"course_key": key}
        )


# --- Quizzes ----------------------------------------------------------------------------------


def test_the_demo_course_has_three_modules_each_closed_by_a_quiz_in_three_languages():
    for language in ("en", "fr", "ar"):
        found = lessons(language)
        assert len(found) == 6
        assert sum(1 for lesson in found if quizzes(lesson)) == 3
    # The same question and answer ids in every language: scores carry across them.
    english, arabic = quiz_of(lessons("en")[1]), quiz_of(lessons("ar")[1])
    assert [q["id"] for q in english["questions"]] == [q["id"] for q in arabic["questions"]]
    assert english["questions"][0]["question"] != arabic["questions"][0]["question"]


def test_single_and_multiple_choice_questions_score_only_complete_right_answers():
    quiz = quiz_of(lessons()[1])
    single, multiple = quiz["questions"]
    assert not single["multiple"] and multiple["multiple"]
    right = [a["id"] for a in multiple["answers"] if a["correct"]]
    single_right = next(a["id"] for a in single["answers"] if a["correct"])
    assert score_quiz(quiz, {single["id"]: [single_right], multiple["id"]: right}) == 2
    # One right answer of two ticked is not the answer; nor is every answer ticked.
    assert score_quiz(quiz, {single["id"]: [single_right], multiple["id"]: right[:1]}) == 1
    everything = [a["id"] for a in multiple["answers"]]
    assert score_quiz(quiz, {single["id"]: [single_right], multiple["id"]: everything}) == 1


def test_a_quiz_keeps_the_best_score_and_shows_feedback_on_the_last_answers(member):
    lesson = lessons()[1]
    quiz = quiz_of(lesson)
    client = client_for(member)
    response = client.post(lesson.url, answers(quiz, right=False))
    assert response.status_code == 302 and response["Location"].endswith(f"#quiz-{quiz['id']}")
    page = client.get(lesson.url).content.decode()
    assert "Your last score: 0 of 2. Your best score: 0 of 2." in page
    assert "Registers miss many people" in page  # the feedback on the answer chosen
    client.post(lesson.url, answers(quiz, right=True))
    client.post(lesson.url, answers(quiz, right=False))
    result = QuizResult.objects.get(member=member)
    assert (result.best_score, result.last_score, result.attempts) == (2, 0, 3)
    assert "Your best score: 2 of 2." in client.get(lesson.url).content.decode()
    # Best score and answers carry over to the Arabic lesson (same ids).
    arabic = client_for(member).get(lessons("ar")[1].url).content.decode()
    assert 'class="quiz-score"' in arabic and 'dir="rtl"' in arabic


@pytest.mark.parametrize(
    "tamper",
    ["unknown answer", "two answers to a single choice", "unanswered", "unknown quiz", "action"],
)
def test_tampered_or_incomplete_quiz_answers_are_refused_and_nothing_is_recorded(member, tamper):
    lesson = lessons()[1]
    quiz = quiz_of(lesson)
    single, multiple = quiz["questions"]
    data = answers(quiz, right=True)
    if tamper == "unknown answer":
        data[f"q-{single['id']}"] = ["not-an-answer-id"]
    elif tamper == "two answers to a single choice":
        data[f"q-{single['id']}"] = [a["id"] for a in single["answers"][:2]]
    elif tamper == "unanswered":
        del data[f"q-{multiple['id']}"]
    elif tamper == "unknown quiz":
        data["quiz"] = "00000000-0000-0000-0000-000000000000"
    else:
        data["action"] = "delete-everything"
    response = client_for(member).post(lesson.url, data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not QuizResult.objects.filter(member=member).exists()
    if tamper == "unanswered":  # the answers already chosen are still ticked
        kept = next(a["id"] for a in single["answers"] if a["correct"])
        assert f'value="{kept}" checked' in response.content.decode()


# --- Progress and resuming ------------------------------------------------------------------


def test_completing_lessons_moves_the_member_on_and_continue_resumes_at_the_first_unfinished(
    member,
):
    client = client_for(member)
    first, second, third = lessons()[:3]
    response = client.post(first.url, {"action": "complete"})
    assert response.status_code == 302 and response["Location"] == second.url
    assert Enrolment.objects.filter(member=member).exists()  # enrolled by completing
    page = client.get(course().url).content.decode()
    assert "1 of 6 lessons done" in page
    assert f'href="{second.url}">Continue where you left off' in page
    # Completing lesson 3 out of order does not skip lesson 2.
    client.post(third.url, {"action": "complete"})
    client.post(third.url, {"action": "complete"})  # twice: counted once
    page = client.get(course().url).content.decode()
    assert "2 of 6 lessons done" in page and f'href="{second.url}">Continue' in page
    assert "1 of 2 lessons done" in page  # the first module's progress
    # Progress made in English shows in Arabic.
    arabic = client.get(course("ar").url).content.decode()
    assert 'value="2"' in arabic


def test_enrolling_works_without_javascript_and_shows_progress(member):
    client = client_for(member)
    assert "Enrol in this course" in client.get(course().url).content.decode()
    response = client.post(course().url, {"action": "enrol"})
    assert response.status_code == 302
    page = client.get(course().url).content.decode()
    assert "0 of 6 lessons done" in page and "Start the first lesson" in page


# --- Certificates -----------------------------------------------------------------------------


def test_a_certificate_is_issued_only_once_every_lesson_is_done(member):
    client = client_for(member)
    for lesson in lessons()[:-1]:
        client.post(lesson.url, {"action": "complete"})
    response = client.post(course().url, {"action": "certificate", "show_name": "on"})
    assert response.status_code == 400
    assert "Complete every lesson to receive the certificate." in response.content.decode()
    assert not Certificate.objects.exists()
    response = client.post(lessons()[-1].url, {"action": "complete"})
    assert response["Location"].endswith("#certificate")
    response = client.post(course().url, {"action": "certificate"})
    issued = Certificate.objects.get(enrolment__member=member)
    assert response["Location"] == f"/en/courses/certificates/{issued.code}/"
    assert len(issued.code) == 23 and not issued.show_name
    # Claiming again keeps the same certificate and code.
    client.post(course().url, {"action": "certificate", "show_name": "on"})
    assert Certificate.objects.get().code == issued.code
    assert Enrolment.objects.get(member=member).completed_at is not None


def test_anyone_verifies_a_certificate_by_its_code_with_the_name_only_by_consent(
    member, privacy_declared
):
    complete_all(member)
    client_for(member).post(course().url, {"action": "certificate"})
    issued = Certificate.objects.get()
    url = f"/en/courses/certificates/{issued.code}/"
    anonymous = client_for(None)
    page = anonymous.get(url)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    text = page.content.decode()
    assert "Engaging your diaspora: first steps" in text and "genuine" in text
    assert "Amina" not in text and "chose not to show their name" in text
    issued.show_name = True
    issued.save()
    assert "Amina Diallo" in anonymous.get(url).content.decode()
    assert "Amina Diallo" in anonymous.get(f"{url}print/").content.decode()
    assert "Amina Diallo" in anonymous.get(url.replace("/en/", "/ar/")).content.decode()
    # Lower case and spaces around the code still find it; a wrong code does not.
    assert anonymous.get(f"/en/courses/certificates/{issued.code.lower()}/").status_code == 200
    assert anonymous.get("/en/courses/certificates/AAAAA-BBBBB-CCCCC-DDDDD/").status_code == 404


def test_a_protected_members_name_never_shows_on_their_certificate(member, privacy_declared):
    from community.members.models import Profile

    complete_all(member)
    client_for(member).post(course().url, {"action": "certificate", "show_name": "on"})
    Profile.objects.filter(user=member).update(protected=True)
    url = f"/en/courses/certificates/{Certificate.objects.get().code}/"
    assert "Amina" not in client_for(None).get(url).content.decode()


def test_the_holder_withdrawing_consent_hides_their_name_on_the_next_request(
    member, privacy_declared
):
    complete_all(member)
    holder, anonymous = client_for(member), client_for(None)
    holder.post(course().url, {"action": "certificate", "show_name": "on"})
    url = f"/en/courses/certificates/{Certificate.objects.get().code}/"
    for address in (url, f"{url}print/"):
        assert "Amina Diallo" in anonymous.get(address).content.decode(), address
    # Claimed again with the box unticked: the same certificate, the name gone everywhere.
    holder.post(course().url, {"action": "certificate"})
    assert Certificate.objects.get().code in url
    for address in (url, f"{url}print/", url.replace("/en/", "/fr/")):
        page = anonymous.get(address).content.decode()
        assert "Amina" not in page and "Diallo" not in page, address
    assert "chose not to show their name" in anonymous.get(url).content.decode()
    # And back again when they agree once more.
    holder.post(course().url, {"action": "certificate", "show_name": "on"})
    assert "Amina Diallo" in anonymous.get(f"{url}print/").content.decode()


def test_a_protected_members_name_never_shows_even_when_they_tick_the_box(member, privacy_declared):
    from community.members.models import Profile

    Profile.objects.filter(user=member).update(protected=True)
    complete_all(member)
    holder = client_for(member)
    holder.post(course().url, {"action": "certificate", "show_name": "on"})
    holder.post(course().url, {"action": "certificate", "show_name": "on"})
    url = f"/en/courses/certificates/{Certificate.objects.get().code}/"
    for reader in (client_for(None), client_for(make_member()[0])):
        for address in (url, f"{url}print/"):
            page = reader.get(address).content.decode()
            assert "Amina" not in page and "Diallo" not in page, address


def test_without_a_declared_privacy_hook_names_stay_hidden(member):
    before, member_privacy.is_protected = member_privacy.is_protected, None
    try:
        complete_all(member)
        client_for(member).post(course().url, {"action": "certificate", "show_name": "on"})
        url = f"/en/courses/certificates/{Certificate.objects.get().code}/"
        assert "Amina" not in client_for(None).get(url).content.decode()
    finally:
        member_privacy.is_protected = before


# --- Who may do what ------------------------------------------------------------------------


def test_anonymous_readers_read_every_lesson_but_record_nothing():
    lesson = lessons()[1]
    anonymous = client_for(None)
    page = anonymous.get(lesson.url).content.decode()
    assert "Sign in to answer the quiz" in page
    # Neither the feedback nor which answer is right reaches the page before answering.
    assert "Registers miss many people" not in page and "checked" not in page
    response = anonymous.post(lesson.url, {"action": "complete"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    quiz = quiz_of(lesson)
    anonymous.post(lesson.url, answers(quiz, right=True))
    anonymous.post(course().url, {"action": "enrol"})
    assert not (LessonCompletion.objects.exists() or QuizResult.objects.exists())
    assert not Enrolment.objects.exists()


def test_a_member_neither_sees_nor_changes_another_members_progress_or_certificate(
    member, privacy_declared
):
    other, _profile = make_member()
    complete_all(member)
    QuizResult.objects.create(member=member, course_key=course().translation_key,
                              lesson_key=lessons()[1].translation_key,
                              quiz_id=quiz_of(lessons()[1])["id"], best_score=2, questions=2,
                              attempts=1)  # fmt: skip
    client_for(member).post(course().url, {"action": "certificate", "show_name": "on"})
    issued = Certificate.objects.get()
    theirs = client_for(other)
    page = theirs.get(course().url).content.decode()
    assert "Enrol in this course" in page
    assert "quiz: 2/2" not in page and "View your certificate" not in page
    # Their certificate claim is refused (their own lessons are not done), the member's stays.
    assert theirs.post(course().url, {"action": "certificate"}).status_code == 400
    theirs.post(lessons()[1].url, answers(quiz_of(lessons()[1]), right=False))
    assert QuizResult.objects.get(member=member).best_score == 2
    certificate = theirs.get(f"/en/courses/certificates/{issued.code}/").content.decode()
    assert "Change whether your name is shown" not in certificate
    assert Certificate.objects.get().show_name


# --- The member's dashboard and data ---------------------------------------------------------


def test_my_courses_panel_shows_progress_and_the_certificate(member):
    client = client_for(member)
    client.post(lessons()[0].url, {"action": "complete"})
    page = client.get("/en/me/").content.decode()
    assert "My courses" in page and "1 of 6 lessons done" in page


def test_progress_made_on_another_device_shows_at_once_on_this_one(member):
    # Whether a member has any course progress comes with their user row on every request,
    # never from what a session remembered when it signed in.
    phone, laptop = client_for(member), client_for(member)
    assert "My courses" not in phone.get("/en/me/").content.decode()
    assert "1 of 6 lessons done" not in phone.get(course().url).content.decode()
    laptop.post(lessons()[0].url, {"action": "complete"})
    assert "1 of 6 lessons done" in phone.get("/en/me/").content.decode()
    assert "1 of 6 lessons done" in phone.get(course().url).content.decode()


def test_a_member_who_enrolled_elsewhere_finds_the_panel_when_signing_in(member):
    Enrolment.objects.create(member=member, course_key=course().translation_key)
    assert "My courses" in client_for(member).get("/en/me/").content.decode()
    other, _profile = make_member()
    assert "My courses" not in client_for(other).get("/en/me/").content.decode()


def test_course_data_is_exported_and_erased_with_the_account(member):
    from core.yourdata import delete_account, export_data

    complete_all(member)
    quiz = quiz_of(lessons()[1])
    client_for(member).post(lessons()[1].url, answers(quiz, right=True))
    wrong = answers(quiz, right=False)
    client_for(member).post(lessons()[1].url, wrong)
    client_for(member).post(course().url, {"action": "certificate"})
    exported = export_data(member)["knowledge_courses"]
    assert exported["course_enrolments"][0]["course"]
    assert len(exported["completed_lessons"]) == 6
    (result,) = exported["quiz_results"]
    assert (result["best_score"], result["last_score"], result["attempts"]) == (2, 0, 2)
    # The answers chosen last time, question by question, as the member gave them.
    chosen = {key[2:]: value for key, value in wrong.items() if key.startswith("q-")}
    assert result["last_answers"] == chosen and len(chosen) == len(quiz["questions"])
    code = exported["course_certificates"][0]["code"]
    delete_account(member)
    assert not Certificate.objects.filter(code=code).exists()
    assert not LessonCompletion.objects.exists() and not QuizResult.objects.exists()


def test_courses_and_lessons_are_found_by_search_in_their_language():
    from search.registry import adapters

    document = adapters["lesson"].document(lessons("ar")[1])
    assert document.language == "ar" and "الجالية" in document.body
    assert adapters["course"].document(course("fr")).title.startswith("Mobiliser")


def test_the_courses_navigation_entry_reaches_the_readers_courses_index():
    response = client_for(None).get("/fr/courses/")
    assert response.status_code == 200
    assert "Mobiliser votre diaspora" in response.content.decode()
    spanish = client_for(None).get("/es/courses/").content.decode()
    assert "Engaging your diaspora" in spanish  # the original, with its language badge


# --- Costs -------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ar"])
def test_signed_in_course_and_lesson_pages_stay_within_the_query_budget(member, settings, language):
    settings.PAGE_CACHE_SECONDS = 0
    client = client_for(member)
    client.post(lessons(language)[0].url, {"action": "complete"})
    client.post(lessons(language)[1].url, answers(quiz_of(lessons(language)[1]), right=True))
    for url in (course(language).url, lessons(language)[1].url):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        queries = [q["sql"][:200] for q in captured.captured_queries]
        assert len(queries) <= QUERY_BUDGET, (url, len(queries), "\n".join(queries))


def test_an_editor_must_mark_the_right_answers_of_a_question():
    from wagtail.blocks.struct_block import StructBlockValidationError

    from knowledge.course_blocks import QuestionBlock

    block = QuestionBlock()

    def question(multiple: bool, *right: bool) -> dict:
        answers = [
            {"text": f"Answer {n}", "correct": r, "feedback": ""} for n, r in enumerate(right)
        ]
        return block.to_python({"question": "Which?", "multiple": multiple, "answers": answers})

    for refused in (question(False, False, False), question(False, True, True)):
        with pytest.raises(StructBlockValidationError):
            block.clean(refused)
    assert block.clean(question(True, True, True))["multiple"]
    assert block.clean(question(False, True, False))


def test_the_remembered_outline_carries_no_members_progress_and_follows_a_publish(member):
    # The outline is kept per process for every reader of a language (knowledge.courses.outline);
    # each member's progress is written into entries of their own.
    client = client_for(member)
    client.post(lessons()[0].url, {"action": "complete"})
    assert "1 of 6 lessons done" in client.get(course().url).content.decode()
    other, _profile = make_member()
    theirs = client_for(other)
    theirs.post(course().url, {"action": "enrol"})
    page = theirs.get(course().url).content.decode()
    assert "0 of 6 lessons done" in page and "1 of 6 lessons done" not in page
    assert "1 of 6 lessons done" in client.get(course().url).content.decode()
    # A lesson renamed and published shows at once, on the course and on another lesson.
    renamed = lessons()[1]
    renamed.title = "A lesson renamed just now"
    renamed.save_revision().publish()
    assert "A lesson renamed just now" in theirs.get(course().url).content.decode()
    assert "A lesson renamed just now" in client.get(lessons()[0].url).content.decode()
