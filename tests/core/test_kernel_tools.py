"""The kernel's shared safety tools: HTML sanitising, upload validation, rate limits."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from core.email_url import parse_email_url
from core.ratelimit import hit, seconds_left
from core.sanitize import clean_html, editable_text, looks_like_html, plain_text, text_to_html
from core.uploads import validate_upload


def test_sanitiser_keeps_formatting_and_removes_scripts_and_handlers():
    dirty = (
        '<p onclick="x()">Hi <b>there</b><script>alert(1)</script><a href="javascript:x">l</a></p>'
    )
    clean = clean_html(dirty)
    assert "<b>there</b>" in clean
    assert "script" not in clean and "onclick" not in clean and "javascript" not in clean


def test_sanitised_links_cannot_pass_on_reputation_or_the_opener():
    clean = clean_html('<a href="https://example.org">x</a>')
    assert 'rel="nofollow noopener noreferrer ugc"' in clean


def test_plain_text_strips_all_tags():
    assert plain_text("<p>Bonjour <em>à tous</em></p>") == "Bonjour à tous"


@pytest.mark.parametrize(
    "typed",
    [
        "One line",
        "First line\nsecond line\n\nA second paragraph",
        "Café à Dakar, naïve façade — ça va ?",
        "مرحبا بكم\nفي الورشة\n\nhttps://example.org/ar/برنامج",
        "3 < 5 && 7 > 2; &amp; &lt;b&gt; stay as typed",
        "<script>alert(1)</script> <p>not a paragraph</p> <a href='javascript:x'>x</a>",
        "Agenda: https://example.org/a?b=1&c=2. Wiki https://en.wikipedia.org/wiki/X_(y)) end",
        "- a list\n- typed by hand\n   indented  twice",
    ],
)
def test_typed_text_is_stored_escaped_and_comes_back_as_typed(typed):
    stored = text_to_html(typed)
    assert stored == clean_html(stored)  # already what the models' sanitiser keeps
    # Typed markup is text: no tag but the paragraphs, line breaks and links made here.
    assert "<script" not in stored
    assert set(re.findall(r"<(\w+)", stored)) <= {"p", "br", "a"}
    assert all(href.startswith("http") for href in re.findall(r'<a href="([^"]*)"', stored))
    assert editable_text(stored) == typed
    assert text_to_html(editable_text(stored)) == stored


def test_typed_text_keeps_paragraphs_line_breaks_and_links():
    stored = text_to_html("Hello\nworld\n\n\nSee https://example.org/x.")
    assert stored == (
        '<p>Hello<br>\nworld</p>\n\n<p>See <a href="https://example.org/x" '
        'rel="nofollow noopener noreferrer ugc">https://example.org/x</a>.</p>'
    )
    # Search, e-mails and calendars take its plain text: the lines stay apart.
    assert plain_text(stored) == "Hello\nworld\n\nSee https://example.org/x."


def test_stored_html_is_told_from_text_stored_before_paragraphs_were_kept():
    assert looks_like_html("<p>Hi</p>") and looks_like_html("a<br>b")
    assert not looks_like_html("3 &lt; 5\nand more") and not looks_like_html("")
    assert editable_text("3 &lt; 5\nand &amp; more") == "3 < 5\nand & more"


def test_formatting_text_cannot_say_is_kept_when_the_text_shown_is_saved_unchanged():
    rich = "<h2>Plan</h2><ul><li>One</li><li><em>Two</em></li></ul>"
    shown = editable_text(rich)
    assert shown == "Plan\n\n- One\n- Two"
    assert text_to_html(shown, previous=rich) == rich
    assert text_to_html(shown + "!", previous=rich) == "<p>Plan</p>\n\n<p>- One<br>\n- Two!</p>"


def png_bytes(size=(4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_real_image_passes_validation():
    upload = SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")
    assert validate_upload(upload, {"png", "jpg"}) == "png"
    assert upload.read(4) == b"\x89PNG"  # left ready to be saved


def test_a_file_whose_content_does_not_match_its_name_is_refused_in_the_users_language():
    upload = SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        validate_upload(upload, {"pdf"})
    assert error.value.code == "mismatch"
    assert ".pdf" in error.value.messages[0]


def test_a_disallowed_type_and_an_oversized_file_are_refused():
    with pytest.raises(ValidationError) as bad_type:
        validate_upload(SimpleUploadedFile("run.exe", b"MZ"), {"pdf"})
    assert bad_type.value.code == "bad_type"
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2000)
    with pytest.raises(ValidationError) as too_large:
        validate_upload(big, {"pdf"}, max_bytes=1000)
    assert too_large.value.code == "too_large"


def test_a_broken_image_is_refused():
    upload = SimpleUploadedFile("broken.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    with pytest.raises(ValidationError) as error:
        validate_upload(upload, {"png"})
    assert error.value.code == "bad_image"


@pytest.mark.django_db
def test_rate_limit_allows_up_to_the_limit_then_refuses_and_counts_per_key():
    results = [hit("post", "member-1", limit=3, window_seconds=60) for _ in range(4)]
    assert results == [True, True, True, False]
    assert hit("post", "member-2", limit=3, window_seconds=60) is True


def test_email_url_configures_smtp_with_tls():
    config = parse_email_url("smtp://user%40x.org:s3cret@mail.example.org:587?tls=1")
    assert config["EMAIL_HOST"] == "mail.example.org"
    assert config["EMAIL_PORT"] == 587
    assert config["EMAIL_HOST_USER"] == "user@x.org"
    assert config["EMAIL_HOST_PASSWORD"] == "s3cret"
    assert config["EMAIL_USE_TLS"] is True


def test_email_url_with_an_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="scheme"):
        parse_email_url("pigeon://coop")


def test_seconds_left_counts_to_the_end_of_the_epoch_aligned_window():
    assert seconds_left(3600, now=7200.0) == 3600  # a window has just begun
    assert seconds_left(3600, now=7200.0 + 3599.5) == 1
    assert seconds_left(86400, now=86400 * 3 + 400.2) == 86000
