"""Members, profiles and viewers for the members tests."""

from __future__ import annotations

import pytest

from community.members.models import Profile
from core.models import Topic
from tests.factories import UserFactory, accept_current_policies


def make_member(role: str = "Member", **profile_fields) -> tuple:
    """A member who accepted the policies, with a profile holding `profile_fields` (`topics`
    as slugs, tagged with their English rows as the profile form stores them)."""
    user = UserFactory(role=role)
    accept_current_policies(user)
    skills = profile_fields.pop("skills", None)
    topics = profile_fields.pop("topics", None)
    profile = Profile.for_user(user)
    for name, value in profile_fields.items():
        setattr(profile, name, value)
    profile.save()
    if skills:
        profile.skills.set(skills)
    if topics:
        profile.topics.set(Topic.objects.filter(slug__in=topics, locale__language_code="en"))
    return user, profile


@pytest.fixture
def member_client(client):
    """A client signed in as a fresh plain member (with a profile of their own)."""
    user, _profile = make_member()
    client.force_login(user)
    client.user = user
    return client
