"""Bad input: script injection stays text, links get rel="nofollow ugc", oversized text gets a
clear error and keeps what was typed; images are checked like avatars."""

from __future__ import annotations

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile

from community.forums.models import BODY_MAX_LENGTH, Post, PostImage

pytestmark = pytest.mark.django_db


def test_script_and_html_never_run_and_links_are_marked_as_user_content(forums):
    url = f"/en/forums/threads/{forums['thread'].pk}/reply/"
    body = (
        '<script>alert("x")</script> <img src=x onerror=alert(1)> '
        "[site](javascript:alert(2)) [ok](https://example.org)"
    )
    assert forums["member"].post(url, {"body": body}).status_code == 302
    html = Post.objects.get(body=body).body_html
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html
    assert 'href="https://example.org"' in html and "nofollow" in html and "ugc" in html


def test_an_oversized_post_is_refused_with_a_clear_error_and_keeps_the_text(forums):
    url = f"/en/forums/{forums['public'].slug}/new/"
    body = "word " * (BODY_MAX_LENGTH // 5 + 10)
    response = forums["member"].post(url, {"title": "Long one", "body": body})
    page = response.content.decode()
    assert response.status_code == 400
    assert "This message is too long" in page and "the limit is 20000" in page
    assert "Nothing was posted: please correct the errors below." in page
    assert 'value="Long one"' in page and "word word word" in page
    long_title = "T" * 200
    response = forums["member"].post(url, {"title": long_title, "body": "Short"})
    assert response.status_code == 400 and "This title is too long" in response.content.decode()


def test_images_are_checked_by_content_and_reencoded(forums):
    import io

    from PIL import Image

    url = f"/en/forums/threads/{forums['thread'].pk}/reply/"
    fake = SimpleUploadedFile("photo.png", b"<?php echo 1; ?>", content_type="image/png")
    response = forums["member"].post(url, {"body": "See the photo", "image": fake})
    assert response.status_code == 400 and not Post.objects.filter(body="See the photo").exists()
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(out, "PNG")
    real = SimpleUploadedFile("photo.png", out.getvalue(), content_type="image/png")
    data = {"body": "See the photo", "image": real, "image_description": "A teal square"}
    assert forums["member"].post(url, data).status_code == 302
    image = PostImage.objects.get(post__body="See the photo")
    assert image.image.name.endswith(".png") and "photo" not in image.image.name
    page = forums["anonymous"].get(f"/en/forums/threads/{forums['thread'].pk}/").content.decode()
    assert f'src="{image.thumbnail.url}" alt="A teal square"' in page
