"""Saving a member's profile: one operation, so every writer re-encodes, tags and invalidates.

Anonymous readers are served profiles and the directory from the page cache; a member who
edits a field, hides it or turns on protected mode must not stay visible in a stored copy.
`save_profile` does the whole write in one transaction and invalidates the members' content
group of the page cache (again on commit, see `core.page_cache`), so no reader can store the
old version in between; unrelated cached pages stay.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from core.page_cache import invalidate_groups

from .avatars import reencode
from .forms import ProfileForm
from .models import PAGE_GROUP, Profile


def save_profile(form: ProfileForm) -> Profile:
    """Store a valid profile form: fields, skills, topics, a re-encoded avatar; forget cached
    pages."""
    profile: Profile = form.instance
    upload = form.cleaned_data.get("avatar")
    with transaction.atomic():
        profile = form.save(commit=False)
        skills = form.apply(profile)
        old_files = [f.name for f in (profile.avatar, profile.avatar_thumbnail) if f]
        if isinstance(upload, UploadedFile):
            full, thumbnail = reencode(upload)
            profile.avatar.save(full.name, full, save=False)
            profile.avatar_thumbnail.save(thumbnail.name, thumbnail, save=False)
        elif form.cleaned_data.get("remove_avatar"):
            profile.avatar = ""
            profile.avatar_thumbnail = ""
        else:
            old_files = []
        profile.save()
        if skills is not None:
            profile.skills.set(skills)
        if "topics" in form.cleaned_data:  # a form narrowed to other fields leaves them alone
            profile.topics.set(form.cleaned_data["topics"])
        invalidate_groups(PAGE_GROUP)
        if old_files:
            storage = Profile._meta.get_field("avatar").storage
            transaction.on_commit(lambda: [storage.delete(name) for name in old_files])
    return profile
