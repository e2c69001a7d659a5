"""Webhooks: registered by organisation admins and administrators on the account pages, sent
signed to a real HTTP receiver on loopback, retried with backoff, logged, paused after repeated
failures (the owner told), and never sent to private addresses (SSRF) unless a setting allows."""

from __future__ import annotations

import hashlib
import hmac
import json
import queue
import socket
import ssl
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from django.test import Client, override_settings
from django.utils import timezone

from community.notifications.models import Notification
from community.opportunities import lifecycle
from community.opportunities.models import Opportunity, Review, Status
from community.organisations.models import Membership, Verification
from core import webhooks
from core.models import Webhook, WebhookAttempt, WebhookDelivery
from tests.factories import UserFactory, force_login_with_second_factor
from tests.members.conftest import make_member
from tests.opportunities.conftest import make_opportunity
from tests.organisations.conftest import client_for, make_organisation

pytestmark = pytest.mark.django_db

HOOKS_PAGE = "/en/accounts/webhooks/"


class Receiver:
    """A real HTTP server on loopback that records what it receives and answers as told."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.received: list[dict] = []
        self.answers: queue.Queue = queue.Queue()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                answer = receiver.answers.get_nowait() if not receiver.answers.empty() else 200
                if answer == "slow":
                    time.sleep(0.6)
                    answer = 200
                try:
                    self.send_response(answer)
                    if answer in (301, 302, 307):
                        location = f"http://127.0.0.1:{receiver.port}/elsewhere"
                        self.send_header("Location", location)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass  # the sender gave up waiting (the timeout test)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def reset(self, *answers) -> None:
        self.received.clear()
        while not self.answers.empty():
            self.answers.get_nowait()
        for answer in answers:
            self.answers.put(answer)


@pytest.fixture(scope="module")
def receiver():
    server = Receiver()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def world(receiver):
    receiver.reset()
    Opportunity.objects.all().delete()
    admin, _ = make_member(display_name="Org Admin")
    co_admin, _ = make_member(display_name="Co Admin")
    other_admin, _ = make_member(display_name="Other Admin")
    member, _ = make_member(display_name="Plain Member")
    organisation = make_organisation(
        admin, name="Verified Network", verification=Verification.VERIFIED
    )
    Membership.objects.create(organisation=organisation, user=co_admin, role="admin")
    Membership.objects.create(organisation=organisation, user=member, role="member")
    other = make_organisation(other_admin, name="Other Network")
    return {
        "admin": admin,
        "co_admin": co_admin,
        "other_admin": other_admin,
        "member": member,
        "organisation": organisation,
        "other": other,
    }


def make_hook(owner, organisation, url: str, events=("opportunity.published",)) -> Webhook:
    return Webhook.objects.create(
        owner=owner,
        organisation_id=organisation.pk if organisation else None,
        url=url,
        events=list(events),
        secret=webhooks.new_secret(),
    )


def send_due(now=None) -> list:
    return [webhooks.attempt(pk, now) for pk in webhooks.due_deliveries(now)]


# --- Where a hook may point (server-side request forgery) ---------------------------------------

REFUSED = [
    "http://127.0.0.1/",
    "http://localhost:8000/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:10.0.0.1]/",
    "http://2130706433/",  # 127.0.0.1 as a decimal number
    "http://0177.0.0.1/",  # octal
    "http://0x7f.0.0.1/",  # hexadecimal
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/",
    "http://[fd00::1]/",
    "http://224.0.0.1/",
    "http://0.0.0.0/",
    "http://[::]/",
    "http://240.0.0.1/",
    "http://[2002:7f00:1::]/",  # 6to4 around 127.0.0.1
    "http://[64:ff9b::a00:1]/",  # NAT64 around 10.0.0.1
]


@override_settings(WEBHOOKS_ALLOW_PRIVATE_TARGETS=False, WEBHOOKS_REQUIRE_HTTPS=False)
@pytest.mark.parametrize("url", REFUSED)
def test_hook_addresses_leading_to_private_networks_are_refused(url):
    with pytest.raises(webhooks.UnsafeTarget):
        webhooks.check_target(url)


@override_settings(WEBHOOKS_ALLOW_PRIVATE_TARGETS=False, WEBHOOKS_REQUIRE_HTTPS=True)
def test_public_https_addresses_are_accepted_and_others_refused():
    target = webhooks.check_target("https://93.184.215.14:8443/in?x=1")
    assert (target.address, target.port, target.path) == ("93.184.215.14", 8443, "/in?x=1")
    for url in ("http://93.184.215.14/", "https://user:pw@93.184.215.14/", "ftp://93.184.215.14/"):
        with pytest.raises(webhooks.UnsafeTarget):
            webhooks.check_target(url)


@override_settings(WEBHOOKS_ALLOW_PRIVATE_TARGETS=False)
def test_a_name_resolving_to_both_public_and_private_addresses_is_refused(monkeypatch):
    def resolve(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(webhooks.UnsafeTarget):
        webhooks.check_target("https://partner.example/hook")


# --- Registering hooks on the account pages ------------------------------------------------------


def test_org_admin_registers_a_hook_and_sees_its_secret(world, receiver):
    page = client_for(world["admin"])
    # The organisation's page leads its admins there.
    organisation_page = page.get(f"/en/organisations/{world['organisation'].slug}/")
    assert f'href="{HOOKS_PAGE}"' in organisation_page.content.decode()
    response = page.post(
        HOOKS_PAGE,
        {
            "url": receiver.url(),
            "organisation": world["organisation"].pk,
            "events": ["opportunity.published", "resource.published"],
        },
    )
    hook = Webhook.objects.get(owner=world["admin"])
    assert response.status_code == 302 and response["Location"].endswith(f"/{hook.pk}/")
    assert hook.organisation_id == world["organisation"].pk and len(hook.secret) == 64
    detail = page.get(f"{HOOKS_PAGE}{hook.pk}/").content.decode()
    assert hook.secret in detail and "X-DiasporaHub-Signature" in detail
    # A co-admin of the organisation manages it too; nobody else sees it.
    assert client_for(world["co_admin"]).get(f"{HOOKS_PAGE}{hook.pk}/").status_code == 200
    moderator, _ = make_member(role="Moderator", display_name="Mod Erator")
    for outsider in (world["member"], world["other_admin"], moderator):
        assert client_for(outsider).get(f"{HOOKS_PAGE}{hook.pk}/").status_code == 404
        response = client_for(outsider).post(f"{HOOKS_PAGE}{hook.pk}/", {"action": "delete"})
        assert response.status_code == 404
    assert Client().get(f"{HOOKS_PAGE}{hook.pk}/").status_code == 302  # to sign in
    assert Webhook.objects.filter(pk=hook.pk).exists()


def test_managers_change_a_hooks_events_and_bad_choices_change_nothing(world, receiver):
    hook = make_hook(world["admin"], world["organisation"], receiver.url())
    page = client_for(world["co_admin"])
    url = f"{HOOKS_PAGE}{hook.pk}/"
    response = page.post(url, {"url": hook.url, "events": ["bogus.event"], "action": "save"})
    assert response.status_code == 400
    hook.refresh_from_db()
    assert hook.events == ["opportunity.published"]
    response = page.post(url, {"url": hook.url, "events": ["opportunity.closed"], "action": "save"})
    assert response.status_code == 302
    hook.refresh_from_db()
    assert hook.events == ["opportunity.closed"]
    assert Client().get(HOOKS_PAGE).status_code == 302  # anonymous: to sign in
    page.post(url, {"action": "rotate"})
    old_secret = hook.secret
    hook.refresh_from_db()
    assert hook.secret != old_secret and len(hook.secret) == 64
    page.post(url, {"action": "delete"})
    assert not Webhook.objects.filter(pk=hook.pk).exists()


@override_settings(WEBHOOKS_ALLOW_PRIVATE_TARGETS=False)
def test_registering_a_private_address_is_refused_with_a_reason(world):
    page = client_for(world["admin"])
    response = page.post(
        HOOKS_PAGE,
        {
            "url": "http://169.254.169.254/latest/",
            "organisation": world["organisation"].pk,
            "events": ["opportunity.published"],
        },
    )
    assert response.status_code == 400
    assert "private or local network" in response.content.decode()
    assert not Webhook.objects.exists()


def test_members_without_an_organisation_cannot_register_hooks_nor_for_others(world, receiver):
    response = client_for(world["member"]).get(HOOKS_PAGE)
    assert "Webhooks are for the administrators" in response.content.decode()
    data = {"url": receiver.url(), "events": ["opportunity.published"]}
    assert client_for(world["member"]).post(HOOKS_PAGE, data).status_code == 404
    # An admin of another organisation may not register one for this organisation, nor for none.
    for organisation in (world["organisation"].pk, ""):
        response = client_for(world["other_admin"]).post(
            HOOKS_PAGE, {**data, "organisation": organisation}
        )
        assert response.status_code == 400
    assert not Webhook.objects.exists()


def test_administrator_registers_a_site_wide_hook_and_sees_every_hook(world, receiver):
    root = UserFactory(is_superuser=True, is_staff=True)
    theirs = make_hook(world["admin"], world["organisation"], receiver.url("/theirs"))
    # The password alone is a member's (`core.privilege`): not someone else's hook.
    assert client_for(root).get(f"{HOOKS_PAGE}{theirs.pk}/").status_code == 404
    page = Client()
    force_login_with_second_factor(page, root)
    response = page.post(
        HOOKS_PAGE, {"url": receiver.url(), "organisation": "", "events": ["event.created"]}
    )
    assert response.status_code == 302
    assert Webhook.objects.get(owner=root).organisation_id is None
    assert receiver.url("/theirs") in page.get(HOOKS_PAGE).content.decode()
    assert page.get(f"{HOOKS_PAGE}{theirs.pk}/").status_code == 200


# --- Delivering ----------------------------------------------------------------------------------


def test_publishing_an_opportunity_delivers_a_signed_json_message(
    world, receiver, django_capture_on_commit_callbacks
):
    hook = make_hook(world["admin"], world["organisation"], receiver.url())
    closing = ["opportunity.closed"]
    make_hook(world["admin"], world["organisation"], receiver.url("/closed"), closing)
    item = make_opportunity(world["admin"], world["organisation"], status=Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.publish(item)
    assert len(receiver.received) == 1
    got = receiver.received[0]
    headers = got["headers"]
    assert got["path"] == "/hook" and headers["Content-Type"] == "application/json"
    assert headers["X-DiasporaHub-Event"] == "opportunity.published"
    # The recipe receivers follow: HMAC-SHA256 of "<timestamp>.<raw body>" with the secret.
    timestamp = headers["X-DiasporaHub-Timestamp"]
    expected = hmac.new(
        hook.secret.encode(), timestamp.encode() + b"." + got["body"], hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(headers["X-DiasporaHub-Signature"], f"sha256={expected}")
    assert abs(int(timestamp) - time.time()) < 60
    message = json.loads(got["body"])
    assert message["event"] == "opportunity.published"
    assert message["id"] == headers["X-DiasporaHub-Delivery"]
    assert message["data"]["id"] == item.pk and message["data"]["title"] == item.title
    assert message["data"]["organisation"]["name"] == "Verified Network"
    delivery = WebhookDelivery.objects.get(hook=hook)
    assert delivery.state == WebhookDelivery.State.SUCCEEDED
    logged = WebhookAttempt.objects.get(delivery=delivery)
    assert logged.succeeded and logged.status_code == 200 and logged.error == ""
    # Closing it goes to the hook subscribed to closing only.
    receiver.reset()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.close_now(item)
    assert [r["path"] for r in receiver.received] == ["/closed"]
    assert json.loads(receiver.received[0]["body"])["event"] == "opportunity.closed"


def test_a_deadline_passing_is_announced_once_whichever_path_notices_it(
    world, receiver, django_capture_on_commit_callbacks
):
    from community.opportunities.webhook_events import announce_closed

    make_hook(world["admin"], world["organisation"], receiver.url(), ["opportunity.closed"])
    lapsed = make_opportunity(world["admin"], world["organisation"], days=-0.1, title="Lapsed")
    make_opportunity(world["admin"], world["organisation"], days=-5, title="Long gone")
    make_opportunity(world["admin"], world["organisation"], days=3, title="Still open")
    closed_early = make_opportunity(world["admin"], world["organisation"], title="Closed early")
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.close_now(closed_early)
        assert announce_closed() == 1  # the lapsed one; the one closed by hand was sent already
        assert announce_closed() == 0  # run twice: nothing more
    sent = [json.loads(r["body"])["data"]["title"] for r in receiver.received]
    assert sorted(sent) == ["Closed early", "Lapsed"]
    assert lapsed.pk in [json.loads(r["body"])["data"]["id"] for r in receiver.received]


def test_a_held_opportunity_is_announced_only_when_a_moderator_approves_it(
    world, receiver, django_capture_on_commit_callbacks
):
    make_hook(world["admin"], world["organisation"], receiver.url())
    item = make_opportunity(world["member"], None, status=Status.DRAFT, review=Review.NOT_NEEDED)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.publish(item)  # a new member's first: held
    assert item.review == Review.HELD
    assert receiver.received == []
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.approve(item)
    assert len(receiver.received) == 1


def test_publishing_a_resource_delivers_resource_published(
    world, receiver, django_capture_on_commit_callbacks
):
    from knowledge.models import ResourcePage

    make_hook(world["admin"], world["organisation"], receiver.url(), ["resource.published"])
    page = ResourcePage.objects.live().public().first()
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert len(receiver.received) == 1
    data = json.loads(receiver.received[0]["body"])["data"]
    assert data["id"] == page.pk and data["url"].startswith("http")


def test_failures_are_retried_with_growing_delays_and_every_attempt_is_logged(world, receiver):
    hook = make_hook(world["admin"], world["organisation"], receiver.url())
    receiver.reset(500, 503, 200)
    webhooks.emit("opportunity.published", {"id": 1})
    start = timezone.now()
    (delivery,) = send_due(start)
    assert delivery.state == WebhookDelivery.State.PENDING and delivery.attempts == 1
    assert delivery.next_attempt_at == start + timedelta(seconds=30)
    assert send_due(start + timedelta(seconds=10)) == []  # not due yet
    (delivery,) = send_due(start + timedelta(seconds=31))
    assert delivery.next_attempt_at == start + timedelta(seconds=31 + 60)
    (delivery,) = send_due(start + timedelta(seconds=95))
    assert delivery.state == WebhookDelivery.State.SUCCEEDED
    log = list(delivery.attempt_log.values_list("status_code", "error", "succeeded"))
    assert log == [(500, "HTTP 500", False), (503, "HTTP 503", False), (200, "", True)]
    assert len(receiver.received) == 3
    # The same event each time: receivers de-duplicate on its id.
    assert len({r["headers"]["X-DiasporaHub-Delivery"] for r in receiver.received}) == 1
    hook.refresh_from_db()
    assert hook.consecutive_failures == 0
    page = client_for(world["admin"]).get(f"{HOOKS_PAGE}{hook.pk}/").content.decode()
    assert "HTTP 503" in page and "opportunity.published" in page
    # A month later the log forgets it.
    assert webhooks.forget_old_deliveries(start + timedelta(days=29)) == 0
    assert webhooks.forget_old_deliveries(start + timedelta(days=31)) > 0
    assert not WebhookDelivery.objects.filter(pk=delivery.pk).exists()


@override_settings(WEBHOOKS_MAX_ATTEMPTS=2)
def test_redirects_are_not_followed_and_retries_run_out(world, receiver):
    make_hook(world["admin"], world["organisation"], receiver.url())
    receiver.reset(302, 302)
    webhooks.emit("opportunity.published", {"id": 1})
    now = timezone.now()
    send_due(now)
    (delivery,) = send_due(now + timedelta(minutes=1))
    assert delivery.state == WebhookDelivery.State.FAILED and delivery.next_attempt_at is None
    assert [r["path"] for r in receiver.received] == ["/hook", "/hook"]  # never /elsewhere
    assert "Redirects are not followed." in delivery.attempt_log.first().error


@override_settings(WEBHOOKS_TIMEOUT_SECONDS=0.2)
def test_a_slow_receiver_times_out_and_the_error_is_logged(world, receiver):
    make_hook(world["admin"], world["organisation"], receiver.url())
    receiver.reset("slow")
    webhooks.emit("opportunity.published", {"id": 1})
    (delivery,) = send_due()
    assert delivery.state == WebhookDelivery.State.PENDING
    assert "timed out" in delivery.attempt_log.get().error


@override_settings(WEBHOOKS_PAUSE_AFTER_FAILURES=2)
def test_a_hook_failing_again_and_again_is_paused_and_its_owner_told(world, receiver):
    hook = make_hook(world["admin"], world["organisation"], receiver.url())
    receiver.reset(500, 500, 500)
    webhooks.emit("opportunity.published", {"id": 1})
    webhooks.emit("opportunity.published", {"id": 2})
    send_due()
    hook.refresh_from_db()
    assert hook.paused_at is not None
    assert not hook.deliveries.filter(state=WebhookDelivery.State.PENDING).exists()
    told = Notification.objects.get(recipient=world["admin"], kind=webhooks.PAUSED_KIND)
    assert told.target == hook
    # Paused: new events are not queued for it until its owner resumes it.
    assert webhooks.emit("opportunity.published", {"id": 3}) == 0
    page = client_for(world["admin"])
    assert "Paused on" in page.get(f"{HOOKS_PAGE}{hook.pk}/").content.decode()
    page.post(f"{HOOKS_PAGE}{hook.pk}/", {"action": "resume"})
    hook.refresh_from_db()
    assert hook.paused_at is None and hook.consecutive_failures == 0
    assert webhooks.emit("opportunity.published", {"id": 4}) == 1


def test_delivery_connects_to_the_address_that_was_checked(world, receiver, monkeypatch):
    """DNS rebinding: the name is resolved once, checked, and that very address is called."""
    make_hook(world["admin"], world["organisation"], f"http://partner.invalid:{receiver.port}/x")
    real = socket.getaddrinfo
    lookups = []

    def resolve(host, port, *args, **kwargs):
        if host == "partner.invalid":
            lookups.append(host)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    webhooks.emit("opportunity.published", {"id": 1})
    (delivery,) = send_due()
    assert delivery.state == WebhookDelivery.State.SUCCEEDED
    assert lookups == ["partner.invalid"]
    assert receiver.received[0]["headers"]["Host"] == f"partner.invalid:{receiver.port}"
    # With private targets forbidden, the same name is refused at delivery, nothing is sent.
    receiver.reset()
    with override_settings(WEBHOOKS_ALLOW_PRIVATE_TARGETS=False):
        webhooks.emit("opportunity.published", {"id": 2})
        (delivery,) = send_due()
    assert receiver.received == []
    assert "private or local network" in delivery.attempt_log.get().error


def test_a_hook_whose_owner_is_no_longer_admin_sends_nothing(world, receiver):
    make_hook(world["admin"], world["organisation"], receiver.url())
    Membership.objects.filter(user=world["admin"]).delete()
    webhooks.emit("opportunity.published", {"id": 1})
    (delivery,) = send_due()
    assert receiver.received == [] and delivery.attempts == 1
    assert "no longer" in delivery.attempt_log.get().error


# --- https: the certificate is checked against the host name, at the address that was checked ---


def _self_signed(tmp_path, host: str) -> tuple[str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = timezone.now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_file), str(key_file)


def test_https_deliveries_verify_the_certificate_for_the_host_name(world, tmp_path, monkeypatch):
    cert, key = _self_signed(tmp_path, "partner.invalid")
    server_side = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_side.load_cert_chain(cert, key)
    tls_receiver = Receiver(tls=server_side)
    real_resolve, real_context = socket.getaddrinfo, ssl.create_default_context

    def resolve(host, port, *args, **kwargs):
        if host == "partner.invalid":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real_resolve(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    try:
        make_hook(
            world["admin"],
            world["organisation"],
            f"https://partner.invalid:{tls_receiver.port}/secure",
        )
        # Not signed by an authority we trust: refused, nothing is received.
        webhooks.emit("opportunity.published", {"id": 1})
        (delivery,) = send_due()
        assert "CERTIFICATE_VERIFY_FAILED" in delivery.attempt_log.get().error
        assert tls_receiver.received == []
        # Trusted, and issued for the name the hook uses (not the address it connects to).
        monkeypatch.setattr(
            ssl, "create_default_context", lambda *a, **k: real_context(cafile=cert)
        )
        webhooks.emit("opportunity.published", {"id": 2})
        (delivery,) = send_due(timezone.now())
        assert delivery.state == WebhookDelivery.State.SUCCEEDED
        assert [r["path"] for r in tls_receiver.received] == ["/secure"]
    finally:
        tls_receiver.server.shutdown()
        tls_receiver.server.server_close()
