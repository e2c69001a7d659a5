"""While Redis (REDIS_URL) is unreachable, reading degrades and security checks fail closed.

Each test points the caches at a port where no Redis listens, configured as REDIS_URL configures
them (`core.cache_faults.redis_caches`). The restart of a real Redis under running processes is
tests/e2e/test_redis_restart.py.
"""

from __future__ import annotations

import pytest
import redis
from channels.layers import channel_layers

from django.conf import settings as django_settings

from core import login_throttle, ratelimit
from core.cache_faults import redis_caches
from core.live import SITE_GROUP, publish
from core.page_cache import invalidate_groups, invalidate_pages
from knowledge.models import HomePage
from tests.e2e.conftest import free_port
from tests.factories import PASSWORD, UserFactory, accept_current_policies

pytestmark = pytest.mark.django_db


@pytest.fixture
def unreachable_redis(settings) -> str:
    url = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = redis_caches(url, fail_open_prefixes=django_settings.CACHE_FAIL_OPEN_PREFIXES)
    return url


def test_anonymous_pages_are_served_uncached_while_redis_is_unreachable(client, unreachable_redis):
    for _visit in range(2):
        response = client.get("/fr/")
        assert response.status_code == 200
        assert b"<main" in response.content
        assert "Age" not in response.headers


def test_community_pages_and_their_writes_go_on_while_redis_is_unreachable(
    client, unreachable_redis
):
    # Reading and changing a content group's token fail open: pages render fresh, unstored.
    for _visit in range(2):
        response = client.get("/en/opportunities/")
        assert response.status_code == 200
        assert "Age" not in response.headers
    invalidate_groups("opportunities")


def test_a_log_in_while_redis_is_unreachable_is_refused_with_a_page_saying_to_try_again(
    client, unreachable_redis
):
    member = UserFactory()
    accept_current_policies(member)

    response = client.post("/fr/accounts/login/", {"login": member.email, "password": PASSWORD})

    # The right password, but the throttle could not be consulted: not let through unchecked.
    assert response.status_code == 503
    assert "_auth_user_id" not in client.session
    assert b'lang="fr"' in response.content
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]


def test_security_limits_fail_closed_while_redis_is_unreachable(unreachable_redis):
    with pytest.raises(redis.exceptions.ConnectionError):
        ratelimit.hit("totp-approval-code", "1", 5, 60)
    with pytest.raises(redis.exceptions.ConnectionError):
        login_throttle.begin_attempt("someone@example.net")


def test_healthz_says_redis_is_unreachable_while_pages_still_serve(client, unreachable_redis):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "redis": "unreachable"}


def test_an_editor_can_publish_while_redis_is_unreachable(unreachable_redis):
    home = HomePage.objects.get(locale__language_code="en")
    home.intro = "<p>Published during a Redis outage</p>"
    home.save_revision().publish()
    invalidate_pages()

    home.refresh_from_db()
    assert "Redis outage" in home.intro


def test_a_live_event_published_while_redis_is_unreachable_does_not_fail_the_change(
    settings, unreachable_redis
):
    # No page can hold a socket while the channel layer has no Redis (they are all closed),
    # so the event has nobody to reach; the reply, the task that sent it must still succeed.
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [unreachable_redis]},
        }
    }
    channel_layers.backends = {}
    try:
        publish(SITE_GROUP, "site", {"event": "page_changed", "page": 1})
    finally:
        channel_layers.backends = {}
