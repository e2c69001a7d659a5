"""Demo opportunities: 33 of every type across the demo organisations and members' own
postings, written in English, French, Spanish and Arabic, some closing soon, some closed, one
archived, one held for review, five taking expressions of interest on the site (the demo member
has sent one).

Idempotent: found by title and updated in place; deadlines are set relative to now, so a fresh
load always shows every phase.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import NamedTuple

from django.utils import timezone

from community.organisations.models import Organisation
from core.emails import canonical_email
from core.models import Topic, User

from .models import Application, ApplyMethod, Opportunity, Review, Status


class DemoOpportunity(NamedTuple):
    title: str
    type: str
    organisation: str | None  # slug; None for a member's own posting
    poster: str  # e-mail local part of a demo member
    days: int  # to the deadline from now: under 7 is closing soon, negative closed
    zone: str
    countries: list[str]
    topics: list[str]
    mode: str
    language: str  # what the title and description are written in
    description: str
    skills: list[str]
    compensation: str = ""


# The languages an opportunity asks for, named in the language it is written in.
LANGUAGE_NAMES = {
    "en": ["English"],
    "fr": ["Français"],
    "es": ["Español"],
    "ar": ["العربية", "English"],
}

DEMO = [
    DemoOpportunity(
        "Community health coordinator", "job", "senegalese-health-network", "aissatou", 30,
        "Africa/Dakar", ["SN"], ["health"], "hybrid", "en",
        "<p>Coordinate a team of twelve community health workers in the Kaolack region, "
        "working with the district hospital on malaria and maternal health.</p>"
        "<ul><li>Three years in public health programmes</li><li>French and Wolof; English "
        "an asset</li><li>Two-year contract, renewable</li></ul>",
        ["public health", "team management"], "CFA 900,000 a month",
    ),
    DemoOpportunity(
        "Coordinateur ou coordinatrice santé communautaire", "job",
        "senegalese-health-network", "aissatou", 4, "Europe/Paris", ["FR", "SN"], ["health"],
        "on_site", "fr",
        "<p>Basé·e à Lyon avec des missions au Sénégal, vous organisez les missions "
        "d'enseignement des médecins bénévoles et suivez les téléconsultations.</p>"
        "<ul><li>Expérience de gestion de projets de santé</li><li>Déplacements trois fois "
        "par an</li></ul>",
        ["gestion de projet", "santé publique"], "CDI, 38 000 € brut par an",
    ),
    DemoOpportunity(
        "Diaspora investment adviser", "job", "ghana-diaspora-affairs", "kwame", 45,
        "Africa/Accra", ["GH"], ["diaspora-investment"], "on_site", "en",
        "<p>Advise Ghanaians abroad who want to invest at home: guide them through company "
        "registration, land titles and the incentives of the diaspora investment desk.</p>"
        "<ul><li>Background in finance or law</li><li>Experience of the diaspora a strong "
        "advantage</li></ul>",
        ["investment advice", "company law"], "Civil service grade 14",
    ),
    DemoOpportunity(
        "Volunteer mentors for returning graduates", "mentoring", "ghana-diaspora-affairs",
        "kwame", 60, "Africa/Accra", ["GH"], ["skills-transfer", "return-and-reintegration"],
        "remote", "en",
        "<p>Graduates returning from universities abroad look for mentors in their field for "
        "their first year back. One video call a month for six months.</p>",
        ["mentoring", "career advice"],
    ),
    DemoOpportunity(
        "Labour migration research fellowship", "fellowship", "migration-cooperation-forum",
        "lucia", 20, "Europe/Zurich", ["CH"], ["labour-migration"], "hybrid", "en",
        "<p>Six months in Geneva to study skills partnerships between countries of origin "
        "and destination, ending with a policy brief presented to member states.</p>"
        "<ul><li>Master's degree or equivalent experience</li><li>Stipend and travel "
        "covered</li></ul>",
        ["policy research", "labour economics"], "CHF 4,200 a month",
    ),
    DemoOpportunity(
        "Convocatoria de fondos para proyectos de protección", "funding",
        "migration-cooperation-forum", "lucia", 3, "America/Lima", ["PE", "KE"],
        ["migrant-protection"], "remote", "es",
        "<p>Financiamos proyectos de organizaciones de la diáspora que protegen a personas "
        "migrantes en tránsito: orientación jurídica, albergues y líneas de ayuda.</p>"
        "<ul><li>Hasta 25 000 USD por proyecto</li><li>Duración de 12 meses</li></ul>",
        ["redacción de propuestas"], "Hasta 25 000 USD",
    ),
    DemoOpportunity(
        "منحة لرائدات الأعمال في الشرق الأوسط", "funding", "mena-women-founders", "rania", 25,
        "Africa/Cairo", ["EG", "JO"], ["womens-entrepreneurship"], "remote", "ar",
        "<p>منح صغيرة لرائدات الأعمال اللواتي يؤسسن مشاريع في مصر والأردن بالشراكة مع نساء من "
        "الجاليات في الخارج.</p><ul><li>حتى 10,000 دولار لكل مشروع</li><li>تدريب على إدارة "
        "الأعمال لمدة ثلاثة أشهر</li></ul>",
        ["ريادة الأعمال"], "حتى 10,000 دولار",
    ),
    DemoOpportunity(
        "إرشاد مؤسسات المشاريع الناشئة", "mentoring", "mena-women-founders", "rania", 6,
        "Asia/Amman", ["JO"], ["womens-entrepreneurship"], "remote", "ar",
        "<p>نبحث عن مرشدات من الجاليات في أوروبا وأمريكا الشمالية لمرافقة مؤسِّسات مشاريع "
        "ناشئة في عمّان، بمعدل لقاء واحد عبر الإنترنت كل أسبوعين.</p>",
        ["الإرشاد", "التسويق الرقمي"],
    ),
    DemoOpportunity(
        "Becas de investigación andina", "fellowship", "andean-scholars", "marisol", 40,
        "America/Bogota", ["CO", "PE"], ["knowledge-networks"], "on_site", "es",
        "<p>Becas de tres meses para investigadores de la diáspora que quieran trabajar con "
        "universidades públicas de Colombia y Perú en agua, clima o salud.</p>"
        "<ul><li>Pasaje y alojamiento cubiertos</li><li>Doctorado en curso o terminado</li>"
        "</ul>",
        ["investigación", "docencia"], "1 800 USD al mes",
    ),
    DemoOpportunity(
        "Voluntariado: reconocimiento de títulos", "volunteering", "andean-scholars", "marisol",
        -10, "Europe/Madrid", ["ES"], ["recognition-of-qualifications"], "remote", "es",
        "<p>Ayuda a profesionales recién llegados a preparar su expediente de homologación de "
        "títulos en España. Dos horas por semana, en línea.</p>",
        ["orientación", "trámites administrativos"],
    ),
    DemoOpportunity(
        "Emergency logistics volunteers", "volunteering", "horn-crisis-relief", "tesfaye", 2,
        "Africa/Addis_Ababa", ["ET", "SO"], ["crisis-response"], "on_site", "en",
        "<p>Drought response in the Somali region: we need volunteers with logistics or "
        "procurement experience for four-week rotations from Addis Ababa.</p>"
        "<ul><li>Flights, insurance and lodging covered</li><li>Amharic or Somali an "
        "advantage</li></ul>",
        ["logistics", "procurement"],
    ),
    DemoOpportunity(
        "Philanthropy programme officer", "job", "horn-crisis-relief", "tesfaye", -3,
        "America/New_York", ["US"], ["philanthropy"], "hybrid", "en",
        "<p>Run our donor programme with diaspora associations across the United States and "
        "Canada, and report publicly on every dollar raised.</p>",
        ["fundraising", "donor relations"], "$62,000 a year",
    ),
    DemoOpportunity(
        "Diaspora mapping data fellowship", "fellowship", "south-asia-diaspora-map", "ravi", 50,
        "Asia/Kolkata", ["IN", "BD"], ["diaspora-mapping"], "remote", "en",
        "<p>A nine-month fellowship to clean and publish census and survey data on South "
        "Asian diasporas as open data.</p><ul><li>Python or R</li><li>Interest in "
        "migration statistics</li></ul>",
        ["data analysis", "open data"], "CAD 2,500 a month",
    ),
    DemoOpportunity(
        "Survey volunteers in Canada", "volunteering", "south-asia-diaspora-map", "ravi", 15,
        "America/Toronto", ["CA"], ["diaspora-mapping"], "hybrid", "en",
        "<p>Help us reach households in Brampton, Surrey and Montreal for our survey on "
        "remittances and return plans. Training given; Punjabi, Urdu, Bengali or Tamil "
        "speakers especially welcome.</p>",
        ["survey interviewing", "community outreach"],
    ),
    DemoOpportunity(
        "Co-investment in a Lagos fintech", "investment", "naija-remit-cooperative",
        "oluwaseun", 35, "Africa/Lagos", ["NG"], ["remittances"], "remote", "en",
        "<p>The cooperative is raising £150,000 to co-invest in a licensed Lagos payments "
        "company alongside a local fund. Minimum ticket £1,000 for members.</p>"
        "<ul><li>Due diligence pack on request</li><li>Five-year horizon</li></ul>",
        ["investment"], "Equity, minimum £1,000",
    ),
    DemoOpportunity(
        "Diaspora bond seed round", "investment", "latam-diaspora-bonds", "camila", 28,
        "America/Mexico_City", ["MX", "BR"], ["diaspora-bonds"], "remote", "en",
        "<p>We are raising a seed round to build a platform where migrants buy diaspora "
        "bonds from their phone. Looking for angel investors with fintech experience.</p>",
        ["fintech", "capital markets"], "Convertible note",
    ),
    DemoOpportunity(
        "Bénévoles pour l'accueil consulaire", "volunteering", "maghreb-consular-watch",
        "youssef", 12, "Africa/Casablanca", ["MA", "FR"], ["consular-services"], "on_site",
        "fr",
        "<p>Accueillez et orientez les usagers devant les consulats de Lyon et de Marseille "
        "un samedi par mois : prise de rendez-vous, pièces à fournir, recours.</p>",
        ["accueil du public", "arabe"],
    ),
    DemoOpportunity(
        "Youth leadership training", "fellowship", "afghan-youth-alliance", "hamid", 22,
        "Europe/Berlin", ["DE"], ["youth"], "hybrid", "en",
        "<p>Ten weekends in Berlin and online for Afghan youth aged 18 to 25: public "
        "speaking, project management and running a community association.</p>",
        ["leadership", "public speaking"], "Travel and meals covered",
    ),
    DemoOpportunity(
        "Return and reintegration mentoring", "mentoring", "vietnam-returnee-tech", "nguyen",
        18, "Asia/Ho_Chi_Minh", ["VN"], ["return-and-reintegration"], "remote", "en",
        "<p>Engineers who came back from Germany mentor those about to return: job search, "
        "salary negotiation, schools for children, and the paperwork in between.</p>",
        ["mentoring", "software engineering"],
    ),
    DemoOpportunity(
        "Financial literacy workshop facilitator", "job", None, "farah", 14, "Europe/London",
        ["GB"], ["financial-literacy"], "on_site", "en",
        "<p>Paid freelance work: lead eight evening workshops on budgeting, remittance "
        "costs and savings for newly arrived families in East London.</p>",
        ["facilitation", "personal finance"], "£250 a workshop",
    ),
    DemoOpportunity(
        "Mentorat en compétences numériques", "mentoring", None, "sofia", 33, "Europe/Paris",
        ["FR"], ["digital-inclusion"], "remote", "fr",
        "<p>Je cherche des mentors bénévoles pour aider des femmes de la diaspora à maîtriser "
        "les outils numériques : courriel, démarches en ligne, tableur.</p>",
        ["formation", "bureautique"],
    ),
    DemoOpportunity(
        "Angel investors for diaspora start-ups", "investment", None, "amara", 9,
        "Europe/London", ["GB", "SN"], ["diaspora-investment"], "remote", "en",
        "<p>Join a group of angel investors backing diaspora-founded start-ups in Dakar and "
        "Abidjan. Monthly pitch evenings; tickets from £5,000.</p>",
        ["angel investing"], "Equity",
    ),
    DemoOpportunity(
        "Remote grant-writing volunteers", "volunteering", None, "ravi", -120, "UTC", ["IN"],
        ["philanthropy"], "remote", "en",
        "<p>Help small rural clinics in Bihar write grant applications to foundations. "
        "Completed: thank you to the twelve volunteers who took part.</p>",
        ["grant writing"],
    ),
    DemoOpportunity(
        "Ingénieur·e solaire pour des dispensaires ruraux", "job", "maghreb-consular-watch",
        "youssef", 26, "Africa/Casablanca", ["MA"], ["skills-transfer"], "on_site", "fr",
        "<p>Mission de 18 mois pour concevoir et installer des systèmes solaires dans douze "
        "dispensaires de la région de Souss-Massa, en lien avec des ingénieurs de la "
        "diaspora.</p><ul><li>Diplôme d'ingénieur en énergie</li><li>Arabe ou amazigh "
        "apprécié</li></ul>",
        ["énergie solaire", "gestion de chantier"], "Selon expérience",
    ),
    DemoOpportunity(
        "Appel à projets : associations de la diaspora et développement local", "funding",
        "senegalese-health-network", "aissatou", 38, "Africa/Dakar", ["SN", "ML", "CI"],
        ["diaspora-associations", "philanthropy"], "remote", "fr",
        "<p>Les associations de ressortissants peuvent demander jusqu'à 15 000 € pour un "
        "projet de santé ou d'éducation dans leur commune d'origine, avec un cofinancement "
        "de la commune.</p>",
        ["montage de projet"], "Jusqu'à 15 000 €",
    ),
    DemoOpportunity(
        "Mentorat pour jeunes entrepreneurs de retour au pays", "mentoring",
        "maghreb-consular-watch", "farah", -20, "Africa/Tunis", ["TN", "MA"],
        ["return-and-reintegration", "womens-entrepreneurship"], "remote", "fr",
        "<p>Programme de six mois qui associe un jeune entrepreneur de retour en Tunisie ou "
        "au Maroc à un mentor de la diaspora. Candidatures closes pour cette session.</p>",
        ["mentorat", "entrepreneuriat"],
    ),
    DemoOpportunity(
        "Inversión en cooperativas cafetaleras", "investment", "andean-scholars", "camila", 55,
        "America/Bogota", ["CO"], ["diaspora-investment"], "remote", "es",
        "<p>Cooperativas de café del Huila buscan inversión de la diáspora para una planta de "
        "secado solar. Participación desde 2 000 USD con retorno a cinco años.</p>",
        ["inversión de impacto", "agricultura"], "Desde 2 000 USD",
    ),
    DemoOpportunity(
        "Médicos voluntarios para brigadas de salud", "volunteering",
        "migration-cooperation-forum", "lucia", 5, "America/Guatemala", ["GT", "HN"],
        ["health", "migrant-protection"], "on_site", "es",
        "<p>Brigadas de salud de dos semanas en albergues para personas migrantes en la "
        "frontera entre Guatemala y México. Se cubren vuelos y alojamiento.</p>",
        ["medicina general", "atención primaria"],
    ),
    DemoOpportunity(
        "وظيفة منسق مشاريع إعادة الإعمار", "job", "horn-crisis-relief", "rania", 31,
        "Europe/Istanbul", ["TR", "SY"], ["crisis-response"], "hybrid", "ar",
        "<p>نبحث عن منسق مشاريع لمتابعة إعادة تأهيل المدارس والمراكز الصحية في شمال غرب "
        "سوريا، مع فريق من المهندسين المتطوعين من الجالية.</p><ul><li>خبرة خمس سنوات في "
        "إدارة المشاريع</li><li>إتقان العربية والإنجليزية</li></ul>",
        ["إدارة المشاريع", "الهندسة المدنية"], "حسب الخبرة",
    ),
    DemoOpportunity(
        "زمالة في السياسات العامة للهجرة", "fellowship", "mena-women-founders", "farah", 42,
        "Asia/Beirut", ["LB", "JO"], ["citizenship-and-rights", "labour-migration"], "hybrid",
        "ar",
        "<p>زمالة لمدة ستة أشهر للباحثات الشابات في سياسات الهجرة والعمل في لبنان والأردن، "
        "تنتهي بورقة سياسات تُعرض على الوزارات المعنية.</p>",
        ["البحث", "كتابة السياسات"], "منحة شهرية",
    ),
    DemoOpportunity(
        "متطوعون لترجمة وثائق اللاجئين", "volunteering", None, "youssef", -6, "Europe/Amsterdam",
        ["NL"], ["migrant-protection"], "remote", "ar",
        "<p>نحتاج إلى متطوعين يتقنون العربية والهولندية لترجمة الوثائق المدنية للعائلات "
        "اللاجئة. انتهى التسجيل لهذه الدورة.</p>",
        ["الترجمة"],
    ),
    DemoOpportunity(
        "Diaspora health fund: small grants for clinics", "funding", "south-asia-diaspora-map",
        "ravi", 11, "Asia/Dhaka", ["BD", "IN"], ["health", "philanthropy"], "remote", "en",
        "<p>Grants of up to $8,000 for rural clinics supported by diaspora associations, for "
        "equipment, training or solar power. Apply with a letter from the clinic.</p>",
        ["grant writing"], "Up to $8,000",
    ),
    DemoOpportunity(
        "Recruiter for fair labour migration pilot", "job", "migration-cooperation-forum",
        "lucia", 19, "Asia/Manila", ["PH"], ["labour-migration"], "on_site", "en",
        "<p>Join a pilot that recruits Filipino nurses for hospitals abroad with zero "
        "recruitment fees for workers. You check employers and brief candidates.</p>",
        ["recruitment", "ethical recruitment"], "PHP 65,000 a month",
    ),
]  # fmt: skip

# Held for review: a new member's first posting.
HELD_TITLE = "Angel investors for diaspora start-ups"

# These take expressions of interest on the site instead of a link; the demo member has
# expressed interest in the first, so both sides of it show on the dashboards.
ON_SITE = [
    "Community health coordinator",
    "Volunteer mentors for returning graduates",
    "Mentorat en compétences numériques",
    "متطوعون لترجمة وثائق اللاجئين",
    "Voluntariado: reconocimiento de títulos",
]
DEMO_APPLICATION = (
    "I trained as a nurse in Dakar and have coordinated vaccination campaigns with district "
    "teams. I would be glad to talk about the role."
)


def _user(local: str) -> User | None:
    return User.objects.filter(
        email_canonical=canonical_email(f"{local}@members.example.org")
    ).first()


def load(progress: Callable[[str], None]) -> str:
    now = timezone.now()
    made = 0
    organisations = {o.slug: o for o in Organisation.objects.all()}
    for demo in DEMO:
        item = Opportunity.objects.filter(title=demo.title).first() or Opportunity(title=demo.title)
        made += item.pk is None
        item.type = demo.type
        item.organisation = organisations.get(demo.organisation) if demo.organisation else None
        item.poster = _user(demo.poster)
        item.description = demo.description
        item.countries = demo.countries
        item.work_mode = demo.mode
        deadline = now + timedelta(days=demo.days)
        item.deadline = deadline.replace(minute=0, second=0, microsecond=0)
        item.time_zone = demo.zone
        item.start_date = (now + timedelta(days=demo.days + 30)).date()
        item.compensation = demo.compensation
        if demo.title in ON_SITE:
            item.apply_method, item.apply_url = ApplyMethod.ON_SITE, ""
        else:
            item.apply_method = ApplyMethod.LINK
            item.apply_url = f"https://example.org/apply/{sum(map(ord, demo.title)) % 100000}"
        item.languages = LANGUAGE_NAMES[demo.language]
        item.status = Status.ARCHIVED if demo.days < -90 else Status.PUBLISHED
        item.review = Review.HELD if demo.title == HELD_TITLE else Review.APPROVED
        item.save()
        item.topics.set(Topic.objects.filter(slug__in=demo.topics))
        item.skills.set(demo.skills)
        progress(demo.title)
    member = User.objects.filter(email_canonical=canonical_email("member@example.org")).first()
    wanted = Opportunity.objects.filter(title=ON_SITE[0]).first()
    if member is not None and wanted is not None:
        Application.objects.get_or_create(
            opportunity=wanted, applicant=member, defaults={"message": DEMO_APPLICATION}
        )
    return (
        f"{len(DEMO)} opportunities ({made} new, 1 held for review, "
        f"{len(ON_SITE)} taking expressions of interest)"
    )
