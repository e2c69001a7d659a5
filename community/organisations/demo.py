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

# What each organisation says about itself, in the language it works in.
DESCRIPTIONS = {
    "senegalese-health-network": (
        "<p>Réseau de médecins, infirmières et chercheurs sénégalais de la diaspora, fondé à "
        "Lyon en 2014. Nous organisons des missions d'enseignement courtes dans les hôpitaux "
        "régionaux de Kaolack, Ziguinchor et Tambacounda, et des téléconsultations mensuelles."
        "</p><ul><li>120 membres en France, en Belgique et au Canada</li>"
        "<li>Partenariat avec le ministère de la Santé et de l'Action sociale</li></ul>"
    ),
    "ghana-diaspora-affairs": (
        "<p>The Office of Diaspora Affairs at the Office of the President connects Ghanaians "
        "abroad with investment, skills and citizenship services at home. It runs the "
        "diaspora investment desk, the dual-citizenship help line and the annual homecoming "
        "summit in Accra.</p>"
    ),
    "migration-cooperation-forum": (
        "<p>An intergovernmental forum where countries of origin and destination share "
        "practice on fair recruitment, migrant protection and skills partnerships. Based in "
        "Geneva, with regional offices in Nairobi and Manila.</p>"
    ),
    "vietnam-returnee-tech": (
        "<p>A collective of Vietnamese engineers who studied or worked in Germany and returned "
        "to Ho Chi Minh City and Hanoi. We mentor returnees through their first year back and "
        "run a job board with 40 partner companies.</p>"
    ),
    "mena-women-founders": (
        "<p>دائرة لرائدات الأعمال من الشرق الأوسط وشمال أفريقيا في المهجر. نقدّم الإرشاد "
        "والتدريب ومنحاً صغيرة للمشاريع الناشئة التي تقودها نساء في مصر والأردن ولبنان.</p>"
        "<p>A circle of women entrepreneurs from the Middle East and North Africa abroad: "
        "mentoring, training and small grants for women-led start-ups.</p>"
    ),
    "naija-remit-cooperative": (
        "<p>A member-owned cooperative of Nigerian professionals in the UK that pools savings "
        "to cut remittance costs and co-invest in small businesses in Lagos and Enugu.</p>"
    ),
    "andean-scholars": (
        "<p>Red de investigadoras e investigadores peruanos, colombianos y ecuatorianos en "
        "universidades europeas. Ofrecemos becas cortas de investigación, ayudamos a "
        "convalidar títulos y organizamos un congreso anual en Lima o Bogotá.</p>"
    ),
    "afghan-youth-alliance": (
        "<p>Led by young Afghans in Germany, the alliance runs leadership training, homework "
        "clubs and mental-health peer groups for newly arrived youth.</p>"
    ),
    "horn-crisis-relief": (
        "<p>Ethiopian, Somali and Eritrean professionals in North America raising and "
        "delivering emergency aid during droughts and floods in the Horn of Africa, with "
        "local partners who report every shipment publicly.</p>"
    ),
    "latam-diaspora-bonds": (
        "<p>A small advisory firm helping Latin American governments and development banks "
        "design diaspora bonds that migrants in the United States can buy from $100.</p>"
    ),
    "maghreb-consular-watch": (
        "<p>Association de juristes et de bénévoles qui suivent l'accès aux services "
        "consulaires des Marocains, Algériens et Tunisiens de France : délais, frais, "
        "permanences juridiques gratuites.</p>"
    ),
    "south-asia-diaspora-map": (
        "<p>A research lab at a Canadian university mapping where South Asian diasporas live, "
        "work and send money, with open data for governments and community groups.</p>"
    ),
}

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
        organisation.description = DESCRIPTIONS[slug]
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
