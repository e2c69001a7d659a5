"""Members, an organisation and a way to run what the worker runs after a commit."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from django.test import TestCase

from tests.members.conftest import make_member
from tests.organisations.conftest import client_for, make_organisation


@contextmanager
def committed():
    """Run what waits for the commit (the notification's e-mail task), as in production."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield


@pytest.fixture
def world():
    admin, _ = make_member()
    member, _ = make_member()
    other, _ = make_member()
    organisation = make_organisation(admin, name="Lagos Diaspora Forum")
    return {
        "admin": admin,
        "member": member,
        "other": other,
        "organisation": organisation,
        "clients": {key: client_for(user) for key, user in (("member", member), ("other", other))},
    }
