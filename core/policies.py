"""Which policy versions a member has still to accept, and recording that they did.

The policy texts are Wagtail pages owned by `knowledge`; it declares a provider in
`core.registries.policy_provider` so the kernel can ask for the current versions without
importing it. A new published version of a policy asks every member again.
"""

from __future__ import annotations

from django.utils import timezone

from .models import PolicyAcceptance, User
from .registries import PolicyDocument, current_policies


def pending_policies(
    user: User, policies: list[PolicyDocument] | None = None
) -> list[PolicyDocument]:
    """The current policies whose current version this user has not accepted yet."""
    policies = current_policies() if policies is None else policies
    if not policies or not user.is_authenticated:
        return []
    accepted = set(PolicyAcceptance.objects.filter(user=user).values_list("kind", "version"))
    return [p for p in policies if (p.kind, p.version) not in accepted]


def record_acceptance(user: User, policies: list[PolicyDocument]) -> None:
    now = timezone.now()
    for policy in policies:
        PolicyAcceptance.objects.get_or_create(
            user=user,
            kind=policy.kind,
            version=policy.version,
            defaults={"accepted_at": now},
        )
