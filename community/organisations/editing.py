"""Saving an organisation from its form: slug, topics, a re-encoded logo, verification on rename,
and the trust level's limits (`core.trust`), as forum posts and opportunities have them.

Trust: the view asks `refuse(request, form, creating=...)` before saving, which puts the link
limit beside the description (the form keeps what was typed) and, for a new organisation,
counts it against the member's hourly allowance (429 with the kernel's message; edits are not
counted, as forum edits are not). `save_organisation` then holds for review (`held`, and hidden
so no reader's path shows it) a new member's new organisation, and any organisation whose name
or description matches the moderators' word lists (`core.screening`): never dropped, shown to
its administrators with a notice, until a moderator approves it (`approve_held`) or hides it
(`hide_held`), both in the moderation log.

The logo goes through the members' avatar re-encoding (`community.members.avatars.reencode`):
new pixels only, no EXIF, a thumbnail made once. Shared from members rather than moved to core
because both apps are community apps and core needs no image handling of its own yet.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils.text import slugify
from django.utils.translation import get_language

from community.members.avatars import reencode
from community.moderation.actions import act
from core import trust
from core.models import User
from core.page_cache import invalidate_groups
from core.registries import reportable_models
from core.sanitize import plain_text
from core.screening import screen

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


SCOPE = "organisations"


def refuse(request: HttpRequest, form: forms.Form, *, creating: bool) -> int | None:
    """The status to answer with when the member's trust level refuses this valid form, after
    putting the reason on the form or the page; None when it may be saved."""
    limits = trust.limits_for(request.user)
    if trust.count_links(form.cleaned_data.get("description", "")) > limits.links_per_post:
        form.add_error("description", trust.links_error(limits))
        return 200
    if creating and not trust.allows_post(request.user, SCOPE):
        messages.error(request, trust.posting_limit_message())
        return 429
    return None


def screened_terms(organisation: Organisation) -> list[str]:
    """The word-list terms found in what readers would see of it."""
    text = f"{organisation.name} {plain_text(organisation.description or '')}"
    return screen(text, get_language() or "en")


def save_organisation(
    form, creator: User | None = None, editor: User | None = None
) -> Organisation:
    """Store a valid form; a new organisation gets its creator as admin. Held for review when
    its creator is a new member, or when it matches the word lists (see the module docstring);
    `editor` is who saves an existing one."""
    upload = form.cleaned_data.get("logo")
    with transaction.atomic():
        organisation: Organisation = form.save(commit=False)
        is_new = organisation.pk is None
        author = creator if is_new else editor
        held_already = organisation.held or (organisation.hidden and not is_new)
        if not held_already and (
            (is_new and author is not None and trust.limits_for(author).hold_for_review)
            or screened_terms(organisation)
        ):
            organisation.held = organisation.hidden = True
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


def approve_held(organisation: Organisation, moderator: User) -> None:
    """A moderator lets a held organisation be seen: logged with the moderation app."""
    with transaction.atomic():
        organisation.held = organisation.hidden = False
        organisation.save(update_fields=["held", "hidden"])
        _log("approve", organisation, moderator)


def hide_held(organisation: Organisation, moderator: User, note: str = "") -> None:
    """A moderator keeps a held organisation out of sight, as a hide from the reports queue:
    logged, its administrator told and allowed one appeal."""
    with transaction.atomic():
        organisation.held = False
        organisation.hidden = True
        organisation.save(update_fields=["held", "hidden"])
        _log("hide", organisation, moderator, note)


def _log(kind: str, organisation: Organisation, moderator: User, note: str = "") -> None:
    act(
        kind,
        moderator=moderator,
        declaration=reportable_models["organisations.Organisation"],
        target=organisation,
        note=note,
    )
