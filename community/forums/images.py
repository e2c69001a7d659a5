"""Images under a post: checked by `core.uploads` (by content, size, pixels) in the form, then
re-encoded exactly as avatars are (`members.avatars.reencode`: no EXIF/GPS, random names)."""

from __future__ import annotations

from collections.abc import Iterable

from community.members.avatars import AVATAR_TYPES, MAX_AVATAR_BYTES, reencode

from .models import Post, PostImage

IMAGE_TYPES = AVATAR_TYPES
MAX_IMAGE_BYTES = MAX_AVATAR_BYTES


def save_images(post: Post, uploads: Iterable[tuple]) -> None:
    """Store each (upload, description) pair under `post`; the description is the alt text."""
    for upload, description in uploads:
        if not upload:
            continue
        image, thumbnail = reencode(upload)
        item = PostImage(post=post, alt=description[:200])
        item.image.save(image.name, image, save=False)
        item.thumbnail.save(thumbnail.name, thumbnail, save=False)
        item.save()
