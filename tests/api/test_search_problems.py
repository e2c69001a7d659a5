"""The search endpoint answers bad input as the rest of the API does: problem details, never a
server error (a NUL byte used to reach PostgreSQL and fail there)."""

from __future__ import annotations

import pytest

from tests.api.conftest import problem_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["q=remit%00tances", "q=a&%01=x", "country=S%1FN"])
def test_control_characters_in_the_search_query_are_a_400_problem(client, query):
    data = problem_of(client.get(f"/api/v1/search/?{query}"), 400)
    assert data["errors"][0]["reason"] == (
        "This parameter contains characters that are not allowed."
    )


def test_an_ordinary_search_still_answers(client):
    response = client.get("/api/v1/search/?q=remittances")
    assert response.status_code == 200 and "results" in response.json()


def field_names(data: dict) -> set[str]:
    """The fields named by a problem's errors (a list's value is named `type.1`: its index)."""
    return {error["name"].split(".")[0] for error in data["errors"]}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("q=remittances&page=abc", "page"),
        ("q=remittances&page=0", "page"),
        ("q=remittances&page=51", "page"),
        ("q=remittances&page=99999999999999999999", "page"),
        ("q=remittances&page=1&page=2", "page"),
        ("q=remittances&type=nonsense", "type"),
        ("q=remittances&type=resource&type=recipe", "type"),
        ("q=remittances&lang=xx", "lang"),
        ("q=remittances&country=ZZ", "country"),
        ("q=remittances&country=SNX", "country"),
        ("q=remittances&closed=perhaps", "closed"),
        ("q=remittances&sort=newest", "sort"),
        ("q=remittances&ui=fr", "ui"),
        (f"q={'a' * 201}", "q"),
        ("q=remittances" + "&topic=x" * 6, "topic"),
    ],
)
def test_bad_search_parameters_are_a_400_problem_naming_the_field(client, query, field):
    data = problem_of(client.get(f"/api/v1/search/?{query}"), 400)
    assert field_names(data) == {field}
    assert field in data["detail"]


def test_every_bad_search_parameter_is_named_at_once(client):
    data = problem_of(client.get("/api/v1/search/?q=aid&page=abc&type=nonsense&colour=red"), 400)
    assert field_names(data) == {"page", "type", "colour"}
    data = problem_of(client.get("/api/v1/search/?q=aid&page=abc&type=nonsense&lang=xx"), 400)
    assert field_names(data) == {"page", "type", "lang"}


def test_search_errors_speak_the_callers_language(client):
    data = problem_of(
        client.get("/api/v1/search/?q=aid&colour=red", HTTP_ACCEPT_LANGUAGE="fr"), 400
    )
    assert data["errors"][0]["reason"] == "Ce paramètre n’est pas reconnu ici."


def test_valid_search_filters_are_answered(client):
    response = client.get(
        "/api/v1/search/?q=remittances&type=resource&lang=en&lang=fr&country=sn&topic=x"
        "&page=1&closed=true"
    )
    assert response.status_code == 200
    assert response.json()["errors"] == []


def test_the_search_page_still_forgives_its_readers(client):
    response = client.get("/en/search/?q=remittances&page=abc&type=nonsense&sort=newest")
    assert response.status_code == 200
