"""A member's profile and photo are in their "Your data" download and go with their account."""

from __future__ import annotations

import json

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile

from community.members.models import Profile
from core.models import Topic
from tests.core.test_your_data import DELETE, download, reauthenticated, signed_in
from tests.factories import PASSWORD
from tests.members.conftest import make_member
from tests.members.test_editing import EDIT, form_data, jpeg_with_gps

pytestmark = pytest.mark.django_db


def member_with_photo():
    user, profile = make_member(
        headline="Public health researcher",
        city="Lyon",
        in_directory=True,
    )
    client = signed_in(user)
    client.post(EDIT, form_data(profile, avatar=SimpleUploadedFile("me.jpg", jpeg_with_gps())))
    profile = Profile.objects.get(pk=profile.pk)
    profile.skills.set(["epidemiology", "data analysis"])
    profile.sectors = ["health", "research"]
    profile.save()
    profile.topics.set(Topic.objects.filter(slug="health", locale__language_code="en"))
    return user, profile, client


def test_the_download_holds_the_profile_its_visibility_and_the_photo():
    _user, profile, client = member_with_photo()
    archive = download(reauthenticated(client))
    section = json.loads(archive.read("data.json"))["members"]
    assert section["headline"] == "Public health researcher"
    assert section["city"] == "Lyon"
    assert section["skills"] == ["data analysis", "epidemiology"]
    assert section["sectors"] == ["health", "research"]
    assert section["topics"] == ["health"]
    assert section["visibility"]["city"] == "members"
    assert section["visibility"]["topics"] == "public"
    assert section["onboarding"] == "none"  # where they stand with the set-up after sign-up
    photo = profile.avatar.name.rsplit("/", 1)[-1]
    assert section["photo"] == photo
    with profile.avatar.open("rb") as stored:
        assert archive.read(f"files/members/{photo}") == stored.read()


def test_deleting_the_account_erases_the_profile_and_its_photo(
    django_capture_on_commit_callbacks,
):
    _user, profile, client = member_with_photo()
    names = [profile.avatar.name, profile.avatar_thumbnail.name]
    storage = profile.avatar.storage
    assert all(storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(DELETE, {"password": PASSWORD, "confirm": "on"})
    assert "Your account has been deleted" in response.content.decode()
    assert not Profile.objects.filter(pk=profile.pk).exists()
    assert not any(storage.exists(name) for name in names)
    assert client.get(f"/en/members/{profile.pk}/").status_code == 404
