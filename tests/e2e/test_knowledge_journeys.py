"""Browser journeys of the library's member proposals: a member proposes a resource, a
moderator signed in with two factors approves it in the admin, and it appears in the library;
the proposal form and the /me/ panel pass the accessibility check in English and Arabic.
A member takes the demo course to its certificate, which then verifies in Arabic."""

from __future__ import annotations

import re
import time
import uuid

import pyotp
import pytest

from tests.e2e.conftest import ARTIFACTS, assert_accessible, log_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _fresh_code(secret: str) -> str:
    if time.time() % 30 > 25:  # a code about to roll over could expire in transit
        time.sleep(30 - time.time() % 30 + 0.5)
    return pyotp.TOTP(secret).now()


def _cleanup(submissions, users) -> None:
    for submission in submissions:
        if submission.page is not None:
            submission.page.delete()
        if submission.document is not None:
            submission.document.delete()
        submission.delete()
    for user in users:
        user.delete()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_proposal_form_and_the_submissions_panel_are_accessible(
    page, platform, committed_db, lang
):
    from knowledge.models import ResourceSubmission, SubmissionState
    from tests.factories import UserFactory, accept_current_policies

    email = f"propose-{uuid.uuid4().hex[:8]}@example.net"
    member = UserFactory(email=email, first_name="Amina")
    accept_current_policies(member)
    returned = ResourceSubmission.objects.create(
        member=member, title="Diaspora skills registry", language="fr",
        state=SubmissionState.REJECTED, reason="Already in the library.",
    )  # fmt: skip
    try:
        log_in(page, email, lang)
        page.wait_for_url(re.compile(rf"/{lang}/$"))
        page.goto(f"/{lang}/propose-a-resource/")
        page.locator("main form button[type=submit]").click()  # empty: the errors show
        page.wait_for_load_state()
        assert page.locator("main [role=alert]").count() >= 2
        assert_accessible(page, f"/{lang}/propose-a-resource/ (with errors)")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"propose-{lang}.png"), full_page=True)
        page.goto(f"/{lang}/me/")
        assert page.locator("main").get_by_text("Already in the library.").count() == 1
        assert_accessible(page, f"/{lang}/me/ (my submissions)")
        page.screenshot(path=str(ARTIFACTS / f"submissions-panel-{lang}.png"), full_page=True)
    finally:
        _cleanup([returned], [member])


def test_a_member_proposes_a_moderator_approves_and_it_appears_in_the_library(
    browser, page, platform, committed_db, tmp_path
):
    from knowledge.models import ResourceSubmission
    from tests.factories import UserFactory, accept_current_policies, give_totp

    tag = uuid.uuid4().hex[:8]
    title = f"Mapping the diaspora in Lyon {tag}"
    member = UserFactory(email=f"proposer-{tag}@example.net", first_name="Omar")
    moderator = UserFactory(email=f"moderator-{tag}@example.net", role="Moderator")
    for user in (member, moderator):
        accept_current_policies(user)
    secret = give_totp(moderator)
    upload = tmp_path / "mapping.pdf"
    upload.write_bytes(PDF)
    submissions = []
    try:
        # The member proposes a resource with its file.
        log_in(page, member.email)
        page.wait_for_url(re.compile(r"/en/$"))
        page.goto("/en/propose-a-resource/")
        page.get_by_label("Title").fill(title)
        page.get_by_label("Summary").fill("How one city counted and met its diaspora.")
        page.get_by_label("Link").fill("https://example.org/mapping")
        page.get_by_label("File").set_input_files(str(upload))
        page.get_by_label("Type").select_option("case_study")
        page.get_by_label("Language of the resource").select_option("en")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/en/me/$"))
        assert page.locator("main").get_by_text("Waiting for review").count() >= 1
        submission = ResourceSubmission.objects.get(member=member)
        submissions.append(submission)
        assert page.goto(f"/en/library/{submission.page.slug}/").status == 404

        # A moderator signs in with their authenticator and approves it in the admin.
        staff = browser.new_context(base_url=platform.url, locale="en-GB")
        admin = staff.new_page()
        log_in(admin, moderator.email)
        admin.wait_for_url(re.compile(r"/2fa/authenticate/"))
        admin.get_by_label(re.compile("code", re.I)).fill(_fresh_code(secret))
        admin.locator("main form button[type=submit]").first.click()
        admin.wait_for_url(re.compile(r"/en/$"))
        admin.goto(f"/admin/pages/{submission.page_id}/edit/")
        ARTIFACTS.mkdir(exist_ok=True)
        admin.screenshot(path=str(ARTIFACTS / "approve-edit.png"), full_page=True)
        admin.get_by_role("button", name="More actions").click()
        admin.get_by_role("button", name="Approve and Publish").click()
        admin.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
        staff.close()

        # It is in the library, with the member's file attached, and the member was told.
        submission.refresh_from_db()
        assert submission.state == "published"
        page.goto("/en/library/")
        # The demo library runs to several pages: the member narrows it to case studies.
        page.locator("section.facet[aria-labelledby=facet-type] a").filter(
            has_text=re.compile(r"^Case study \(")
        ).click()
        page.wait_for_url(re.compile(r"type=case_study"))
        page.get_by_role("link", name=title).click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == title
        assert page.locator(f"a[href='{submission.document.url}']").count() == 1
        # The worker e-mails the decision (core.notify), as in production.
        assert platform.manage("worker", "--batch", "--no-startup-delay").returncode == 0
        assert title in platform.wait_for_email(member.email)
    finally:
        _cleanup(submissions, [member, moderator])


def test_a_visitor_filters_the_library_opens_a_resource_and_switches_to_its_translation(
    page, platform, committed_db
):
    from core.geography import country_name
    from core.topics import concept_of
    from knowledge.models import ResourcePage

    # A demo resource written in English and translated into French, with a country and a topic.
    resource = next(
        item
        for item in ResourcePage.objects.live().filter(locale__language_code="en").order_by("pk")
        if item.countries
        and item.topics.exists()
        and ResourcePage.objects.live()
        .filter(translation_key=item.translation_key, locale__language_code="fr")
        .exists()
    )
    french = ResourcePage.objects.live().get(
        translation_key=resource.translation_key, locale__language_code="fr"
    )
    country = resource.countries[0]
    topic = concept_of(resource.topics.first().pk).in_language("en").label

    page.goto("/en/library/")
    total = page.locator("p.count").inner_text()
    page.locator("section.facet[aria-labelledby=facet-country] a").filter(
        has_text=re.compile(rf"^{re.escape(country_name(country.code))} \(")
    ).click()
    page.wait_for_url(re.compile(rf"[?&]country={country.code}"))
    page.locator("section.facet[aria-labelledby=facet-topic] a").filter(
        has_text=re.compile(rf"^{re.escape(topic)} \(")
    ).click()
    page.wait_for_load_state()
    assert "topic=" in page.url and f"country={country.code}" in page.url  # shareable address
    assert page.locator("p.count").inner_text() != total
    assert page.locator("a[aria-current=true].selected").count() == 2  # both filters shown on

    page.get_by_role("link", name=resource.title, exact=True).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == resource.title
    page.locator("header").get_by_role("link", name="français").click()
    page.wait_for_load_state()
    assert page.url.endswith(french.url)  # its translation, not the French library's home
    assert page.locator("h1").inner_text() == french.title
    assert page.locator("html").get_attribute("lang") == "fr"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "journey-resource-fr.png"), full_page=True)


def test_a_member_takes_the_demo_course_to_its_certificate(page, platform, committed_db):
    """Five lessons are already done (a fixture's shortcut); in the browser the member resumes
    at the last one, answers its quiz, completes it and claims the certificate, which anyone
    can then verify in Arabic too."""
    from knowledge.course_progress import Certificate, LessonCompletion
    from knowledge.courses import quizzes
    from knowledge.models import CoursePage, LessonPage
    from tests.factories import UserFactory, accept_current_policies

    email = f"learner-{uuid.uuid4().hex[:8]}@example.net"
    member = UserFactory(email=email, first_name="Amina")
    accept_current_policies(member)
    course = CoursePage.objects.get(slug="engaging-your-diaspora", locale__language_code="en")
    lessons = list(LessonPage.objects.live().descendant_of(course).order_by("path"))
    for lesson in lessons[:-1]:
        LessonCompletion.objects.create(
            member=member, course_key=course.translation_key, lesson_key=lesson.translation_key
        )
    quiz = next(iter(quizzes(lessons[-1]).values()))
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        log_in(page, email, "en")
        page.wait_for_url(re.compile(r"/en/$"))
        page.goto(course.url)
        assert "5 of 6 lessons done" in page.locator("main").inner_text()
        page.get_by_role("link", name="Continue where you left off").click()
        page.wait_for_url(f"**{lessons[-1].url}")
        for question in quiz["questions"]:
            for answer in question["answers"]:
                if answer["correct"]:
                    page.locator(f"label[for='a-{answer['id']}']").click()
        page.get_by_role("button", name="Check my answers").click()
        page.wait_for_load_state()
        assert "Your best score: 2 of 2." in page.locator(".quiz-score").inner_text()
        assert_accessible(page, f"{lessons[-1].url} (quiz feedback)")
        page.screenshot(path=str(ARTIFACTS / "course-lesson-en.png"), full_page=True)
        page.get_by_role("button", name="Mark this lesson as complete").click()
        page.wait_for_url(re.compile(r"#certificate$"))
        page.screenshot(path=str(ARTIFACTS / "course-en.png"), full_page=True)
        page.get_by_label("Show my name on the certificate").check()
        page.get_by_role("button", name="Claim my certificate").click()
        page.locator(".certificate .verified").wait_for()
        code = Certificate.objects.get(enrolment__member=member).code
        assert f"/en/courses/certificates/{code}/" in page.url
        assert code in page.locator("main").inner_text()
        assert_accessible(page, "certificate (en)")
        page.screenshot(path=str(ARTIFACTS / "certificate-en.png"), full_page=True)
        # Anyone verifies it, in Arabic; the member's course and lesson pages in Arabic too.
        for path, name in [
            (f"/ar/courses/certificates/{code}/", "certificate-ar"),
            (f"/ar/courses/certificates/{code}/print/", "certificate-print-ar"),
            (course.url.replace("/en/", "/ar/"), "course-ar"),
            (lessons[-1].url.replace("/en/", "/ar/"), "course-lesson-ar"),
        ]:
            page.goto(path)
            assert page.locator("html").get_attribute("dir") == "rtl"
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        assert_accessible(page, "lesson with feedback (ar)")
    finally:
        member.delete()
