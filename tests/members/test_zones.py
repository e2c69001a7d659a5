"""The reader's own time zone (`community.members.zones`): read with the signed-in member's user
row (`core.registries.signed_in_user_columns`), or by a query of its own for a user read any
other way, with the same answer."""

from __future__ import annotations

import pytest

from django.contrib.auth import get_user_model
from django.test import RequestFactory

from community.members.zones import READER_ZONE_COLUMN, reader_zone_name
from core.permissions_backend import _user_with_permissions

from .conftest import make_member

pytestmark = pytest.mark.django_db


def _zone_of(user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return reader_zone_name(request)


@pytest.mark.parametrize("zone", ["Africa/Dakar", "", "Not/AZone"])
def test_the_zone_is_the_same_read_with_the_user_or_on_its_own(zone):
    user, _profile = make_member(time_zone=zone)
    from django.contrib.auth.backends import ModelBackend

    signed_in = _user_with_permissions(ModelBackend(), user.pk)
    assert hasattr(signed_in, READER_ZONE_COLUMN)
    plain = get_user_model().objects.get(pk=user.pk)
    assert not hasattr(plain, READER_ZONE_COLUMN)
    expected = "Africa/Dakar" if zone == "Africa/Dakar" else ""
    assert _zone_of(signed_in) == _zone_of(plain) == expected
