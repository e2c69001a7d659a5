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
