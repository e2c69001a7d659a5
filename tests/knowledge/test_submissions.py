"""Members' proposals of resources: the form, the draft page in the review workflow, the private
file, the moderators' decision (published or not, with a reason) reaching the member by e-mail
and on /me/, who may read the file, and bad input that stores nothing."""

from __future__ import annotations

import time

import pytest

from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from wagtail.models import WorkflowState

from core.private_files import private_file_url, private_storage
from knowledge.models import ResourcePage, ResourceSubmission, SubmissionState
from knowledge.submission_models import SUBMISSION_MAX_BYTES
from tests.factories import (
    UserFactory,
    accept_current_policies,
    signed_in_staff,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PROPOSE = "/en/propose-a-resource/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _member(language: str = "") -> UserFactory:
    user = UserFactory(role="Member")
    if language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    accept_current_policies(user)
    return user


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _data(**overrides) -> dict:
    data = {
        "title": "Remittance corridors in the Sahel",
        "summary": "How transfer costs fell after mobile money arrived.",
        "link": "https://example.org/corridors",
        "resource_type": "report",
        "language": "fr",
        "topics": ["remittances"],
        "countries": ["SN", "ML"],
        "file": SimpleUploadedFile("corridors.pdf", PDF, content_type="application/pdf"),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _private_files() -> set[str]:
    storage = private_storage()
    if not storage.exists("resource_submission"):
        return set()
    keys, _files = storage.listdir("resource_submission")
    return set(keys)


def _propose(user, **overrides):
    return _client(user).post(PROPOSE, _data(**overrides))


def _proposed(user=None, **overrides) -> ResourceSubmission:
    user = user or _member()
    response = _propose(user, **overrides)
    assert response.status_code == 302, response.content.decode()[:3000]
    return ResourceSubmission.objects.select_related("page").get(member=user)


# --- Submitting ---------------------------------------------------------------------------------


def test_a_proposal_becomes_a_draft_in_the_chosen_library_waiting_for_moderators():
    member = _member()
    response = _propose(member)
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/me/"
    submission = ResourceSubmission.objects.get(member=member)
    page = ResourcePage.objects.get(pk=submission.page_id)
    assert not page.live and page.locale.language_code == "fr"
    assert page.get_parent().specific_class.__name__ == "LibraryPage"
    assert page.title == "Remittance corridors in the Sahel"
    assert page.source_url == "https://example.org/corridors"
    assert sorted(c.code for c in page.countries) == ["ML", "SN"]
    assert list(page.topics.values_list("slug", "locale__language_code")) == [("remittances", "en")]
    assert page.revisions.count() == 1
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert {g.name for g in state.current_task_state.task.specific.groups.all()} >= {"Moderator"}
    assert submission.file.name.startswith("resource_submission/")
    assert submission.state == SubmissionState.IN_REVIEW
    dashboard = _client(member).get("/en/me/").content.decode()
    assert "My submissions" in dashboard
    assert "Remittance corridors in the Sahel" in dashboard and "Waiting for review" in dashboard


def test_the_draft_is_not_reachable_at_its_address():
    submission = _proposed()
    slug = submission.page.slug
    for language in ("fr", "en"):
        for user in (None, _member()):
            assert _client(user).get(f"/{language}/library/{slug}/").status_code == 404
    listing = Client().get("/fr/library/").content.decode()
    assert submission.title not in listing


def test_an_anonymous_visitor_is_sent_to_log_in():
    response = Client().get(PROPOSE)
    assert response.status_code == 302
    assert "/accounts/login/" in response.headers["Location"]
    assert Client().post(PROPOSE, _data()).status_code == 302
    assert not ResourceSubmission.objects.exists()


def test_the_form_offers_the_fields_with_labels():
    page = _client(_member()).get(PROPOSE).content.decode()
    for label in ("Title", "Summary", "Link", "File", "Type", "Language of the resource",
                  "Topics", "Countries"):  # fmt: skip
        assert f">{label}<" in page, label
    assert 'enctype="multipart/form-data"' in page


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"title": "<script>alert(1)</script>Report"},
         "Only plain text is accepted here: remove the HTML tags."),
        ({"summary": 'Fine <img src=x onerror="alert(1)">'},
         "Only plain text is accepted here: remove the HTML tags."),
        ({"link": None, "file": None}, "Give a link to the resource or attach its file."),
        ({"file": SimpleUploadedFile("tool.exe", b"MZ\x90\x00")},
         "Files of this type are not accepted."),
        ({"file": SimpleUploadedFile("page.pdf", b"<html><script>x</script></html>")},
         "This file&#x27;s content does not match its name (.pdf)."),
        ({"file": SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * SUBMISSION_MAX_BYTES)},
         "This file is too large"),
        ({"link": "javascript:alert(1)"}, "Enter a valid URL."),
        ({"title": ""}, "This field is required."),
    ],
)  # fmt: skip
def test_bad_input_gets_a_clear_error_and_stores_nothing(overrides, message):
    pages_before = ResourcePage.objects.count()
    files_before = _private_files()
    response = _propose(_member(), **overrides)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'role="alert"' in page
    assert not ResourceSubmission.objects.exists()
    assert ResourcePage.objects.count() == pages_before
    assert _private_files() == files_before
    if "title" not in overrides:
        assert "Remittance corridors in the Sahel" in page  # what the member typed stays


def test_proposing_too_often_is_slowed_down_and_stores_nothing():
    member = _member()
    for number in range(5):
        assert _propose(member, title=f"Report {number}").status_code == 302
    response = _propose(member, title="One too many")
    assert response.status_code == 200
    # A new member's hourly allowance (core.trust), said as forums and opportunities say it.
    assert "You have posted a lot in the last hour. Nothing was lost" in response.content.decode()
    assert ResourceSubmission.objects.filter(member=member).count() == 5
    assert not ResourcePage.objects.filter(title="One too many").exists()


# --- Who reads the private file -----------------------------------------------------------------


def test_the_file_is_only_for_the_member_and_reviewers_with_a_second_factor():
    member = _member()
    submission = _proposed(member)
    url = private_file_url(submission.file)
    assert Client().get(url).status_code == 404
    assert _client(_member()).get(url).status_code == 404
    mine = _client(member).get(url)
    assert mine.status_code == 200 and b"".join(mine.streaming_content) == PDF
    _editor, editor_client = signed_in_staff("Editor")
    assert editor_client.get(url).status_code == 200
    # Reviewers find it from the page's admin header.
    edit = editor_client.get(f"/admin/pages/{submission.page_id}/edit/").content.decode()
    assert f'<a href="{url}"' in edit and "File sent by the member" in edit
    # An editor whose session gave no second factor is asked for one first.
    password_only_editor = UserFactory(role="Editor")
    accept_current_policies(password_only_editor)
    password_only = _client(password_only_editor)
    response = password_only.get(url)
    assert response.status_code == 302 and "/accounts/2fa/" in response.headers["Location"]


# --- The moderators' decision --------------------------------------------------------------------


def _task_state(page):
    return WorkflowState.objects.get(object_id=str(page.pk)).current_task_state


def test_an_editor_cannot_publish_a_proposal_nor_approve_it():
    submission = _proposed()
    page = ResourcePage.objects.get(pk=submission.page_id)
    editor, client = signed_in_staff("Editor")
    permissions = page.permissions_for_user(editor)
    assert permissions.can_edit() and not permissions.can_publish()
    edit = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert 'name="action-publish"' not in edit
    task_state = _task_state(page)
    client.post(f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/")
    page.refresh_from_db()
    assert not page.live
    assert ResourceSubmission.objects.get(pk=submission.pk).state == SubmissionState.IN_REVIEW


def test_a_moderator_approves_the_file_becomes_a_document_and_the_member_is_told(
    django_capture_on_commit_callbacks,
):
    member = _member("fr")
    submission = _proposed(member)
    page = ResourcePage.objects.get(pk=submission.page_id)
    file_url, file_name = private_file_url(submission.file), submission.file.name
    _moderator, client = signed_in_staff("Moderator")
    mail.outbox.clear()
    task_state = _task_state(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": ""}
        )
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    page.refresh_from_db()
    assert page.live
    submission.refresh_from_db()
    assert submission.state == SubmissionState.PUBLISHED
    assert not submission.file and submission.document is not None
    attachment = page.attachments.get()
    assert attachment.document == submission.document
    # The live page links the document; anyone may download it; the private copy is gone.
    download = Client().get(submission.document.url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert _client(member).get(file_url).status_code == 404
    assert not private_storage().exists(file_name)
    public = Client().get(page.url).content.decode()
    assert "Remittance corridors in the Sahel" in public and submission.document.url in public
    # The next draft starts from a revision that still holds the document.
    assert page.get_latest_revision_as_object().attachments.get().document == submission.document
    (message,) = [m for m in mail.outbox if m.to == [member.email]]
    assert "Remittance corridors in the Sahel" in message.subject
    assert page.get_full_url() in message.body
    dashboard = _client(member).get("/en/me/").content.decode()
    assert "Published" in dashboard and page.url in dashboard
    # The notification centre has it too, and it leads to the published page.
    notice = _decision_notice(member)
    assert notice.data["decision"] == "published" and notice.target == submission
    centre = _client(member).get("/en/notifications/").content.decode()
    assert "Remittance corridors in the Sahel" in centre
    opened = _client(member).post(f"/en/notifications/{notice.pk}/open/")
    assert opened.status_code == 302 and opened["Location"].endswith(page.url)


def test_a_moderator_requests_changes_and_the_member_reads_the_reason(
    django_capture_on_commit_callbacks,
):
    member = _member()
    submission = _proposed(member, file=None)
    page = ResourcePage.objects.get(pk=submission.page_id)
    _moderator, client = signed_in_staff("Moderator")
    mail.outbox.clear()
    task_state = _task_state(page)
    reason = "This report is already in the library under another title."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/pages/workflow/action/{page.pk}/reject/{task_state.pk}/", {"comment": reason}
        )
    assert response.status_code in (200, 302)
    submission.refresh_from_db()
    assert submission.state == SubmissionState.REJECTED and submission.reason == reason
    page.refresh_from_db()
    assert not page.live
    (message,) = [m for m in mail.outbox if m.to == [member.email]]
    assert "was not accepted" in message.subject and reason in message.body
    dashboard = _client(member).get("/en/me/").content.decode()
    assert "Not accepted" in dashboard and reason in dashboard
    notice = _decision_notice(member)
    assert notice.data["decision"] == "rejected" and notice.data["reason"] == reason
    centre = _client(member).get("/en/notifications/").content.decode()
    assert "was not accepted" in centre and submission.title in centre


def _decision_notice(member):
    """The one decision notification the member has in the notification centre."""
    from community.notifications.models import Notification
    from knowledge.submissions import SUBMISSION_KIND

    (notice,) = Notification.objects.filter(recipient=member, kind=SUBMISSION_KIND)
    return notice


def test_an_editor_resubmitting_a_returned_proposal_puts_it_back_in_review():
    submission = _proposed(file=None)
    page = ResourcePage.objects.get(pk=submission.page_id)
    moderator = UserFactory(role="Moderator")
    _task_state(page).reject(user=moderator, comment="Add the publisher.")
    assert ResourceSubmission.objects.get(pk=submission.pk).state == SubmissionState.REJECTED
    editor = UserFactory(role="Editor")
    WorkflowState.objects.get(object_id=str(page.pk)).resume(user=editor)
    assert ResourceSubmission.objects.get(pk=submission.pk).state == SubmissionState.IN_REVIEW


# --- Personal data ----------------------------------------------------------------------------


def test_erasing_the_account_deletes_the_proposals_and_their_files(
    django_capture_on_commit_callbacks, rf
):
    from core.yourdata import delete_account

    member = _member()
    submission = _proposed(member)
    name = submission.file.name
    assert private_storage().exists(name)
    page_id = submission.page_id
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(member, rf.get("/en/accounts/delete/"))
    assert not ResourceSubmission.objects.filter(pk=submission.pk).exists()
    assert not private_storage().exists(name)
    assert ResourcePage.objects.filter(pk=page_id).exists()


def test_a_draft_the_editors_delete_is_not_accepted_and_the_member_is_told(
    django_capture_on_commit_callbacks,
):
    member = _member()
    submission = _proposed(member, file=None)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ResourcePage.objects.get(pk=submission.page_id).delete()
    submission.refresh_from_db()
    assert submission.page is None and submission.state == SubmissionState.REJECTED
    (message,) = [m for m in mail.outbox if m.to == [member.email]]
    assert "No reason was given." in message.body
    assert "Not accepted" in _client(member).get("/en/me/").content.decode()


def test_the_library_invites_members_to_propose(libraries):
    page = Client().get("/en/library/").content.decode()
    assert 'href="/en/propose-a-resource/"' in page


def test_your_data_lists_the_proposals():
    from core.yourdata import export_data

    member = _member()
    _proposed(member)
    exported = export_data(member)
    rows = exported["knowledge_submissions"]["resource_submissions"]
    assert rows[0]["title"] == "Remittance corridors in the Sahel"
    assert rows[0]["file"] == "corridors.pdf" and rows[0]["state"] == "in_review"


def test_the_form_and_the_panel_cost_few_queries_and_little_weight(settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 0
    member = _member()
    client = _client(member)
    for number in range(3):
        _propose(member, title=f"Report {number}")
    client.get(PROPOSE)
    with CaptureQueriesContext(connection) as queries:
        form = client.get(PROPOSE)
    assert form.status_code == 200
    assert len(queries) <= 12, "\n".join(q["sql"][:200] for q in queries.captured_queries)
    assert len(form.content) <= 60 * 1024
    from knowledge.submission_declarations import render_my_submissions

    request = form.wsgi_request
    with CaptureQueriesContext(connection) as panel_queries:
        html = render_my_submissions(request)
    assert html.count("<tr>") == 4  # a heading row and three proposals
    assert len(panel_queries) == 1


def test_an_approved_proposal_scheduled_for_later_is_published_and_told_when_it_goes_live(
    django_capture_on_commit_callbacks,
):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    member = _member()
    submission = _proposed(member)
    page = ResourcePage.objects.get(pk=submission.page_id)
    page.go_live_at = timezone.now() + timedelta(seconds=2)
    page.save_revision(user=UserFactory(role="Editor"))
    task_state = _task_state(page)
    task_state.revision = page.get_latest_revision()
    task_state.save(update_fields=["revision"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        task_state.approve(user=UserFactory(role="Moderator"))
    page.refresh_from_db()
    assert not page.live
    assert ResourceSubmission.objects.get(pk=submission.pk).state == SubmissionState.IN_REVIEW
    assert not [m for m in mail.outbox if m.to == [member.email]]
    time.sleep(max(0.0, (page.go_live_at - timezone.now()).total_seconds()) + 0.2)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled", verbosity=0)
    page.refresh_from_db()
    submission.refresh_from_db()
    assert page.live and submission.state == SubmissionState.PUBLISHED
    assert page.attachments.get().document == submission.document
    assert [m for m in mail.outbox if m.to == [member.email]]
