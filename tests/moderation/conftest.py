"""Members, moderators and reports for the moderation tests."""

from __future__ import annotations

import pytest

from django.test import Client

from tests.factories import sign_in_with_second_factor
from tests.members.conftest import make_member


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def report_url(profile) -> str:
    return f"/en/report/members.profile/{profile.pk}/"


@pytest.fixture
def reported():
    """A listed member whose profile others report."""
    return make_member(
        display_name="Reported Person", headline="Sells miracle visas", in_directory=True
    )


@pytest.fixture
def moderator_client():
    """A moderator signed in with a second factor, as the guard requires."""
    moderator, _ = make_member(role="Moderator", display_name="Mona Moderator")
    client = Client()
    sign_in_with_second_factor(client, moderator)
    client.user = moderator
    return client


@pytest.fixture(autouse=True)
def no_demo_moderation(db):
    """The template database holds the demo's reports and log; these tests count their own."""
    from community.moderation.models import Appeal, ModerationAction, Report

    Appeal.objects.all().delete()
    ModerationAction.objects.all().delete()  # a queryset delete: the model's refusal is for code
    Report.objects.all().delete()


class _CommitAtOnce:
    """`django.db.transaction` for the notifications' delivery, running on-commit work at once:
    the author's e-mail waits for the commit, which a test's transaction never reaches."""

    def __getattr__(self, name):
        from django.db import transaction

        return getattr(transaction, name)

    @staticmethod
    def on_commit(func, using=None, robust=False):
        func()


@pytest.fixture(autouse=True)
def emails_at_once(monkeypatch):
    from community.notifications import delivery

    monkeypatch.setattr(delivery, "transaction", _CommitAtOnce())
