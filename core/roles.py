"""The global roles, as Django groups created by a migration.

Organisation admin is not here: it is a role per organisation, owned by the community apps.
Who reaches the admin is a matter of permissions, not of these names: an administrator may
create other groups (say "Translators") that hold `wagtailadmin.access_admin`.
"""

from __future__ import annotations

MEMBER = "Member"
EDITOR = "Editor"
MODERATOR = "Moderator"
ADMINISTRATOR = "Administrator"
ALL_ROLES = (MEMBER, EDITOR, MODERATOR, ADMINISTRATOR)

# The permission that opens the Wagtail admin, through any group or granted directly.
ADMIN_PERMISSION = "wagtailadmin.access_admin"


def is_staff_member(user) -> bool:
    """Whether a user can reach an admin (and so must use two factors): superusers, `is_staff`,
    and whoever holds the admin permission, whatever their groups are called.

    A question about the account: a request that has not given its second factor yet, and so
    holds no privilege (`core.privilege`), still gets the account's answer."""
    from .privilege import unrestricted_flag, unrestricted_has_perm

    if not user.is_authenticated or not user.is_active:
        return False
    return (
        unrestricted_flag(user, "is_superuser")
        or unrestricted_flag(user, "is_staff")
        or unrestricted_has_perm(user, ADMIN_PERMISSION)
    )
