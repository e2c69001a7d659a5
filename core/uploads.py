"""Upload validation shared by every form that accepts files: size, type by content, images.

A file's name and declared content type are the uploader's claims; its first bytes are not. Each
validator raises a translated ValidationError so the form shows the member what to fix.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
}
IMAGE_FORMATS = {"png", "jpg", "jpeg", "gif", "webp"}
MAX_IMAGE_PIXELS = 40_000_000


def validate_upload(upload: UploadedFile, allowed: set[str], max_bytes: int | None = None) -> str:
    """Check an upload's size and that its content matches an allowed type; return that type."""
    limit = max_bytes or settings.MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("This file is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in allowed:
        raise ValidationError(
            _("Files of this type are not accepted. Accepted types: %(types)s.")
            % {"types": ", ".join(sorted(allowed))},
            code="bad_type",
        )
    head = upload.read(16)
    upload.seek(0)
    signatures = SIGNATURES.get(extension)
    if signatures and not head.startswith(signatures):
        raise ValidationError(
            _("This file's content does not match its name (.%(ext)s).") % {"ext": extension},
            code="mismatch",
        )
    if extension in IMAGE_FORMATS:
        _check_image(upload)
    return extension


def _check_image(upload: UploadedFile) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(upload) as image:
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(_("This image could not be read."), code="bad_image") from error
    finally:
        upload.seek(0)
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(_("This image is too large in pixels."), code="too_many_pixels")
