"""Moderators and administrators may verify organisations.

The permission is created here rather than left to post_migrate, so that every database (and
the test template) has it on the groups as soon as it is migrated.
"""

from django.db import migrations

GROUPS = ("Moderator", "Administrator")


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="organisations", model="organisation"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="verify_organisation",
        defaults={"name": "Can verify organisations (moderation)"},
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="organisations", codename="verify_organisation"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("core", "0002_roles_and_cache_tables"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
