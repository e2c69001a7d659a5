"""Your data: a member downloads everything held about them, and deletes their account.

Every app declares what it holds in `core.registries.personal_data`; a test app declares a
section, a file and a blocker here, as organisations or opportunities will.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress

from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import caches
from django.core.files import File
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from wagtail.models import Page, PageLogEntry

from core.models import PolicyAcceptance, User
from core.private_files import private_storage
from core.registries import PersonalData, personal_data
from tests.factories import (
    PASSWORD,
    UserFactory,
    accept_current_policies,
    give_totp,
    sign_in_with_second_factor,
)

pytestmark = pytest.mark.django_db

DATA = "/en/accounts/data/"
DELETE = "/en/accounts/delete/"


class DeclaringApp:
    """What a community app would declare: a section, two files, an erase hook and a blocker."""

    def __init__(self) -> None:
        self.erased: list[int] = []
        self.blocking: set[int] = set()
        self.private_name = private_storage().save("tests/notes.txt", ContentFile(b"my notes"))

    def export(self, user) -> dict:
        return {"motto": f"motto of {user.email}"}

    def files(self, user) -> list:
        return [
            ("cv.pdf", File(io.BytesIO(b"%PDF-1.4 cv of " + user.email.encode()), name="cv.pdf")),
            ("notes/notes.txt", self.private_name),
        ]

    def erase(self, user) -> None:
        self.erased.append(user.pk)

    def blockers(self, user) -> list[str]:
        if user.pk in self.blocking:
            return [
                "You are the only administrator of organisation Diaspora Doctors: "
                "hand it over first."
            ]
        return []


@pytest.fixture
def testapp():
    app = DeclaringApp()
    personal_data.register(
        "testapp",
        PersonalData(
            "testapp",
            "Test app",
            export=app.export,
            erase=app.erase,
            files=app.files,
            blockers=app.blockers,
        ),
    )
    yield app
    personal_data.unregister("testapp")
    private_storage().delete(app.private_name)


def member(**kwargs) -> User:
    user = UserFactory(**kwargs)
    accept_current_policies(user)
    return user


def signed_in(user: User, client: Client | None = None) -> Client:
    client = client or Client()
    response = client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def reauthenticated(client: Client) -> Client:
    response = client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302
    return client


def download(client: Client) -> zipfile.ZipFile:
    response = client.post(DATA)
    assert response.status_code == 200, response.headers
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


# --- Export ------------------------------------------------------------------------------------


def test_the_download_holds_every_apps_section_and_files(testapp):
    user = member(first_name="Amina", preferred_language="fr")
    archive = download(reauthenticated(signed_in(user)))
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == user.email
    assert data["account"]["first_name"] == "Amina"
    assert data["account"]["preferred_language"] == "fr"
    assert data["account"]["roles"] == ["Member"]
    assert data["account"]["email_addresses"] == [
        {"email": user.email, "verified": True, "primary": True}
    ]
    assert {p["policy"] for p in data["account"]["accepted_policies"]}
    assert data["account"]["two_factor"] == {"enabled": False, "kinds": []}
    assert data["account"]["signed_in_sessions"] == 1
    assert data["testapp"] == {"motto": f"motto of {user.email}"}
    assert archive.read("files/testapp/cv.pdf") == b"%PDF-1.4 cv of " + user.email.encode()
    assert archive.read("files/testapp/notes/notes.txt") == b"my notes"


def test_the_download_says_two_factor_is_on_without_any_secret(client, testapp):
    user = member()
    secret = give_totp(user)
    sign_in_with_second_factor(client, user)
    raw = download(reauthenticated(client)).read("data.json").decode()
    assert json.loads(raw)["account"]["two_factor"] == {"enabled": True, "kinds": ["totp"]}
    assert secret not in raw


def test_the_download_needs_a_recent_password(testapp):
    client = signed_in(member())
    response = client.post(DATA)
    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response.headers["Location"]
    # Giving the password then sends the download that was asked for.
    resumed = client.post(
        "/en/accounts/reauthenticate/", {"password": PASSWORD, "next": DATA}, follow=False
    )
    assert resumed.status_code == 200
    assert resumed["Content-Type"] == "application/zip"


def test_the_page_lists_what_the_download_holds_and_links_to_deletion(client, testapp):
    client.force_login(member())
    page = client.get(DATA)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Your account" in html and "Test app" in html
    assert 'href="/en/accounts/delete/"' in html
    assert 'aria-current="page">Your data' in html


def test_anonymous_visitors_are_sent_to_log_in(client):
    for path in (DATA, DELETE):
        assert "/accounts/login/" in client.get(path).headers["Location"]
        assert "/accounts/login/" in client.post(path).headers["Location"]


def test_nobody_downloads_another_members_data(testapp):
    owner, other = member(), member()
    client = reauthenticated(signed_in(owner))
    # The address has no id: whatever a request adds, the download is the signed-in member's.
    response = client.post(f"{DATA}?user={other.pk}", {"user": other.pk, "pk": other.pk})
    data = json.loads(
        zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).read("data.json")
    )
    assert data["account"]["email"] == owner.email
    assert other.email not in json.dumps(data)
    assert reverse("your_data") == DATA and reverse("delete_account") == DELETE


# --- Deletion ----------------------------------------------------------------------------------


def test_a_blocker_refuses_deletion_with_its_reason_and_nothing_is_deleted(testapp):
    user = member()
    testapp.blocking.add(user.pk)
    client = signed_in(user)
    page = client.get(DELETE)
    assert "hand it over first" in page.content.decode()
    assert "<form" not in page.content.decode().split("deletion-blockers")[1]
    response = client.post(DELETE, {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 409
    assert "Diaspora Doctors: hand it over first." in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()
    assert EmailAddress.objects.filter(user=user).exists()
    assert PolicyAcceptance.objects.filter(user=user).exists()
    assert testapp.erased == []
    assert client.get("/en/accounts/email/").status_code == 200  # still signed in
    assert not mail.outbox


def test_the_only_site_administrator_cannot_delete_their_account(client, testapp):
    User.objects.filter(is_superuser=True).update(is_superuser=False)
    admin = member(is_superuser=True)
    client.force_login(admin)
    response = client.post(DELETE, {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 409
    assert "only administrator of the site" in response.content.decode()
    assert User.objects.filter(pk=admin.pk).exists()


@pytest.mark.parametrize(
    "form",
    [
        {"password": PASSWORD},  # no confirmation
        {"password": "not my password", "confirm": "on"},
        {"confirm": "on"},
        {},
    ],
)
def test_bad_input_deletes_nothing(client, testapp, form):
    user = member()
    client.force_login(user)
    response = client.post(DELETE, form)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()
    assert EmailAddress.objects.filter(user=user).exists()
    assert testapp.erased == []
    assert client.get("/en/accounts/email/").status_code == 200


def test_deleting_erases_everywhere_signs_out_everywhere_and_says_so(
    testapp, django_capture_on_commit_callbacks
):
    caches["pages"].clear()
    user = member(first_name="Karim", preferred_language="fr")
    other = member()
    page = Page.objects.filter(depth=2).first()
    PageLogEntry.objects.log_action(page, "wagtail.edit", user=user)
    phone = signed_in(user)  # another device
    laptop = signed_in(user)
    others_session = signed_in(other)
    # An anonymous page is in the cache before the deletion.
    anonymous = Client()
    anonymous.get("/en/")
    assert "Age" in anonymous.get("/en/").headers

    with django_capture_on_commit_callbacks(execute=True):
        response = laptop.post(DELETE, {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 200
    assert "Your account has been deleted" in response.content.decode()
    assert not User.objects.filter(pk=user.pk).exists()
    assert not EmailAddress.objects.filter(email=user.email).exists()
    assert not PolicyAcceptance.objects.filter(user_id=user.pk).exists()
    assert testapp.erased == [user.pk]
    # The site's history stays, without the person.
    entry = PageLogEntry.objects.filter(page=page, action="wagtail.edit").latest("timestamp")
    assert entry.user_id is None
    # Signed out on every device; their sessions are gone, another member's stays.
    for device in (laptop, phone):
        assert "/accounts/login/" in device.get("/en/accounts/email/").headers["Location"]
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    assert others_session.get("/en/accounts/email/").status_code == 200
    # The cached anonymous page is rendered afresh.
    assert "Age" not in anonymous.get("/en/").headers
    # The address it had is told, in the member's language.
    [message] = [m for m in mail.outbox if m.to == [user.email]]
    assert user.email in message.body
    assert "Bonjour" in message.body


def test_a_member_deletes_only_their_own_account(client, testapp):
    user, other = member(), member()
    client.force_login(user)
    client.post(
        f"{DELETE}?user={other.pk}", {"password": PASSWORD, "confirm": "on", "pk": other.pk}
    )
    assert not User.objects.filter(pk=user.pk).exists()
    assert User.objects.filter(pk=other.pk).exists()


def test_an_account_without_a_password_must_have_signed_in_just_now(client, testapp):
    user = member()
    user.set_unusable_password()
    user.save()
    client.force_login(user)  # a session with no recent sign-in recorded
    page = client.get(DELETE)
    assert 'name="password"' not in page.content.decode()
    response = client.post(DELETE, {"confirm": "on"})
    assert "sign in again with a code" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()
    # Signed in with an e-mailed code a moment ago: the confirmation is enough.
    client.logout()
    client.post("/en/accounts/login/code/", {"email": user.email})
    body = mail.outbox[-1].body
    code = body.split("Please enter it in your open browser window.")[1].split()[0]
    assert client.post("/en/accounts/login/code/confirm/", {"code": code}).status_code == 302
    client.post(DELETE, {"confirm": "on"})
    assert not User.objects.filter(pk=user.pk).exists()
