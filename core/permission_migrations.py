"""One way for a data migration to give a new permission to roles, at migrate time.

Left to post_migrate, a permission appears only after every migration ran, so the groups that
should hold it would not, in a fresh database or the test template. Apps' migrations call
`grant_to_roles(...)` instead of each writing the same get-or-create and revoke code.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import migrations

from .roles import ADMINISTRATOR, MODERATOR


def grant_to_roles(
    app_label: str,
    model: str,
    codename: str,
    name: str,
    roles: Iterable[str] = (MODERATOR, ADMINISTRATOR),
) -> migrations.RunPython:
    """A reversible operation: create `app_label.codename` and add it to `roles`; remove it back."""
    roles = tuple(roles)

    def grant(apps, schema_editor) -> None:
        ContentType = apps.get_model("contenttypes", "ContentType")
        Permission = apps.get_model("auth", "Permission")
        Group = apps.get_model("auth", "Group")
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        for group in Group.objects.filter(name__in=roles):
            group.permissions.add(permission)

    def revoke(apps, schema_editor) -> None:
        Permission = apps.get_model("auth", "Permission")
        Permission.objects.filter(content_type__app_label=app_label, codename=codename).delete()

    return migrations.RunPython(grant, revoke)
