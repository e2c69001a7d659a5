"""One SQL query for a signed-in user's permissions, instead of Django's two.

Every signed-in page asks at least one permission question before its own content (Wagtail's
user bar asks whether the reader may open the admin; later, the menu asks for roles). Django's
ModelBackend answers the first question with two queries (the user's own permissions, then
their groups'). This backend, listed first in AUTHENTICATION_BACKENDS, loads both in one and
fills the same per-request cache (`user._perm_cache`) that Django's and allauth's backends read,
so they ask nothing more. It authenticates nobody: log-in stays with the backends after it.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Q


class PermissionBackend(ModelBackend):
    """Django's model permissions, user and group permissions loaded in a single query."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        return None

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                return super().get_all_permissions(user_obj, obj)
            user_model = type(user_obj)
            own = user_model.user_permissions.through.objects.filter(user_id=user_obj.pk)
            through_groups = Group.permissions.through.objects.filter(
                group_id__in=user_model.groups.through.objects.filter(user_id=user_obj.pk).values(
                    "group_id"
                )
            )
            rows = Permission.objects.filter(
                Q(pk__in=own.values("permission_id"))
                | Q(pk__in=through_groups.values("permission_id"))
            ).values_list("content_type__app_label", "codename")
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
