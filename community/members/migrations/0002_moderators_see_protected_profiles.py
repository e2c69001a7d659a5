"""Moderators and administrators may open protected profiles (to act on a report about one).

The permission is created here rather than left to post_migrate, so that every database (and
the test template) has it on the groups as soon as it is migrated.
"""

from django.db import migrations

from core.permission_migrations import grant_to_roles


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("core", "0002_roles_and_cache_tables"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        grant_to_roles("members", "profile", "view_protected_profile", "Can see protected profiles (moderation)"),
    ]
