"""Every endpoint of the open-data API is limited by the API's own throttles: per address for
anonymous callers (`api_anon`), per token or per member for signed-in ones (`api_member`), a 429
problem with Retry-After beyond the rate. Views that are not `ApiReadView`s (search, closing an
opportunity) used to fall back to DRF's default limit, which token and session callers escaped."""

from __future__ import annotations

import pytest
from rest_framework.views import APIView

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from core.api import AnonymousIpThrottle, MemberOrTokenThrottle
from core.api_tokens import create_token
from core.models import ApiToken
from tests.api.conftest import problem_of
from tests.members.conftest import make_member

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/search/?q=remittances"


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def api_views(patterns=None, prefix: str = "") -> list[tuple[str, type]]:
    """(route, view class) of every DRF view the URLconf serves under /api/v1/."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found.extend(api_views(pattern.url_patterns, route))
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "cls", None)
            if route.startswith("api/v1/") and isinstance(view, type):
                found.append((route, view))
    return found


def test_every_api_view_has_the_apis_own_throttles():
    views = api_views()
    routes = {route for route, _view in views}
    # The walk finds what it must (else this test could pass on an empty list).
    assert {"api/v1/search/", "api/v1/opportunities/<int:pk>/close/"} <= routes
    assert len(views) >= 15
    for route, view in views:
        assert issubclass(view, APIView), route
        throttles = [type(throttle) for throttle in view().get_throttles()]
        assert throttles == [AnonymousIpThrottle, MemberOrTokenThrottle], (route, throttles)


def test_a_token_searching_past_its_rate_gets_a_429_problem_with_retry_after(settings):
    settings.API_THROTTLE_RATES = {"api_anon": "100/minute", "api_member": "2/minute"}
    member, _ = make_member(display_name="Busy Searcher")
    _row, token = create_token(member, "script", scope=ApiToken.Scope.READ)
    client = Client(REMOTE_ADDR="203.0.113.20")
    for _ in range(2):
        assert client.get(SEARCH, **bearer(token)).status_code == 200
    response = client.get(SEARCH, **bearer(token))
    data = problem_of(response, 429)
    assert data["type"].endswith("/too-many-requests")
    assert 1 <= int(response["Retry-After"]) <= 60


def test_anonymous_searches_are_counted_under_the_apis_anonymous_rate(settings):
    settings.API_THROTTLE_RATES = {"api_anon": "2/minute", "api_member": "100/minute"}
    one, other = Client(REMOTE_ADDR="203.0.113.21"), Client(REMOTE_ADDR="203.0.113.22")
    for _ in range(2):
        assert one.get(SEARCH).status_code == 200
    # The same count as the other endpoints: a list read after two searches is the third.
    response = one.get("/api/v1/countries/")
    problem_of(response, 429)
    assert int(response["Retry-After"]) >= 1
    assert other.get(SEARCH).status_code == 200  # per address


def test_a_token_closing_opportunities_is_counted_under_the_member_rate(settings):
    settings.API_THROTTLE_RATES = {"api_anon": "100/minute", "api_member": "1/minute"}
    member, _ = make_member(display_name="Closer")
    _row, token = create_token(member, "script", scope=ApiToken.Scope.WRITE)
    client = Client(REMOTE_ADDR="203.0.113.23")
    # Closing an opportunity that is not the caller's is refused, but counted all the same.
    assert client.post("/api/v1/opportunities/999999/close/", **bearer(token)).status_code == 404
    response = client.post("/api/v1/opportunities/999999/close/", **bearer(token))
    problem_of(response, 429)
    assert "Retry-After" in response


@pytest.mark.parametrize("url", ["/api/v1/countries/", SEARCH])
def test_each_token_of_a_member_has_its_own_count(settings, url):
    """Two scripts of one member, on one address, each with its own token: one going past the
    rate does not stop the other."""
    settings.API_THROTTLE_RATES = {"api_anon": "100/minute", "api_member": "2/minute"}
    member, _ = make_member(display_name="Two Scripts")
    _a, token_a = create_token(member, "importer", scope=ApiToken.Scope.READ)
    _b, token_b = create_token(member, "dashboard", scope=ApiToken.Scope.READ)
    client = Client(REMOTE_ADDR="203.0.113.30")
    for _ in range(2):
        assert client.get(url, **bearer(token_a)).status_code == 200
    refused = client.get(url, **bearer(token_a))
    problem_of(refused, 429)
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert client.get(url, **bearer(token_b)).status_code == 200
    # Nor is the address blocked for anonymous callers.
    assert client.get(url).status_code == 200
