"""Webhooks: apps emit events, the worker delivers them, signed, to the URLs partners registered.

Apps declare the kinds they emit into `core.registries.webhook_events` (knowledge: a resource
published; opportunities: one published or closed; events: one created) and call
`emit(kind, data)` with public data only (ids, titles, addresses). The kernel owns the rest,
because knowledge and community are siblings and both emit:

- `emit` (or `emit_once`, for an event that several paths notice) writes one `WebhookDelivery`
  per subscribed, active hook and, once the transaction commits, enqueues
  `core.tasks.deliver_webhook` for each;
- `attempt` claims a due delivery (a lease on `next_attempt_at`, so two workers never send it
  twice), POSTs it and logs a `WebhookAttempt` (status, duration, error). A failure is retried
  with exponential backoff (30 s, 1 min, 2 min, ... up to `WEBHOOKS_MAX_ATTEMPTS`); the periodic
  `core.tasks.retry_webhooks` picks up what is due. A hook failing
  `WEBHOOKS_PAUSE_AFTER_FAILURES` times in a row is paused and its owner told
  (`core.webhook_paused`);
- server-side request forgery: `check_target` refuses a URL whose host resolves to any
  non-public address (loopback, private, link-local, multicast, reserved, unspecified, IPv4 in
  IPv6 included; decimal and octal IPv4 forms resolve to what they mean and are judged so), at
  registration and again at each delivery; the connection then goes to the very address that
  was checked (no second lookup an attacker's DNS could answer differently), redirects are not
  followed and every request has a timeout. `WEBHOOKS_ALLOW_PRIVATE_TARGETS` (tests only) lifts
  the address check.

Signature (documented for receivers in the README, "Webhooks"): headers
`X-DiasporaHub-Timestamp: <unix seconds>` and
`X-DiasporaHub-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import secrets
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .integration_models import EmittedEvent, Webhook, WebhookAttempt, WebhookDelivery
from .registries import organisation_directory, webhook_events

logger = logging.getLogger(__name__)

PAUSED_KIND = "core.webhook_paused"
USER_AGENT = "DiasporaHub-Webhooks/1"
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=6)
MAX_RESPONSE_BYTES = 4096


class UnsafeTarget(Exception):
    """A hook URL that must not be called; `message` is translated, for the member."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the checked IP address the connection goes to


def new_secret() -> str:
    return secrets.token_hex(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The `X-DiasporaHub-Signature` value for `body` sent at `timestamp`."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


# --- Where a hook may point ----------------------------------------------------------------------


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in ipaddress.ip_network("64:ff9b::/96"):  # NAT64
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public_address(value: str) -> bool:
    """Whether `value` (an IP address as text) is a public unicast address a hook may reach."""
    try:
        ip = ipaddress.ip_address(value.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None and not is_public_address(str(embedded)):
            return False
    return not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def check_target(url: str) -> Target:
    """Parse and resolve `url`; raises `UnsafeTarget` unless every address it resolves to is
    public (or the setting allows private ones). The connection must go to `Target.address`."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UnsafeTarget(_("This address is not a valid URL.")) from error
    scheme = parts.scheme.lower()
    allowed = ("https",) if settings.WEBHOOKS_REQUIRE_HTTPS else ("https", "http")
    if scheme not in allowed:
        raise UnsafeTarget(_("Give an address that starts with https://."))
    if parts.username or parts.password:
        raise UnsafeTarget(_("The address may not contain a user name or password."))
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeTarget(_("This address has no host name."))
    port = port or (443 if scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as error:
        raise UnsafeTarget(_("The host name of this address could not be found.")) from error
    addresses = [info[4][0] for info in found]
    if not addresses:
        raise UnsafeTarget(_("The host name of this address could not be found."))
    if not settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS and not all(
        is_public_address(address) for address in addresses
    ):
        raise UnsafeTarget(
            _(
                "This address leads to a private or local network. Webhooks can only be sent "
                "to public internet addresses."
            )
        )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(scheme, host, port, path, addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address, whatever the host name resolves to by now."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """As above, with TLS verified against the host name (SNI and certificate)."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(target: Target, body: bytes, headers: dict[str, str]) -> int:
    """POST `body` to the checked target; returns the HTTP status (redirects are not followed)."""
    timeout = settings.WEBHOOKS_TIMEOUT_SECONDS
    cls = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = cls(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(MAX_RESPONSE_BYTES)
        return response.status
    finally:
        connection.close()


# --- Emitting -----------------------------------------------------------------------------------


def event_choices() -> list[tuple[str, Any]]:
    return [(event.key, event.label) for event in sorted(webhook_events, key=lambda e: e.order)]


def emit(kind: str, data: dict[str, Any]) -> int:
    """Queue `kind` with `data` (public, JSON-serialisable) for every hook subscribed to it;
    returns how many deliveries were made. Deliveries start once the transaction commits."""
    if kind not in webhook_events:
        raise LookupError(f"emit: {kind!r} is not a declared webhook event")
    hooks = list(
        Webhook.objects.filter(active=True, paused_at__isnull=True, events__contains=[kind])
    )
    if not hooks:
        return 0
    now = timezone.now()
    deliveries = []
    for hook in hooks:
        delivery = WebhookDelivery(hook=hook, event=kind, next_attempt_at=now, created_at=now)
        delivery.payload = {
            "id": str(delivery.event_id),
            "event": kind,
            "created_at": now.isoformat(),
            "data": data,
        }
        deliveries.append(delivery)
    WebhookDelivery.objects.bulk_create(deliveries)
    ids = [delivery.pk for delivery in deliveries]

    def enqueue() -> None:
        from .tasks import deliver_webhook

        for pk in ids:
            deliver_webhook.enqueue(pk)

    transaction.on_commit(enqueue)
    return len(ids)


def emit_once(kind: str, key: str, data: dict[str, Any]) -> int:
    """`emit`, unless an event with this `key` was emitted before (by any process)."""
    _row, created = EmittedEvent.objects.get_or_create(key=key[:200])
    return emit(kind, data) if created else 0


def not_yet_emitted(keys: list[str]) -> set[str]:
    """Those of `keys` never emitted, in one query (for periodic scans)."""
    done = set(EmittedEvent.objects.filter(key__in=keys).values_list("key", flat=True))
    return {key for key in keys if key not in done}


# --- Delivering ---------------------------------------------------------------------------------


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed try: 30 s, 1 min, 2 min, ... ≤ 6 h."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)


def _claim(delivery_id: int, now: datetime) -> WebhookDelivery | None:
    """Take the delivery if it is due, leasing it so no other worker sends it meanwhile."""
    lease = now + timedelta(seconds=settings.WEBHOOKS_TIMEOUT_SECONDS * 3 + 30)
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=lease)
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("hook", "hook__owner").get(pk=delivery_id)


def owner_may_still(hook: Webhook) -> bool:
    """Whether the hook's owner still has the right to it (admin of its organisation, or an
    administrator for a hook of no organisation)."""
    owner = hook.owner
    if not owner.is_active:
        return False
    if hook.organisation_id is not None and organisation_directory.is_admin(
        owner, hook.organisation_id
    ):
        return True
    return can_manage_all_hooks(owner)


def can_manage_all_hooks(user) -> bool:
    """Administrators: any hook, and hooks of no organisation."""
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_superuser or user.has_perm("core.change_webhook"))
    )


def attempt(delivery_id: int, now: datetime | None = None) -> WebhookDelivery | None:
    """Try one due delivery once; returns it (updated), or None when it was not due."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    hook = delivery.hook
    number = delivery.attempts + 1
    status_code = None
    error = ""
    started = time.monotonic()
    if not hook.active or hook.paused_at is not None:
        error = _("The webhook is paused.")
    elif not owner_may_still(hook):
        error = _("The webhook's owner may no longer send to it.")
    else:
        body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-DiasporaHub-Event": delivery.event,
            "X-DiasporaHub-Delivery": str(delivery.event_id),
            "X-DiasporaHub-Timestamp": str(timestamp),
            "X-DiasporaHub-Signature": sign(hook.secret, timestamp, body),
        }
        try:
            status_code = post(check_target(hook.url), body, headers)
        except UnsafeTarget as refused:
            error = refused.message
        except (OSError, http.client.HTTPException) as failure:
            error = (str(failure) or failure.__class__.__name__)[:300]
        else:
            if 300 <= status_code < 400:
                error = _("Redirects are not followed.")
            elif not 200 <= status_code < 300:
                error = f"HTTP {status_code}"
    duration = int((time.monotonic() - started) * 1000)
    succeeded = not error
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=number,
        started_at=now,
        duration_ms=duration,
        status_code=status_code,
        error=error[:300],
        succeeded=succeeded,
    )
    delivery.attempts = number
    if succeeded:
        delivery.state = WebhookDelivery.State.SUCCEEDED
        delivery.next_attempt_at = None
        Webhook.objects.filter(pk=hook.pk).update(consecutive_failures=0)
    else:
        if hook.paused_at is None and hook.active:
            _count_failure(hook, now)  # may pause the hook
        gave_up = number >= settings.WEBHOOKS_MAX_ATTEMPTS or hook.paused_at is not None
        delivery.state = WebhookDelivery.State.FAILED if gave_up else WebhookDelivery.State.PENDING
        delivery.next_attempt_at = None if gave_up else now + backoff(number)
    delivery.save(update_fields=["attempts", "state", "next_attempt_at"])
    return delivery


def _count_failure(hook: Webhook, now: datetime) -> None:
    Webhook.objects.filter(pk=hook.pk).update(consecutive_failures=F("consecutive_failures") + 1)
    hook.refresh_from_db(fields=["consecutive_failures", "paused_at"])
    if hook.paused_at is None and hook.consecutive_failures >= (
        settings.WEBHOOKS_PAUSE_AFTER_FAILURES
    ):
        pause(hook, now)


def pause(hook: Webhook, now: datetime | None = None) -> None:
    """Stop sending to a failing hook, give up its waiting deliveries and tell its owner."""
    from .notify import notify

    now = now or timezone.now()
    paused = Webhook.objects.filter(pk=hook.pk, paused_at__isnull=True).update(paused_at=now)
    if not paused:
        return
    hook.paused_at = now
    hook.deliveries.filter(state=WebhookDelivery.State.PENDING).update(
        state=WebhookDelivery.State.FAILED, next_attempt_at=None
    )
    notify(PAUSED_KIND, hook.owner, target=hook, url=hook.url, failures=hook.consecutive_failures)


def resume(hook: Webhook) -> None:
    """Send again (after the owner fixed their receiver); the count of failures starts over."""
    Webhook.objects.filter(pk=hook.pk).update(paused_at=None, consecutive_failures=0)
    hook.paused_at = None
    hook.consecutive_failures = 0


def due_deliveries(now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(
            state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now
        ).values_list("pk", flat=True)[:500]
    )


KEEP_DELIVERIES = timedelta(days=30)


def forget_old_deliveries(now: datetime | None = None) -> int:
    """Delete finished deliveries (and their attempts) older than a month: the log is for
    fixing a receiver, not an archive of what was sent."""
    cutoff = (now or timezone.now()) - KEEP_DELIVERIES
    EmittedEvent.objects.filter(created_at__lt=cutoff).delete()
    deleted, _by_model = (
        WebhookDelivery.objects.filter(created_at__lt=cutoff)
        .exclude(state=WebhookDelivery.State.PENDING)
        .delete()
    )
    return deleted
