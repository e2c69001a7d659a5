"""Demo members: profiles across many countries of origin, varied visibility, one protected.

Idempotent: members are found by e-mail and their profiles updated in place. The accounts have
no usable password (they exist to be seen, not to sign in), except the kernel's demo member
(member@example.org), who gets a listed profile to edit.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import Group

from core.emails import canonical_email
from core.models import User
from core.roles import MEMBER

from .models import Profile

M, P, X = "members", "public", "private"

# email local part, first, last, headline, origins, residence, city, skills, languages,
# open to, visibility overrides, protected
DEMO_MEMBERS = [
    (
        "aissatou",
        "Aïssatou",
        "Ndiaye",
        "Public health epidemiologist",
        ["SN"],
        "FR",
        "Lyon",
        ["epidemiology", "public health", "data analysis"],
        [("fr", "native"), ("wo", "native"), ("en", "fluent")],
        ["mentoring", "speaking"],
        {"countries_of_origin": P},
        False,
    ),
    (
        "kwame",
        "Kwame",
        "Mensah",
        "Fintech founder, remittance payments",
        ["GH"],
        "GB",
        "London",
        ["fintech", "remittances", "product management"],
        [("en", "native")],
        ["investing", "mentoring"],
        {"open_to": P},
        False,
    ),
    (
        "lucia",
        "Lucía",
        "Quispe",
        "Agronomist, water management",
        ["PE"],
        "ES",
        "Madrid",
        ["agronomy", "irrigation"],
        [("es", "native"), ("en", "basic")],
        ["volunteering"],
        {},
        False,
    ),
    (
        "nguyen",
        "Minh",
        "Nguyen",
        "Software engineer",
        ["VN"],
        "DE",
        "Berlin",
        ["python", "data analysis", "machine learning"],
        [("vi", "native"), ("de", "fluent"), ("en", "fluent")],
        ["mentoring"],
        {"city": P, "links": P},
        False,
    ),
    (
        "rania",
        "Rania",
        "Saleh",
        "Civil engineer, reconstruction projects",
        ["SY"],
        "TR",
        "Gaziantep",
        ["civil engineering", "project management"],
        [("ar", "native"), ("tr", "conversational")],
        ["volunteering", "speaking"],
        {},
        False,
    ),
    (
        "oluwaseun",
        "Oluwaseun",
        "Adeyemi",
        "Film producer",
        ["NG"],
        "US",
        "Atlanta",
        ["film", "storytelling"],
        [("yo", "native"), ("en", "native")],
        ["speaking"],
        {"bio": P},
        False,
    ),
    (
        "marisol",
        "Marisol",
        "Reyes",
        "Nurse and community organiser",
        ["PH"],
        "CA",
        "Toronto",
        ["nursing", "community organising"],
        [("tl", "native"), ("en", "fluent")],
        ["volunteering"],
        {"headline": M},
        False,
    ),
    (
        "hamid",
        "Hamid",
        "Rahimi",
        "Journalist",
        ["AF"],
        "FR",
        "Paris",
        ["journalism", "translation"],
        [("ps", "native"), ("fa", "fluent"), ("fr", "fluent")],
        [],
        {},
        True,
    ),
    (
        "amara",
        "Amara",
        "Kone",
        "Microfinance adviser",
        ["CI", "ML"],
        "BE",
        "Brussels",
        ["microfinance", "financial literacy"],
        [("fr", "native")],
        ["mentoring", "investing"],
        {"skills": M},
        False,
    ),
    (
        "tesfaye",
        "Tesfaye",
        "Bekele",
        "Teacher and curriculum designer",
        ["ET"],
        "SE",
        "Uppsala",
        ["education", "curriculum design"],
        [("am", "native"), ("en", "fluent")],
        ["volunteering", "mentoring"],
        {"languages": X},
        False,
    ),
    (
        "camila",
        "Camila",
        "Rojas",
        "Architect",
        ["CO"],
        "MX",
        "Mexico City",
        ["architecture", "urban planning"],
        [("es", "native")],
        ["speaking"],
        {},
        False,
    ),
    (
        "farah",
        "Farah",
        "Haddad",
        "Lawyer, migrants' rights",
        ["LB"],
        "CA",
        "Montreal",
        ["law", "migration policy"],
        [("ar", "native"), ("fr", "fluent"), ("en", "fluent")],
        ["mentoring"],
        {"countries_of_origin": P, "country_of_residence": P},
        False,
    ),
    (
        "ravi",
        "Ravi",
        "Sharma",
        "Cardiologist",
        ["IN"],
        "GB",
        "Leeds",
        ["medicine", "public health"],
        [("hi", "native"), ("en", "fluent")],
        ["mentoring"],
        {},
        False,
    ),
    (
        "sofia",
        "Sofía",
        "Benítez",
        "Tourism entrepreneur",
        ["PY"],
        "AR",
        "Buenos Aires",
        ["tourism", "marketing"],
        [("es", "native"), ("en", "conversational")],
        ["investing"],
        {},
        False,
    ),
    (
        "youssef",
        "Youssef",
        "Amrani",
        "Renewable energy engineer",
        ["MA"],
        "NL",
        "Rotterdam",
        ["solar energy", "engineering"],
        [("ar", "native"), ("fr", "fluent"), ("nl", "basic")],
        ["investing", "speaking"],
        {"time_zone": M},
        False,
    ),
]
TIME_ZONES = {
    "FR": "Europe/Paris", "GB": "Europe/London", "ES": "Europe/Madrid", "DE": "Europe/Berlin",
    "TR": "Europe/Istanbul", "US": "America/New_York", "CA": "America/Toronto",
    "BE": "Europe/Brussels", "SE": "Europe/Stockholm", "MX": "America/Mexico_City",
    "AR": "America/Argentina/Buenos_Aires", "NL": "Europe/Amsterdam",
}  # fmt: skip


def load(progress: Callable[[str], None]) -> str:
    member_group = Group.objects.get(name=MEMBER)
    created = 0
    for (local, first, last, headline, origins, residence, city, skills, languages, open_to,
         overrides, protected) in DEMO_MEMBERS:  # fmt: skip
        email = f"{local}@members.example.org"
        user = User.objects.filter(email_canonical=canonical_email(email)).first()
        if user is None:
            user = User.objects.create_user(email=email, first_name=first, last_name=last)
            user.set_unusable_password()
            user.save()
            created += 1
        user.groups.add(member_group)
        profile = Profile.for_user(user)
        profile.display_name = f"{first} {last}"
        profile.headline = headline
        profile.bio = f"<p>{headline}. Happy to connect with the diaspora network.</p>"
        profile.countries_of_origin = origins
        profile.country_of_residence = residence
        profile.city = city
        profile.time_zone = TIME_ZONES.get(residence, "")
        profile.languages = [{"code": code, "level": level} for code, level in languages]
        profile.open_to = open_to
        profile.links = [f"https://example.org/{local}"]
        profile.in_directory = True
        profile.protected = protected
        for field, audience in overrides.items():
            setattr(profile, f"{field}_visibility", audience)
        profile.save()
        profile.skills.set(skills)
        progress(email)
    jean = User.objects.filter(email_canonical=canonical_email("member@example.org")).first()
    if jean is not None:
        profile = Profile.for_user(jean)
        profile.headline = profile.headline or "Diaspora investment adviser"
        profile.countries_of_origin = profile.countries_of_origin or ["CD"]
        profile.country_of_residence = profile.country_of_residence or "BE"
        profile.in_directory = True
        profile.save()
        profile.skills.add("investment", "financial literacy")
    total = len(DEMO_MEMBERS) + (jean is not None)
    return f"{total} member profiles ({created} new accounts, 1 protected)"
