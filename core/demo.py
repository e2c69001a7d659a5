"""The kernel's demo content: one account per role, with a password printed by the run command.

The credentials are written once to `demo-accounts.txt` in the data folder (`settings.DATA_DIR`,
`.data/` in the checkout, ignored by git) so that running the platform again prints the same ones
instead of resetting passwords.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group

from .emails import canonical_email
from .models import User
from .policies import record_acceptance
from .registries import current_policies
from .roles import ADMINISTRATOR, EDITOR, MEMBER, MODERATOR


def credentials_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-accounts.txt"


DEMO_ACCOUNTS = [
    # email, first name, last name, group, superuser
    ("admin@example.org", "Amina", "Diallo", ADMINISTRATOR, True),
    ("editor@example.org", "Lucía", "Fernández", EDITOR, False),
    ("moderator@example.org", "Karim", "Haddad", MODERATOR, False),
    ("member@example.org", "Jean", "Mbeki", MEMBER, False),
]


def _passwords(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = (line.split(" ", 1) for line in path.read_text().splitlines() if " " in line)
    return {email: password for email, password in pairs}


def load_accounts(progress: Callable[[str], None]) -> str:
    from allauth.account.models import EmailAddress

    path = credentials_file()
    known = _passwords(path)
    created = 0
    for email, first, last, group_name, superuser in DEMO_ACCOUNTS:
        user = User.objects.filter(email_canonical=canonical_email(email)).first()
        if user is None:
            password = known.get(email) or secrets.token_urlsafe(12)
            known[email] = password
            user = User.objects.create_user(
                email=email,
                password=password,
                first_name=first,
                last_name=last,
                is_staff=superuser or group_name != MEMBER,
                is_superuser=superuser,
                preferred_language=settings.LANGUAGE_CODE,
            )
            created += 1
        user.groups.add(Group.objects.get(name=group_name))
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        # Demo members are established members: they accepted the published policies.
        record_acceptance(user, current_policies())
        progress(email)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{e} {p}\n" for e, p in known.items()))
    path.chmod(0o600)
    return f"{len(DEMO_ACCOUNTS)} accounts ({created} new)"


def credentials() -> list[tuple[str, str]]:
    return list(_passwords(credentials_file()).items())
