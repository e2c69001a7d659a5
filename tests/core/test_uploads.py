"""Uploads are checked by content: the validator itself, its form field, and the Wagtail admin.

The admin tests go through Wagtail's real views (single upload, multiple upload, replacing a file
on edit) as an editor, the way an editor's browser posts them.
"""

from __future__ import annotations

import functools
import io
import zipfile

import pytest
from PIL import Image

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import DOCUMENT_TYPES, IMAGE_TYPES, UploadField, validate_upload
from tests.factories import UserFactory, accept_current_policies, sign_in_with_second_factor

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def png_bytes(size=(40, 30), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "teal" if mode == "RGB" else 0).save(buffer, "PNG")
    return buffer.getvalue()


@functools.cache
def bomb_png() -> bytes:
    """11000×11000 one-bit pixels, all black: about 15 KB on disk, 121 megapixels to draw."""
    buffer = io.BytesIO()
    Image.new("1", (11000, 11000)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "white").save(buffer, "PDF")
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
            "word/document.xml": b'<?xml version="1.0"?><w:document/>',
        }
    )


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


# --- The validator ---


def test_the_decompression_bomb_png_is_refused_from_its_header():
    content = bomb_png()
    assert len(content) < 100_000  # small on disk: only its declared size gives it away
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("harbour.png", content), IMAGE_TYPES)
    assert error.value.code == "too_many_pixels"
    assert "11000 × 11000" in error.value.messages[0]
    assert "40 megapixels" in error.value.messages[0]


def test_an_image_just_under_the_pixel_limit_passes(settings):
    settings.MAX_IMAGE_PIXELS = 40 * 30
    assert validate_upload(upload("small.png", png_bytes((40, 30))), IMAGE_TYPES) == "png"
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("small.png", png_bytes((41, 30))), IMAGE_TYPES)
    assert error.value.code == "too_many_pixels"


def test_html_named_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("report.pdf", HTML), DOCUMENT_TYPES)
    assert error.value.code == "mismatch"
    assert ".pdf" in error.value.messages[0]


def test_a_real_pdf_png_and_docx_are_accepted_and_left_ready_to_save():
    for name, content in [
        ("report.pdf", pdf_bytes()),
        ("photo.png", png_bytes()),
        ("letter.docx", docx_bytes()),
    ]:
        file = upload(name, content)
        assert validate_upload(file, DOCUMENT_TYPES | IMAGE_TYPES) == name.rsplit(".")[-1]
        assert file.read() == content


def test_a_damaged_png_is_refused_though_its_header_reads():
    content = bytearray(png_bytes())
    content[-20] ^= 0xFF  # inside the last data chunk: its checksum no longer matches
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("photo.png", bytes(content)), IMAGE_TYPES)
    assert error.value.code == "bad_image"


def test_an_image_named_for_another_format_is_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "JPEG")
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("photo.png", buffer.getvalue()), IMAGE_TYPES)
    assert error.value.code == "bad_image"


@pytest.mark.parametrize(
    ("name", "members"),
    [
        ("letter.docx", {"word/document.xml": b"<w/>"}),  # no [Content_Types].xml
        ("letter.docx", {"[Content_Types].xml": b"<T/>", "xl/workbook.xml": b"<w/>"}),  # a sheet
        ("sheet.xlsx", {"[Content_Types].xml": b"<T/>", "word/document.xml": b"<w/>"}),
        ("notes.odt", {"content.xml": b"<x/>"}),  # no mimetype
        ("notes.odt", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
        ("book.epub", {"mimetype": b"application/zip"}),
    ],
)
def test_a_zip_without_the_members_of_its_format_is_refused(name, members):
    with pytest.raises(ValidationError) as error:
        validate_upload(upload(name, zip_bytes(members)), DOCUMENT_TYPES)
    assert error.value.code == "mismatch"


@pytest.mark.parametrize(
    ("name", "members"),
    [
        ("notes.odt", {"mimetype": b"application/vnd.oasis.opendocument.text"}),
        ("sheet.ods", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
        ("book.epub", {"mimetype": b"application/epub+zip", "META-INF/container.xml": b"<c/>"}),
        ("deck.pptx", {"[Content_Types].xml": b"<T/>", "ppt/presentation.xml": b"<p/>"}),
    ],
)
def test_odf_epub_and_ooxml_zips_with_the_right_members_are_accepted(name, members):
    assert validate_upload(upload(name, zip_bytes(members)), DOCUMENT_TYPES) == name.split(".")[1]


def test_html_renamed_to_a_zip_format_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("letter.docx", HTML), DOCUMENT_TYPES)
    assert error.value.code == "mismatch"


@pytest.mark.parametrize(
    "content",
    [
        HTML,
        b"  \n<html><p>hi</p></html>",
        b"name,link\nx,<script src=//evil.example/x.js></script>\n",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'<svg onload="alert(1)">',
        b"\xef\xbb\xbf<!-- a comment -->",
    ],
)
def test_text_files_that_a_browser_could_take_for_html_svg_or_script_are_refused(content):
    for name in ("list.csv", "readme.txt"):
        with pytest.raises(ValidationError) as error:
            validate_upload(upload(name, content), DOCUMENT_TYPES)
        assert error.value.code == "markup"


def test_binary_content_named_txt_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("readme.txt", b"MZ\x90\x00\x03\x00\x00\x00"), DOCUMENT_TYPES)
    assert error.value.code == "not_text"


@pytest.mark.parametrize(
    "content",
    [
        "name,country,score\nAmina,Sénégal,3 < 4\nKwame,Ghana,a<b\n".encode(),
        "nom;ville\r\nÉlodie;Montréal\r\n".encode("cp1252"),
        "\ufeffcolonne,valeur\nا,ب\n".encode("utf-16"),
        b"",
    ],
)
def test_plain_text_and_csv_in_any_common_encoding_are_accepted(content):
    assert validate_upload(upload("list.csv", content), DOCUMENT_TYPES) == "csv"


def test_an_allowed_type_without_a_content_check_is_refused_rather_than_let_through():
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("slides.key", b"anything"), {"key", "pdf"})
    assert error.value.code == "bad_type"
    assert "pdf" in error.value.messages[0] and "key" not in error.value.messages[0]


class CVForm(forms.Form):
    name = forms.CharField()
    cv = UploadField(allowed={"pdf", "docx", "odt"}, max_bytes=50_000)


def test_the_upload_field_shows_the_error_on_the_field_and_keeps_the_rest_of_the_form():
    form = CVForm({"name": "Amina"}, {"cv": upload("cv.pdf", HTML)})
    assert not form.is_valid()
    assert list(form.errors) == ["cv"]
    assert "does not match its name (.pdf)" in form.errors["cv"][0]
    assert 'value="Amina"' in str(form["name"])
    assert form["cv"].field.widget.attrs["accept"] == ".docx,.odt,.pdf"
    assert CVForm({"name": "Amina"}, {"cv": upload("cv.pdf", pdf_bytes())}).is_valid()


# --- Through the Wagtail admin, as an editor ---


@pytest.fixture
def editor(client, db):
    user = UserFactory(role="Editor")
    accept_current_policies(user)
    sign_in_with_second_factor(client, user)
    return user


@pytest.fixture
def collection_id(db) -> int:
    from wagtail.models import Collection

    return Collection.get_first_root_node().pk


def stored_files(folder: str) -> list[str]:
    from django.core.files.storage import default_storage

    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


def test_the_editor_can_upload_a_real_png(client, editor, collection_id):
    from wagtail.images.models import Image as WagtailImage

    response = client.post(
        "/admin/images/add/",
        {
            "title": "Harbour",
            "collection": collection_id,
            "file": upload("harbour.png", png_bytes()),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert WagtailImage.objects.filter(title="Harbour").exists()


def test_the_decompression_bomb_png_is_refused_in_the_admin_and_never_stored_or_drawn(
    client, editor, collection_id
):
    from wagtail.images.models import Image as WagtailImage
    from wagtail.images.models import Rendition

    renditions = Rendition.objects.count()  # the demo's covers have theirs
    response = client.post(
        "/admin/images/add/",
        {
            "title": "Harbour at dusk",
            "tags": "sea, evening",
            "collection": collection_id,
            "file": upload("dusk-bomb.png", bomb_png()),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200  # the form again, not a redirect to the new image
    assert "too many pixels" in page
    assert "40000000" in page
    # Nothing else the editor typed is lost.
    assert 'value="Harbour at dusk"' in page
    assert "sea" in page and "evening" in page
    assert not WagtailImage.objects.filter(title="Harbour at dusk").exists()
    assert Rendition.objects.count() == renditions
    assert not [name for name in stored_files("original_images") if "dusk-bomb" in name]


def test_the_multiple_uploader_refuses_the_bomb_and_accepts_a_real_png(client, editor):
    from wagtail.images.models import Image as WagtailImage

    refused = client.post("/admin/images/multiple/add/", {"files[]": upload("b.png", bomb_png())})
    assert refused.json()["success"] is False
    assert "too many pixels" in refused.json()["error_message"]
    accepted = client.post(
        "/admin/images/multiple/add/", {"files[]": upload("ok.png", png_bytes())}
    )
    assert accepted.json()["success"] is True
    uploaded = WagtailImage.objects.filter(title__in=["b.png", "ok.png"])
    assert list(uploaded.values_list("title", flat=True)) == ["ok.png"]


def test_replacing_an_images_file_with_the_bomb_is_refused_and_the_original_stays(
    client, editor, collection_id
):
    from wagtail.images.models import Image as WagtailImage

    client.post(
        "/admin/images/add/",
        {
            "title": "Harbour",
            "collection": collection_id,
            "file": upload("harbour.png", png_bytes()),
        },
    )
    image = WagtailImage.objects.get(title="Harbour")
    original = image.file.name
    response = client.post(
        f"/admin/images/{image.pk}/",
        {
            "title": "Harbour, renamed",
            "collection": collection_id,
            "file": upload("harbour.png", bomb_png()),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "too many pixels" in page
    assert 'value="Harbour, renamed"' in page
    image.refresh_from_db()
    assert (image.title, image.file.name) == ("Harbour", original)


def test_html_named_pdf_is_refused_as_a_document_and_the_title_kept(client, editor, collection_id):
    from wagtail.documents.models import Document

    response = client.post(
        "/admin/documents/add/",
        {"title": "Annual report", "collection": collection_id, "file": upload("report.pdf", HTML)},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "does not match its name (.pdf)" in page
    assert 'value="Annual report"' in page
    assert not Document.objects.exists()


# The builders are called inside the test: their bytes carry the time of day, and
# parameters that differ between xdist workers abort the whole run.
@pytest.mark.parametrize(
    ("name", "build"), [("report.pdf", pdf_bytes), ("letter.docx", docx_bytes)], ids=["pdf", "docx"]
)
def test_a_real_pdf_and_a_docx_are_accepted_as_documents(
    client, editor, collection_id, name, build
):
    from wagtail.documents.models import Document

    content = build()

    response = client.post(
        "/admin/documents/add/",
        {"title": name, "collection": collection_id, "file": upload(name, content)},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Document.objects.get(title=name).file.read() == content


def test_the_multiple_document_uploader_refuses_html_named_pdf(client, editor):
    from wagtail.documents.models import Document

    refused = client.post("/admin/documents/multiple/add/", {"files[]": upload("r.pdf", HTML)})
    assert refused.json()["success"] is False
    assert "does not match its name (.pdf)" in refused.json()["error_message"]
    accepted = client.post(
        "/admin/documents/multiple/add/", {"files[]": upload("r.pdf", pdf_bytes())}
    )
    assert accepted.json()["success"] is True
    assert Document.objects.count() == 1


def test_replacing_a_documents_file_with_html_is_refused(client, editor, collection_id):
    from wagtail.documents.models import Document

    client.post(
        "/admin/documents/add/",
        {"title": "Report", "collection": collection_id, "file": upload("r.pdf", pdf_bytes())},
    )
    document = Document.objects.get(title="Report")
    response = client.post(
        f"/admin/documents/edit/{document.pk}/",
        {"title": "Report 2026", "collection": collection_id, "file": upload("r.pdf", HTML)},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "does not match its name (.pdf)" in page
    assert 'value="Report 2026"' in page
    document.refresh_from_db()
    assert document.title == "Report" and document.file.read().startswith(b"%PDF-")
