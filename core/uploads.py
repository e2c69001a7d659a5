"""Upload validation shared by every form that accepts files: size, type by content, images.

A file's name and declared content type are the uploader's claims; its content is not. An HTML
page renamed `.pdf` would be served from our domain as whatever its name says; a 15 KB PNG can
declare 11000×11000 pixels and take hundreds of megabytes to draw. So every upload is checked
here before it is stored: its size, that its extension is one the form accepts, that its
content is what the extension says (PDF header, the members an OOXML/ODF/EPUB zip must hold,
plain text that no browser would sniff as HTML), and for images the pixel count read from the
header, before anything decodes it. Each check raises a translated ValidationError so the form
shows the uploader what to fix.

One entry point for every upload:
- a form field: `UploadField(allowed=IMAGE_TYPES, max_bytes=...)` (avatars, CVs, forum images);
- a function, for code that receives files outside a form (an API view, an import):
  `validate_upload(upload, allowed, max_bytes=None) -> extension`.
The Wagtail admin's image and document forms call the same function (`core.upload_forms`, set
by `WAGTAILIMAGES_IMAGE_FORM_BASE` / `WAGTAILDOCS_DOCUMENT_FORM_BASE`).

Adding a type means adding its content check to `CONTENT_CHECKS`: a type without one is
refused, so a new extension in a setting can never let unchecked content through.
"""

from __future__ import annotations

import codecs
import re
import warnings
import zipfile
from collections.abc import Callable, Collection
from typing import IO, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_IMAGE_PIXELS = 40_000_000
# Bytes read to decide whether a text file is text and whether a browser could take it for HTML.
TEXT_SNIFF_BYTES = 64 * 1024

# Pillow's name for the format each image extension must hold.
IMAGE_FORMATS: dict[str, str] = {
    "png": "PNG",
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "gif": "GIF",
    "webp": "WEBP",
    "avif": "AVIF",
}
IMAGE_TYPES: frozenset[str] = frozenset(IMAGE_FORMATS)
# What the site accepts as a document; Wagtail's own list (WAGTAILDOCS_EXTENSIONS) is set from it.
DOCUMENT_TYPES: frozenset[str] = frozenset(
    {"pdf", "docx", "xlsx", "pptx", "odt", "ods", "csv", "txt", "epub"}
)

# Office Open XML: a zip with a content-types part and the main folder of its application.
OOXML_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
# OpenDocument and EPUB: a zip whose `mimetype` member names the format.
ZIP_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
    "epub": b"application/epub+zip",
}
# What a browser's content sniffing (WHATWG mimesniff) takes for HTML when a file starts with it
# (after white space), and what would make the file a web page or image anywhere in its head:
# a document type, an XML declaration (SVG, XHTML), SVG itself, scripts, frames and plug-ins.
LEADING_MARKUP = re.compile(
    rb"\s*<(?:!doctype|!--|\?xml|html|head|body|script|iframe|svg|object|embed|style|title|"
    rb"a|b|br|p|h1|div|font|table)[\s/>]",
    re.IGNORECASE,
)
MARKUP_ANYWHERE = re.compile(
    rb"<\s*(?:!doctype|\?xml|html|body|script|iframe|svg|object|embed|meta|base)[\s/>]",
    re.IGNORECASE,
)


def max_image_pixels() -> int:
    """The pixel limit for images (width × height), from `MAX_IMAGE_PIXELS`."""
    return getattr(settings, "MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS)


def validate_upload(
    upload: UploadedFile, allowed: Collection[str], max_bytes: int | None = None
) -> str:
    """Check an upload's size and that its content matches an allowed type; return that type.

    `allowed` holds lower-case extensions, e.g. `IMAGE_TYPES` or `{"pdf", "docx"}`. The file is
    left at its start, ready to be saved.
    """
    limit = max_bytes or settings.MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("This file is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    check = CONTENT_CHECKS.get(extension)
    if extension not in allowed or check is None:
        raise ValidationError(
            _("Files of this type are not accepted. Accepted types: %(types)s.")
            % {"types": ", ".join(sorted(t for t in allowed if t in CONTENT_CHECKS))},
            code="bad_type",
        )
    try:
        upload.seek(0)
        check(upload, extension)
    finally:
        upload.seek(0)
    return extension


def _mismatch(extension: str) -> ValidationError:
    return ValidationError(
        _("This file's content does not match its name (.%(ext)s).") % {"ext": extension},
        code="mismatch",
    )


def _check_pdf(upload: IO[bytes], extension: str) -> None:
    # Readers tolerate bytes before the header; we do not, so a file cannot be HTML and PDF.
    if upload.read(5) != b"%PDF-":
        raise _mismatch(extension)


def _open_zip(upload: IO[bytes], extension: str) -> zipfile.ZipFile:
    if upload.read(4) != b"PK\x03\x04":
        raise _mismatch(extension)
    upload.seek(0)
    try:
        return zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _mismatch(extension) from error


def _check_ooxml(upload: IO[bytes], extension: str) -> None:
    with _open_zip(upload, extension) as archive:
        names = archive.namelist()
    folder = OOXML_FOLDERS[extension]
    if "[Content_Types].xml" not in names or not any(n.startswith(folder) for n in names):
        raise _mismatch(extension)


def _check_zip_mimetype(upload: IO[bytes], extension: str) -> None:
    expected = ZIP_MIMETYPES[extension]
    with _open_zip(upload, extension) as archive:
        try:
            member = archive.getinfo("mimetype")
        except KeyError:
            raise _mismatch(extension) from None
        # Read only a member of the right size: a compressed `mimetype` could be a zip bomb.
        if member.file_size != len(expected) or archive.read(member) != expected:
            raise _mismatch(extension)


def _check_text(upload: IO[bytes], extension: str) -> None:
    head = upload.read(TEXT_SNIFF_BYTES)
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            # Cut at an even length so a code unit split by the read limit does not count.
            body = head[len(bom) :]
            text = body[: len(body) // 2 * 2].decode(encoding, errors="replace")
            head = text.encode("utf-8")
            break
    else:
        head = head.removeprefix(codecs.BOM_UTF8)
    # Text has no NUL and no control characters but tab, line breaks, form feed and escape.
    if re.search(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]", head):
        raise ValidationError(
            _("This file is not plain text (.%(ext)s).") % {"ext": extension},
            code="not_text",
        )
    if LEADING_MARKUP.match(head) or MARKUP_ANYWHERE.search(head):
        raise ValidationError(
            _(
                "This file contains web page markup (HTML, SVG or script), which is not "
                "accepted in a .%(ext)s file."
            )
            % {"ext": extension},
            code="markup",
        )


def _check_image(upload: IO[bytes], extension: str) -> None:
    """Read the format and size from the header; refuse too many pixels before any decoding."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Pillow warns above its own limit; ours is lower and checked just below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload, formats=[IMAGE_FORMATS[extension]]) as image:
                width, height = image.size
                if width * height > max_image_pixels():
                    raise _too_many_pixels(width, height)
                image.verify()  # checks the structure (PNG chunk checksums) without decoding
    except Image.DecompressionBombError as error:
        # Pillow refuses to open images above twice its limit at all: the size is in the header.
        raise ValidationError(
            _("This image has too many pixels. The limit is %(limit)s megapixels.")
            % {"limit": _megapixels(max_image_pixels())},
            code="too_many_pixels",
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("This image could not be read as a .%(ext)s file.") % {"ext": extension},
            code="bad_image",
        ) from error


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:g}"


def _too_many_pixels(width: int, height: int) -> ValidationError:
    return ValidationError(
        _(
            "This image is %(width)s × %(height)s pixels (%(size)s megapixels). "
            "The limit is %(limit)s megapixels."
        )
        % {
            "width": width,
            "height": height,
            "size": _megapixels(round(width * height, -5)),
            "limit": _megapixels(max_image_pixels()),
        },
        code="too_many_pixels",
    )


CONTENT_CHECKS: dict[str, Callable[[IO[bytes], str], None]] = {
    "pdf": _check_pdf,
    **dict.fromkeys(OOXML_FOLDERS, _check_ooxml),
    **dict.fromkeys(ZIP_MIMETYPES, _check_zip_mimetype),
    "csv": _check_text,
    "txt": _check_text,
    **dict.fromkeys(IMAGE_FORMATS, _check_image),
}


class UploadField(forms.FileField):
    """A file field that accepts only files whose content matches one of `allowed`.

    The form field every new upload should use: `UploadField(allowed=IMAGE_TYPES,
    max_bytes=2 * 1024 * 1024)` for an avatar, `UploadField(allowed={"pdf", "docx", "odt"})`
    for a CV. Errors show on the field; the rest of the form keeps what the member typed.
    """

    def __init__(
        self, *, allowed: Collection[str], max_bytes: int | None = None, **kwargs: Any
    ) -> None:
        self.allowed = frozenset(allowed)
        self.max_bytes = max_bytes
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ",".join(f".{t}" for t in sorted(self.allowed)))

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if isinstance(upload, UploadedFile):
            validate_upload(upload, self.allowed, self.max_bytes)
        return upload
