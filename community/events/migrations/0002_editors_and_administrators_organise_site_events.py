"""Editors and administrators organise the site's own events.

`events.manage_site_events` was declared on the model but held by no role, so nobody but a
superuser could create or edit an event that belongs to the site rather than an organisation.
Events of the site are site content, like the pages Editors already write; Moderators keep their
own lever (hiding an event) and do not organise. Both roles reach the admin, so holders of this
permission have signed in with a second factor. Granted here rather than left to post_migrate,
so every database (and the test template) has it on the groups as soon as it is migrated.
"""

from django.db import migrations

from core.permission_migrations import grant_to_roles
from core.roles import ADMINISTRATOR, EDITOR


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("core", "0002_roles_and_cache_tables"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        grant_to_roles(
            "events",
            "event",
            "manage_site_events",
            "Can organise the site's own events",
            roles=(EDITOR, ADMINISTRATOR),
        ),
    ]
