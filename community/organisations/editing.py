"""Saving an organisation from its form: slug, topics, a re-encoded logo, verification on rename.

The logo goes through the members' avatar re-encoding (`community.members.avatars.reencode`):
new pixels only, no EXIF, a thumbnail made once. Shared from members rather than moved to core
because both apps are community apps and core needs no image handling of its own yet.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import slugify

from community.members.avatars import reencode
from core.models import User
from core.page_cache import invalidate_groups

from .membership import found
from .models import PAGE_GROUP, Organisation
from .verification import identity_changed

# Addresses of the app's own pages under /organisations/: an organisation named "New" must not
# get a page nobody can reach.
RESERVED_SLUGS = frozenset({"new", "invitations", "verification"})


def unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "organisation"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def save_organisation(form, creator: User | None = None) -> Organisation:
    """Store a valid form; a new organisation gets its creator as admin."""
    upload = form.cleaned_data.get("logo")
    with transaction.atomic():
        organisation: Organisation = form.save(commit=False)
        is_new = organisation.pk is None
        if is_new:
            organisation.slug = unique_slug(organisation.name)
        else:
            before = Organisation.objects.select_for_update().get(pk=organisation.pk)
            if organisation.is_verified and (
                before.name != organisation.name or before.type != organisation.type
            ):
                identity_changed(organisation)
        old_files = []
        if isinstance(upload, UploadedFile):
            old_files = [f.name for f in (organisation.logo, organisation.logo_thumbnail) if f]
            full, thumbnail = reencode(upload)
            organisation.logo.save(full.name, full, save=False)
            organisation.logo_thumbnail.save(thumbnail.name, thumbnail, save=False)
        organisation.save()
        organisation.topics.set(form.cleaned_data.get("topics") or [])
        if is_new and creator is not None:
            found(organisation, creator)
        invalidate_groups(PAGE_GROUP)
        if old_files:
            storage = Organisation._meta.get_field("logo").storage
            transaction.on_commit(lambda: [storage.delete(name) for name in old_files])
    return organisation
