"""Members propose resources through the API (`/api/v1/resources/submissions/`) and read where
their own proposals stand: the site's form rules, review workflow and allowance, answered as
problem details; nobody ever sees another member's proposals."""

from __future__ import annotations

import json

import pytest

from django.core.cache import cache
from django.test import Client

from wagtail.models import WorkflowState

from core import webhooks
from core.api_tokens import create_token
from core.models import Webhook, WebhookDelivery
from knowledge import submissions
from knowledge.models import ResourcePage, ResourceSubmission, SubmissionState
from tests.api.conftest import problem_of
from tests.factories import UserFactory, accept_current_policies, sign_in_with_second_factor
from tests.members.conftest import make_member
from tests.organisations.conftest import make_organisation

pytestmark = pytest.mark.django_db

URL = "/api/v1/resources/submissions/"
PROPOSE_PAGE = "/en/propose-a-resource/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def member() -> UserFactory:
    user = UserFactory(role="Member")
    accept_current_policies(user)
    return user


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def write_token(user) -> str:
    return create_token(user, "script", "write")[1]


def valid(**overrides) -> dict:
    data = {
        "title": "Remittance corridors in the Sahel",
        "summary": "How transfer costs fell after mobile money arrived.",
        "link": "https://example.org/corridors",
        "type": "report",
        "language": "fr",
        "topics": ["remittances"],
        "countries": ["SN", "ML"],
    }
    data.update(overrides)
    return data


def propose(data, token: str | None = None, client: Client | None = None, url: str = URL, **extra):
    headers = {**(bearer(token) if token else {}), **extra}
    body = json.dumps(data)  # as a client sends it, whatever the value (a text too)
    return (client or Client()).post(url, data=body, content_type="application/json", **headers)


def listing(token: str, url: str = URL) -> dict:
    response = Client().get(url, **bearer(token))
    assert response.status_code == 200, response.content[:500]
    return response.json()


def by_field(response) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for error in response.json().get("errors", []):
        found.setdefault(error["name"], []).append(error["reason"])
    return found


def nothing_stored(pages_before: int) -> bool:
    return not ResourceSubmission.objects.exists() and ResourcePage.objects.count() == pages_before


# --- Proposing ------------------------------------------------------------------------------------


def test_member_proposes_through_the_api_into_the_same_review_workflow_as_the_site():
    user = member()
    response = propose(valid(), write_token(user))
    assert response.status_code == 201, response.content[:1000]
    body = response.json()
    assert body["status"] == "in_review" and body["status_label"] == "Waiting for review"
    assert body["url"] is None and body["resource"] is None
    submission = ResourceSubmission.objects.get(pk=body["id"], member=user)
    page = ResourcePage.objects.get(pk=submission.page_id)
    assert not page.live and page.locale.language_code == "fr"
    assert page.source_url == "https://example.org/corridors" and page.resource_type == "report"
    assert sorted(country.code for country in page.countries) == ["ML", "SN"]
    assert list(page.topics.values_list("slug", flat=True)) == ["remittances"]
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    # The public sees nothing of it; the member's dashboard shows it waiting.
    assert body["title"] not in Client().get("/api/v1/resources/?lang=fr").content.decode()
    signed_in = Client()
    signed_in.force_login(user)
    dashboard = signed_in.get("/en/me/").content.decode()
    assert "Remittance corridors in the Sahel" in dashboard and "Waiting for review" in dashboard


def test_a_token_acting_for_an_organisation_proposes_as_its_member():
    admin, _profile = make_member(display_name="Org Admin")
    organisation = make_organisation(admin, name="Sahel Network")
    _row, token = create_token(admin, "sync", "write", organisation.pk)
    response = propose(valid(), token)
    assert response.status_code == 201
    assert ResourceSubmission.objects.get().member == admin


def test_read_only_token_lists_its_members_proposals_but_may_not_propose():
    user = member()
    _row, reader = create_token(user, "reader", "read")
    pages_before = ResourcePage.objects.count()
    data = problem_of(propose(valid(), reader), 403)
    assert "read-only" in data["detail"]
    assert nothing_stored(pages_before)
    assert listing(reader)["results"] == []


def test_anonymous_callers_may_neither_propose_nor_list():
    pages_before = ResourcePage.objects.count()
    problem_of(propose(valid()), 401)
    problem_of(Client().get(URL), 401)
    assert nothing_stored(pages_before)


def test_a_revoked_token_is_refused():
    user = member()
    row, token = create_token(user, "script", "write")
    row.delete()
    problem_of(propose(valid(), token), 401)
    assert not ResourceSubmission.objects.exists()


def test_a_session_proposes_with_its_csrf_token_and_not_without():
    user = member()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    problem_of(propose(valid(), client=browser), 403)
    assert not ResourceSubmission.objects.exists()
    browser.get(PROPOSE_PAGE)  # the site's page sets the CSRF cookie its scripts send back
    csrf = browser.cookies["csrftoken"].value
    response = propose(valid(), client=browser, HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 201, response.content[:500]
    assert ResourceSubmission.objects.get().member == user


@pytest.mark.parametrize(
    "body", [["not", "an", "object"], "a text", 42, None], ids=["list", "text", "number", "null"]
)
def test_a_body_that_is_not_a_json_object_is_a_400_and_stores_nothing(body):
    pages_before = ResourcePage.objects.count()
    data = problem_of(propose(body, write_token(member())), 400)
    reason = "Send a JSON object with the resource's fields."
    assert data["errors"] == [{"name": "", "reason": reason}]
    assert nothing_stored(pages_before)


def test_malformed_json_and_other_media_types_are_refused():
    token = write_token(member())
    broken = Client().post(URL, data="{not json", content_type="application/json", **bearer(token))
    problem_of(broken, 400)
    form = Client().post(URL, data={"title": "x"}, **bearer(token))
    problem_of(form, 415)
    assert not ResourceSubmission.objects.exists()


def test_each_field_error_is_named_and_nothing_is_stored():
    pages_before = ResourcePage.objects.count()
    bad = valid(
        title="<b>Corridors</b>",
        summary="",
        link="javascript:alert(1)",
        type="banana",
        language="xx",
        countries=["ZZ"],
        colour="red",
    )
    response = propose(bad, write_token(member()))
    problem_of(response, 400)
    errors = by_field(response)
    assert errors["colour"] == ["This field is unknown."]  # named before the form runs
    assert len(errors) == 1
    response = propose({k: v for k, v in bad.items() if k != "colour"}, write_token(member()))
    errors = by_field(response)
    assert {"title", "summary", "link", "type", "language", "countries"} == set(errors), errors
    assert errors["title"] == ["Only plain text is accepted here: remove the HTML tags."]
    assert errors["summary"] == ["This field is required."]
    shapes = by_field(propose(valid(topics="remittances", title=["x"]), write_token(member())))
    assert shapes == {"topics": ["Give a list of texts."], "title": ["Give a text or a number."]}
    assert nothing_stored(pages_before)


def test_field_errors_speak_the_callers_language():
    token = write_token(member())
    bad = valid(title="<b>Corridors</b>", summary="")
    french = by_field(propose(bad, token, url=URL + "?lang=fr"))
    assert french["title"] == ["Seul du texte brut est accepté ici : retirez les balises HTML."]
    assert french["summary"] == ["Champ requis."]
    spanish = by_field(propose(bad, token, HTTP_ACCEPT_LANGUAGE="es"))
    assert spanish["summary"] != ["This field is required."]
    assert spanish["title"] != ["Only plain text is accepted here: remove the HTML tags."]
    assert not ResourceSubmission.objects.exists()


def test_files_are_not_taken_over_json_and_a_link_is_then_required():
    token = write_token(member())
    response = propose(valid(file="Y29ycmlkb3JzLnBkZg=="), token)
    assert "Files cannot be sent through the API" in by_field(response)["file"][0]
    response = propose(valid(link=""), token)
    problem_of(response, 400)
    assert by_field(response) == {"": ["Give a link to the resource or attach its file."]}
    assert not ResourceSubmission.objects.exists()


def test_a_post_takes_no_query_parameter_but_lang():
    response = propose(valid(), write_token(member()), url=URL + "?page_size=5")
    problem_of(response, 400)
    assert "page_size" in by_field(response)
    assert not ResourceSubmission.objects.exists()


def test_a_library_closed_to_proposals_is_a_clear_400(monkeypatch):
    monkeypatch.setattr(submissions, "library_for", lambda language: None)
    response = propose(valid(), write_token(member()))
    problem_of(response, 400)
    assert by_field(response) == {
        "": ["The library in this language is not open for proposals yet."]
    }
    assert not ResourceSubmission.objects.exists()


def test_the_sites_allowance_is_shared_and_spent_it_is_a_429_with_retry_after():
    user = member()
    token = write_token(user)
    # A refused form costs nothing of the allowance, as on the site.
    assert propose(valid(title=""), token).status_code == 400
    site = Client()
    site.force_login(user)
    site_form = {**valid(), "resource_type": "report"}
    del site_form["type"]
    for number in range(2):
        response = site.post(PROPOSE_PAGE, {**site_form, "title": f"Site report {number}"})
        assert response.status_code == 302
    for number in range(3):
        assert propose(valid(title=f"API report {number}"), token).status_code == 201
    pages_before = ResourcePage.objects.count()
    response = propose(valid(title="One too many"), token)
    data = problem_of(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert "You have posted a lot in the last hour" in data["detail"]  # the trust level's limit
    assert ResourceSubmission.objects.filter(member=user).count() == 5
    assert ResourcePage.objects.count() == pages_before
    # Another member's allowance is their own.
    assert propose(valid(title="Someone else's"), write_token(member())).status_code == 201


# --- Reading one's own proposals ------------------------------------------------------------------


def test_each_member_lists_only_their_own_proposals():
    alice, bob, carol = member(), member(), member()
    alice_token, bob_token, carol_token = (write_token(user) for user in (alice, bob, carol))
    for number in range(2):
        assert propose(valid(title=f"Alice {number}"), alice_token).status_code == 201
    assert propose(valid(title="Bob's secret report"), bob_token).status_code == 201
    mine = listing(alice_token)
    assert [item["title"] for item in mine["results"]] == ["Alice 1", "Alice 0"]
    assert all(item["status"] == "in_review" for item in mine["results"])
    assert [item["title"] for item in listing(bob_token)["results"]] == ["Bob's secret report"]
    assert listing(carol_token)["results"] == []
    # A session sees the same, its own.
    browser = Client()
    browser.force_login(bob)
    response = browser.get(URL)
    assert [item["title"] for item in response.json()["results"]] == ["Bob's secret report"]
    # Personal answers: no shared cache may keep them.
    assert response["Cache-Control"].startswith("private")
    assert "Authorization" in response["Vary"] and "Cookie" in response["Vary"]


def test_the_list_pages_with_a_cursor_and_answers_304_while_unchanged():
    token = write_token(member())
    for number in range(3):
        assert propose(valid(title=f"Report {number}"), token).status_code == 201
    first = listing(token, URL + "?page_size=2")
    assert [item["title"] for item in first["results"]] == ["Report 2", "Report 1"]
    second = Client().get(first["next"], **bearer(token)).json()
    assert [item["title"] for item in second["results"]] == ["Report 0"]
    assert second["next"] is None
    response = Client().get(URL, **bearer(token))
    again = Client().get(URL, HTTP_IF_NONE_MATCH=response["ETag"], **bearer(token))
    assert again.status_code == 304
    problem_of(Client().get(URL + "?page_size=500", **bearer(token)), 400)


def _decide(page: ResourcePage, action: str, comment: str = "") -> None:
    moderator = UserFactory(role="Moderator")
    accept_current_policies(moderator)
    client = Client()
    sign_in_with_second_factor(client, moderator)
    task_state = WorkflowState.objects.get(object_id=str(page.pk)).current_task_state
    response = client.post(
        f"/admin/pages/workflow/action/{page.pk}/{action}/{task_state.pk}/", {"comment": comment}
    )
    assert response.status_code in (200, 302)


def test_an_approved_proposal_shows_its_page_and_the_resource_published_webhook_fires(
    django_capture_on_commit_callbacks,
):
    user = member()
    token = write_token(user)
    hook = Webhook.objects.create(
        owner=UserFactory(is_superuser=True),
        url="https://partner.example.org/hook",
        events=["resource.published"],
        secret=webhooks.new_secret(),
    )
    created = propose(valid(), token).json()
    page = ResourcePage.objects.get(submission__pk=created["id"])
    assert not WebhookDelivery.objects.filter(hook=hook).exists()  # proposing publishes nothing
    with django_capture_on_commit_callbacks(execute=True):
        _decide(page, "approve")
    page.refresh_from_db()
    (item,) = listing(token)["results"]
    assert item["status"] == "published" and item["decided_at"]
    assert item["url"] == page.get_full_url() and item["resource"] == str(page.translation_key)
    public = Client().get(f"/api/v1/resources/{item['resource']}/?lang=fr")
    assert public.status_code == 200 and public.json()["title"] == created["title"]
    deliveries = WebhookDelivery.objects.filter(hook=hook, event="resource.published")
    assert [delivery.payload["data"]["id"] for delivery in deliveries] == [page.pk]


def test_a_proposal_not_accepted_shows_the_moderators_reason_and_no_page(
    django_capture_on_commit_callbacks,
):
    token = write_token(member())
    created = propose(valid(), token).json()
    page = ResourcePage.objects.get(submission__pk=created["id"])
    reason = "This report is already in the library under another title."
    with django_capture_on_commit_callbacks(execute=True):
        _decide(page, "reject", reason)
    (item,) = listing(token, URL + "?lang=fr")["results"]
    assert item["status"] == "rejected" and item["reason"] == reason
    assert item["status_label"] != "Not accepted"  # in French
    assert item["url"] is None and item["resource"] is None
    assert SubmissionState(item["status"]) == SubmissionState.REJECTED
