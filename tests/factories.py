"""factory_boy factories shared by the test areas."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress

from django.contrib.auth.models import Group

from core.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.net")
    first_name = factory.Faker("first_name")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

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


def give_totp(user: User) -> None:
    """A second factor for a staff account, as allauth stores it after set-up."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
