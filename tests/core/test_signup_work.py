"""Signing up with a taken address does the same work, in the request, as with a new one.

If the request for a new address hashed a password, inserted rows and sent mail while the one for
a taken address did none of it, the time it took would tell anyone who is a member. The test
compares what each request does (password hashes, SQL statements, mail, queued tasks), not how
long it takes; then runs the queued work to show each visitor got the right outcome.
"""

from __future__ import annotations

import re

import pytest

from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MEMBER = "mia@signup.example"


@pytest.fixture
def queued(settings):
    """Tasks are kept, not run, so the request's own work can be seen alone."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    return default_task_backend


@pytest.fixture
def hashes(monkeypatch) -> list[str]:
    calls: list[str] = []
    encode = MD5PasswordHasher.encode

    def counting_encode(self, password, salt):
        calls.append("encode")
        return encode(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting_encode)
    return calls


def _shape(sql: str) -> str:
    """The statement without its values: which tables, in which way."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r'"s\d+_x\d+"', "savepoint", sql)
    return re.sub(r"\b\d+(\.\d+)?\b", "?", sql)


def _signup(email: str, queued, hashes: list[str]) -> dict:
    client = Client()
    hashes.clear()
    mail.outbox.clear()
    already_queued = len(queued.results)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/en/accounts/signup/",
            {
                "email": email,
                "name": "Awa",
                "password1": "a-long enough passphrase 42",
                "password2": "a-long enough passphrase 42",
                "accept_policies": "on",
            },
        )
    return {
        "status": response.status_code,
        "location": response.headers.get("Location"),
        "hashes": len(hashes),
        "queries": [_shape(q["sql"]) for q in queries.captured_queries],
        "mail_sent": len(mail.outbox),
        "tasks": [r.task.name for r in queued.results[already_queued:]],
    }


def test_a_new_a_taken_and_a_lookalike_address_cost_the_request_the_same_work(queued, hashes):
    UserFactory(email=MEMBER)
    _signup("warm-up@signup.example", queued, hashes)  # first-request caches, for both alike

    new = _signup("newcomer@signup.example", queued, hashes)
    taken = _signup("Mia@Signup.Example", queued, hashes)
    lookalike = _signup("mıa@signup.example", queued, hashes)  # dotless ı

    assert new == taken == lookalike
    assert new["status"] == 302
    assert new["hashes"] == 1
    assert new["mail_sent"] == 0  # sent by the task, outside the request
    assert len(new["tasks"]) == 1

    for result in queued.results[1:]:
        result.task.call(*result.args, **result.kwargs)
    assert User.objects.filter(email="newcomer@signup.example").exists()
    assert User.objects.filter(email__endswith="@signup.example").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == [MEMBER, MEMBER, "newcomer@signup.example"]
    to_newcomer = next(m for m in mail.outbox if m.to == ["newcomer@signup.example"])
    assert "/en/accounts/confirm-email/" in to_newcomer.body
