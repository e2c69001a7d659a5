"""One account per canonical e-mail address, and per lookalike of it (core.emails).

Fills the two new columns for existing accounts, rewrites `User.email` and allauth's
`EmailAddress` rows in the written form so that allauth's exact-match lookups agree with the
canonical form, then lets the database enforce uniqueness. Existing accounts whose addresses
already collide (a lookalike registered before this change) stop the migration with their ids:
an administrator must decide which account is the impostor before the constraint can hold.
"""

from django.db import migrations, models

from core.emails import canonical_email, email_skeleton, written_email


def fill_email_keys(apps, schema_editor):
    User = apps.get_model("core", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    seen: dict[tuple[str, str], int] = {}
    clashes = []
    for user in User.objects.order_by("pk"):
        user.email = written_email(user.email)
        user.email_canonical = canonical_email(user.email)
        user.email_skeleton = email_skeleton(user.email)
        for key in (("c", user.email_canonical), ("s", user.email_skeleton)):
            if key in seen:
                clashes.append((seen[key], user.pk))
            seen.setdefault(key, user.pk)
        user.save(update_fields=["email", "email_canonical", "email_skeleton"])
    if clashes:
        raise RuntimeError(
            "These accounts have the same or lookalike e-mail addresses (user ids): "
            f"{sorted(set(clashes))}. Change or delete the impostor's address, then migrate again."
        )
    for address in EmailAddress.objects.order_by("-primary", "-verified", "pk"):
        written = written_email(address.email)
        if written == address.email:
            continue
        duplicate = EmailAddress.objects.filter(user_id=address.user_id, email=written)
        if duplicate.exists():
            address.delete()  # the same address twice on one account: keep the better row
        else:
            address.email = written
            address.save(update_fields=["email"])


class Migration(migrations.Migration):
    dependencies = [
        ("account", "0009_emailaddress_unique_primary_email"),
        ("core", "0002_roles_and_cache_tables"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="user",
            name="core_user_email_ci_unique",
        ),
        migrations.AddField(
            model_name="user",
            name="email_canonical",
            field=models.CharField(default="", editable=False, max_length=320),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="user",
            name="email_skeleton",
            field=models.CharField(default="", editable=False, max_length=320),
            preserve_default=False,
        ),
        migrations.RunPython(fill_email_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                fields=("email_canonical",), name="core_user_email_canonical"
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                fields=("email_skeleton",), name="core_user_email_skeleton"
            ),
        ),
    ]
