"""Sessions read with SQL compiled once per process (`core.sessions`): a member stays signed in,
and an expired or unknown session reads as no session at all, as with Django's own engine."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.sessions import SessionStore
from tests.factories import UserFactory, accept_current_policies

pytestmark = pytest.mark.django_db


def test_the_engine_in_use_is_the_compiled_one():
    assert settings.SESSION_ENGINE == "core.sessions"


def test_a_member_stays_signed_in_until_the_session_expires(client):
    user = UserFactory(first_name="Kofi")
    accept_current_policies(user)
    client.force_login(user)
    assert "Signed in as Kofi" in client.get("/en/privacy/").content.decode()
    assert "Signed in as Kofi" in client.get("/en/privacy/").content.decode()
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    page = client.get("/en/privacy/").content.decode()
    assert "Signed in as Kofi" not in page and "Log in" in page


def test_an_unknown_session_key_loads_nothing_and_forgets_the_key():
    store = SessionStore("x" * 32)
    assert store.load() == {}
    assert store.session_key is None


def test_a_saved_session_reads_back_its_data():
    store = SessionStore()
    store["colour"] = "teal"
    store.save()
    assert SessionStore(store.session_key).load() == {"colour": "teal"}
