"""Demo content of the handbook: "Engaging diasporas", five chapters in English with French,
Spanish and Arabic translations of the handbook, of each chapter's title and introduction, and
of its practice boxes (which then show each cited resource in the reader's language).

The prose is original, written for this demo: practical advice for a ministry or an IOM office
starting to work with its diaspora. Practice boxes cite the demo library's resources by slug.
Idempotent: pages are found by slug in their locale and updated, never duplicated.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from wagtail.models import Locale

from .demo_pages import create_live, create_translation
from .handbook import record_citations
from .models import ChapterPage, HandbookPage, HomePage, ResourcePage

HANDBOOK = {
    "en": ("Handbook: engaging diasporas",
           "<p>A practical guide for ministries, IOM offices and diaspora organisations that "
           "want to work together: how to learn who the diaspora is, earn its trust, give the "
           "partnership a legal and institutional home, mobilise skills and investment, and "
           "know whether it works.</p>"),
    "fr": ("Guide : mobiliser les diasporas",
           "<p>Un guide pratique pour les ministères, les bureaux de l'OIM et les organisations "
           "de la diaspora qui veulent travailler ensemble : connaître la diaspora, gagner sa "
           "confiance, donner un cadre au partenariat, mobiliser compétences et "
           "investissements, et mesurer les résultats.</p>"),
    "es": ("Manual: movilizar a las diásporas",
           "<p>Una guía práctica para ministerios, oficinas de la OIM y organizaciones de la "
           "diáspora que quieren trabajar juntos: conocer a la diáspora, ganarse su confianza, "
           "dar un marco a la colaboración, movilizar conocimientos e inversión y medir los "
           "resultados.</p>"),
    "ar": ("دليل: إشراك المغتربين",
           "<p>دليل عملي للوزارات ومكاتب المنظمة الدولية للهجرة ومنظمات المغتربين التي تريد "
           "العمل معًا: كيف نعرف المغتربين، ونكسب ثقتهم، ونمنح الشراكة إطارًا مؤسسيًا، ونحشد "
           "المهارات والاستثمار، ونقيس النتائج.</p>"),
}  # fmt: skip


def _p(*paragraphs: str) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs]


def _h(text: str, level: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "level": level}}


def _practice(slug: str, note: str) -> dict:
    # The resource's id is looked up when the demo loads (`_resolve`).
    return {"type": "practice", "value": {"resource": slug, "note": note}}


# slug: (last reviewed, {language: (title, introduction)}, English body)
CHAPTERS = {
    "mapping-diasporas": (
        date(2025, 9, 12),
        {
            "en": ("Mapping diasporas",
                   "Before designing any programme, find out who your diaspora is, where it "
                   "lives and what it wants. A map made with the diaspora, not about it, is "
                   "also the first step towards trust."),
            "fr": ("Cartographier les diasporas",
                   "Avant de concevoir un programme, découvrez qui est votre diaspora, où elle "
                   "vit et ce qu'elle attend. Une cartographie faite avec la diaspora, et non "
                   "sur elle, est aussi le premier pas vers la confiance."),
            "es": ("Mapear las diásporas",
                   "Antes de diseñar cualquier programa, averigüe quién es su diáspora, dónde "
                   "vive y qué espera. Un mapa hecho con la diáspora, y no sobre ella, es "
                   "también el primer paso hacia la confianza."),
            "ar": ("رسم خرائط المغتربين",
                   "قبل تصميم أي برنامج، اعرف من هم مغتربوك وأين يعيشون وماذا يريدون. فالخريطة "
                   "التي تُرسم مع المغتربين لا عنهم هي أيضًا الخطوة الأولى نحو الثقة."),
        },
        [
            *_p("Most governments know less about their diaspora than they think. Figures "
                "circulate, often repeated from one report to the next, but few say who these "
                "people are: students or retirees, recent arrivals or third generation, "
                "engineers or seasonal workers. A programme built on a single headcount will "
                "miss most of them.",
                "Mapping is not a census. Its purpose is to answer the questions your "
                "programme depends on: where are the largest communities, which associations "
                "speak for them, what skills and savings do they hold, and what do they expect "
                "from their country of origin?"),
            _h("Start from what already exists"),
            *_p("Several sources each hold part of the picture. Host-country statistics count "
                "people by country of birth or citizenship. Consulates hold registrations, "
                "however incomplete. Household surveys at home show who receives remittances "
                "and from where. Universities know their alumni abroad; professional "
                "associations know their members.",
                "Combine at least three of these before commissioning a survey. Where they "
                "disagree, the gap itself is information: a community absent from consular "
                "records but visible in host-country data is one that does not yet trust, or "
                "does not need, its consulate."),
            _practice("mapping-your-diaspora",
                      "A step-by-step method to combine existing sources and run a first "
                      "mapping in about twelve weeks."),
            _h("Ask people, through their own organisations"),
            *_p("A survey reaches only those who hear of it and believe it is worth answering. "
                "Diaspora associations, faith communities, student unions and media are the "
                "channels that work. Involve them in writing the questions: they know which "
                "words sound like a tax inspection and which sound like an invitation.",
                "Say clearly what the answers will be used for, who will see them and for how "
                "long they will be kept. Never ask for more than you need."),
            _h("Protect the people on the map"),
            *_p("A map of where people live, what they earn and what they think can harm them "
                "if it leaks, especially people who left because of conflict or persecution. "
                "Publish aggregates only, remove small groups from published tables, and keep "
                "the raw answers out of reach of anyone who does not need them.",
                "Share the results with those who answered. Returning the map to the "
                "community, in its languages, is the cheapest way to show that the exercise "
                "was for them as well."),
            _practice("diaspora-skills-survey",
                      "An example of anonymised survey data: what 2,400 professionals abroad "
                      "said they would share, and how."),
        ],
    ),
    "building-trust": (
        date(2025, 10, 3),
        {
            "en": ("Building trust",
                   "Diasporas engage with institutions they trust. Trust is earned slowly, "
                   "through reliable services, honest communication and a share of decisions, "
                   "and it can be lost in a day."),
            "fr": ("Instaurer la confiance",
                   "Les diasporas s'engagent auprès des institutions en qui elles ont "
                   "confiance. Cette confiance se gagne lentement, par des services fiables, "
                   "une communication honnête et une part des décisions, et se perd en un jour."),
            "es": ("Generar confianza",
                   "Las diásporas se comprometen con las instituciones en las que confían. La "
                   "confianza se gana despacio, con servicios fiables, comunicación honesta y "
                   "participación en las decisiones, y se puede perder en un día."),
            "ar": ("بناء الثقة",
                   "ينخرط المغتربون مع المؤسسات التي يثقون بها. والثقة تُكتسب ببطء، عبر خدمات "
                   "موثوقة وتواصل صادق ومشاركة في القرار، وقد تضيع في يوم واحد."),
        },
        [
            *_p("Many people leave their country with reasons to distrust its institutions. "
                "Some left because of them. An invitation to \"contribute to national "
                "development\" sounds very different to a student on a scholarship, a worker "
                "who paid a recruiter too much, and a refugee. Engagement starts by "
                "acknowledging that history rather than ignoring it.",
                "Trust is built less by campaigns than by ordinary encounters that go well: a "
                "passport renewed on time, a question answered, a promise kept."),
            _h("Services first"),
            *_p("For most people abroad, the consulate is the state. If renewing a document "
                "takes a day's travel and three visits, no diaspora conference will repair the "
                "impression. Online requests, clear fees, and appointments only where they are "
                "really needed do more for engagement than any slogan."),
            _practice("new-consular-services",
                      "How one country moved passport and civil-record requests online, so "
                      "that citizens abroad travel only to collect the document."),
            _h("Work with associations as partners"),
            *_p("Diaspora associations are not a distribution channel for government messages. "
                "They have their own agendas, their own internal politics, and often more "
                "legitimacy in their community than any official. Treat them as partners: "
                "consult them before decisions, not after; fund their work on terms they can "
                "meet; and accept that they will sometimes criticise you.",
                "Support their capacity as well. Small associations run by volunteers struggle "
                "with accounts, reporting and project management; training in these areas is "
                "often the most valued help."),
            _practice("diaspora-associations-training",
                      "Short training modules for association members on governance, "
                      "transparency and project management."),
            _h("Say what you will do, then do it"),
            *_p("Publish what was decided after each consultation, including what was not "
                "taken up and why. A short, honest follow-up builds more trust than a long "
                "report that arrives a year later."),
        ],
    ),
    "enabling-frameworks": (
        date(2025, 6, 20),
        {
            "en": ("Enabling policy and institutional frameworks",
                   "Good intentions last as long as the officials who hold them. Laws, "
                   "institutions and budgets give diaspora engagement a home that survives a "
                   "change of minister."),
            "fr": ("Des cadres politiques et institutionnels favorables",
                   "Les bonnes intentions durent le temps des responsables qui les portent. "
                   "Lois, institutions et budgets donnent à l'engagement des diasporas un "
                   "cadre qui survit à un changement de ministre."),
            "es": ("Marcos políticos e institucionales propicios",
                   "Las buenas intenciones duran lo que duran los funcionarios que las "
                   "impulsan. Leyes, instituciones y presupuestos dan al compromiso con la "
                   "diáspora un lugar que sobrevive a un cambio de ministro."),
            "ar": ("أطر سياسية ومؤسسية داعمة",
                   "تدوم النوايا الحسنة بقدر بقاء المسؤولين الذين يحملونها. أما القوانين "
                   "والمؤسسات والميزانيات فتمنح إشراك المغتربين مكانًا يبقى بعد تغيّر الوزير."),
        },
        [
            *_p("Countries organise their diaspora work in many ways: a full ministry, a "
                "directorate inside foreign affairs, an agency under the presidency, or a "
                "council where diaspora representatives sit beside officials. No model is best "
                "everywhere. What matters is that someone has the mandate, the staff and the "
                "budget to coordinate, and that other ministries know to involve them."),
            _h("Remove the obstacles first"),
            *_p("Before creating incentives, look at what stops people. Common obstacles are "
                "the loss of citizenship when taking another, diplomas earned abroad that are "
                "not recognised at home, pension rights that cannot be carried across borders, "
                "and the impossibility of voting from abroad. Each of these tells people that "
                "they stopped belonging when they left.",
                "Fixing them rarely needs a large budget, but it needs several ministries to "
                "agree. A diaspora institution earns its place by carrying these files through "
                "government."),
            _practice("reconnaissance-des-diplomes",
                      "A single procedure, filed online before return, with a decision "
                      "guaranteed within sixty days."),
            _h("Write a policy with the diaspora"),
            *_p("A national diaspora policy sets out why the state engages, with whom, and "
                "with what means. Drafting it is itself an engagement exercise: hold "
                "consultations in the main countries of residence, publish the draft, and "
                "answer the comments.",
                "Keep it short, give it an action plan with named institutions and dates, "
                "and review it every few years. A policy that nobody can find after two years "
                "has not failed on paper; it has failed in the consultation."),
        ],
    ),
    "mobilising-skills-and-investment": (
        date(2025, 11, 5),
        {
            "en": ("Mobilising skills and investment",
                   "Diasporas hold skills, savings and networks. Mobilising them means making "
                   "it easy and safe to share them, on the diaspora's terms, without expecting "
                   "anyone to give up the life they built abroad."),
            "fr": ("Mobiliser compétences et investissements",
                   "Les diasporas détiennent compétences, épargne et réseaux. Les mobiliser, "
                   "c'est rendre leur partage simple et sûr, selon les conditions de la "
                   "diaspora, sans attendre de quiconque qu'il renonce à la vie construite à "
                   "l'étranger."),
            "es": ("Movilizar conocimientos e inversión",
                   "Las diásporas tienen conocimientos, ahorros y redes. Movilizarlos es hacer "
                   "que compartirlos sea fácil y seguro, en los términos de la diáspora, sin "
                   "esperar que nadie renuncie a la vida que construyó en el extranjero."),
            "ar": ("حشد المهارات والاستثمار",
                   "يملك المغتربون مهارات ومدخرات وشبكات. وحشدها يعني جعل مشاركتها سهلة وآمنة، "
                   "بشروط المغتربين، دون أن نطلب من أحد التخلي عن الحياة التي بناها في الخارج."),
        },
        [
            *_p("Permanent return is only one way to contribute, and rarely the most likely. "
                "A surgeon who teaches for two weeks a year, an engineer who mentors a start-up "
                "remotely, a retired teacher who helps design a curriculum: each gives a lot "
                "without moving back."),
            _h("Skills: short, concrete, well prepared"),
            *_p("Programmes that work offer short missions with a clear purpose, a host "
                "institution that asked for them, and practical support with travel, "
                "insurance and recognition of the work. Match offers to requests, not the "
                "other way round: a list of available experts that nobody asked for gathers "
                "dust.",
                "Remote contributions deserve the same care. Mentoring, reviewing, teaching "
                "online and joining advisory boards are often easier to sustain than travel."),
            _practice("diaspora-skills-survey",
                      "What professionals abroad said they would share: remote mentoring and "
                      "short missions came first."),
            _h("Remittances: lower the cost before asking for more"),
            *_p("Remittances are private money sent to families; they are not a development "
                "budget. The most useful thing a government can do is make them cheaper, "
                "safer and easier to save or invest, by encouraging competition, digital "
                "channels and financial education, for those who send and those who receive."),
            _practice("remittance-costs-horn-of-africa",
                      "What sending 200 dollars home really costs, corridor by corridor, and "
                      "where the hidden costs lie."),
            _h("Investment: trust, small tickets, clear rules"),
            *_p("Diaspora bonds, investment funds and matching schemes have worked where the "
                "issuing institution was trusted, the minimum amount was small, and the money "
                "could be followed. They have failed where investors could not get their money "
                "out, or where the project was chosen without them.",
                "Start with information: a one-stop service for diaspora investors, "
                "published rules on land, taxes and company registration, and a contact who "
                "answers. Incentives come after."),
            _practice("bonos-de-la-diaspora",
                      "Two diaspora bond issues in Latin America: trust in the issuer mattered "
                      "more than the interest rate."),
        ],
    ),
    "measuring-results": (
        date(2025, 8, 28),
        {
            "en": ("Measuring results",
                   "Knowing what worked, for whom and at what cost keeps a programme honest, "
                   "convinces those who fund it, and shows the diaspora that its contribution "
                   "made a difference."),
            "fr": ("Mesurer les résultats",
                   "Savoir ce qui a fonctionné, pour qui et à quel coût garde un programme "
                   "honnête, convainc ceux qui le financent et montre à la diaspora que sa "
                   "contribution a compté."),
            "es": ("Medir los resultados",
                   "Saber qué funcionó, para quién y a qué costo mantiene honesto un programa, "
                   "convence a quienes lo financian y muestra a la diáspora que su aporte "
                   "marcó una diferencia."),
            "ar": ("قياس النتائج",
                   "معرفة ما نجح، ولمن، وبأي كلفة، تُبقي البرنامج صادقًا، وتقنع مموّليه، وتُظهر "
                   "للمغتربين أن مساهمتهم أحدثت فرقًا."),
        },
        [
            *_p("Diaspora programmes are often judged by their activities: conferences held, "
                "people registered, missions completed. Those figures are easy to collect and "
                "say little. A hospital that received twenty visiting specialists wants to know "
                "whether its staff can now do something they could not do before."),
            _h("Decide what change you expect"),
            *_p("Write down, before starting, what should be different if the programme "
                "works, for whom, and by when. Choose a few indicators for each change, "
                "including at least one that the diaspora itself would recognise as "
                "important. Collect a baseline: without it, no later figure means anything."),
            _practice("mapping-your-diaspora",
                      "The first map of a diaspora is also the baseline against which later "
                      "engagement is measured."),
            _h("Count, and listen"),
            *_p("Numbers tell you how much; stories tell you why. Combine a small set of "
                "indicators with interviews of participants, host institutions and people who "
                "chose not to take part. Their reasons are often the most useful finding.",
                "Young people born abroad are rarely asked. Their ties with their parents' "
                "country are different, and programmes designed for the first generation often "
                "miss them entirely."),
            _practice("youth-voices",
                      "Young people born abroad talk about their ties with their parents' "
                      "country: listen before designing for them."),
            _h("Publish what you learn"),
            *_p("Share results, including disappointing ones, with the diaspora and with other "
                "countries. A programme that reports only its successes teaches nothing, and "
                "its next evaluation will be read with suspicion."),
        ],
    ),
}  # fmt: skip


def _resolve(body: list[dict]) -> list[dict]:
    """The body with each practice box's resource slug replaced by the page's id."""
    resolved = []
    for block in body:
        if block["type"] == "practice":
            slug = block["value"]["resource"]
            page = ResourcePage.objects.filter(slug=slug).order_by("pk").first()
            if page is None:
                continue
            block = {"type": "practice", "value": {**block["value"], "resource": page.pk}}
        resolved.append(block)
    return resolved


def _handbooks(home: HomePage, locales: dict[str, Locale], progress) -> HandbookPage:
    handbook = HandbookPage.objects.filter(locale=locales["en"]).first()
    if handbook is None:
        title, intro = HANDBOOK["en"]
        handbook = HandbookPage(title=title, slug="handbook", intro=intro)
        create_live(home, handbook)
    for code, locale in locales.items():
        if code != "en" and not handbook.has_translation(locale):
            title, intro = HANDBOOK[code]
            create_translation(handbook, locale, title=title, intro=intro)
        page = handbook.get_translation(locale).specific
        if not page.live or (page.title, page.intro) != HANDBOOK[code]:
            page.title, page.intro = HANDBOOK[code]
            page.save_revision().publish()
        progress(f"handbook ({code})")
    return handbook


def _chapter(handbook: HandbookPage, locales: dict[str, Locale], slug: str, spec) -> int:
    reviewed, texts, body = spec
    made = 0
    original = ChapterPage.objects.filter(slug=slug, locale=locales["en"]).first()
    if original is None:
        title, intro = texts["en"]
        original = ChapterPage(title=title, slug=slug, intro=intro, last_reviewed=reviewed,
                               body=_resolve(body))  # fmt: skip
        create_live(handbook, original)
        record_citations(original)
        made += 1
    for code in ("fr", "es", "ar"):
        if not original.has_translation(locales[code]):
            # Translated so far: the title, the introduction and the practice boxes (which
            # show each resource in this language when it has a translation); their English
            # notes wait for a translator.
            title, intro = texts[code]
            body = [
                {"type": "practice", "value": {**b["value"], "note": ""}, "id": b["id"]}
                for b in original.body.raw_data
                if b["type"] == "practice"
            ]
            copy = create_translation(original, locales[code], title=title, intro=intro,
                                      body=body)  # fmt: skip
            record_citations(copy)
            made += 1
    return made


def load_handbook(home: HomePage, locales: dict[str, Locale],
                  progress: Callable[[str], None]) -> int:  # fmt: skip
    """The handbook in every language and its chapters; how many chapter pages were made."""
    handbook = _handbooks(home, locales, progress)
    made = 0
    for slug, spec in CHAPTERS.items():
        made += _chapter(handbook, locales, slug, spec)
        progress(f"chapter {slug}")
    return made
