"""The @mention suggestions: only members the asker may name. A profile hidden by moderators is
left out for everyone; a member who blocked the asker is left out for the asker only."""

from __future__ import annotations

import pytest

from core.registries import reportable_models
from tests.members.conftest import make_member
from tests.organisations.conftest import client_for

pytestmark = pytest.mark.django_db


def _suggested(client, prefix: str = "Zephyr") -> list[str]:
    response = client.get("/en/forums/mentions/", {"q": prefix})
    assert response.status_code == 200
    return [result["name"] for result in response.json()["results"]]


def test_profiles_hidden_by_moderators_and_members_who_blocked_the_asker_are_not_suggested(
    forums,
):
    asker, _ = make_member(display_name="Asking Member")
    other, _ = make_member(display_name="Another Asker")
    make_member(display_name="Zephyr Listed")
    _hidden_user, hidden = make_member(display_name="Zephyr Hidden")
    blocker, _ = make_member(display_name="Zephyr Blocker")
    asking, asking_other = client_for(asker), client_for(other)
    everyone = ["Zephyr Blocker", "Zephyr Hidden", "Zephyr Listed"]
    assert _suggested(asking) == everyone

    reportable_models["members.Profile"].hide(hidden, forums["users"]["moderator"])
    response = client_for(blocker).post(f"/en/members/{asker.profile.pk}/block/", {"block": "1"})
    assert response.status_code == 302

    assert _suggested(asking) == ["Zephyr Listed"]
    # The block is the blocker's choice about the asker: others still find them.
    assert _suggested(asking_other) == ["Zephyr Blocker", "Zephyr Listed"]
