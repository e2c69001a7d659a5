"""Bad input on the organisation form: refused whole, nothing half-saved; text stored clean."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from django.core.files.uploadedfile import SimpleUploadedFile

from community.organisations.models import Organisation

pytestmark = pytest.mark.django_db
EDIT = "/en/organisations/dakar-health-network/edit/"


def _post(world, **changes):
    data = {"name": "Dakar Health Network", "type": "diaspora", **changes}
    return world["admin"].post(EDIT, data)


def _unchanged(world) -> Organisation:
    organisation = Organisation.objects.get(pk=world["organisation"].pk)
    assert organisation.description == ""
    assert not organisation.logo
    return organisation


def test_markup_typed_in_the_description_is_stored_as_text_and_never_runs(world):
    _post(world, description="<p>We <strong>help</strong><script>alert(1)</script></p>")
    organisation = Organisation.objects.get(pk=world["organisation"].pk)
    assert organisation.description == (
        "<p>&lt;p&gt;We &lt;strong&gt;help&lt;/strong&gt;"
        "&lt;script&gt;alert(1)&lt;/script&gt;&lt;/p&gt;</p>"
    )
    page = world["anonymous"].get("/en/organisations/dakar-health-network/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;strong&gt;help" in page


def test_html_pretending_to_be_a_png_logo_is_refused_and_nothing_is_saved(world):
    fake = SimpleUploadedFile("logo.png", b"<html><script>alert(1)</script></html>")
    response = _post(world, logo=fake, description="<p>Changed</p>")
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    _unchanged(world)


def test_a_decompression_bomb_logo_is_refused_and_nothing_is_saved(world):
    bomb = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(bomb, "PNG")
    response = _post(world, logo=SimpleUploadedFile("bomb.png", bomb.getvalue()), description="x")
    assert response.status_code == 200
    _unchanged(world)


def test_a_website_that_is_not_a_web_address_is_refused(world):
    response = _post(world, website="javascript:alert(1)", description="<p>Changed</p>")
    assert response.status_code == 200
    _unchanged(world)


def test_markup_in_the_name_is_refused(world):
    response = _post(world, name="<b>Loud</b> Network")
    assert response.status_code == 200
    assert Organisation.objects.get(pk=world["organisation"].pk).name == "Dakar Health Network"


def test_a_good_logo_is_re_encoded_with_a_thumbnail(world):
    picture = io.BytesIO()
    Image.new("RGB", (400, 300), "teal").save(picture, "PNG")
    _post(world, logo=SimpleUploadedFile("logo.png", picture.getvalue()))
    organisation = Organisation.objects.get(pk=world["organisation"].pk)
    assert organisation.logo and organisation.logo_thumbnail
    assert "logo" not in organisation.logo.name.rsplit("/", 1)[-1]


def test_topics_are_shown_in_the_readers_language(world):
    from core.models import Topic

    english = Topic.objects.get(slug="health", locale__language_code="en")
    _post(world, topics=[english.pk])
    assert (
        "Health"
        in world["anonymous"].get("/en/organisations/dakar-health-network/").content.decode()
    )
    arabic = Topic.objects.get(slug="health", locale__language_code="ar")
    page = world["anonymous"].get("/ar/organisations/dakar-health-network/").content.decode()
    assert arabic.label in page
