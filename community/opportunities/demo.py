"""Demo opportunities: 22 of every type across the demo organisations, in en/fr/es/ar, some
closing soon, some closed, one held for review.

Idempotent: found by title and updated in place; deadlines are set relative to now, so a fresh
load always shows every phase.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from community.organisations.models import Organisation
from core.emails import canonical_email
from core.models import Topic, User

from .models import Opportunity, Review, Status

# title, type, organisation slug (None: a member's own), poster, days to deadline, zone,
# countries, topics, mode
DEMO = [
    ("Community health coordinator", "job", "senegalese-health-network", "aissatou", 30,
     "Africa/Dakar", ["SN"], ["health"], "hybrid"),
    ("Coordinateur ou coordinatrice santé communautaire", "job", "senegalese-health-network",
     "aissatou", 4, "Europe/Paris", ["FR", "SN"], ["health"], "on_site"),
    ("Diaspora investment adviser", "job", "ghana-diaspora-affairs", "kwame", 45,
     "Africa/Accra", ["GH"], ["diaspora-investment"], "on_site"),
    ("Volunteer mentors for returning graduates", "mentoring", "ghana-diaspora-affairs",
     "kwame", 60, "Africa/Accra", ["GH"], ["skills-transfer"], "remote"),
    ("Labour migration research fellowship", "fellowship", "migration-cooperation-forum",
     "lucia", 20, "Europe/Zurich", ["CH"], ["labour-migration"], "hybrid"),
    ("Convocatoria de fondos para proyectos de protección", "funding",
     "migration-cooperation-forum", "lucia", 3, "America/Lima", ["PE", "KE"],
     ["migrant-protection"], "remote"),
    ("منحة لرائدات الأعمال في الشرق الأوسط", "funding", "mena-women-founders", "rania", 25,
     "Africa/Cairo", ["EG", "JO"], ["womens-entrepreneurship"], "remote"),
    ("إرشاد مؤسسات المشاريع الناشئة", "mentoring", "mena-women-founders", "rania", 6,
     "Asia/Amman", ["JO"], ["womens-entrepreneurship"], "remote"),
    ("Becas de investigación andina", "fellowship", "andean-scholars", "marisol", 40,
     "America/Bogota", ["CO", "PE"], ["knowledge-networks"], "on_site"),
    ("Voluntariado: reconocimiento de títulos", "volunteering", "andean-scholars", "marisol",
     -10, "Europe/Madrid", ["ES"], ["recognition-of-qualifications"], "remote"),
    ("Emergency logistics volunteers", "volunteering", "horn-crisis-relief", "tesfaye", 2,
     "Africa/Addis_Ababa", ["ET", "SO"], ["crisis-response"], "on_site"),
    ("Philanthropy programme officer", "job", "horn-crisis-relief", "tesfaye", -3,
     "America/New_York", ["US"], ["philanthropy"], "hybrid"),
    ("Diaspora mapping data fellowship", "fellowship", "south-asia-diaspora-map", "ravi", 50,
     "Asia/Kolkata", ["IN", "BD"], ["diaspora-mapping"], "remote"),
    ("Survey volunteers in Canada", "volunteering", "south-asia-diaspora-map", "ravi", 15,
     "America/Toronto", ["CA"], ["diaspora-mapping"], "hybrid"),
    ("Co-investment in a Lagos fintech", "investment", "naija-remit-cooperative", "oluwaseun",
     35, "Africa/Lagos", ["NG"], ["remittances"], "remote"),
    ("Diaspora bond seed round", "investment", "latam-diaspora-bonds", "camila", 28,
     "America/Mexico_City", ["MX", "BR"], ["diaspora-bonds"], "remote"),
    ("Bénévoles pour l'accueil consulaire", "volunteering", "maghreb-consular-watch", "youssef",
     12, "Africa/Casablanca", ["MA", "FR"], ["consular-services"], "on_site"),
    ("Youth leadership training", "fellowship", "afghan-youth-alliance", "hamid", 22,
     "Europe/Berlin", ["DE"], ["youth"], "hybrid"),
    ("Return and reintegration mentoring", "mentoring", "vietnam-returnee-tech", "nguyen", 18,
     "Asia/Ho_Chi_Minh", ["VN"], ["return-and-reintegration"], "remote"),
    ("Financial literacy workshop facilitator", "job", None, "farah", 14, "Europe/London",
     ["GB"], ["financial-literacy"], "on_site"),
    ("Mentorat en compétences numériques", "mentoring", None, "sofia", 33, "Europe/Paris",
     ["FR"], ["digital-inclusion"], "remote"),
    ("Angel investors for diaspora start-ups", "investment", None, "amara", 9,
     "Europe/London", ["GB", "SN"], ["diaspora-investment"], "remote"),
    ("Remote grant-writing volunteers", "volunteering", None, "ravi", -120, "UTC", ["IN"],
     ["philanthropy"], "remote"),
]  # fmt: skip

# Held for review: a new member's first posting.
HELD_TITLE = "Angel investors for diaspora start-ups"


def _user(local: str) -> User | None:
    return User.objects.filter(
        email_canonical=canonical_email(f"{local}@members.example.org")
    ).first()


def load(progress: Callable[[str], None]) -> str:
    now = timezone.now()
    made = 0
    for title, kind, org_slug, poster, days, zone, countries, topics, mode in DEMO:
        organisation = Organisation.objects.filter(slug=org_slug).first() if org_slug else None
        item = Opportunity.objects.filter(title=title).first() or Opportunity(title=title)
        made += item.pk is None
        item.type = kind
        item.organisation = organisation
        item.poster = _user(poster)
        item.description = (
            f"<p>{title}. We are looking for people of the diaspora who want to take part.</p>"
            "<ul><li>Open to every nationality</li><li>Training provided</li></ul>"
        )
        item.countries = countries
        item.work_mode = mode
        item.deadline = (now + timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
        item.time_zone = zone
        item.start_date = (now + timedelta(days=days + 30)).date()
        item.compensation = "" if kind == "volunteering" else "According to experience"
        item.apply_url = f"https://example.org/apply/{sum(map(ord, title)) % 100000}"
        item.languages = ["English", "French"] if "FR" in countries else ["English"]
        item.status = Status.ARCHIVED if days < -90 else Status.PUBLISHED
        item.review = Review.HELD if title == HELD_TITLE else Review.APPROVED
        item.save()
        item.topics.set(Topic.objects.filter(slug__in=topics))
        item.skills.set(["community outreach", kind])
        progress(title)
    return f"{len(DEMO)} opportunities ({made} new, 1 held for review)"
