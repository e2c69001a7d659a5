"""Personal API tokens: made and revoked by members on their account page, sent by API clients
as `Authorization: Bearer dh_<prefix>_<secret>`.

A token is `dh_` (recognisable in a leaked log or a secret scanner), a random 8-character
prefix that finds the row, and a 256-bit secret. Only the SHA-256 of the whole token is stored
(the secret has full entropy, so a slow hash would add nothing) and compared in constant time;
the member sees the token once, when it is made. A token is read-only or read-write, may act
for one organisation its member administers (`core.registries.organisation_directory`), may
expire, and records when it was last used (written at most once a minute, so reading the API
costs no write per request).

A token never carries a second factor: a token of an account that needs one (staff, moderators)
acts with an ordinary member's permissions (`core.guards.restrict_without_second_factor`).

A token works only while its member may use the site: inactive, suspended or banned accounts
(`core.sanctions.refusal`) are refused on the very next request, as is a token acting for an
organisation its member no longer administers.

Wiring: `TokenAuthentication` and `TokenScopeAllows` are the DRF defaults
(`REST_FRAMEWORK` in settings), beside session authentication (which keeps its CSRF check for
the site's own scripts).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .guards import restrict_without_second_factor
from .integration_models import ApiToken
from .permissions_backend import keep_permissions, permission_names
from .registries import organisation_directory
from .sanctions import refusal

TOKEN_PREFIX = "dh_"  # noqa: S105 - not a secret: what every token starts with
LAST_USED_EVERY = timedelta(minutes=1)
MAX_TOKENS_PER_MEMBER = 20


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    user,
    name: str,
    scope: str = ApiToken.Scope.READ,
    organisation_id: int | None = None,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Make a token; returns the row and the token itself, which is never readable again."""
    if organisation_id is not None and not organisation_directory.is_admin(user, organisation_id):
        raise PermissionError("Only an organisation's administrators may act for it")
    while True:
        prefix = secrets.token_hex(4)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    token = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        secret_hash=_digest(token),
        scope=scope,
        organisation_id=organisation_id,
        expires_at=expires_at,
    )
    return row, token


def find_token(token: str) -> ApiToken | None:
    """The live row `token` belongs to, or None (unknown, malformed, wrong secret, expired)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    prefix, _sep, secret = token[len(TOKEN_PREFIX) :].partition("_")
    if not prefix or not secret:
        return None
    row = (
        ApiToken.objects.select_related("user")
        .annotate(user_permission_names=permission_names())
        .filter(prefix=prefix)
        .first()
    )
    if row is None or not hmac.compare_digest(row.secret_hash, _digest(token)):
        return None
    # Read with the token, as a session's user is (`core.permissions_backend`): asking whether
    # the account is privileged costs no query of its own.
    keep_permissions(row.user, row.user_permission_names)
    if row.is_expired():
        return None
    return row


def token_refusal(row: ApiToken) -> str | None:
    """Why this token may not be used now (its member's account, its organisation), or None."""
    user = row.user
    if not user.is_active:
        return _("This account is no longer active.")
    reason = refusal(user)
    if reason:
        return reason
    if row.organisation_id is not None and not organisation_directory.is_admin(
        user, row.organisation_id
    ):
        return _("This token acts for an organisation you no longer administer.")
    return None


def touch(row: ApiToken, now: datetime | None = None) -> None:
    """Record the use, at most once a minute per token (one UPDATE, skipped when recent)."""
    now = now or timezone.now()
    if row.last_used_at is not None and now - row.last_used_at < LAST_USED_EVERY:
        return
    ApiToken.objects.filter(pk=row.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY)
    ).update(last_used_at=now)
    row.last_used_at = now


class TokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>`; no such header leaves the request to session auth."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        keyword, _sep, token = header.partition(" ")
        if keyword.lower() != self.keyword.lower():
            return None
        token = token.strip()
        row = find_token(token) if token else None
        if row is None:
            raise exceptions.AuthenticationFailed(
                _("This API token is not valid: it may have been revoked or have expired.")
            )
        reason = token_refusal(row)
        if reason:
            raise exceptions.AuthenticationFailed(reason)
        touch(row)
        # A token cannot carry a second factor: a privileged account's token acts as an
        # ordinary member (`core.privilege`); memberships, such as an organisation's
        # administration, are not privileges and stay.
        return restrict_without_second_factor(request, row.user, can_give_one=False), row

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


def token_of(request) -> ApiToken | None:
    """The token a DRF request was authenticated with, or None (session or anonymous)."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None


class TokenScopeAllows(BasePermission):
    """A read-only token may read only: any other method is a 403 saying so."""

    message = gettext_lazy(
        "This API token is read-only: make a read-and-write token to change data."
    )
    # A request without a token always passes (core.api's conditional fast path relies on it).
    allows_anonymous_reads = True

    def has_permission(self, request, view) -> bool:
        row = token_of(request)
        return row is None or request.method in SAFE_METHODS or not row.is_read_only


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes personal tokens (a bearer scheme)."""

    target_class = "core.api_tokens.TokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token, made on the account page: `dh_…`.",
        }
