"""Your data: export everything held about a member, and delete their account.

The hub imports no app: every app declares what it holds about a person in
`core.registries.personal_data` (`PersonalData`: export, files, erase, blockers), and this module
walks that registry. Core declares its own (the account) in `core.declarations`.

Export builds the zip in the request, in a temporary file that spills to disk past a few MB:
what apps hold about one person is small (rows, a CV, an avatar), and a zip made on demand is
never stored, so no copy of someone's whole data waits on the server for a download link to
leak. Should exports grow (years of forum posts with images), the same function runs in a task
that stores the zip as a private file and e-mails a link.

Deletion runs every app's `erase` and then deletes the user row, in one transaction: either
everything goes or nothing does. What must stay is kept without the person: the pages, images
and documents they edited or uploaded belong to the site and keep no author (Wagtail sets the
owner to NULL), and Wagtail's audit log keeps each entry of what was published, with its user
set to NULL, so the history of the site stays complete without naming them. After the commit,
every session of theirs is deleted (signed out everywhere), the anonymous page cache is emptied
(a cached page may show their name) and the address the account had is told, in their language.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.core.context import request_context

from django.contrib.sessions.models import Session
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.text import get_valid_filename

from .models import User
from .page_cache import invalidate_groups
from .registries import PersonalData, personal_data

# In memory up to this size, then in a temporary file on disk.
SPOOL_BYTES = 4 * 1024 * 1024
CHUNK = 1024 * 1024


def declarations() -> list[PersonalData]:
    """Every app's declaration, in their declared order."""
    return sorted(personal_data, key=lambda item: (item.order, item.key))


def export_data(user: User) -> dict[str, Any]:
    """`data.json`: one section per app, keyed by the app's declaration key."""
    data: dict[str, Any] = {
        "generated_at": timezone.now(),
        "format": 1,
    }
    for item in declarations():
        data[item.key] = item.export(user)
    return data


def _export_files(user: User) -> Iterator[tuple[str, File | str]]:
    for item in declarations():
        for name, file in item.files(user):
            safe = "/".join(get_valid_filename(part) for part in name.split("/") if part)
            yield f"files/{item.key}/{safe}", file


def _open(file: File | str) -> IO[bytes]:
    if isinstance(file, str):
        from .private_files import private_storage

        return private_storage().open(file, "rb")
    file.open("rb")
    return file


def export_zip(user: User) -> IO[bytes]:
    """The zip a member downloads: `data.json` and their files, rewound to its start."""
    archive_file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    with zipfile.ZipFile(archive_file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            json.dumps(export_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        for name, file in _export_files(user):
            handle = _open(file)
            try:
                with archive.open(name, "w", force_zip64=True) as member:
                    while chunk := handle.read(CHUNK):
                        member.write(chunk)
            finally:
                handle.close()
    archive_file.seek(0)
    return archive_file


def deletion_blockers(user: User) -> list[str]:
    """Why the account cannot be deleted now, from every app; empty when it can."""
    reasons: list[str] = []
    for item in declarations():
        reasons.extend(str(reason) for reason in item.blockers(user))
    return reasons


def sessions_of(user_id: int) -> list[Session]:
    """Every unexpired session signed in as this account.

    Django's database sessions are not indexed by user, so this reads them all: acceptable for
    the rare export and deletion, and a reason to move sessions to Redis with a per-user index
    (or allauth.usersessions) if a site grows to millions of sessions.
    """
    found = []
    wanted = str(user_id)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=2000):
        if session.get_decoded().get("_auth_user_id") == wanted:
            found.append(session)
    return found


class DeletionRefused(Exception):
    """An app's blocker says no: the account and every row stay."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def delete_account(user: User, request: HttpRequest | None = None) -> None:
    """Erase the member everywhere, or nothing at all (raises DeletionRefused with reasons).

    The blockers are asked again inside the transaction, with the user row locked, so that a
    change made between the confirmation page and this call cannot slip through.
    """
    address = user.email
    language = user.preferred_language or translation.get_language() or "en"
    name = user.get_short_name()
    user_id = user.pk
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user_id).first()
        reasons = deletion_blockers(user)
        if reasons:
            raise DeletionRefused(reasons)
        for item in declarations():
            item.erase(user)
        user.delete()
        # Once the account is gone for good: its sessions, cached pages showing its name, mail.
        transaction.on_commit(lambda: _after_deletion(user_id, address, language, name, request))
        # Each app's erasure invalidated its own content group; this reaches the cached pages
        # that declared none, which may show the name too.
        invalidate_groups()


def _after_deletion(
    user_id: int, address: str, language: str, name: str, request: HttpRequest | None
) -> None:
    # The user row is gone, so no session can sign in as it again; deleting them also removes
    # what they held about the person (authentication records with the address).
    Session.objects.filter(pk__in=[s.pk for s in sessions_of(user_id)]).delete()
    if address:
        # allauth's mail reads the request (site name and domain) from its context, which is
        # gone when the commit happens after the view returned (a test, ATOMIC_REQUESTS).
        with request_context(request), translation.override(language):
            get_account_adapter(request).send_mail(
                "core/email/account_deleted", address, {"name": name, "email": address}
            )
