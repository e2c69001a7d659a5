"""The API's shared behaviour: problem details, parameters, paging, conditional GETs, throttling
and the query budget of a page of resources."""

from __future__ import annotations

import base64
from types import SimpleNamespace

import pytest
from rest_framework import exceptions

from django.test import Client
from django.utils import translation
from django.utils.http import http_date

from core.api import MAX_QUERY_STRING, MemberOrTokenThrottle
from core.api_problems import problem_exception_handler
from core.page_cache import invalidate_groups
from knowledge.library import facet_counts

from .conftest import problem_of

pytestmark = pytest.mark.django_db


def test_unknown_address_and_wrong_method_are_problem_details_not_html(client):
    data = problem_of(client.get("/api/v1/no-such-thing/"), 404)
    assert data["type"].endswith("/not-found")
    problem_of(client.get("/api/v1/resources/00000000-0000-0000-0000-000000000000/"), 404)
    problem_of(client.get("/api/v1/opportunities/99999999999999999999/"), 404)
    data = problem_of(client.post("/api/v1/resources/", {"title": "x"}), 405)
    assert "GET" in data["detail"]
    problem_of(client.delete("/api/v1/topics/"), 405)
    problem_of(client.get("/api/v1/topics/", HTTP_ACCEPT="text/html"), 406)


def test_problem_titles_follow_the_requested_language(client):
    response = client.get("/api/v1/no-such-thing/?lang=fr")
    data = problem_of(response, 404)
    with translation.override("fr"):
        assert data["title"] == translation.gettext("Not found")
    response = client.get("/api/v1/resources/?bad=1&lang=es")
    assert response["Content-Language"] == "es"
    with translation.override("es"):
        assert problem_of(response, 400)["title"] == translation.gettext(
            "Invalid request parameters"
        )


def test_unsupported_media_type_and_server_errors_are_problem_details_too():
    request = SimpleNamespace(path="/api/v1/resources/")
    response = problem_exception_handler(
        exceptions.UnsupportedMediaType("text/csv"), {"request": request}
    )
    assert response.status_code == 415 and response.data["type"].endswith("/unsupported-media-type")
    response = problem_exception_handler(RuntimeError("secret internals"), {"request": request})
    assert response.status_code == 500
    assert "secret internals" not in str(response.data) and response.data["status"] == 500


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/resources/?colour=red", "colour"),
        ("/api/v1/resources/?type=banana", "type"),
        ("/api/v1/resources/?topic=no-such-topic", "topic"),
        ("/api/v1/resources/?country=XX", "country"),
        ("/api/v1/resources/?year=twenty", "year"),
        ("/api/v1/resources/?published_after=yesterday", "published_after"),
        ("/api/v1/resources/?ordering=random", "ordering"),
        ("/api/v1/resources/?page_size=1000", "page_size"),
        ("/api/v1/resources/?page_size=0", "page_size"),
        ("/api/v1/resources/?page_size=ten", "page_size"),
        ("/api/v1/resources/?cursor=not-a-cursor", "cursor"),
        ("/api/v1/resources/?type=toolkit&type=report", "type"),
        ("/api/v1/resources/?lang=klingon", "lang"),
        ("/api/v1/organisations/?verified=maybe", "verified"),
        ("/api/v1/opportunities/?status=archived", "status"),
        ("/api/v1/opportunities/?within=12", "within"),
        ("/api/v1/opportunities/?org=no-such-org", "org"),
        ("/api/v1/threads/?forum=no-such-forum", "forum"),
        ("/api/v1/members/?sector=astrology", "sector"),
        ("/api/v1/topics/?page_size=10", "page_size"),
        ("/api/v1/opportunities/?skill=a%00b", "skill"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_field(client, url, field):
    data = problem_of(client.get(url), 400)
    assert field in {error["name"] for error in data["errors"]}
    assert all(error["reason"] for error in data["errors"])


def test_a_very_long_query_string_is_a_400(client):
    data = problem_of(client.get(f"/api/v1/resources/?skill={'x' * MAX_QUERY_STRING}"), 400)
    assert str(MAX_QUERY_STRING) in data["errors"][0]["reason"]


def test_a_cursor_from_another_ordering_is_refused(client):
    cursor = client.get("/api/v1/resources/?page_size=2").json()["next"].split("cursor=")[1]
    problem_of(client.get(f"/api/v1/resources/?ordering=title&cursor={cursor}"), 400)


@pytest.mark.parametrize("ordering", ["newest", "title", "updated"])
def test_cursor_paging_walks_every_resource_once(client, ordering):
    total, _counts = facet_counts({})
    seen, url = [], f"/api/v1/resources/?page_size=7&ordering={ordering}"
    while url:
        data = client.get(url).json()
        seen.extend(item["id"] for item in data["results"])
        url = data["next"]
    assert len(seen) == len(set(seen)) == total


def test_a_page_of_fifty_resources_costs_at_most_eight_queries(
    client, django_assert_max_num_queries
):
    client.get("/api/v1/resources/?page_size=50")  # warm this process's memos (taxonomy, locales)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/resources/?page_size=50&lang=fr")
    assert len(response.json()["results"]) == 50


def test_a_conditional_get_is_answered_304_until_something_changes(
    client, django_assert_max_num_queries
):
    first = client.get("/api/v1/opportunities/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified
    with django_assert_max_num_queries(3):  # throttle count, group tokens, deadline counts
        again = client.get("/api/v1/opportunities/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert client.get("/api/v1/opportunities/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    # Another language or filter is another answer.
    assert client.get("/api/v1/opportunities/?lang=fr", HTTP_IF_NONE_MATCH=etag).status_code == 200
    invalidate_groups("opportunities")
    changed = client.get("/api/v1/opportunities/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    old = http_date(0)
    assert client.get("/api/v1/opportunities/", HTTP_IF_MODIFIED_SINCE=old).status_code == 200


def test_vocabularies_answer_304_for_an_unchanged_body(client):
    etag = client.get("/api/v1/topics/")["ETag"]
    assert client.get("/api/v1/topics/", HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304


def test_too_many_requests_get_a_429_with_retry_after(settings):
    settings.API_THROTTLE_RATES = {"api_anon": "3/minute", "api_member": "5/minute"}
    one, other = Client(REMOTE_ADDR="203.0.113.7"), Client(REMOTE_ADDR="203.0.113.8")
    for _ in range(3):
        assert one.get("/api/v1/countries/").status_code == 200
    response = one.get("/api/v1/countries/")
    problem_of(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60
    assert other.get("/api/v1/countries/").status_code == 200  # per address


def test_signed_in_callers_are_counted_per_token_else_per_member():
    throttle = MemberOrTokenThrottle()
    member = SimpleNamespace(is_authenticated=True, pk=42)
    anonymous = SimpleNamespace(is_authenticated=False, pk=None)
    with_token = SimpleNamespace(user=member, auth=SimpleNamespace(pk=7), META={})
    with_session = SimpleNamespace(user=member, auth=None, META={})
    assert throttle.get_cache_key(with_token, None) == "api_member:token-7"
    assert throttle.get_cache_key(with_session, None) == "api_member:user-42"
    assert throttle.get_cache_key(SimpleNamespace(user=anonymous, auth=None), None) is None


def test_publishing_or_a_topic_change_gives_lists_a_new_etag(client):
    from core.models import Topic
    from knowledge.models import ResourcePage

    etag = client.get("/api/v1/resources/")["ETag"]
    assert client.get("/api/v1/resources/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    ResourcePage.objects.live().first().save_revision().publish()
    changed = client.get("/api/v1/resources/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    etag = changed["ETag"]
    topic = Topic.objects.filter(locale__language_code="fr").first()
    topic.label = f"{topic.label} (révisé)"
    topic.save()
    assert client.get("/api/v1/resources/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_head_answers_like_get_and_a_password_is_never_an_api_credential(client):
    from tests.factories import UserFactory

    head = client.head("/api/v1/topics/")
    assert head.status_code == 200 and head["ETag"] == client.get("/api/v1/topics/")["ETag"]
    user = UserFactory()
    # Were HTTP Basic an API credential, a wrong password would be refused (a password guess
    # that skips the log-in form's lockout); it is no credential at all: the public answer.
    credentials = base64.b64encode(f"{user.email}:wrong-guess".encode()).decode()
    response = client.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Basic {credentials}")
    assert response.status_code == 200
