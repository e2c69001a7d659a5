"""Private files: members' documents that never sit at a public address.

CVs, verification documents and knowledge submissions are personal or confidential. Files under
MEDIA_ROOT are served by the web server (or a CDN) to anyone who knows the address, so these go
to a separate storage instead, `STORAGES["private"]` (by default a folder, `PRIVATE_MEDIA_ROOT`,
outside MEDIA_ROOT and with no URL of its own), under a name that starts with an unguessable key:
`<kind>/<key>/<file name>`.

The only way out is `serve` at `/<language>/private/<kind>/<key>/`: it finds the record that
holds the file through the kind's declaration in `core.registries.private_files`, asks the
owning app's `can_read(user, record)`, and answers 404 to anyone else (not 403: a stranger must
not learn that the file exists). A reader the kind says must give a second factor (a moderator
reading through a permission) is sent to the code prompt first, as privileged views do.
It sends the file as an attachment, never sniffed as a page,
and never kept by a browser, a proxy or the page cache.

An app uses it in three lines:

    cv = PrivateFileField(kind="cv", allowed={"pdf", "docx", "odt"})       # the model field
    private_files.register("cv", PrivateFileKind("cv", Application, "cv", can_read_cv))
    form field: the model form gets a `core.uploads.UploadField` with the same types and size

and links to `private_file_url(application.cv)`. Code that receives a file outside a form calls
`store_private(record, "cv", upload)`, which validates it the same way. Deleting the record
deletes the file (once the deletion is committed); `delete_private_file` does it by hand, e.g.
when a CV must go while its application stays.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.text import get_valid_filename
from django.views.decorators.http import require_GET

from .guards import second_factor_response, second_factor_would_open
from .registries import private_files
from .uploads import UploadField, validate_upload

# 32 random bytes, URL-safe: 43 characters nobody can guess or enumerate.
KEY_BYTES = 32


class PrivateFileStorage(FileSystemStorage):
    """A folder with no public address: `url()` refuses, so no template can link around `serve`."""

    def __init__(self, location: str | None = None, **kwargs: Any) -> None:
        if location is None:
            from django.conf import settings

            location = str(settings.PRIVATE_MEDIA_ROOT)
        kwargs.pop("base_url", None)
        super().__init__(location=location, base_url=None, **kwargs)

    def url(self, name: str | None) -> str:
        raise ValueError(
            "Private files have no public URL: use core.private_files.private_file_url"
        )


def private_storage() -> Storage:
    """The storage for private files (`STORAGES["private"]`)."""
    return storages["private"]


def _upload_to(instance: models.Model, filename: str, kind: str) -> str:
    # The key comes first so the file's own name (kept for the download) reveals nothing useful.
    name = get_valid_filename(filename.rsplit("/", 1)[-1]) or "file"
    return f"{kind}/{secrets.token_urlsafe(KEY_BYTES)}/{name[-100:]}"


class PrivateFileField(models.FileField):
    """A file field stored privately under an unguessable key, deleted with its record.

    `kind` names the `private_files` declaration that says who may read it; `allowed` and
    `max_bytes` are what `core.uploads` accepts for it (its model form field is an UploadField).
    """

    def __init__(
        self,
        *args: Any,
        kind: str,
        allowed: Collection[str],
        max_bytes: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.kind = kind
        self.allowed = frozenset(allowed)
        self.max_bytes = max_bytes
        kwargs["storage"] = private_storage
        kwargs["upload_to"] = self._generate_name
        kwargs.setdefault("max_length", 255)
        super().__init__(*args, **kwargs)

    def _generate_name(self, instance: models.Model, filename: str) -> str:
        return _upload_to(instance, filename, self.kind)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("storage", None)
        kwargs.pop("upload_to", None)
        kwargs["kind"] = self.kind
        kwargs["allowed"] = sorted(self.allowed)
        if self.max_bytes is not None:
            kwargs["max_bytes"] = self.max_bytes
        return name, path, args, kwargs

    def formfield(self, **kwargs: Any):
        return super().formfield(
            **{
                "form_class": UploadField,
                "allowed": self.allowed,
                "max_bytes": self.max_bytes,
                **kwargs,
            }
        )

    def contribute_to_class(self, cls, name, *args, **kwargs) -> None:
        super().contribute_to_class(cls, name, *args, **kwargs)
        if not cls._meta.abstract:
            post_delete.connect(_delete_files_with_record, sender=cls, weak=False)


def _delete_files_with_record(sender, instance: models.Model, **kwargs: Any) -> None:
    for field in instance._meta.concrete_fields:
        if isinstance(field, PrivateFileField):
            delete_private_file(getattr(instance, field.attname))


def delete_private_file(file: FieldFile | None) -> None:
    """Delete a private file from storage once the current transaction commits.

    After the commit, because a rolled-back deletion must not leave a record without its file.
    """
    if not file or not file.name:
        return
    storage, name = file.storage, file.name
    transaction.on_commit(lambda: _delete(storage, name))


def _delete(storage: Storage, name: str) -> None:
    """Delete the file and, on a local folder, its key folder (one file each): empty folders
    named after keys would otherwise pile up, one per deleted CV or document."""
    storage.delete(name)
    if isinstance(storage, FileSystemStorage):
        folder = Path(storage.path(name)).parent
        try:
            folder.rmdir()  # only when empty
        except OSError:
            pass


def store_private(
    record: models.Model, field_name: str, upload: UploadedFile, *, save: bool = True
) -> None:
    """Validate `upload` with core.uploads and store it in `record.<field_name>` privately.

    For files that do not come through a model form (an API, an import). Replacing a file
    deletes the old one once saved.
    """
    field = record._meta.get_field(field_name)
    if not isinstance(field, PrivateFileField):
        raise ImproperlyConfigured(f"{field_name} is not a PrivateFileField")
    validate_upload(upload, field.allowed, field.max_bytes)
    previous = getattr(record, field_name)
    old = previous.name if previous else ""
    getattr(record, field_name).save(upload.name or "file", upload, save=save)
    if old and old != getattr(record, field_name).name:
        storage = private_storage()
        transaction.on_commit(lambda: _delete(storage, old))


def private_file_url(file: FieldFile) -> str:
    """The address through which a permitted reader downloads `file`."""
    kind, key, _rest = file.name.split("/", 2)
    return reverse("private_file", kwargs={"kind": kind, "key": key})


@require_GET
def serve(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    """Send a private file to a reader the owning app allows; 404 to everyone else."""
    declaration = private_files.get(kind)
    if declaration is None or len(key) < KEY_BYTES:
        raise Http404
    field = declaration.model._meta.get_field(declaration.field)
    record = (
        declaration.model._default_manager.filter(**{f"{field.name}__startswith": f"{kind}/{key}/"})
        .order_by()
        .first()
    )
    if record is None:
        raise Http404
    if not declaration.can_read(request.user, record):
        # A reviewer whose session has not given its second factor reads as a member
        # (`core.privilege`): asked for the code, as before any privileged reading.
        prompt = second_factor_would_open(request, lambda user: declaration.can_read(user, record))
        if prompt is not None:
            return prompt
        raise Http404
    if declaration.needs_second_factor(request.user, record):
        refused = second_factor_response(request)
        if refused is not None:
            return refused
    file = getattr(record, field.attname)
    try:
        handle = file.storage.open(file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = file.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
