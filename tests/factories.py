"""factory_boy factories shared by the test areas."""

from __future__ import annotations

import time

import factory
import pyotp
from allauth.account.models import EmailAddress

from django.contrib.auth.models import Group

from core.models import User

PASSWORD = "correct horse battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.net")
    first_name = factory.Faker("first_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=extracted or "Member"))
            self.save()


def accept_current_policies(user: User) -> None:
    from core.policies import record_acceptance
    from core.registries import current_policies

    record_acceptance(user, current_policies())


def give_totp(user: User, confirmed: bool = True) -> str:
    """A second factor for an account, as allauth stores it after set-up; returns its secret.

    `confirmed`: set up through the e-mailed link (so it opens the admin for staff), as
    opposed to set up freely by a member before a promotion."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from core.enrolment import confirm_authenticators

    secret = generate_totp_secret()
    authenticator = TOTP.activate(user, secret).instance
    if confirmed:
        confirm_authenticators(user, [authenticator.pk], "email")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return secret


def totp_secret(user: User) -> str:
    """The secret of the account's authenticator app, as the member's phone holds it."""
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return get_adapter().decrypt(authenticator.data["secret"])


def totp_code(user: User, offset_steps: int = 0) -> str:
    """The code the member's app shows now (or `offset_steps` 30-second steps away)."""
    return pyotp.TOTP(totp_secret(user)).at(time.time() + 30 * offset_steps)


def sign_in_with_second_factor(
    client, user: User, password: str = PASSWORD, language: str = "en"
) -> None:
    """Log `client` in as `user` through the real log-in and code forms, giving the account an
    authenticator first if it has none, so the session has passed a second factor."""
    from allauth.mfa.models import Authenticator

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        give_totp(user)
    response = client.post(
        f"/{language}/accounts/login/", {"login": user.email, "password": password}
    )
    assert response.status_code == 302, "the password was refused"
    assert "/accounts/2fa/authenticate/" in response.headers["Location"], response.headers
    # allauth refuses a code already used in its 30-second step and accepts the steps either
    # side: a second sign-in in the same step uses a neighbouring step's code.
    for offset in (0, -1, 1):
        client.post(f"/{language}/accounts/2fa/authenticate/", {"code": totp_code(user, offset)})
        if client.session.get("_auth_user_id") == str(user.pk):
            return
    raise AssertionError("the authenticator code was refused")


def force_login_with_second_factor(client, user: User) -> None:
    """`client.force_login(user)`, the session marked as allauth marks it once the member gave a
    code: for tests about what a privileged reader sees (`core.privilege`), not about signing in
    (those use `sign_in_with_second_factor`, through the real forms)."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )

    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time()},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


def signed_in_staff(role: str):
    """A new `role` account that accepted the policies, and a client signed in as it with its
    second factor (what the admin asks of staff): (user, client)."""
    from django.test import Client

    user = UserFactory(role=role)
    accept_current_policies(user)
    client = Client()
    sign_in_with_second_factor(client, user)
    return user, client


def signed_in_member():
    """A client signed in as a new member who accepted the policies."""
    from django.test import Client

    member = UserFactory(role="Member")
    accept_current_policies(member)
    client = Client()
    client.force_login(member)
    return client
