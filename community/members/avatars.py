"""Avatars are re-encoded on upload: new pixels only, no metadata, and a thumbnail made once.

A photo straight from a phone carries EXIF: the GPS position where it was taken, the device,
sometimes the owner's name. For members at risk that is a home address. So an uploaded avatar
(already checked by `core.uploads`: type by content, size, pixel count) is decoded, turned the
way its EXIF orientation says, shrunk to at most `MAX_SIDE` pixels, and written anew by Pillow
with no EXIF, XMP, ICC or text chunks; the square thumbnail the directory shows is made at the
same time, so no reader's request ever resizes an image. Files get random names: an avatar's
URL says nothing about whose it is and changes when it changes.
"""

from __future__ import annotations

import io
import uuid

from PIL import Image, ImageOps

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

MAX_SIDE = 1024
THUMBNAIL_SIDE = 160
# What each accepted format is written as (GIF and AVIF are not accepted for avatars).
AVATAR_TYPES = frozenset({"jpg", "jpeg", "png", "webp"})
MAX_AVATAR_BYTES = 5 * 1024 * 1024


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=85)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def reencode(upload: UploadedFile) -> tuple[ContentFile, ContentFile]:
    """The cleaned full-size avatar and its thumbnail, as files ready to be saved."""
    upload.seek(0)
    with Image.open(upload) as original:
        fmt = original.format if original.format in ("JPEG", "PNG", "WEBP") else "PNG"
        image = ImageOps.exif_transpose(original)
        # Only the pixels survive: a fresh image has no info dict (EXIF, XMP, ICC, comments).
        mode = "RGBA" if image.mode in ("RGBA", "LA", "P") and fmt != "JPEG" else "RGB"
        pixels = Image.new(mode, image.size)
        pixels.paste(image.convert(mode))
    pixels.thumbnail((MAX_SIDE, MAX_SIDE))
    thumbnail = ImageOps.fit(pixels, (THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    extension = {"JPEG": "jpg", "WEBP": "webp", "PNG": "png"}[fmt]
    stem = uuid.uuid4().hex
    return (
        ContentFile(_encode(pixels, fmt), name=f"{stem}.{extension}"),
        ContentFile(_encode(thumbnail, fmt), name=f"{stem}-thumb.{extension}"),
    )
