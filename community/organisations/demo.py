"""Demo organisations: twelve of every type, some verified, one pending with evidence.

Idempotent: organisations are found by slug and updated in place; the demo members (from the
members loader, which runs first) become their admins and members. The pending organisation
gets a small PDF as evidence, stored privately like any upload.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.files.base import ContentFile
from django.utils import timezone

from core.emails import canonical_email
from core.models import Topic, User

from .models import (
    Membership,
    Organisation,
    RequestStatus,
    Role,
    Verification,
    VerificationRequest,
)

V, P, N = Verification.VERIFIED, Verification.PENDING, Verification.NONE

# slug, name, type, countries, topic slugs, verification, admin, members
DEMO_ORGANISATIONS = [
    ("senegalese-health-network", "Senegalese Diaspora Health Network", "diaspora", ["SN", "FR"],
     ["health", "skills-transfer"], V, "aissatou", ["amara", "farah"]),
    ("ghana-diaspora-affairs", "Office of Diaspora Affairs, Ghana", "government", ["GH"],
     ["diaspora-engagement", "diaspora-institutions"], V, "kwame", ["oluwaseun"]),
    ("migration-cooperation-forum", "International Migration Cooperation Forum", "international",
     ["CH", "KE", "PH"], ["labour-migration", "migrant-protection"], V, "lucia", ["ravi"]),
    ("vietnam-returnee-tech", "Vietnam Returnee Tech Collective", "diaspora", ["VN", "DE"],
     ["return-and-reintegration", "digital-inclusion"], P, "nguyen", ["sofia"]),
    ("mena-women-founders", "MENA Women Founders Circle", "ngo", ["EG", "JO", "GB"],
     ["womens-entrepreneurship"], V, "rania", ["youssef"]),
    ("naija-remit-cooperative", "Naija Remit Cooperative", "company", ["NG", "GB"],
     ["remittances", "financial-literacy"], N, "oluwaseun", []),
    ("andean-scholars", "Andean Diaspora Scholars", "academic", ["PE", "CO", "ES"],
     ["knowledge-networks", "recognition-of-qualifications"], V, "marisol", ["camila"]),
    ("afghan-youth-alliance", "Afghan Diaspora Youth Alliance", "diaspora", ["AF", "DE"],
     ["youth", "inclusion-and-well-being"], N, "hamid", []),
    ("horn-crisis-relief", "Horn of Africa Crisis Relief", "ngo", ["ET", "SO", "US"],
     ["crisis-response", "philanthropy"], V, "tesfaye", ["amara"]),
    ("latam-diaspora-bonds", "LatAm Diaspora Bonds Initiative", "company", ["MX", "BR"],
     ["diaspora-bonds", "diaspora-investment"], N, "camila", []),
    ("maghreb-consular-watch", "Maghreb Consular Rights Watch", "ngo", ["MA", "TN", "FR"],
     ["consular-services", "citizenship-and-rights"], N, "youssef", ["farah"]),
    ("south-asia-diaspora-map", "South Asia Diaspora Mapping Lab", "academic", ["IN", "BD", "CA"],
     ["diaspora-mapping"], V, "ravi", ["sofia"]),
]  # fmt: skip

_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _user(local: str) -> User | None:
    return User.objects.filter(
        email_canonical=canonical_email(f"{local}@members.example.org")
    ).first()


def load(progress: Callable[[str], None]) -> str:
    made = 0
    for slug, name, kind, countries, topics, state, admin, members in DEMO_ORGANISATIONS:
        organisation, created = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "type": kind}
        )
        made += created
        organisation.name = name
        organisation.type = kind
        organisation.countries = countries
        organisation.description = (
            f"<p>{name} brings people together across borders. Write to us to take part.</p>"
        )
        organisation.website = f"https://example.org/{slug}"
        organisation.contact_email = f"contact@{slug}.example.org"
        organisation.verification = state
        organisation.verified_at = timezone.now() if state == V else None
        organisation.save()
        organisation.topics.set(Topic.objects.filter(slug__in=topics))
        for local, role in [(admin, Role.ADMIN), *((m, Role.MEMBER) for m in members)]:
            user = _user(local)
            if user is not None:
                Membership.objects.update_or_create(
                    organisation=organisation, user=user, defaults={"role": role}
                )
        if state in (V, P) and not organisation.verification_requests.exists():
            request = VerificationRequest(
                organisation=organisation,
                requested_by=_user(admin),
                registration_number=f"REG-{sum(map(ord, slug)) * 37 % 100000:05d}",
                email_domain=f"{slug}.example.org",
                status=RequestStatus.APPROVED if state == V else RequestStatus.PENDING,
                decided_at=timezone.now() if state == V else None,
            )
            if state == P:
                request.document.save("registration-certificate.pdf", ContentFile(_PDF), save=False)
            request.save()
        progress(slug)
    verified = sum(1 for item in DEMO_ORGANISATIONS if item[5] == V)
    return f"{len(DEMO_ORGANISATIONS)} organisations ({made} new, {verified} verified, 1 pending)"
