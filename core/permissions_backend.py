"""A signed-in user's permissions read with the user's own row: no query of their own.

What apps declare in `core.registries.signed_in_user_columns` (the member's time zone) comes
with that row too.

Every signed-in page asks at least one permission question before its own content (Wagtail's
user bar asks whether the reader may open the admin; later, the menu asks for roles). Django's
ModelBackend answers the first question with two queries (the user's own permissions, then
their groups'). `install()` makes the backends' `get_user` (Django's and allauth's, which the
session names) read the user with all their permission names in one query, and fill the
per-request cache (`user._perm_cache`) that Django's and allauth's backends read, so they ask
nothing more. The permissions are read afresh with the user on every request, exactly as the
lazy cache was filled on the first question: a permission granted or taken away shows at the
next request. `PermissionBackend`, listed first in AUTHENTICATION_BACKENDS, still loads them in
one query for a user read otherwise (`User.objects.get`); it authenticates nobody: log-in stays
with the backends after it.
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.expressions import RawSQL

from .compiled_queries import CompiledQueries
from .registries import signed_in_user_columns


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


@cache
def _permission_names_sql() -> str:
    """The `app_label.codename` of each permission of the user row being read, own or through
    a group, as an array (written out: the ORM would spend more composing it than it saves)."""
    user_model = get_user_model()
    own = user_model.user_permissions.through._meta
    groups = user_model.groups.through._meta
    table = user_model._meta.db_table
    return (  # noqa: S608 - table and column names from the models' _meta
        "ARRAY(SELECT ct.app_label || '.' || p.codename FROM {permission} p "
        "JOIN {content_type} ct ON ct.id = p.content_type_id "
        "WHERE p.id IN (SELECT permission_id FROM {own} WHERE {own_user} = {table}.id) "
        "OR p.id IN (SELECT gp.permission_id FROM {group_permission} gp "
        "JOIN {groups} ug ON ug.{groups_group} = gp.group_id WHERE ug.{groups_user} = {table}.id))"
    ).format(
        permission=Permission._meta.db_table,
        content_type=Permission._meta.get_field("content_type").related_model._meta.db_table,
        own=own.db_table,
        own_user=own.get_field("user").column,
        group_permission=Group.permissions.through._meta.db_table,
        groups=groups.db_table,
        groups_group=groups.get_field("group").column,
        groups_user=groups.get_field("user").column,
        table=f'"{table}"',
    )


def permission_names():
    """An annotation: the permission names of the user row in the query (its own table, or
    joined by `select_related("user")`). Set them with `keep_permissions`."""
    return RawSQL(_permission_names_sql(), ())  # noqa: S611 - no value in it


def keep_permissions(user, names) -> None:
    """Fill the per-request cache Django's backends read, from `permission_names()`."""
    if not user.is_superuser:
        # A superuser's are every permission, which get_all_permissions reads when asked.
        user._perm_cache = set(names)


# The user's query, the first of every signed-in request, compiled once per process.
_compiled = CompiledQueries("signed-in users", max_entries=4)
# The values each set of declared columns' SQL takes (an `Exists` takes a 1), in order.
_column_values: dict[tuple, list] = {}


def _values_of(user_model, columns: dict) -> list:
    """What the declared columns' SQL takes, worked out once per process by compiling each
    column alone (its values, then the `pk` filter's own)."""
    key = (user_model, tuple(columns))
    found = _column_values.get(key)
    if found is None:
        found = []
        for name, column in columns.items():
            probe = user_model._default_manager.annotate(**{name: column.expression()})
            _sql, params = probe.filter(pk=0).query.sql_with_params()
            found.extend(params[:-1])
        _column_values[key] = found
    return found


def _user_with_permissions(backend: ModelBackend, user_id):
    """`ModelBackend.get_user`, with the user's permission names read in the same query."""
    user_model = get_user_model()
    try:
        # Typed as the SQL takes it (a session holds it as text), so the kept SQL fits.
        user_id = user_model._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    columns = {column.key: column for column in signed_in_user_columns}

    def queryset():
        extra = {key: column.expression() for key, column in columns.items()}
        users = user_model._default_manager.annotate(permission_names=permission_names(), **extra)
        return users.filter(pk=user_id)

    params = [*_values_of(user_model, columns), user_id]
    found = _compiled.rows((user_model, tuple(columns)), queryset, params)
    if not found:
        return None
    user = found[0]
    keep_permissions(user, user.permission_names)
    return user if backend.user_can_authenticate(user) else None


def install() -> None:
    """Read permissions with the signed-in user (called once, from CoreConfig)."""
    ModelBackend.get_user = _user_with_permissions
