"""Moderators and administrators moderate community content (reports, hide, restore).

A permission of its own, distinct from publishing Wagtail pages: editors publish, moderators
judge members' content. Created here rather than left to post_migrate, so that every database
(and the test template) has it on the groups as soon as it is migrated.
"""

from django.db import migrations

GROUPS = ("Moderator", "Administrator")


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="moderation", model="report")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="moderate_community",
        defaults={"name": "Can moderate community content (reports, hide and restore)"},
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="moderation", codename="moderate_community"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("core", "0002_roles_and_cache_tables"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
