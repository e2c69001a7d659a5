"""A request without its second factor holds no privileged permission, wherever it is asked.

`core.guards` makes privileged *views* ask for a second factor. But visibility is decided far
from those views: forums hide threads from members and show them to moderators, opportunities
held for review, drafts, protected profiles, the API's querysets and the live streams all ask
`user.has_perm(...)`, `is_staff`, `is_superuser`, Wagtail's page permissions or group
membership. A password alone (stolen, or a session that never gave its code) must not open any
of that. So the user of such a request is *restricted*, once, where it is loaded
(`core.middleware.SecondFactorPrivilegeMiddleware` for pages, `core.api_tokens` for tokens,
`core.consumers` for sockets), and everything that asks afterwards gets an ordinary member's
answer without knowing about it:

- `has_perm`, `has_perms`, `has_module_perms`, `get_all_permissions` (Django's and allauth's
  backends read `_perm_cache`): the account's permissions that the Member role also holds,
  nothing else (in practice none: members hold no model permission);
- `is_superuser` and `is_staff` read False;
- Wagtail's page, collection and site permissions (its policies cache them on the user) and
  group membership (`user.groups`, which page view restrictions "for groups" read): those of the
  Member role only.

The rule is "drop everything an ordinary member does not have", not a list of privileged
permissions: an editor's image permissions, a moderator's `moderation.*`, an administrator's
user management and whatever an administrator grants a custom group later all go, with nothing
to keep up to date. Memberships are not permissions: an organisation's admin stays its admin.

What the account *would* hold once the second factor is given stays readable, for the questions
that are about the account rather than this request: whether it must use a second factor
(`core.guards.needs_second_factor`), whether a guarded view sends it to the code prompt rather
than a 403 (`core.guards.privileged_access_response`), `unrestricted_has_perm`, `lifted`.
Saving a restricted user writes its real flags, never the restricted ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .memo import ProcessMemo

# Where a restricted user keeps what it holds without the restriction.
UNRESTRICTED_ATTR = "_unrestricted"
# The caches Wagtail's permission policies keep on the user (page, collection, site) and the
# one of its page explorer, which the restriction replaces and `lifted` puts back.
_WAGTAIL_CACHES = (
    "_page_permission_cache",
    "_collection_permission_cache",
    "_site_permission_cache",
    "_explorable_root_page_cache",
)
_PERMISSION_CACHES = ("_perm_cache", "_user_perm_cache", "_group_perm_cache")
_MISSING = object()

# The Member role's permissions: the same for everyone, changed by a migration or an
# administrator; a restricted request re-reads them at most every 30 seconds per process.
_member_permissions: ProcessMemo[frozenset[str]] = ProcessMemo("member-permissions", ttl=30)


@dataclass
class Unrestricted:
    """What a restricted user holds once the second factor is given."""

    is_superuser: bool
    is_staff: bool
    permissions: frozenset[str] | None  # None: a superuser's, every permission
    saved: dict[str, Any]  # the restricted user's caches as they were before the restriction


def member_permissions() -> frozenset[str]:
    """The permissions of the Member role, which every account gets on sign-up."""
    from django.contrib.auth.models import Permission

    from .roles import MEMBER

    def read() -> frozenset[str]:
        rows = Permission.objects.filter(group__name=MEMBER).values_list(
            "content_type__app_label", "codename"
        )
        return frozenset(f"{app_label}.{codename}" for app_label, codename in rows)

    return _member_permissions.get("member", read)


def is_restricted(user) -> bool:
    return unrestricted(user) is not None


def unrestricted(user) -> Unrestricted | None:
    """The restricted user's real flags and permissions; None for a user who is not restricted."""
    return getattr(user, UNRESTRICTED_ATTR, None)


def _target(user):
    """The user object itself, under Django's lazy wrappers (`request.user`, a socket's scope)."""
    from django.utils.functional import LazyObject, empty

    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        return user._wrapped
    return user


def _own_permissions(user) -> frozenset[str] | None:
    """The permissions the account holds (None: a superuser's, all of them)."""
    if user.is_superuser:
        return None
    return frozenset(user.get_all_permissions())


def restrict(user) -> None:
    """Make `user` (this request's object, in place) answer as an ordinary member."""
    if is_restricted(user) or not getattr(user, "is_authenticated", False):
        return
    user = _target(user)
    from django.contrib.auth.models import Group

    from wagtail.models import GroupCollectionPermission, GroupPagePermission, GroupSitePermission

    from .roles import MEMBER

    permissions = _own_permissions(user)
    kept = member_permissions() if permissions is None else permissions & member_permissions()
    saved = {
        name: getattr(user, name, _MISSING) for name in (*_PERMISSION_CACHES, *_WAGTAIL_CACHES)
    }
    prefetched = getattr(user, "_prefetched_objects_cache", None) or {}
    saved["groups"] = prefetched.get("groups", _MISSING)
    real = Unrestricted(user.is_superuser, user.is_staff, permissions, saved)
    user.__dict__[UNRESTRICTED_ATTR] = real
    _apply(user, kept, member_groups=Group.objects.filter(user=user.pk, name=MEMBER))
    # Wagtail's policies read these instead of querying when present: the Member role's only
    # (lazy: no query unless a policy asks).
    user.__dict__["_page_permission_cache"] = GroupPagePermission.objects.filter(
        group__user=user.pk, group__name=MEMBER
    ).select_related("page", "permission")
    user.__dict__["_collection_permission_cache"] = GroupCollectionPermission.objects.filter(
        group__user=user.pk, group__name=MEMBER
    ).select_related("permission", "collection")
    user.__dict__["_site_permission_cache"] = GroupSitePermission.objects.filter(
        group__user=user.pk, group__name=MEMBER
    ).select_related("permission")
    user.__dict__.pop("_explorable_root_page_cache", None)


def _apply(user, kept: frozenset[str], member_groups) -> None:
    user.is_superuser = False
    user.is_staff = False
    user._perm_cache = set(kept)
    user._user_perm_cache = set()
    user._group_perm_cache = set(kept)
    # `user.groups.all()` reads a prefetched list when there is one: only the Member role shows.
    if not hasattr(user, "_prefetched_objects_cache"):
        user._prefetched_objects_cache = {}
    user._prefetched_objects_cache["groups"] = member_groups


def _put_back(user, real: Unrestricted) -> None:
    user.is_superuser = real.is_superuser
    user.is_staff = real.is_staff
    for name, value in real.saved.items():
        if name == "groups":
            cache = getattr(user, "_prefetched_objects_cache", {})
            if value is _MISSING:
                cache.pop("groups", None)
            else:
                cache["groups"] = value
        elif value is _MISSING:
            user.__dict__.pop(name, None)
        else:
            user.__dict__[name] = value


@contextmanager
def lifted(user) -> Iterator[Any]:
    """Within the block, `user` answers with what it would hold after the second factor: for
    deciding whether to ask for it ("would this reader see it?"), never for showing anything."""
    real = unrestricted(user)
    if real is None:
        yield user
        return
    target = _target(user)
    restricted = {
        name: target.__dict__.get(name, _MISSING)
        for name in (*_PERMISSION_CACHES, *_WAGTAIL_CACHES)
    }
    restricted_groups = target._prefetched_objects_cache.get("groups", _MISSING)
    del target.__dict__[UNRESTRICTED_ATTR]
    _put_back(target, real)
    try:
        yield user
    finally:
        for name in _WAGTAIL_CACHES:
            target.__dict__.pop(name, None)
        for name, value in restricted.items():
            if value is not _MISSING:
                target.__dict__[name] = value
        target.is_superuser = False
        target.is_staff = False
        cache = target.__dict__.setdefault("_prefetched_objects_cache", {})
        if restricted_groups is not _MISSING:
            cache["groups"] = restricted_groups
        target.__dict__[UNRESTRICTED_ATTR] = real


@contextmanager
def real_flags_for_saving(user) -> Iterator[None]:
    """While the account row is written: its real `is_superuser` and `is_staff`."""
    real = unrestricted(user)
    if real is None:
        yield
        return
    user = _target(user)
    user.is_superuser, user.is_staff = real.is_superuser, real.is_staff
    try:
        yield
    finally:
        user.is_superuser = user.is_staff = False


def restricted_again(user, fields=None) -> None:
    """After the row was read again (`refresh_from_db`): the flags it read are the real ones."""
    real = unrestricted(user)
    if real is None:
        return
    for name in ("is_superuser", "is_staff"):
        if fields is None or name in fields:
            setattr(real, name, getattr(user, name))
            setattr(user, name, False)


def unrestricted_has_perm(user, permission: str) -> bool:
    """Whether the account holds `permission` (through the second factor, if this request has
    not given it)."""
    real = unrestricted(user)
    if real is None:
        return user.has_perm(permission)
    if not user.is_active:
        return False
    return real.permissions is None or permission in real.permissions


def unrestricted_flag(user, name: str) -> bool:
    """The account's real `is_superuser` or `is_staff`, restricted or not."""
    real = unrestricted(user)
    return bool(getattr(real if real is not None else user, name, False))
