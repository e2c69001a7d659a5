"""The profile form: only one's own profile, clean text, avatars checked and re-encoded."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from community.members.models import VISIBLE_FIELDS, Profile

from .conftest import make_member

pytestmark = pytest.mark.django_db
EDIT = "/en/members/me/edit/"


def form_data(profile: Profile, **changes) -> dict:
    """What the form posts when the member changes `changes` and keeps the rest."""
    data = {
        "display_name": profile.display_name,
        "headline": profile.headline,
        "bio": profile.bio,
        "city": profile.city,
        **{f"{f}_visibility": getattr(profile, f"{f}_visibility") for f in VISIBLE_FIELDS},
    }
    data.update(changes)
    return data


@pytest.fixture
def owner_client():
    user, profile = make_member(display_name="Form Owner", headline="Old headline")
    client = Client()
    client.force_login(user)
    client.profile = profile
    return client


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (400, 300), (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_anonymous_visitors_are_sent_to_log_in():
    response = Client().get(EDIT)
    assert response.status_code == 302
    assert "/accounts/login/" in response.headers["Location"]


def test_the_form_saves_the_members_own_profile_with_every_field(owner_client):
    response = owner_client.post(
        EDIT,
        form_data(
            owner_client.profile,
            headline="Data scientist",
            skills_text="Python, data analysis, python",
            language_1="fr",
            level_1="native",
            language_2="en",
            level_2="fluent",
            countries_of_origin=["SN", "ML"],
            country_of_residence="FR",
            time_zone="Europe/Paris",
            links_text="https://example.org/me\nhttp://example.net/cv",
            open_to=["mentoring", "speaking"],
            in_directory="on",
            city_visibility="public",
        ),
    )
    assert response.status_code == 302
    profile = Profile.objects.get(pk=owner_client.profile.pk)
    assert profile.headline == "Data scientist"
    assert sorted(t.name for t in profile.skills.all()) == ["Python", "data analysis"]
    assert profile.languages == [
        {"code": "fr", "level": "native"},
        {"code": "en", "level": "fluent"},
    ]
    assert sorted(c.code for c in profile.countries_of_origin) == ["ML", "SN"]
    assert profile.country_of_residence.code == "FR"
    assert profile.time_zone == "Europe/Paris"
    assert profile.links == ["https://example.org/me", "http://example.net/cv"]
    assert profile.open_to == ["mentoring", "speaking"]
    assert profile.in_directory and profile.city_visibility == "public"
    page = owner_client.get(response.headers["Location"]).content.decode()
    assert "Data scientist" in page and "French" in page and "Senegal" in page


def test_the_form_shows_the_saved_values_again(owner_client):
    owner_client.post(EDIT, form_data(owner_client.profile, skills_text="Law", language_1="ar"))
    page = owner_client.get(EDIT).content.decode()
    assert 'value="Law"' in page
    assert '<option value="ar" selected>' in page


def test_a_member_cannot_edit_another_members_profile():
    _victim, victim_profile = make_member(display_name="Victim", headline="Victim headline")
    attacker, attacker_profile = make_member(display_name="Attacker")
    client = Client()
    client.force_login(attacker)
    # No id in the form's address; an id, a user or a profile in the data is ignored.
    data = form_data(attacker_profile, headline="Defaced", user=victim_profile.user_id)
    data.update(id=victim_profile.pk, pk=victim_profile.pk, profile=victim_profile.pk)
    assert client.post(EDIT, data).status_code == 302
    assert client.post(f"/en/members/{victim_profile.pk}/edit/", data).status_code == 404
    assert client.post(f"/en/members/{victim_profile.pk}/", data).status_code in (200, 405)
    victim_profile.refresh_from_db()
    assert victim_profile.headline == "Victim headline"
    attacker_profile.refresh_from_db()
    assert attacker_profile.headline == "Defaced"


def test_script_in_the_bio_is_removed_and_formatting_kept(owner_client):
    bio = '<p onclick="steal()">Hello <b>world</b></p><script>alert("x")</script>'
    owner_client.post(EDIT, form_data(owner_client.profile, bio=bio, bio_visibility="public"))
    profile = Profile.objects.get(pk=owner_client.profile.pk)
    assert "<script" not in profile.bio and "onclick" not in profile.bio
    assert "<b>world</b>" in profile.bio
    page = Client().get(f"/en/members/{profile.pk}/").content.decode()
    assert 'alert("x")' not in page and "<b>world</b>" in page


@pytest.mark.parametrize(
    "field, value",
    [
        ("headline", "<script>alert(1)</script>"),
        ("display_name", "<img src=x onerror=alert(1)>"),
        ("city", "Paris<b>"),
        ("skills_text", "law, <svg onload=alert(1)>"),
    ],
)
def test_markup_in_a_plain_text_field_is_refused_and_nothing_is_saved(owner_client, field, value):
    response = owner_client.post(EDIT, form_data(owner_client.profile, **{field: value}))
    assert response.status_code == 200
    assert "Only plain text is accepted here" in response.content.decode()
    assert Profile.objects.get(pk=owner_client.profile.pk).headline == "Old headline"


def test_a_link_that_is_not_a_web_address_is_refused(owner_client):
    response = owner_client.post(
        EDIT, form_data(owner_client.profile, links_text="javascript:alert(1)")
    )
    assert response.status_code == 200
    assert "is not a web address" in response.content.decode()
    assert Profile.objects.get(pk=owner_client.profile.pk).links == []


def _refused_avatar(client, upload) -> str:
    data = form_data(client.profile, headline="Kept while the photo is refused", avatar=upload)
    response = client.post(EDIT, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kept while the photo is refused" in page  # the other fields are not lost
    profile = Profile.objects.get(pk=client.profile.pk)
    assert not profile.avatar and profile.headline == "Old headline"  # nothing half-saved
    return page


def test_an_avatar_over_5_mb_is_refused(owner_client):
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024))
    assert "This file is too large" in _refused_avatar(owner_client, big)


def test_an_html_page_named_png_is_refused(owner_client):
    fake = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script></html>")
    assert "could not be read as a .png file" in _refused_avatar(owner_client, fake)


def test_an_avatar_of_another_type_is_refused(owner_client):
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    page = _refused_avatar(owner_client, SimpleUploadedFile("a.gif", gif.getvalue()))
    assert "Files of this type are not accepted" in page


def test_a_decompression_bomb_is_refused_before_it_is_decoded(owner_client):
    bomb = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(bomb, "PNG")  # 100 megapixels in a few kilobytes
    assert bomb.tell() < 100_000
    page = _refused_avatar(owner_client, SimpleUploadedFile("bomb.png", bomb.getvalue()))
    assert "megapixels" in page


def test_an_avatar_is_re_encoded_without_its_location_and_a_thumbnail_is_made(
    owner_client, django_capture_on_commit_callbacks
):
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as check:
        assert check.getexif().get_ifd(0x8825), "the test photo must carry a GPS position"
    upload = SimpleUploadedFile("holiday.jpg", original, content_type="image/jpeg")
    response = owner_client.post(EDIT, form_data(owner_client.profile, avatar=upload))
    assert response.status_code == 302
    profile = Profile.objects.get(pk=owner_client.profile.pk)
    assert "holiday" not in profile.avatar.name  # a random name says nothing of the owner
    with profile.avatar.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG" and image.size == (400, 300)
        assert not image.getexif()
        assert "exif" not in image.info
    with profile.avatar_thumbnail.open("rb") as stored, Image.open(stored) as thumbnail:
        assert thumbnail.size == (160, 160)
        assert not thumbnail.getexif()
    previous = profile.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(EDIT, form_data(profile, remove_avatar="on"))
    profile.refresh_from_db()
    assert not profile.avatar
    assert not profile.avatar.storage.exists(previous)


def test_the_time_zone_list_is_guessed_only_by_an_optional_script(owner_client):
    page = owner_client.get(EDIT).content.decode()
    assert '<select name="time_zone"' in page and 'value="Europe/Paris"' in page
    assert "members/timezone.js" in page


def test_deleting_an_account_removes_its_photo(owner_client, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("me.jpg", jpeg_with_gps())
    owner_client.post(EDIT, form_data(owner_client.profile, avatar=upload))
    profile = Profile.objects.get(pk=owner_client.profile.pk)
    names = [profile.avatar.name, profile.avatar_thumbnail.name]
    storage = profile.avatar.storage
    assert all(storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        profile.user.delete()
    assert not any(storage.exists(name) for name in names)


def test_sectors_and_topics_are_saved_once_per_concept_whatever_the_forms_language(owner_client):
    from core.topics import get_concept

    bonds = get_concept("diaspora-bonds")
    response = owner_client.post(
        "/fr/members/me/edit/",
        form_data(
            owner_client.profile,
            sectors=["finance", "research"],
            topics=[bonds.in_language("fr").id],
        ),
    )
    assert response.status_code == 302
    profile = Profile.objects.get(pk=owner_client.profile.pk)
    assert profile.sectors == ["finance", "research"]
    # Stored as the concept's English row, shown in the reader's language.
    assert [t.pk for t in profile.topics.all()] == [bonds.in_language("en").id]
    page = owner_client.get(f"/es/members/{profile.pk}/").content.decode()
    assert bonds.in_language("es").label in page
    # Ticked again in the reader's language when the form is opened.
    form = owner_client.get("/ar/members/me/edit/").content.decode()
    assert f'value="{bonds.in_language("ar").id}" id="id_topics_' in form
    assert 'value="finance" id="id_sectors_' in form


def test_an_unknown_sector_is_refused_and_nothing_is_saved(owner_client):
    response = owner_client.post(
        EDIT, form_data(owner_client.profile, headline="Changed", sectors=["astrology"])
    )
    assert response.status_code == 200
    assert "astrology is not one of the available choices" in response.content.decode()
    profile = Profile.objects.get(pk=owner_client.profile.pk)
    assert profile.headline == "Old headline" and profile.sectors == []
