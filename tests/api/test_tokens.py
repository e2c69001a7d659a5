"""Personal API tokens: made and revoked on the account page, shown once, stored hashed, read-only
or read-write, acting for an organisation, refused at once for sanctioned members; and the
write endpoints partners use with them (`/api/v1/opportunities/`), which answer exactly as the
site's posting form, permissions and review rules do."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from django.test import Client
from django.utils import timezone

from community.opportunities.models import Opportunity, Review, Status
from community.organisations.models import Membership, Verification
from core.api_tokens import create_token
from core.models import ApiToken
from tests.factories import PASSWORD
from tests.members.conftest import make_member
from tests.opportunities.conftest import make_opportunity
from tests.organisations.conftest import client_for, make_organisation

pytestmark = pytest.mark.django_db

TOKENS_PAGE = "/en/accounts/api-tokens/"
CREATE = "/api/v1/opportunities/"
SEARCH = "/api/v1/search/?q=remittances"


def by_field(response) -> dict[str, list[str]]:
    """The field errors of a problem-details answer, by field name."""
    found: dict[str, list[str]] = {}
    for error in response.json().get("errors", []):
        found.setdefault(error["name"], []).append(error["reason"])
    return found


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post_json(client: Client, url: str, data, token: str | None = None, method: str = "post"):
    extra = bearer(token) if token else {}
    return getattr(client, method)(url, data=data, content_type="application/json", **extra)


def valid(**overrides) -> dict:
    data = {
        "type": "job",
        "title": "Remittance data analyst",
        "description": "<p>Analyse remittance flows.</p>",
        "deadline": (timezone.now() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
        "time_zone": "Africa/Dakar",
        "work_mode": "remote",
        "apply_url": "https://example.org/apply",
        "countries": ["SN"],
        "skills": ["statistics", "R"],
    }
    data.update(overrides)
    return data


@pytest.fixture
def world():
    # Only this test's opportunities count (the template database holds the demo's).
    Opportunity.objects.all().delete()
    admin, _ = make_member(display_name="Org Admin")
    admin.trust_level = 1  # a member the community knows: publishes without review
    admin.save(update_fields=["trust_level"])
    other_admin, _ = make_member(display_name="Other Admin")
    member, _ = make_member(display_name="Plain Member")
    verified = make_organisation(admin, name="Verified Network", verification=Verification.VERIFIED)
    second = make_organisation(admin, name="Second Network", verification=Verification.VERIFIED)
    other = make_organisation(other_admin, name="Other Network", verification=Verification.VERIFIED)
    Membership.objects.create(organisation=verified, user=member, role="member")
    return {
        "admin": admin,
        "other_admin": other_admin,
        "member": member,
        "verified": verified,
        "second": second,
        "other": other,
        "client": Client(),
    }


# --- The account page ---------------------------------------------------------------------------


def reauthenticated(client: Client) -> Client:
    """A session that just gave its password again, as making a token asks."""
    response = client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302
    return client


def test_member_makes_a_token_sees_it_once_and_only_its_hash_is_kept(world):
    page = reauthenticated(client_for(world["member"]))
    assert page.get(TOKENS_PAGE).status_code == 200
    response = page.post(TOKENS_PAGE, {"name": "My script", "scope": "read"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    row = ApiToken.objects.get(user=world["member"])
    token = html.split('id="new-token-value" type="text" readonly value="')[1].split('"')[0]
    assert token.startswith(f"dh_{row.prefix}_") and len(token) > 40
    assert row.secret_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ApiToken.objects.filter(pk=row.pk).values().first())
    # The list shows its name and beginning, never the token again.
    listing = page.get(TOKENS_PAGE).content.decode()
    assert "My script" in listing and f"dh_{row.prefix}_" in listing and token not in listing
    # It authenticates, and its first use is recorded.
    assert world["client"].get(SEARCH, **bearer(token)).status_code == 200
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_anonymous_visitor_is_sent_to_sign_in_for_the_tokens_page(world):
    response = Client().get(TOKENS_PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_making_a_token_asks_for_the_password_again_when_the_sign_in_is_old(world):
    page = client_for(world["member"])  # a session with no recent sign-in recorded
    assert page.get(TOKENS_PAGE).status_code == 200
    response = page.post(TOKENS_PAGE, {"name": "My script", "scope": "read"})
    assert response.status_code == 302 and "/reauthenticate/" in response["Location"]
    assert not ApiToken.objects.filter(user=world["member"]).exists()


def test_token_cannot_act_for_an_organisation_its_member_does_not_administer(world):
    page = reauthenticated(client_for(world["member"]))
    response = page.post(
        TOKENS_PAGE, {"name": "Org script", "scope": "write", "organisation": world["other"].pk}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ApiToken.objects.filter(user=world["member"]).exists()
    with pytest.raises(PermissionError):
        create_token(world["member"], "sneaky", organisation_id=world["verified"].pk)


def test_a_past_expiry_date_is_refused_and_nothing_is_made(world):
    page = reauthenticated(client_for(world["member"]))
    yesterday = (timezone.now() - timedelta(days=1)).date().isoformat()
    response = page.post(TOKENS_PAGE, {"name": "Old", "scope": "read", "expires": yesterday})
    assert response.status_code == 400
    assert "Choose a date in the future." in response.content.decode()
    assert not ApiToken.objects.filter(user=world["member"]).exists()


def test_only_its_owner_revokes_a_token_and_then_it_stops_working_at_once(world):
    row, token = create_token(world["member"], "script")
    other = client_for(world["other_admin"])
    assert other.post(f"/en/accounts/api-tokens/{row.pk}/revoke/").status_code == 404
    assert world["client"].get(SEARCH, **bearer(token)).status_code == 200
    owner = client_for(world["member"])
    assert owner.post(f"/en/accounts/api-tokens/{row.pk}/revoke/").status_code == 302
    response = world["client"].get(SEARCH, **bearer(token))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


# --- Authentication ----------------------------------------------------------------------------


def test_wrong_secret_unknown_prefix_and_garbage_are_refused(world):
    _row, token = create_token(world["member"], "script")
    for bad in (token[:-2] + "xx", "dh_ffffffff_" + "a" * 43, "garbage", "dh_" + "x" * 500):
        assert world["client"].get(SEARCH, **bearer(bad)).status_code == 401


def test_expired_token_is_refused(world):
    row, token = create_token(
        world["member"], "script", expires_at=timezone.now() + timedelta(days=1)
    )
    assert world["client"].get(SEARCH, **bearer(token)).status_code == 200
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert world["client"].get(SEARCH, **bearer(token)).status_code == 401


@pytest.mark.parametrize("sanction", ["suspended", "banned", "inactive"])
def test_a_sanctioned_or_inactive_members_token_stops_working_at_once(world, sanction):
    member = world["member"]
    _row, token = create_token(member, "script")
    assert world["client"].get(SEARCH, **bearer(token)).status_code == 200
    if sanction == "suspended":
        member.suspended_until = timezone.now() + timedelta(days=3)
    elif sanction == "banned":
        member.banned_at = timezone.now()
    else:
        member.is_active = False
    member.save()
    response = world["client"].get(SEARCH, **bearer(token))
    assert response.status_code == 401


def test_last_used_is_written_at_most_once_a_minute(world):
    row, token = create_token(world["member"], "script")
    world["client"].get(SEARCH, **bearer(token))
    row.refresh_from_db()
    first = row.last_used_at
    world["client"].get(SEARCH, **bearer(token))
    row.refresh_from_db()
    assert row.last_used_at == first
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=first - timedelta(minutes=2))
    world["client"].get(SEARCH, **bearer(token))
    row.refresh_from_db()
    assert row.last_used_at > first - timedelta(minutes=1)


def test_read_only_token_reads_but_may_not_write(world):
    _row, token = create_token(world["admin"], "reader", organisation_id=world["verified"].pk)
    assert world["client"].get(SEARCH, **bearer(token)).status_code == 200
    response = post_json(world["client"], CREATE, valid(), token)
    assert response.status_code == 403
    assert "json" in response["Content-Type"]
    assert "read-only" in response.content.decode()
    assert not Opportunity.objects.exists()


def test_session_writes_keep_their_csrf_check(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world["admin"])
    response = post_json(browser, CREATE, valid())
    assert response.status_code == 403
    assert not Opportunity.objects.exists()


def test_token_acting_for_an_organisation_stops_acting_when_its_member_is_no_longer_admin(world):
    _row, token = create_token(world["admin"], "sync", "write", world["verified"].pk)
    assert world["client"].get(SEARCH, **bearer(token)).status_code == 200
    Membership.objects.filter(user=world["admin"], organisation=world["verified"]).delete()
    assert world["client"].get(SEARCH, **bearer(token)).status_code == 401


# --- Writing opportunities ----------------------------------------------------------------------


def test_org_admin_token_posts_an_opportunity_for_its_organisation(world):
    _row, token = create_token(world["admin"], "sync", "write", world["verified"].pk)
    response = post_json(world["client"], CREATE, valid(), token)
    assert response.status_code == 201, response.content
    body = response.json()
    item = Opportunity.objects.get(pk=body["id"])
    assert item.organisation == world["verified"] and item.poster == world["admin"]
    assert item.status == Status.PUBLISHED and item.is_public
    assert body["url"].endswith(f"/opportunities/{item.pk}/")
    assert response["Location"] == body["url"]
    assert sorted(item.skills.names()) == ["R", "statistics"]
    assert str(item.time_zone) == "Africa/Dakar"
    # The page readers see shows it.
    page = Client().get(f"/en/opportunities/{item.pk}/").content.decode()
    assert "Remittance data analyst" in page


def test_a_new_members_first_opportunity_is_held_for_review_as_on_the_site(world):
    _row, token = create_token(world["member"], "mine", "write")
    response = post_json(world["client"], CREATE, valid(), token)
    assert response.status_code == 201
    body = response.json()
    assert body["review"] == Review.HELD and body["is_public"] is False
    assert Client().get(f"/en/opportunities/{body['id']}/").status_code == 404


def test_a_poster_reads_why_a_moderator_sent_it_back_and_publishes_it_again(world):
    from community.opportunities import lifecycle
    from tests.members.conftest import make_member

    _row, token = create_token(world["member"], "mine", "write")
    body = post_json(world["client"], CREATE, valid(), token).json()
    item = Opportunity.objects.get(pk=body["id"])
    moderator, _ = make_member(role="Moderator")
    lifecycle.send_back(item, moderator, "Name the city, please.")
    url = f"{CREATE}{item.pk}/"
    response = post_json(world["client"], url, {"title": "Analyst"}, token, method="patch")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["review"], body["is_public"]) == ("draft", "sent_back", False)
    assert body["review_note"] == "Name the city, please."
    again = post_json(
        world["client"], url, {"title": "Analyst in Dakar", "publish": True}, token, method="patch"
    ).json()
    # Published again under the same rules: a first opportunity waits for a moderator again.
    assert (again["review"], again["review_note"], again["is_public"]) == ("held", "", False)


def test_bad_input_is_a_400_with_each_fields_error_and_nothing_is_saved(world):
    _row, token = create_token(world["admin"], "sync", "write", world["verified"].pk)
    past = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = post_json(
        world["client"],
        CREATE,
        valid(title="", deadline=past, apply_url="http://example.org/apply", topics=["nope"]),
        token,
    )
    assert response.status_code == 400
    errors = by_field(response)
    assert "topics" in errors  # unknown topic slugs are named before the form runs
    bad = valid(title="<b>x</b>", deadline=past, apply_url="http://e.org")
    response = post_json(world["client"], CREATE, bad, token)
    errors = by_field(response)
    assert response.status_code == 400
    assert {"title", "deadline", "apply_url"} <= set(errors), errors
    assert "The deadline must be in the future." in str(errors["deadline"])
    shapes = post_json(world["client"], CREATE, valid(countries="SN", colour="red"), token)
    assert shapes.status_code == 400 and {"countries", "colour"} <= set(by_field(shapes))
    assert post_json(world["client"], CREATE, ["not", "an", "object"], token).status_code == 400
    assert not Opportunity.objects.exists()


def test_posting_for_an_organisation_one_does_not_administer_is_refused(world):
    _row, token = create_token(world["member"], "mine", "write")
    response = post_json(world["client"], CREATE, valid(organisation=world["verified"].pk), token)
    assert response.status_code == 403
    _row, admin_token = create_token(world["admin"], "sync", "write", world["verified"].pk)
    response = post_json(
        world["client"], CREATE, valid(organisation=world["second"].pk), admin_token
    )
    assert response.status_code == 403  # the token acts for the first organisation only
    assert not Opportunity.objects.exists()


def test_anonymous_client_cannot_write(world):
    response = post_json(world["client"], CREATE, valid())
    assert response.status_code in (401, 403)
    assert not Opportunity.objects.exists()


def test_update_changes_only_the_fields_given_and_only_for_its_managers(world):
    item = make_opportunity(world["admin"], world["verified"], title="Original")
    item.skills.set(["policy"])
    url = f"/api/v1/opportunities/{item.pk}/"
    tokens = {
        who: create_token(world[who], who, "write")[1] for who in ("member", "other_admin", "admin")
    }
    _row, other_org_token = create_token(world["admin"], "second", "write", world["second"].pk)
    for token in (tokens["member"], tokens["other_admin"], other_org_token):
        response = post_json(world["client"], url, {"title": "x"}, token, "patch")
        assert response.status_code == 403
    response = post_json(world["client"], url, {"title": "Renamed"}, tokens["admin"], "patch")
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert item.title == "Renamed" and list(item.skills.names()) == ["policy"]
    assert item.apply_url == "https://example.org/apply"
    # Bad input changes nothing at all.
    response = post_json(
        world["client"], url, {"title": "Again", "apply_url": "ftp://x"}, tokens["admin"], "patch"
    )
    assert response.status_code == 400 and "apply_url" in by_field(response)
    item.refresh_from_db()
    assert item.title == "Renamed"


def test_someone_elses_draft_is_a_404_to_writers_who_cannot_see_it(world):
    draft = make_opportunity(world["other_admin"], world["other"], status=Status.DRAFT)
    _row, token = create_token(world["admin"], "sync", "write")
    url = f"/api/v1/opportunities/{draft.pk}/"
    assert post_json(world["client"], url, {"title": "x"}, token, "patch").status_code == 404
    assert post_json(world["client"], url + "close/", {}, token).status_code == 404


def test_admin_closes_an_opportunity_through_the_api(world):
    item = make_opportunity(world["admin"], world["verified"])
    _row, token = create_token(world["admin"], "sync", "write", world["verified"].pk)
    _row, member_token = create_token(world["member"], "mine", "write")
    url = f"/api/v1/opportunities/{item.pk}/close/"
    assert post_json(world["client"], url, {}, member_token).status_code == 403
    response = post_json(world["client"], url, {}, token)
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.is_closed


def test_posting_past_the_hourly_allowance_is_a_429_with_retry_after(world):
    _row, token = create_token(world["member"], "mine", "write")
    for _ in range(5):  # a new member's allowance (core.trust)
        assert post_json(world["client"], CREATE, valid(), token).status_code == 201
    response = post_json(world["client"], CREATE, valid(title="One more"), token)
    assert response.status_code == 429 and response["Retry-After"] == "3600"
    assert "Nothing was lost" in response.content.decode()
    assert not Opportunity.objects.filter(title="One more").exists()


def test_your_data_lists_tokens_without_any_secret(world):
    from core.declarations import _export_integrations

    row, token = create_token(world["member"], "script")
    exported = str(_export_integrations(world["member"]))
    assert "script" in exported and row.prefix in exported
    assert token not in exported and row.secret_hash not in exported


# --- A token carries no second factor -----------------------------------------------------------


def test_a_moderators_token_reads_and_writes_as_a_member(world):
    """A token cannot give a second factor: a moderator's acts with a member's permissions
    (`core.privilege`). A held opportunity is as absent for it as for any member; the same
    account in a session that gave the code sees it exists (and may not change it)."""
    from tests.factories import force_login_with_second_factor

    moderator, _ = make_member(role="Moderator", display_name="Mod Erator")
    held = make_opportunity(world["member"], title="Held analyst", review=Review.HELD)
    _row, token = create_token(moderator, "script", "write")
    client = world["client"]
    listed = client.get(CREATE, **bearer(token))
    assert listed.status_code == 200
    assert "Held analyst" not in listed.content.decode()
    detail = f"/api/v1/opportunities/{held.pk}/"
    assert client.get(detail, **bearer(token)).status_code == 404
    for token_of in (token, create_token(world["other_admin"], "member", "write")[1]):
        changed = post_json(client, detail, {"title": "Changed"}, token_of, method="patch")
        assert changed.status_code == 404, changed.content
        closed = client.post(f"/api/v1/opportunities/{held.pk}/close/", **bearer(token_of))
        assert closed.status_code == 404
    # A session follows the session's rule: the password alone is a member's, the code is not.
    weak = Client()
    weak.force_login(moderator)
    changed = weak.patch(detail, data={"title": "Changed"}, content_type="application/json")
    assert changed.status_code == 404, changed.content
    strong = Client()
    force_login_with_second_factor(strong, moderator)
    changed = strong.patch(detail, data={"title": "Changed"}, content_type="application/json")
    assert changed.status_code == 403, changed.content
    held.refresh_from_db()
    assert held.title == "Held analyst" and held.review == Review.HELD


def test_a_moderator_who_administers_an_organisation_still_posts_for_it_by_token(world):
    """Administering an organisation is a membership, not a privilege: it stays with a token."""
    moderator, _ = make_member(role="Moderator", display_name="Mod Erator")
    Membership.objects.create(organisation=world["second"], user=moderator, role="admin")
    _row, token = create_token(moderator, "sync", "write", world["second"].pk)
    response = post_json(world["client"], CREATE, valid(), token)
    assert response.status_code == 201, response.content
    assert Opportunity.objects.get(pk=response.json()["id"]).organisation == world["second"]
