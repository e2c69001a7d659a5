"""The global roles, as Django groups created by a migration.

Organisation admin is not here: it is a role per organisation, owned by the community apps.
"""

from __future__ import annotations

MEMBER = "Member"
EDITOR = "Editor"
MODERATOR = "Moderator"
ADMINISTRATOR = "Administrator"
ALL_ROLES = (MEMBER, EDITOR, MODERATOR, ADMINISTRATOR)


def is_staff_member(user) -> bool:
    """Whether a user holds a role that reaches the admin (and so must use two factors)."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.groups.filter(name__in=(EDITOR, MODERATOR, ADMINISTRATOR)).exists()
