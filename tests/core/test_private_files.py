"""Private files: stored outside the public media folder, served only to whom the owning app allows.

A test model stands for the apps that will use it (CVs of expressions of interest, verification
documents): its table exists only inside each test's transaction.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test.utils import isolate_apps

from core.private_files import (
    PrivateFileField,
    delete_private_file,
    private_file_url,
    private_storage,
    store_private,
)
from core.registries import PrivateFileKind, private_files
from tests.factories import UserFactory, accept_current_policies

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a CV\n"


@pytest.fixture
def Application():
    """An expression of interest with a CV that only its applicant and the poster may read."""
    with isolate_apps("core"):

        class Application(models.Model):
            applicant_id = models.BigIntegerField()
            poster_id = models.BigIntegerField()
            cv = PrivateFileField(kind="testcv", allowed={"pdf"}, blank=True)

            class Meta:
                app_label = "core"

            def __str__(self) -> str:
                return f"application {self.pk}"

        with connection.schema_editor() as editor:
            editor.create_model(Application)

        def can_read(user, application) -> bool:
            return user.is_authenticated and user.pk in (
                application.applicant_id,
                application.poster_id,
            )

        private_files.register("testcv", PrivateFileKind("testcv", Application, "cv", can_read))
        yield Application
        private_files.unregister("testcv")


def member():
    user = UserFactory()
    accept_current_policies(user)
    return user


@pytest.fixture
def application(Application, django_capture_on_commit_callbacks):
    applicant, poster = member(), member()
    record = Application(applicant_id=applicant.pk, poster_id=poster.pk)
    store_private(record, "cv", SimpleUploadedFile("Amina CV.pdf", PDF))
    yield record, applicant, poster
    with django_capture_on_commit_callbacks(execute=True):
        delete_private_file(record.cv)


def test_the_applicant_and_the_poster_get_the_file_as_a_private_attachment(client, application):
    record, applicant, poster = application
    url = private_file_url(record.cv)
    assert url.startswith("/en/private/testcv/")
    for reader in (applicant, poster):
        client.force_login(reader)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment;")
        assert "Amina_CV.pdf" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"


def test_strangers_and_anonymous_visitors_get_not_found(client, application):
    record, _applicant, _poster = application
    url = private_file_url(record.cv)
    assert client.get(url).status_code == 404  # not a log-in redirect, not 403
    client.force_login(member())
    assert client.get(url).status_code == 404


def test_a_guessed_key_or_unknown_kind_gets_not_found(client, application):
    record, applicant, _poster = application
    client.force_login(applicant)
    key = private_file_url(record.cv).split("/")[4]
    assert client.get(f"/en/private/testcv/{'A' * len(key)}/").status_code == 404
    assert client.get(f"/en/private/testcv/{key[:-1]}/").status_code == 404
    assert client.get(f"/ar/private/nosuchkind/{key}/").status_code == 404


def test_the_file_is_stored_outside_the_public_media_folder(client, application):
    record, applicant, _poster = application
    path = Path(private_storage().path(record.cv.name))
    assert path.read_bytes() == PDF
    assert Path(settings.MEDIA_ROOT).resolve() not in path.resolve().parents
    with pytest.raises(ValueError):
        record.cv.url  # noqa: B018 - no public address can be made for it
    client.force_login(applicant)
    for guess in (f"/media/{record.cv.name}", f"/media/private-media/{record.cv.name}"):
        assert client.get(guess).status_code == 404


def test_the_file_name_starts_with_an_unguessable_key(application):
    record, _applicant, _poster = application
    kind, key, name = record.cv.name.split("/")
    assert kind == "testcv" and len(key) >= 43 and name == "Amina_CV.pdf"


def test_deleting_the_record_deletes_the_file(Application, django_capture_on_commit_callbacks):
    record = Application(applicant_id=1, poster_id=2)
    store_private(record, "cv", SimpleUploadedFile("cv.pdf", PDF))
    path = Path(private_storage().path(record.cv.name))
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        record.delete()
    assert not path.exists()
    assert not path.parent.exists()  # no empty folder named after the key is left behind


def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_stored(Application):
    record = Application(applicant_id=1, poster_id=2)
    before = set(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*"))
    with pytest.raises(ValidationError):
        store_private(record, "cv", SimpleUploadedFile("cv.pdf", b"<html><script>"))
    assert record.pk is None and not record.cv
    assert set(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*")) == before


def test_the_model_form_checks_uploads_with_core_uploads(Application):
    from django import forms

    class Form(forms.ModelForm):
        class Meta:
            model = Application
            fields = ["cv"]

    form = Form(files={"cv": SimpleUploadedFile("cv.docx", b"PK\x03\x04nonsense")})
    assert not form.is_valid()
    assert "cv" in form.errors
    assert form.fields["cv"].widget.attrs["accept"] == ".pdf"


def test_robots_are_told_to_keep_out(client):
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /en/private/" in robots and "Disallow: /ar/private/" in robots


def test_a_file_its_app_shows_to_everyone_still_never_enters_the_page_cache(client, application):
    from django.core.cache import caches

    record, _applicant, _poster = application
    declaration = private_files["testcv"]
    private_files.unregister("testcv")
    private_files.register(
        "testcv", PrivateFileKind("testcv", declaration.model, "cv", lambda user, r: True)
    )
    caches["pages"].clear()
    url = private_file_url(record.cv)
    for _visit in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert "Age" not in response.headers  # not served from the cache
        assert response["Cache-Control"] == "private, no-store"
