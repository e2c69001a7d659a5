"""One rule for privileged work: "this view needs permission P and a second factor in this session".

Privileged work does not all live under /admin/: moderation queues, verification decisions and
bans come to the public site too. Every such view, and the admin (through
`core.middleware.AdminAccessMiddleware`), asks the same question here, so none of them can
forget a part of it:

1. signed in? otherwise the log-in page, coming back afterwards;
2. holds permission P? otherwise 403;
3. (with `STAFF_REQUIRE_2FA`) has an authenticator? otherwise its set-up, which for people who
   need a second factor is unlocked by a link e-mailed to them or by an administrator's
   approval (`core.enrolment`, `core.approvals`);
4. passed that second factor *in this session*? otherwise the code prompt (allauth's
   reauthentication with the authenticator), coming back afterwards;
5. was that authenticator confirmed out of band (`authenticator_confirmed`)? An authenticator
   that a member set up freely, before being promoted, may be an attacker's who had only the
   password: it is confirmed once, by the e-mailed link or an administrator, before it counts.

Step 4 reads the authentication records allauth keeps in the session: a session that logged in
with the password alone, before the authenticator was enabled elsewhere, has no "mfa" record and
so is asked for a code, however the account looks today.

Who needs a second factor is decided by permissions, never by group names: superusers, staff
(`is_staff`), whoever holds `wagtailadmin.access_admin` (through any group, or directly), and
whoever holds a permission that a guarded view asks for (the decorator and the mixin register
it in `privileged_permissions`).

Outside guarded views, such an account holds no privilege at all until its session gave the
second factor: `restrict_without_second_factor` makes the request's user answer every
permission question as an ordinary member (`core.privilege`). The guard itself decides on what
the account would hold (`unrestricted_has_perm`), so a password-only moderator is asked for the
code (step 4), not refused (step 2).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .privilege import restrict, unrestricted_has_perm
from .roles import ADMIN_PERMISSION, is_staff_member

# The key, in an authenticator's `data` (allauth's JSON field), of how its set-up was confirmed
# out of band: {"via": "email" | "administrator", "at": ISO time, "by": approver's id or None}.
CONFIRMATION_KEY = "core_confirmed"

# Permissions whose holders must use a second factor. Guarded views add theirs when defined.
privileged_permissions: set[str] = {ADMIN_PERMISSION}


def register_privileged_permission(permission: str) -> None:
    """Declare that holding `permission` makes two-factor login compulsory."""
    privileged_permissions.add(permission)


_views_loaded = False


def _registered_permissions() -> set[str]:
    """`privileged_permissions`, once every guarded view registered its own: views register when
    imported, with the URLconf, which a process's first request (or a socket) may not have
    loaded yet when it asks."""
    global _views_loaded
    if not _views_loaded:
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018 - imports the views
        _views_loaded = True
    return privileged_permissions


def needs_second_factor(user) -> bool:
    """Whether this account must use a second factor (and confirm its first set-up by e-mail).
    About the account, not the request: a restricted request's user still needs one."""
    if not settings.STAFF_REQUIRE_2FA or not user.is_authenticated:
        return False
    if is_staff_member(user):
        return True
    return any(unrestricted_has_perm(user, permission) for permission in _registered_permissions())


def has_authenticator(user) -> bool:
    """Whether the account has an authenticator app (recovery codes alone do not count)."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def unconfirmed_authenticators(user):
    """The account's authenticators (not recovery codes) whose set-up nobody confirmed."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exclude(data__has_key=CONFIRMATION_KEY)


def authenticator_confirmed(user) -> bool:
    """Whether the account has an authenticator and every one of them was confirmed out of band
    (the e-mailed link or an administrator's approval)."""
    return has_authenticator(user) and not unconfirmed_authenticators(user).exists()


def second_factor_passed(request: HttpRequest) -> bool:
    """Whether this session, signed in as this user, gave a second factor (a code, a recovery
    code, or set the authenticator up here)."""
    return session_passed_second_factor(request, request.user)


def session_passed_second_factor(holder, user) -> bool:
    """`second_factor_passed` for anything with a `session` (a request, a socket's scope)."""
    from allauth.account.authentication import get_authentication_records

    records = get_authentication_records(holder, user)
    return any(record.get("method") == "mfa" for record in records)


def restrict_without_second_factor(holder, user, *, can_give_one: bool = True):
    """Make `user` an ordinary member for this request when its account needs a second factor
    (`needs_second_factor`) that this session (`holder.session`) has not given; returns `user`.

    `can_give_one=False` for credentials that never carry a second factor (API tokens): such an
    account is always restricted there."""
    if not settings.STAFF_REQUIRE_2FA or not getattr(user, "is_authenticated", False):
        return user
    if not needs_second_factor(user):
        return user
    if can_give_one and session_passed_second_factor(holder, user):
        return user
    restrict(user)
    return user


def second_factor_response(request: HttpRequest) -> HttpResponse | None:
    """None when this session passed a second factor; otherwise where to send the member."""
    if second_factor_passed(request):
        return None
    if not has_authenticator(request.user):
        messages.warning(
            request,
            _("Staff accounts must use two-factor login. Set it up to continue."),
        )
        url = reverse("mfa_activate_totp")
        return HttpResponseRedirect(
            f"{url}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}"
        )
    from allauth.account.internal.flows.reauthentication import suspend_request

    messages.info(
        request,
        _("To open this page, enter a code from your authenticator app."),
    )
    # Keeps the address (and a POST's data) so that the member lands where they were going.
    return suspend_request(request, reverse("mfa_reauthenticate"))


def second_factor_would_open(
    request: HttpRequest, check: Callable[[Any], bool]
) -> HttpResponse | None:
    """For a request restricted for want of its second factor (`core.privilege`): when
    `check(user)` would be true once the account holds its privileges, the response that asks
    for the second factor (set-up or code prompt); otherwise None (the caller answers as to any
    member). For pages whose privileged readers were always sent to the prompt: a protected
    profile, a private file read through a permission."""
    from .privilege import is_restricted, lifted

    user = request.user
    if not is_restricted(user):
        return None
    with lifted(user):
        allowed = check(user)
    return second_factor_response(request) if allowed else None


def privileged_access_response(request: HttpRequest, permission: str) -> HttpResponse | None:
    """None when the request may go on to a view that needs `permission`; otherwise the response
    (log-in page, 403, second-factor set-up or code prompt)."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    # What the account holds, not what this request holds: without the second factor it holds
    # no privilege (`core.privilege`), and is asked for the code rather than refused.
    if not unrestricted_has_perm(user, permission):
        raise PermissionDenied
    if not settings.STAFF_REQUIRE_2FA:
        return None
    response = second_factor_response(request)
    if response is not None:
        return response
    if not authenticator_confirmed(user):
        # Set up while a plain member, with nobody vouching for it: confirm it once.
        messages.warning(
            request,
            _(
                "Your authenticator app was set up before your account could reach the admin. "
                "Confirm it to continue."
            ),
        )
        url = reverse("mfa_activate_totp")
        return HttpResponseRedirect(
            f"{url}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}"
        )
    return None


def privileged(
    permission: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorator for a function view: needs `permission` and a second factor in this session."""
    register_privileged_permission(permission)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = privileged_access_response(request, permission)
            if response is not None:
                return response
            return view(request, *args, **kwargs)

        return guarded

    return decorator


def second_factor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For pages that manage a second factor (recovery codes, turning the app off): a session
    that has not given one cannot read or change them, whatever its password says."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_authenticated and has_authenticator(user):
            response = second_factor_response(request)
            if response is not None:
                return response
        return view(request, *args, **kwargs)

    return guarded


class PrivilegedViewMixin:
    """For class-based views: set `required_permission`; dispatch runs only for members who hold
    it and passed a second factor in this session."""

    required_permission: str = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.required_permission:
            register_privileged_permission(cls.required_permission)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.required_permission:
            raise ValueError(f"{type(self).__name__} must set required_permission")
        response = privileged_access_response(request, self.required_permission)
        if response is not None:
            return response
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
