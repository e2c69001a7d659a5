"""Creates the four global roles and the database cache tables.

Wagtail's initial data makes "Editors" (draft and submit) and "Moderators" (publish, approve in
the default review workflow) groups; they become our Editor and Moderator roles, keeping their
page, image and document permissions and the workflow task that points at them. Member has no
admin access. Administrator gets what Moderator has plus user and group management.
"""

from django.core.management import call_command
from django.db import migrations

PAGE_PERMISSIONS = ("add", "change", "publish", "lock", "unlock", "bulk_delete")


def _permission(apps, app_label: str, model: str, codename: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename}
    )
    return permission


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    for old, new in (("Editors", "Editor"), ("Moderators", "Moderator")):
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)
    member, _ = Group.objects.get_or_create(name="Member")
    editor, _ = Group.objects.get_or_create(name="Editor")
    moderator, _ = Group.objects.get_or_create(name="Moderator")
    administrator, _ = Group.objects.get_or_create(name="Administrator")

    access_admin = _permission(apps, "wagtailadmin", "admin", "access_admin")
    for group in (editor, moderator, administrator):
        group.permissions.add(access_admin)
    for model in ("user", "group"):
        for action in ("add", "change", "delete", "view"):
            app_label = "core" if model == "user" else "auth"
            administrator.permissions.add(_permission(apps, app_label, model, f"{action}_{model}"))

    for permission in GroupPagePermission.objects.filter(group=moderator):
        GroupPagePermission.objects.get_or_create(
            group=administrator, page=permission.page, permission=permission.permission
        )
    for permission in GroupCollectionPermission.objects.filter(group=moderator):
        GroupCollectionPermission.objects.get_or_create(
            group=administrator, collection=permission.collection, permission=permission.permission
        )


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop),
    ]
