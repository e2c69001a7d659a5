"""More demo resources: the library at the issue's scale (60+ resources, four languages).

`knowledge.demo_library` holds the first eight, which show the library's behaviours one by one;
this module adds the rest so that a newcomer browses a library that looks lived in: every type,
more than twenty countries, topics from the taxonomy, publication dates from 2015 to 2026, each
language with its own originals, some resources translated into one to three other languages.
Every text is written for this demo; publishers are fictional or generic.

Each entry has the shape `knowledge.demo_library.RESOURCES` documents: the first language of
its texts is the original, the others are its translations.
"""

from __future__ import annotations

from datetime import date

from .demo_library import _figures, _p, _table


def _heading(text: str) -> dict:
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


def _quote(text: str, who: str) -> dict:
    return {"type": "quote", "value": {"quote": text, "attribution": who}}


def _source(slug: str) -> str:
    return f"https://example.org/library/{slug}"


# slug: (type, date, publisher, countries, regions, topics, source, cover colour, texts)
MORE_RESOURCES = {
    # --- English originals ---------------------------------------------------------------------
    "diaspora-engagement-strategy-guide": (
        "toolkit", date(2019, 4, 8), "Centre for Diaspora Policy (demo)", ["GH", "NG", "KE"],
        ["west_central_africa", "east_horn_africa"],
        ["diaspora-engagement", "diaspora-institutions"],
        _source("diaspora-engagement-strategy-guide"), (20, 70, 120),
        {
            "en": ("Writing a national diaspora engagement strategy",
                   "A step-by-step guide for ministries drafting their first diaspora strategy: "
                   "who to consult, what to promise, and how to keep the promises measurable.",
                   [_heading("Start with listening"),
                    *_p("A strategy written in the capital and announced abroad rarely survives "
                        "its first year. Hold consultations in the main countries of residence "
                        "before drafting, and invite associations that criticise the government.",
                        "Write down what people asked for, even when it cannot be done now: a "
                        "published list of requests builds more trust than a polished vision."),
                    _heading("Promise little, measure all of it"),
                    *_p("Pick five to eight commitments with a lead office, a budget line and a "
                        "date. Publish progress every year, including what slipped."),
                    _figures(("5-8", "commitments in a credible first strategy"),
                             ("12", "months between public progress reports"))]),
            "fr": ("Rédiger une stratégie nationale d'engagement de la diaspora",
                   "Un guide pas à pas pour les ministères qui préparent leur première stratégie "
                   "envers la diaspora : qui consulter, que promettre, et comment mesurer.",
                   [_heading("Commencer par écouter"),
                    *_p("Une stratégie écrite dans la capitale puis annoncée à l'étranger survit "
                        "rarement à sa première année. Organisez des consultations dans les "
                        "principaux pays de résidence avant de rédiger, et invitez aussi les "
                        "associations qui critiquent le gouvernement.",
                        "Notez ce que les gens ont demandé, même ce qui ne peut se faire tout de "
                        "suite : une liste publique des demandes inspire plus confiance qu'une "
                        "belle vision."),
                    _heading("Promettre peu, tout mesurer"),
                    *_p("Retenez cinq à huit engagements, chacun avec un service responsable, une "
                        "ligne budgétaire et une échéance. Publiez chaque année les progrès, y "
                        "compris les retards."),
                    _figures(("5-8", "engagements dans une première stratégie crédible"),
                             ("12", "mois entre deux rapports publics"))]),
            "es": ("Redactar una estrategia nacional de vinculación con la diáspora",
                   "Una guía paso a paso para los ministerios que preparan su primera estrategia "
                   "hacia la diáspora: a quién consultar, qué prometer y cómo medirlo.",
                   [_heading("Empezar escuchando"),
                    *_p("Una estrategia escrita en la capital y anunciada en el exterior rara vez "
                        "sobrevive a su primer año. Organice consultas en los principales países "
                        "de residencia antes de redactar, e invite también a las asociaciones que "
                        "critican al gobierno.",
                        "Anote lo que la gente pidió, aunque no pueda hacerse ahora: una lista "
                        "pública de peticiones genera más confianza que una visión brillante."),
                    _heading("Prometer poco, medirlo todo"),
                    *_p("Elija entre cinco y ocho compromisos, cada uno con una oficina "
                        "responsable, una partida presupuestaria y una fecha. Publique cada año "
                        "los avances, también lo que se retrasó."),
                    _figures(("5-8", "compromisos en una primera estrategia creíble"),
                             ("12", "meses entre informes públicos"))]),
        },
    ),
    "remittances-and-household-resilience": (
        "report", date(2021, 7, 19), "Institute for Migration and Development Studies (demo)",
        ["NP", "BD", "LK"], ["asia_pacific"], ["remittances", "crisis-response"],
        _source("remittances-and-household-resilience"), (140, 60, 20),
        {
            "en": ("Remittances and household resilience after the pandemic",
                   "A panel survey of 3,000 households in three South Asian countries shows "
                   "remittances held up better than expected, but not for everyone.",
                   [*_p("Remittances to the households surveyed fell by a fifth in the first "
                        "months of the pandemic, then recovered within a year. Senders cut their "
                        "own spending before they cut what they sent.",
                        "Households that received money through formal digital channels were "
                        "paid faster and lost less to fees than those relying on couriers.",
                        "Families of seasonal workers were the exception: when borders closed "
                        "their income stopped entirely, and few were reached by public relief."),
                    _table("Change in remittances received, 2020 to 2021",
                           ["Country", "First half of 2020", "First half of 2021"],
                           ["Nepal", "-22%", "+9%"], ["Bangladesh", "-15%", "+18%"],
                           ["Sri Lanka", "-19%", "+6%"])]),
            "ar": ("التحويلات المالية وقدرة الأسر على الصمود بعد الجائحة",
                   "مسح متكرر لثلاثة آلاف أسرة في ثلاثة بلدان من جنوب آسيا يبيّن أن التحويلات "
                   "صمدت أكثر مما كان متوقعًا، ولكن ليس للجميع.",
                   [*_p("انخفضت التحويلات إلى الأسر المشمولة بالمسح بمقدار الخمس في الأشهر الأولى "
                        "من الجائحة، ثم تعافت خلال عام. وقد خفّض المرسلون إنفاقهم الخاص قبل أن "
                        "يخفّضوا ما يرسلونه.",
                        "الأسر التي تلقت الأموال عبر قنوات رقمية رسمية حصلت عليها أسرع وخسرت أقل "
                        "في الرسوم من تلك التي اعتمدت على الوسطاء.",
                        "كانت أسر العمال الموسميين الاستثناء: فحين أُغلقت الحدود توقف دخلها "
                        "تمامًا، ولم يصل الدعم العام إلا إلى القليل منها."),
                    _table("تغيّر التحويلات المستلمة بين 2020 و2021",
                           ["البلد", "النصف الأول من 2020", "النصف الأول من 2021"],
                           ["نيبال", "-22%", "+9%"], ["بنغلاديش", "-15%", "+18%"],
                           ["سريلانكا", "-19%", "+6%"])]),
        },
    ),
    "diaspora-doctors-telemedicine": (
        "case_study", date(2022, 3, 14), "Global Health Diaspora Network (demo)", ["ZW", "ZA"],
        ["southern_africa"], ["health", "skills-transfer"],
        _source("diaspora-doctors-telemedicine"), None,
        {
            "en": ("Diaspora doctors on call: a telemedicine pilot",
                   "How forty doctors abroad gave weekly remote consultations to two rural "
                   "district hospitals, and what it took to make it last.",
                   [*_p("The pilot paired each district hospital with a rota of specialists living "
                        "abroad. Local clinicians presented cases over a low-bandwidth video link; "
                        "the specialist advised, and the local team decided.",
                        "The hardest part was not technology but paperwork: licensing rules had to "
                        "be clarified so that advice from abroad was lawful and insured.",
                        "After two years, referrals to the capital fell by a third. The health "
                        "ministry has since written the rota into its staffing plan."),
                    _quote("We stopped sending patients on a six-hour journey for a question that "
                           "takes ten minutes to answer.", "A district medical officer")]),
        },
    ),
    "skills-return-programme-evaluation": (
        "report", date(2018, 11, 5), "Independent Evaluation Office (demo)", ["AM", "GE", "MD"],
        ["europe_central_asia"], ["return-and-reintegration", "skills-transfer"],
        _source("skills-return-programme-evaluation"), None,
        {
            "en": ("Temporary return of qualified nationals: an evaluation",
                   "Ten years of short assignments by diaspora experts in public institutions, "
                   "assessed against what the host institutions said they needed.",
                   [*_p("Assignments of three to six months worked best when the host institution "
                        "wrote the terms of reference itself and named a counterpart.",
                        "Experts valued recognition more than pay: a letter from the minister was "
                        "mentioned more often than the allowance.",
                        "The programme rarely followed up: few institutions could say a year later "
                        "what had changed because of an assignment."),
                    _figures(("412", "assignments completed"), ("68%", "rated useful a year later"),
                             ("3-6", "months: the most effective length"))]),
        },
    ),
    "dual-citizenship-laws-overview": (
        "policy", date(2017, 6, 22), "Comparative Citizenship Observatory (demo)",
        ["PH", "IN", "GH", "MX"], [], ["dual-citizenship-and-voting", "citizenship-and-rights"],
        _source("dual-citizenship-laws-overview"), (90, 40, 110),
        {
            "en": ("Dual citizenship: how countries of origin decide",
                   "An overview of the rules in four countries of origin that changed their "
                   "citizenship law to keep ties with emigrants.",
                   [*_p("Some countries allow dual citizenship outright; others offer a special "
                        "status with most rights but not a vote or public office.",
                        "The reforms compared here all followed sustained requests from diaspora "
                        "associations, and all needed a simple procedure to regain a citizenship "
                        "lost before the law changed."),
                    _table("What each reform allows",
                           ["Country", "Dual citizenship", "Vote from abroad"],
                           ["Philippines", "Yes, by re-acquisition", "Yes"],
                           ["India", "Overseas status instead", "No"],
                           ["Ghana", "Yes, with exceptions for some offices", "Limited"],
                           ["Mexico", "Yes, nationality cannot be lost", "Yes"])]),
            "es": ("Doble ciudadanía: cómo deciden los países de origen",
                   "Un panorama de las normas en cuatro países de origen que cambiaron su ley de "
                   "ciudadanía para mantener el vínculo con sus emigrantes.",
                   [*_p("Algunos países permiten la doble ciudadanía sin más; otros ofrecen un "
                        "estatuto especial con casi todos los derechos, pero sin voto ni acceso a "
                        "cargos públicos.",
                        "Todas las reformas comparadas aquí respondieron a peticiones sostenidas "
                        "de asociaciones de la diáspora, y todas necesitaron un trámite sencillo "
                        "para recuperar una ciudadanía perdida antes del cambio de ley."),
                    _table("Qué permite cada reforma",
                           ["País", "Doble ciudadanía", "Voto desde el exterior"],
                           ["Filipinas", "Sí, por readquisición", "Sí"],
                           ["India", "Un estatuto de ultramar", "No"],
                           ["Ghana", "Sí, con excepciones para algunos cargos", "Limitado"],
                           ["México", "Sí, la nacionalidad no se pierde", "Sí"])]),
        },
    ),
    "mentoring-young-entrepreneurs": (
        "training_material", date(2020, 9, 1), "Diaspora Business Mentors (demo)", ["CM", "CI"],
        ["west_central_africa"], ["womens-entrepreneurship", "youth"],
        _source("mentoring-young-entrepreneurs"), None,
        {
            "en": ("Remote mentoring for young entrepreneurs: a trainer's pack",
                   "Six sessions to prepare diaspora professionals to mentor founders at home "
                   "over video calls, with exercises and a code of practice.",
                   [*_p("Each session takes ninety minutes and can be run online. The pack "
                        "includes role plays in which mentors practise asking rather than telling.",
                        "A short code of practice covers confidentiality, conflicts of interest "
                        "and what to do when a mentee asks for money."),
                    _heading("Sessions"),
                    {"type": "paragraph", "value": "<ol><li>What a mentor is and is not</li>"
                     "<li>Listening across distance</li><li>Reading a business plan</li>"
                     "<li>Markets you no longer know</li><li>Ending well</li>"
                     "<li>Looking after yourself</li></ol>"}]),
        },
    ),
    "diaspora-data-dashboard": (
        "dataset", date(2026, 2, 16), "Diaspora Hub demo", ["SN", "ML", "GN", "GM"],
        ["west_central_africa"], ["diaspora-mapping", "labour-migration"],
        _source("diaspora-data-dashboard"), (30, 100, 90),
        {
            "en": ("West African diaspora stocks by country of residence, 2015-2025",
                   "Estimates of emigrants from four West African countries in their twenty main "
                   "countries of residence, with the method and its limits.",
                   [*_p("Figures combine host countries' census data with consular registrations. "
                        "Where sources disagree, the range is given rather than a single number.",
                        "The file is published as CSV with one row per origin, residence and "
                        "year, under an open licence.",
                        "Irregular migrants are undercounted by every source used here; the notes "
                        "say by how much we think, and why."),
                    _figures(("4", "countries of origin"), ("20", "countries of residence"),
                             ("11", "years of estimates"))]),
        },
    ),
    "crisis-response-diaspora-coordination": (
        "toolkit", date(2023, 2, 27), "Humanitarian Diaspora Forum (demo)", ["TR", "SY"],
        ["middle_east_north_africa", "europe_central_asia"], ["crisis-response", "philanthropy"],
        _source("crisis-response-diaspora-coordination"), None,
        {
            "en": ("When disaster strikes: coordinating diaspora aid",
                   "Checklists for diaspora groups who want their donations and volunteers to "
                   "reach people quickly after an earthquake or flood, without getting in the way.",
                   [*_p("In the first days, money helps more than goods: collections of clothes "
                        "fill warehouses that are needed for food and shelter.",
                        "Register with the coordination mechanism on the ground and share what you "
                        "can offer; do not send volunteers who have not been asked for.",
                        "Tell donors what their money paid for, with figures, within three "
                        "months."),
                    _quote("The most useful thing the diaspora sent us was a list of doctors who "
                           "spoke the language and could come for two weeks.",
                           "A field coordinator")]),
            "ar": ("حين تقع الكارثة: تنسيق مساعدات المغتربين",
                   "قوائم تحقق لمجموعات المغتربين التي تريد أن تصل تبرعاتها ومتطوعوها إلى "
                   "المتضررين بسرعة بعد زلزال أو فيضان، دون أن تعرقل العمل.",
                   [*_p("في الأيام الأولى، يفيد المال أكثر من السلع: فشحنات الملابس تملأ مخازن "
                        "يحتاجها الناس للغذاء والمأوى.",
                        "سجّل لدى آلية التنسيق الميدانية وأخبرها بما يمكنك تقديمه، ولا ترسل "
                        "متطوعين لم يُطلبوا.",
                        "أخبر المتبرعين بما موّلته أموالهم، بالأرقام، خلال ثلاثة أشهر."),
                    _quote("أنفع ما أرسله المغتربون لنا كان قائمة بأطباء يتكلمون اللغة ويستطيعون "
                           "المجيء لأسبوعين.", "منسق ميداني")]),
        },
    ),
    "digital-inclusion-older-migrants": (
        "report", date(2024, 10, 9), "Digital Bridges Foundation (demo)", ["PT", "CV"],
        ["europe_central_asia", "west_central_africa"], ["digital-inclusion"],
        _source("digital-inclusion-older-migrants"), None,
        {
            "en": ("Older migrants and online public services",
                   "Why older emigrants struggle with consular and pension services that moved "
                   "online, and the small changes that helped most.",
                   [*_p("Two thirds of the people over 65 we interviewed had given up on at least "
                        "one online procedure and asked a relative or a paid intermediary instead.",
                        "The fixes they valued were simple: a phone number that is answered, forms "
                        "in plain language, and a way to save and resume an application.")]),
        },
    ),
    "hometown-associations-infrastructure": (
        "case_study", date(2016, 5, 30), "Observatory of Collective Remittances (demo)",
        ["SV", "GT"], ["latin_america_caribbean"], ["diaspora-associations", "philanthropy"],
        _source("hometown-associations-infrastructure"), None,
        {
            "en": ("Hometown associations and village infrastructure",
                   "Twelve projects co-funded by emigrant associations and municipalities: "
                   "water systems, a clinic, two schools and a bridge.",
                   [*_p("Associations chose projects with their home towns, and municipalities "
                        "matched every dollar raised. Public works engineers checked the designs.",
                        "Projects with a maintenance plan agreed before construction were still "
                        "working five years later; those without had often fallen out of use.")]),
            "es": ("Asociaciones de oriundos e infraestructura local",
                   "Doce proyectos cofinanciados por asociaciones de emigrantes y municipios: "
                   "sistemas de agua, una clínica, dos escuelas y un puente.",
                   _p("Las asociaciones eligieron los proyectos con sus pueblos, y los municipios "
                      "igualaron cada dólar recaudado. Ingenieros de obras públicas revisaron los "
                      "diseños.",
                      "Los proyectos con un plan de mantenimiento acordado antes de la obra "
                      "seguían funcionando cinco años después; los demás, a menudo no.")),
        },
    ),
    "protecting-migrant-workers-gulf": (
        "policy", date(2019, 12, 10), "Labour Mobility Partnership (demo)", ["PH", "NP", "IN"],
        ["asia_pacific", "middle_east_north_africa"], ["migrant-protection", "labour-migration"],
        _source("protecting-migrant-workers-gulf"), None,
        {
            "en": ("Protecting workers abroad: what bilateral agreements should say",
                   "Model clauses on recruitment fees, contract substitution, passports and "
                   "access to justice, drawn from agreements that worked.",
                   [*_p("Workers should never pay recruitment fees: the agreement should say who "
                        "pays, and what happens to an agency that charges them.",
                        "The contract signed at home must be the one enforced abroad. A copy "
                        "lodged with the embassy makes substitution visible.",
                        "Employers must not keep workers' passports; embassies need the means to "
                        "help workers who report it.")]),
        },
    ),
    "investment-guide-returnees": (
        "toolkit", date(2025, 6, 3), "Diaspora Investment Desk (demo)", ["ET", "RW", "UG"],
        ["east_horn_africa"], ["diaspora-investment", "financial-literacy"],
        _source("investment-guide-returnees"), None,
        {
            "en": ("Investing at home without being there: a checklist",
                   "Practical safeguards for people abroad who want to invest in a business, a "
                   "farm or a building at home.",
                   [*_p("Most losses reported by diaspora investors come from trusting one person "
                        "with everything. Separate who holds the money, who keeps the accounts and "
                        "who manages the work.",
                        "Visit before the first payment, even briefly, and insist on receipts and "
                        "photographs at each stage."),
                    _figures(("3", "people, not one, should hold the keys"),
                             ("1", "visit before the first payment"))]),
        },
    ),
    "news-remittance-fee-cap": (
        "news", date(2026, 9, 21), "Diaspora Hub demo", ["KE", "TZ"], ["east_horn_africa"],
        ["remittances"], _source("news-remittance-fee-cap"), None,
        {
            "en": ("Two central banks agree to cap cross-border transfer fees",
                   "Small transfers between the two countries will cost at most one percent "
                   "from next year.",
                   _p("The cap applies to transfers under 500 dollars sent through licensed "
                      "mobile money and bank channels. Providers must show the exchange rate "
                      "they apply before the sender confirms.",
                      "Diaspora associations had asked for the cap for years; they will take "
                      "part in the review of its effects planned after eighteen months.")),
        },
    ),
    "video-diaspora-teachers": (
        "video", date(2021, 1, 25), "Teachers Without Borders of Distance (demo)", ["HT"],
        ["latin_america_caribbean"], ["skills-transfer", "knowledge-networks"],
        "https://vimeo.com/76979871", None,
        {
            "en": ("Teachers abroad, classrooms at home",
                   "A short documentary on diaspora teachers who train colleagues in their "
                   "country of origin during the summer holidays.",
                   [*_p("Filmed over two summers, it follows six teachers from their schools "
                        "abroad to training workshops at home, and back."),
                    {"type": "embed", "value": "https://vimeo.com/76979871"}]),
        },
    ),
    # --- French originals ----------------------------------------------------------------------
    "guichet-unique-retour": (
        "policy", date(2020, 2, 12), "Direction des Sénégalais de l'extérieur (démo)", ["SN"],
        ["west_central_africa"], ["return-and-reintegration", "consular-services"],
        _source("guichet-unique-retour"), (160, 90, 30),
        {
            "fr": ("Un guichet unique pour le retour",
                   "Comment un même bureau accompagne désormais les personnes qui rentrent : "
                   "papiers, logement, emploi et scolarité des enfants.",
                   [*_p("Avant la réforme, une personne de retour devait frapper à sept portes "
                        "différentes. Le guichet unique réunit désormais les services concernés "
                        "dans un même lieu, avec un conseiller attitré.",
                        "Le dossier peut être ouvert depuis l'étranger, trois mois avant le "
                        "retour, pour que les démarches soient engagées à l'arrivée.",
                        "Un bilan à un an montre des délais divisés par deux, mais une forte "
                        "demande d'accompagnement vers l'emploi que le guichet peine à suivre."),
                    _figures(("7", "administrations réunies"), ("2x", "des délais plus courts"))]),
            "en": ("A one-stop shop for returnees",
                   "How a single office now supports people coming home: papers, housing, jobs "
                   "and schooling for the children.",
                   [*_p("Before the reform, a returnee had to knock on seven different doors. The "
                        "one-stop shop brings the services together in one place, with a named "
                        "adviser.",
                        "The file can be opened from abroad, three months before the return, so "
                        "that procedures are under way on arrival.",
                        "A review after one year shows waiting times halved, but a strong demand "
                        "for help finding work that the office struggles to meet."),
                    _figures(("7", "administrations in one place"), ("2x", "shorter delays"))]),
        },
    ),
    "transferts-et-agriculture": (
        "report", date(2015, 10, 6), "Observatoire des migrations rurales (démo)", ["ML", "BF"],
        ["west_central_africa"], ["remittances", "diaspora-investment"],
        _source("transferts-et-agriculture"), None,
        {
            "fr": ("Transferts des migrants et investissement agricole",
                   "Dans deux régions sahéliennes, une part croissante des fonds envoyés finance "
                   "des puits, des semences et du petit matériel agricole.",
                   [*_p("L'enquête a suivi 600 familles pendant trois saisons. Les familles "
                        "recevant des transferts réguliers ont investi deux fois plus dans "
                        "l'irrigation que les autres.",
                        "Les femmes restées au village gèrent le plus souvent ces investissements, "
                        "mais sont rarement titulaires des terres.",
                        "Le rapport recommande des crédits agricoles adossés aux transferts et "
                        "l'enregistrement des terres au nom des deux époux.")]),
        },
    ),
    "associations-de-migrants-gouvernance": (
        "training_material", date(2018, 3, 19), "Forum des organisations de solidarité (démo)",
        ["FR", "MA", "SN"], ["europe_central_asia"], ["diaspora-associations"],
        _source("associations-de-migrants-gouvernance"), None,
        {
            "fr": ("Gouvernance des associations de migrants : modules de formation",
                   "Quatre modules pour les bureaux d'associations : statuts, assemblée "
                   "générale, comptes et rendre compte aux membres.",
                   [_heading("Pour qui"),
                    *_p("Les modules s'adressent aux présidents, trésoriers et secrétaires "
                        "nouvellement élus, souvent bénévoles et sans formation préalable."),
                    _heading("Comment"),
                    *_p("Chaque module dure une demi-journée et part d'un cas réel : une "
                        "subvention perdue faute de comptes, une assemblée contestée, un conflit "
                        "entre deux générations de membres.",
                        "Les fiches pratiques peuvent être photocopiées et adaptées.")]),
        },
    ),
    "diaspora-haitienne-reconstruction": (
        "case_study", date(2017, 1, 11), "Collectif Haïti Solidarité (démo)", ["HT", "CA"],
        ["latin_america_caribbean", "north_america"], ["crisis-response", "skills-transfer"],
        _source("diaspora-haitienne-reconstruction"), None,
        {
            "fr": ("La diaspora haïtienne et la reconstruction",
                   "Ingénieurs, médecins et enseignants de la diaspora ont participé à la "
                   "reconstruction après le séisme : ce qui a marché, ce qui a freiné.",
                   [*_p("Les professionnels de la diaspora ont apporté des compétences rares et la "
                        "maîtrise du créole, décisive sur les chantiers et dans les cliniques.",
                        "Les obstacles sont venus de la reconnaissance des diplômes et de "
                        "l'absence d'un registre des volontaires disponibles."),
                    _quote("Nous parlions la langue des patients et celle des bailleurs : c'était "
                           "notre vraie valeur ajoutée.", "Une infirmière de Montréal")]),
            "es": ("La diáspora haitiana y la reconstrucción",
                   "Ingenieros, médicos y docentes de la diáspora participaron en la "
                   "reconstrucción tras el terremoto: lo que funcionó y lo que frenó.",
                   [*_p("Los profesionales de la diáspora aportaron competencias escasas y el "
                        "dominio del criollo, decisivo en las obras y en las clínicas.",
                        "Los obstáculos vinieron del reconocimiento de títulos y de la falta de un "
                        "registro de voluntarios disponibles."),
                    _quote("Hablábamos la lengua de los pacientes y la de los donantes: ese era "
                           "nuestro verdadero aporte.", "Una enfermera de Montreal")]),
        },
    ),
    "vote-des-expatries": (
        "policy", date(2022, 5, 4), "Commission électorale nationale (démo)", ["TN", "DZ"],
        ["middle_east_north_africa"], ["dual-citizenship-and-voting"],
        _source("vote-des-expatries"), None,
        {
            "fr": ("Voter depuis l'étranger : le cadre et la pratique",
                   "Circonscriptions de l'étranger, bureaux de vote consulaires et vote par "
                   "correspondance : comparaison de deux systèmes électoraux.",
                   [*_p("Les citoyens résidant à l'étranger élisent leurs propres députés dans "
                        "des circonscriptions dédiées. La participation reste faible, autour "
                        "d'un électeur sur cinq.",
                        "L'éloignement des bureaux de vote est le premier obstacle cité ; le vote "
                        "par correspondance, testé en 2019, a doublé la participation là où il a "
                        "été proposé."),
                    _table("Participation des électeurs de l'étranger",
                           ["Scrutin", "Bureaux consulaires", "Avec vote par correspondance"],
                           ["Législatives 2014", "18 %", "-"],
                           ["Législatives 2019", "17 %", "35 %"])]),
            "ar": ("التصويت من الخارج: الإطار والممارسة",
                   "دوائر انتخابية في الخارج ومكاتب اقتراع قنصلية وتصويت بالمراسلة: مقارنة بين "
                   "نظامين انتخابيين.",
                   [*_p("ينتخب المواطنون المقيمون في الخارج نوابهم في دوائر مخصصة لهم. وتبقى "
                        "المشاركة ضعيفة، نحو ناخب من كل خمسة.",
                        "بُعد مكاتب الاقتراع هو أول عائق يذكره الناخبون؛ وقد ضاعف التصويت "
                        "بالمراسلة، الذي جُرّب في 2019، نسبة المشاركة حيث اعتُمد."),
                    _table("مشاركة الناخبين في الخارج",
                           ["الاقتراع", "المكاتب القنصلية", "مع التصويت بالمراسلة"],
                           ["تشريعيات 2014", "18%", "-"], ["تشريعيات 2019", "17%", "35%"])]),
        },
    ),
    "competences-medicales-diaspora": (
        "dataset", date(2023, 8, 28), "Réseau des professionnels de santé de la diaspora (démo)",
        ["CM", "CD", "CI"], ["west_central_africa"], ["health", "knowledge-networks"],
        _source("competences-medicales-diaspora"), (120, 30, 60),
        {
            "fr": ("Répertoire anonymisé des compétences médicales de la diaspora",
                   "1 150 soignants installés en Europe et au Canada décrivent leurs "
                   "spécialités, leurs langues et le temps qu'ils pourraient offrir.",
                   [*_p("Les données sont agrégées par spécialité et par pays d'origine ; aucune "
                        "personne ne peut être identifiée.",
                        "Les spécialités les plus représentées sont la médecine générale, les "
                        "soins infirmiers et la pédiatrie ; l'anesthésie, très demandée, reste "
                        "rare."),
                    _figures(("1 150", "soignants"), ("38", "spécialités"),
                             ("6", "semaines par an proposées en moyenne"))]),
        },
    ),
    "epargne-diaspora-logement": (
        "toolkit", date(2024, 4, 15), "Banque de l'habitat (démo)", ["MA", "TN"],
        ["middle_east_north_africa"], ["diaspora-investment", "financial-literacy"],
        _source("epargne-diaspora-logement"), None,
        {
            "fr": ("Acheter un logement au pays depuis l'étranger",
                   "Les étapes, les pièges et les garanties pour les personnes de la diaspora "
                   "qui achètent un logement dans leur pays d'origine.",
                   [_heading("Avant de signer"),
                    *_p("Vérifiez le titre foncier auprès de la conservation, pas seulement auprès "
                        "du vendeur. Une procuration doit être précise et limitée dans le temps."),
                    _heading("Financer"),
                    *_p("Plusieurs banques proposent des prêts aux non-résidents adossés à une "
                        "épargne en devises ; comparez le coût total, frais de change compris.",
                        "Ne versez jamais d'acompte en espèces à un intermédiaire.")]),
        },
    ),
    "actualite-maison-des-diasporas": (
        "news", date(2025, 11, 18), "Diaspora Hub démo", ["CI"], ["west_central_africa"],
        ["diaspora-institutions"], _source("actualite-maison-des-diasporas"), None,
        {
            "fr": ("Une maison des diasporas ouvre ses portes à Abidjan",
                   "Un lieu d'accueil pour les personnes de retour, les investisseurs et les "
                   "associations, avec des permanences juridiques gratuites.",
                   _p("La maison accueille aussi des ateliers hebdomadaires sur la création "
                      "d'entreprise et un espace de travail partagé.",
                      "Les associations de la diaspora peuvent y réserver gratuitement une salle "
                      "pour leurs réunions lors de leurs séjours au pays.")),
        },
    ),
    "video-femmes-entrepreneures": (
        "video", date(2022, 3, 8), "Réseau des entrepreneures de la diaspora (démo)",
        ["SN", "FR"], ["west_central_africa"], ["womens-entrepreneurship"],
        "https://www.youtube.com/watch?v=ScMzIvxBSi4", None,
        {
            "fr": ("Entrepreneures entre deux rives",
                   "Quatre femmes de la diaspora racontent la création de leur entreprise entre "
                   "la France et le Sénégal.",
                   [*_p("Transformation de produits locaux, conseil numérique, mode et "
                        "logistique : quatre parcours, quatre façons de faire vivre un lien "
                        "entre deux pays."),
                    {"type": "embed", "value": "https://www.youtube.com/watch?v=ScMzIvxBSi4"}]),
        },
    ),
    "cartographie-diaspora-camerounaise": (
        "report", date(2020, 11, 23), "Institut d'études des migrations (démo)", ["CM"],
        ["west_central_africa"], ["diaspora-mapping"],
        _source("cartographie-diaspora-camerounaise"), None,
        {
            "fr": ("Cartographie de la diaspora camerounaise",
                   "Où vivent les Camerounais de l'étranger, ce qu'ils font et comment ils "
                   "souhaitent s'engager : résultats d'une enquête en ligne et d'entretiens.",
                   [*_p("Près de 4 000 personnes ont répondu, surtout en France, en Allemagne, aux "
                        "États-Unis et au Canada. Une majorité souhaite contribuer par des "
                        "compétences plutôt que par des fonds.",
                        "La méfiance envers les institutions publiques est forte : les répondants "
                        "préfèrent passer par des associations ou des universités.",
                        "Le rapport propose un guichet d'information neutre et un calendrier de "
                        "rencontres dans les principales villes de résidence.")]),
        },
    ),
    "reintegration-psychosociale": (
        "training_material", date(2021, 6, 2), "Centre d'appui à la réintégration (démo)",
        ["GN", "CI"], ["west_central_africa"], ["return-and-reintegration", "health"],
        _source("reintegration-psychosociale"), None,
        {
            "fr": ("Accompagnement psychosocial des personnes de retour",
                   "Un guide de formation pour les travailleurs sociaux qui reçoivent des "
                   "migrants rentrés après un parcours difficile.",
                   [*_p("Le retour est souvent vécu comme un échec par la personne et par sa "
                        "famille. Le premier entretien vise à écouter, pas à orienter.",
                        "Le guide propose des outils simples pour repérer la détresse et savoir "
                        "quand orienter vers un soin spécialisé."),
                    _quote("On m'a d'abord demandé comment j'allais. Personne ne l'avait fait "
                           "depuis deux ans.", "Un jeune homme rentré de Libye")]),
        },
    ),
    "obligations-diaspora-afrique-ouest": (
        "case_study", date(2019, 9, 17), "Cercle d'études financières (démo)", ["SN", "CI", "BJ"],
        ["west_central_africa"], ["diaspora-bonds"],
        _source("obligations-diaspora-afrique-ouest"), None,
        {
            "fr": ("Emprunts obligataires et diaspora en Afrique de l'Ouest",
                   "Trois emprunts publics ouverts aux résidents de l'étranger : montants levés, "
                   "canaux de souscription et leçons pour les prochains.",
                   [*_p("La part souscrite par la diaspora est restée modeste, faute de canaux de "
                        "souscription depuis l'étranger : il fallait souvent passer par une "
                        "banque au pays.",
                        "L'emprunt le plus réussi auprès de la diaspora proposait une "
                        "souscription en ligne et des coupures de faible montant.")]),
        },
    ),
    "politique-nationale-migration": (
        "policy", date(2018, 7, 2), "Ministère de l'Intégration africaine et des Affaires "
        "étrangères (démo)", ["ML", "NE"], ["west_central_africa"],
        ["diaspora-institutions", "labour-migration"], _source("politique-nationale-migration"),
        None,
        {
            "fr": ("Une politique nationale de migration et ses volets diaspora",
                   "Les grandes orientations d'une politique nationale qui traite ensemble "
                   "mobilité de travail, protection des migrants et contribution de la diaspora.",
                   _p("La politique reconnaît la diaspora comme une composante de la nation et "
                      "crée un conseil consultatif élu par les associations.",
                      "Un plan d'action sur cinq ans précise les responsabilités de chaque "
                      "ministère et les indicateurs suivis.")),
        },
    ),
    "jeunes-diaspora-stages": (
        "news", date(2024, 1, 29), "Diaspora Hub démo", ["MA"], ["middle_east_north_africa"],
        ["youth", "skills-transfer"], _source("jeunes-diaspora-stages"), None,
        {
            "fr": ("Des stages d'été pour les jeunes de la diaspora",
                   "Cent cinquante étudiants nés à l'étranger passeront l'été dans des "
                   "entreprises et administrations de leur pays d'origine.",
                   _p("Les stages durent huit semaines et comprennent un hébergement et des cours "
                      "de langue. Les candidatures sont ouvertes jusqu'à la fin mars.",
                      "Une bourse de voyage est prévue pour les étudiants dont la famille a des "
                      "revenus modestes.")),
            "ar": ("تدريب صيفي لشباب المهجر",
                   "مئة وخمسون طالبًا وُلدوا في الخارج سيقضون الصيف في شركات وإدارات بلدهم "
                   "الأصلي.",
                   _p("تستمر فترة التدريب ثمانية أسابيع وتشمل السكن ودروسًا في اللغة. ويبقى باب "
                      "الترشح مفتوحًا حتى نهاية مارس.",
                      "وتُخصَّص منحة سفر للطلاب الذين تكون دخول أسرهم متواضعة.")),
            "es": ("Prácticas de verano para jóvenes de la diáspora",
                   "Ciento cincuenta estudiantes nacidos en el exterior pasarán el verano en "
                   "empresas y administraciones de su país de origen.",
                   _p("Las prácticas duran ocho semanas e incluyen alojamiento y clases de idioma. "
                      "Las candidaturas están abiertas hasta finales de marzo.",
                      "Se prevé una beca de viaje para estudiantes de familias con ingresos "
                      "modestos.")),
        },
    ),
    # --- Spanish originals ---------------------------------------------------------------------
    "remesas-y-educacion-financiera": (
        "training_material", date(2019, 8, 12), "Fundación Puentes Financieros (demo)",
        ["GT", "SV", "HN"], ["latin_america_caribbean"], ["remittances", "financial-literacy"],
        _source("remesas-y-educacion-financiera"), (200, 120, 20),
        {
            "es": ("Educación financiera para familias receptoras de remesas",
                   "Un curso de cinco talleres para familias que reciben remesas: presupuesto, "
                   "ahorro, crédito responsable y protección frente a fraudes.",
                   [*_p("Los talleres se dictan en el municipio, en horario compatible con el "
                        "trabajo agrícola, y se apoyan en ejemplos del propio hogar.",
                        "Cada participante sale con un presupuesto familiar y una meta de ahorro "
                        "acordada con quien envía el dinero.",
                        "El último taller trata de fraudes frecuentes: falsos premios, préstamos "
                        "con intereses ocultos y cobros por trámites gratuitos."),
                    _figures(("5", "talleres de dos horas"), ("1", "meta de ahorro por familia"))]),
            "en": ("Financial education for families receiving remittances",
                   "A five-workshop course for families who receive remittances: budgeting, "
                   "saving, responsible credit and protection from fraud.",
                   [*_p("Workshops take place in the municipality, at times that fit farm work, "
                        "and use examples from the participants' own households.",
                        "Each participant leaves with a family budget and a savings goal agreed "
                        "with the person who sends the money.",
                        "The last workshop covers common frauds: fake prizes, loans with hidden "
                        "interest and fees charged for free procedures."),
                    _figures(("5", "two-hour workshops"), ("1", "savings goal per family"))]),
        },
    ),
    "voto-en-el-exterior-america-latina": (
        "report", date(2021, 4, 26), "Centro de Estudios Electorales (demo)",
        ["MX", "CO", "PE", "EC"], ["latin_america_caribbean"], ["dual-citizenship-and-voting"],
        _source("voto-en-el-exterior-america-latina"), None,
        {
            "es": ("El voto en el exterior en América Latina",
                   "Cómo votan los ciudadanos que viven fuera en cuatro países, cuántos lo hacen "
                   "y qué explica las diferencias de participación.",
                   [*_p("Los cuatro países permiten votar desde el exterior en elecciones "
                        "presidenciales; dos eligen además representantes propios de la "
                        "diáspora en el congreso.",
                        "La inscripción previa es el principal filtro: donde es automática con el "
                        "documento de identidad, la participación se triplica.",
                        "El voto por internet, probado en un país, fue bien recibido pero "
                        "plantea dudas de auditoría que el informe detalla."),
                    _table("Participación en la última elección presidencial",
                           ["País", "Inscritos en el exterior", "Participación"],
                           ["México", "1,6 millones", "41%"], ["Colombia", "1,2 millones", "27%"],
                           ["Perú", "1 millón", "36%"], ["Ecuador", "430.000", "48%"])]),
        },
    ),
    "migracion-venezolana-integracion": (
        "report", date(2022, 10, 3), "Plataforma Regional de Movilidad (demo)",
        ["VE", "CO", "PE", "EC"], ["latin_america_caribbean"],
        ["migrant-protection", "labour-migration"], _source("migracion-venezolana-integracion"),
        (60, 110, 150),
        {
            "es": ("Integración de la población venezolana en países vecinos",
                   "Acceso a documentos, empleo, salud y escuela de las personas venezolanas en "
                   "tres países de acogida, y el papel de sus propias asociaciones.",
                   [*_p("La regularización masiva abrió el acceso al empleo formal, pero muchos "
                        "profesionales siguen en trabajos por debajo de su formación por la "
                        "lentitud en el reconocimiento de títulos.",
                        "Las asociaciones de la diáspora venezolana orientan a los recién "
                        "llegados y median con los servicios públicos; casi ninguna recibe "
                        "financiación estable."),
                    _figures(("6,5 millones", "personas venezolanas en la región"),
                             ("1 de 3", "profesionales trabaja en su campo"))]),
            "en": ("Integration of Venezuelans in neighbouring countries",
                   "Access to documents, jobs, health care and schools for Venezuelans in three "
                   "host countries, and the role of their own associations.",
                   [*_p("Mass regularisation opened access to formal jobs, but many professionals "
                        "still work below their qualifications because recognition of diplomas "
                        "is slow.",
                        "Venezuelan diaspora associations guide newcomers and mediate with public "
                        "services; almost none has stable funding."),
                    _figures(("6.5 million", "Venezuelans in the region"),
                             ("1 in 3", "professionals works in their field"))]),
            "fr": ("Intégration des Vénézuéliens dans les pays voisins",
                   "Accès aux papiers, à l'emploi, à la santé et à l'école des Vénézuéliens dans "
                   "trois pays d'accueil, et rôle de leurs propres associations.",
                   [*_p("La régularisation massive a ouvert l'accès à l'emploi formel, mais "
                        "beaucoup de diplômés occupent encore des postes sous leur qualification, "
                        "la reconnaissance des diplômes étant lente.",
                        "Les associations de la diaspora vénézuélienne orientent les nouveaux "
                        "arrivants et font le lien avec les services publics ; presque aucune n'a "
                        "de financement stable."),
                    _figures(("6,5 millions", "Vénézuéliens dans la région"),
                             ("1 sur 3", "diplômés travaille dans son domaine"))]),
        },
    ),
    "programa-tres-por-uno": (
        "case_study", date(2015, 3, 9), "Red de Clubes de Migrantes (demo)", ["MX"],
        ["latin_america_caribbean", "north_america"], ["diaspora-associations", "philanthropy"],
        _source("programa-tres-por-uno"), None,
        {
            "es": ("Clubes de migrantes y fondos de contrapartida",
                   "Quince años de un programa en que cada peso aportado por un club de "
                   "migrantes se iguala con fondos municipales, estatales y federales.",
                   [*_p("Los clubes proponen obras para sus comunidades de origen: caminos, "
                        "agua potable, becas, pequeñas empresas. Un comité mixto aprueba y "
                        "supervisa.",
                        "El programa fortaleció la organización de los clubes, pero las "
                        "comunidades más pobres, con menos emigrantes organizados, recibieron "
                        "menos obras."),
                    _quote("El club nos dio una voz ante el municipio que nunca habíamos tenido.",
                           "Presidente de un club en Chicago")]),
        },
    ),
    "reconocimiento-de-titulos-retorno": (
        "policy", date(2023, 6, 19), "Ministerio de Educación Superior (demo)", ["EC", "BO"],
        ["latin_america_caribbean"], ["recognition-of-qualifications", "return-and-reintegration"],
        _source("reconocimiento-de-titulos-retorno"), None,
        {
            "es": ("Reconocimiento ágil de títulos para quienes retornan",
                   "Un procedimiento en línea, con plazos máximos y sin traducciones juradas "
                   "para los títulos de universidades acreditadas.",
                   [*_p("Los títulos de universidades incluidas en una lista de acreditación se "
                        "reconocen de forma automática en treinta días.",
                        "Para los demás, una comisión evalúa el expediente y puede pedir una "
                        "prueba de conocimientos en lugar de repetir estudios.")]),
        },
    ),
    "diaspora-cientifica-redes": (
        "toolkit", date(2020, 5, 11), "Consejo Nacional de Ciencia (demo)", ["AR", "CO"],
        ["latin_america_caribbean"], ["knowledge-networks", "skills-transfer"],
        _source("diaspora-cientifica-redes"), None,
        {
            "es": ("Cómo construir una red de científicos en el exterior",
                   "Pasos para que un organismo de ciencia identifique a sus investigadores en el "
                   "exterior y cree con ellos proyectos, codirecciones de tesis y estancias.",
                   [_heading("Encontrar a las personas"),
                    *_p("Las bases de publicaciones y las asociaciones de estudiantes en el "
                        "exterior permiten identificar a buena parte de los investigadores."),
                    _heading("Darles algo que hacer"),
                    *_p("Una red sin proyectos se apaga. Las convocatorias de codirección de tesis "
                        "y de estancias cortas son las que más participación generaron."),
                    _figures(("2.300", "investigadores identificados"),
                             ("140", "tesis codirigidas en cinco años"))]),
        },
    ),
    "datos-remesas-centroamerica": (
        "dataset", date(2025, 3, 31), "Observatorio Regional de Remesas (demo)",
        ["GT", "HN", "SV", "NI"], ["latin_america_caribbean"], ["remittances"],
        _source("datos-remesas-centroamerica"), None,
        {
            "es": ("Remesas mensuales hacia Centroamérica, 2015-2024",
                   "Serie mensual de remesas recibidas por cuatro países, en dólares corrientes, "
                   "con su peso en el producto interno bruto.",
                   [*_p("La serie proviene de los bancos centrales y se publica en formato CSV, "
                        "con una fila por país y mes.",
                        "Las remesas superan en los cuatro países a la inversión extranjera "
                        "directa; en dos de ellos representan más de la cuarta parte del PIB."),
                    _table("Remesas en 2024", ["País", "Millones de USD", "% del PIB"],
                           ["Guatemala", "21.500", "19%"], ["Honduras", "9.700", "26%"],
                           ["El Salvador", "8.500", "24%"], ["Nicaragua", "5.200", "27%"])]),
        },
    ),
    "video-retorno-emprendedor": (
        "video", date(2023, 11, 7), "Programa Retorno Productivo (demo)", ["PE"],
        ["latin_america_caribbean"], ["return-and-reintegration", "diaspora-investment"],
        "https://www.youtube.com/watch?v=aqz-KE-bpKQ", None,
        {
            "es": ("Volver y emprender: tres historias",
                   "Tres personas que regresaron de Europa cuentan cómo abrieron su negocio con "
                   "lo que aprendieron fuera.",
                   [*_p("Una panadería, un taller de reparación de bicicletas y una agencia de "
                        "turismo rural: tres proyectos y los apoyos que los hicieron posibles."),
                    {"type": "embed", "value": "https://www.youtube.com/watch?v=aqz-KE-bpKQ"}]),
        },
    ),
    "noticia-consulados-moviles": (
        "news", date(2026, 5, 12), "Diaspora Hub demo", ["DO"], ["latin_america_caribbean",
        "north_america"], ["consular-services"], _source("noticia-consulados-moviles"), None,
        {
            "es": ("Consulados móviles llegan a ciudades sin representación",
                   "Equipos consulares recorrerán doce ciudades para emitir pasaportes y "
                   "documentos de identidad a quienes viven lejos de un consulado.",
                   _p("Cada jornada atiende con cita previa. Se recomienda llevar el documento "
                      "anterior y una prueba de domicilio.",
                      "El calendario de las visitas se publica en la página del consulado y se "
                      "difunde por las asociaciones de cada ciudad.")),
            "en": ("Mobile consulates reach cities without a mission",
                   "Consular teams will tour twelve cities to issue passports and identity "
                   "documents to people who live far from a consulate.",
                   _p("Each visit serves people by appointment. Bring your previous document and "
                      "proof of address.",
                      "The calendar of visits is published on the consulate's page and shared "
                      "through the associations of each city.")),
        },
    ),
    "mujeres-migrantes-liderazgo": (
        "training_material", date(2024, 3, 8), "Colectiva de Mujeres Migrantes (demo)",
        ["BO", "PY", "AR"], ["latin_america_caribbean"],
        ["womens-entrepreneurship", "diaspora-associations"],
        _source("mujeres-migrantes-liderazgo"), None,
        {
            "es": ("Liderazgo de mujeres migrantes: guía de facilitación",
                   "Ocho encuentros para que mujeres migrantes asuman responsabilidades en sus "
                   "asociaciones y en espacios de diálogo con las autoridades.",
                   [*_p("La guía parte de las experiencias de las participantes y propone "
                        "ejercicios para hablar en público, negociar y organizar reuniones.",
                        "Incluye recomendaciones prácticas sobre cuidado infantil durante los "
                        "encuentros, sin el cual muchas mujeres no podrían asistir.")]),
        },
    ),
    "politica-vinculacion-paraguay": (
        "policy", date(2016, 9, 26), "Secretaría de Desarrollo para Repatriados (demo)", ["PY"],
        ["latin_america_caribbean"], ["diaspora-institutions", "diaspora-engagement"],
        _source("politica-vinculacion-paraguay"), None,
        {
            "es": ("Una política de vinculación con los connacionales en el exterior",
                   "Principios, instituciones y programas de una política pública para la "
                   "diáspora, desde la documentación hasta el retorno.",
                   _p("La política crea una mesa de diálogo con las asociaciones de la diáspora "
                      "que se reúne dos veces al año y publica sus actas.",
                      "Los programas se agrupan en cuatro ejes: documentación, participación, "
                      "inversión y retorno.")),
        },
    ),
    "salud-mental-migrantes-retornados": (
        "case_study", date(2018, 2, 20), "Universidad del Pacífico (demo)", ["EC", "CO"],
        ["latin_america_caribbean"], ["health", "return-and-reintegration"],
        _source("salud-mental-migrantes-retornados"), None,
        {
            "es": ("Salud mental de personas retornadas: una experiencia comunitaria",
                   "Grupos de apoyo mutuo en centros de salud para personas que regresaron "
                   "tras años fuera, algunas tras una deportación.",
                   [*_p("Los grupos se reúnen cada semana con una psicóloga y una persona "
                        "retornada formada como facilitadora.",
                        "Tras seis meses, las participantes refieren menos aislamiento y más "
                        "contacto con servicios de empleo."),
                    _quote("Aquí nadie me pregunta por qué volví.", "Participante de un grupo")]),
        },
    ),
    "inversion-diaspora-vivienda-social": (
        "report", date(2017, 12, 4), "Banco de Desarrollo Regional (demo)", ["SV", "DO"],
        ["latin_america_caribbean"], ["diaspora-investment"],
        _source("inversion-diaspora-vivienda-social"), None,
        {
            "es": ("Remesas, diáspora y vivienda: instrumentos financieros",
                   "Un análisis de los créditos hipotecarios para emigrantes y de los fondos de "
                   "vivienda abiertos a la inversión de la diáspora.",
                   _p("Los créditos hipotecarios para emigrantes crecieron cuando se aceptaron "
                      "las remesas como prueba de ingresos.",
                      "Los fondos de inversión en vivienda atrajeron poco ahorro de la diáspora: "
                      "los inversores prefieren comprar una casa propia.")),
        },
    ),
    "guia-consular-emergencias": (
        "toolkit", date(2025, 8, 25), "Cancillería (demo)", ["PE", "VE"],
        ["latin_america_caribbean"], ["consular-services", "migrant-protection"],
        _source("guia-consular-emergencias"), None,
        {
            "es": ("Qué hace (y qué no) tu consulado en una emergencia",
                   "Una guía para ciudadanos en el exterior: detención, hospitalización, pérdida "
                   "de documentos, fallecimiento de un familiar.",
                   [*_p("El consulado puede visitarte si estás detenido, avisar a tu familia y "
                        "darte una lista de abogados; no puede pagar tu defensa ni sacarte de la "
                        "cárcel.",
                        "Si pierdes el pasaporte, el consulado emite un salvoconducto en el día "
                        "para que puedas volver.")]),
        },
    ),
    # --- Arabic originals ----------------------------------------------------------------------
    "dalil-istithmar-almughtaribin": (
        "toolkit", date(2022, 1, 17), "هيئة تشجيع الاستثمار (تجريبي)", ["EG", "JO"],
        ["middle_east_north_africa"], ["diaspora-investment", "financial-literacy"],
        _source("dalil-istithmar-almughtaribin"), (110, 50, 20),
        {
            "ar": ("دليل المغترب إلى الاستثمار في وطنه",
                   "خطوات عملية للمغتربين الذين يريدون تأسيس مشروع أو الاستثمار في شركة قائمة "
                   "في بلدهم الأصلي، من دراسة الجدوى إلى التسجيل.",
                   [_heading("قبل أن تبدأ"),
                    *_p("ادرس السوق المحلية بنفسك أو عبر جهة مستقلة، ولا تكتفِ برأي الأقارب. "
                        "فالكثير من المشاريع تعثّر لأن صاحبها افترض أن ما ينجح في بلد الإقامة "
                        "سينجح في الوطن.",
                        "افصل بين من يدير المال ومن يدير العمل، واطلب تقارير شهرية مكتوبة."),
                    _heading("التسجيل والحماية"),
                    *_p("تتيح النافذة الموحدة للاستثمار تسجيل الشركة عن بعد بتوكيل محدد المدة. "
                        "احتفظ بنسخ من جميع العقود لدى محامٍ تثق به."),
                    _figures(("30", "يومًا لتسجيل الشركة عبر النافذة الموحدة"),
                             ("3", "أشخاص منفصلون للمال والحسابات والإدارة"))]),
            "en": ("An emigrant's guide to investing at home",
                   "Practical steps for emigrants who want to start a business or invest in an "
                   "existing company in their country of origin, from feasibility to "
                   "registration.",
                   [_heading("Before you start"),
                    *_p("Study the local market yourself or through an independent body, not "
                        "only through relatives. Many projects failed because their owner assumed "
                        "that what works in the country of residence would work at home.",
                        "Keep the person who handles the money apart from the person who runs "
                        "the work, and ask for written monthly reports."),
                    _heading("Registration and protection"),
                    *_p("The one-stop investment window registers a company remotely with a "
                        "time-limited power of attorney. Keep copies of every contract with a "
                        "lawyer you trust."),
                    _figures(("30", "days to register a company through the one-stop window"),
                             ("3", "separate people for money, accounts and management"))]),
            "fr": ("Guide de l'investissement au pays pour les émigrés",
                   "Des étapes pratiques pour les émigrés qui veulent créer une entreprise ou "
                   "investir dans une société existante dans leur pays d'origine.",
                   [_heading("Avant de commencer"),
                    *_p("Étudiez le marché local vous-même ou par un organisme indépendant, pas "
                        "seulement par des proches. Beaucoup de projets ont échoué parce que leur "
                        "porteur supposait que ce qui marche dans le pays de résidence marcherait "
                        "au pays.",
                        "Séparez la personne qui gère l'argent de celle qui dirige le travail, et "
                        "demandez des rapports mensuels écrits."),
                    _heading("Immatriculation et protection"),
                    *_p("Le guichet unique de l'investissement immatricule une société à distance "
                        "avec une procuration limitée dans le temps. Gardez des copies de tous "
                        "les contrats chez un avocat de confiance."),
                    _figures(("30", "jours pour immatriculer une société au guichet unique"),
                             ("3", "personnes distinctes pour l'argent, les comptes et la "
                              "gestion"))]),
        },
    ),
    "tahwilat-lubnan-azma": (
        "report", date(2021, 9, 13), "مرصد الاقتصاد الاجتماعي (تجريبي)", ["LB"],
        ["middle_east_north_africa"], ["remittances", "crisis-response"],
        _source("tahwilat-lubnan-azma"), None,
        {
            "ar": ("التحويلات في زمن الأزمة المصرفية",
                   "كيف صارت أموال المغتربين شريان حياة لآلاف الأسر حين انهارت العملة وتجمدت "
                   "الودائع المصرفية.",
                   [*_p("مع تجميد الودائع، تحوّلت التحويلات من دخل إضافي إلى المصدر الرئيسي "
                        "للعيش لدى كثير من الأسر، وانتقل معظمها إلى شركات تحويل الأموال النقدية.",
                        "ارتفعت كلفة التحويل في الأشهر الأولى ثم عادت إلى الانخفاض مع دخول "
                        "شركات جديدة إلى السوق.",
                        "يوصي التقرير بحماية التحويلات من أي اقتطاع وبإتاحة تسلّمها بالعملة "
                        "التي أُرسلت بها."),
                    _figures(("1 من 3", "أسر تعتمد على التحويلات"),
                             ("6.8 مليار", "دولار في عام"))]),
        },
    ),
    "shabakat-alatibba-almughtaribin": (
        "case_study", date(2019, 3, 25), "جمعية الأطباء المغتربين (تجريبي)", ["SD", "EG"],
        ["middle_east_north_africa", "east_horn_africa"], ["health", "skills-transfer"],
        _source("shabakat-alatibba-almughtaribin"), None,
        {
            "ar": ("أطباء المهجر وتدريب الأطباء المقيمين",
                   "برنامج يتطوع فيه أطباء مغتربون بتدريس الأطباء المقيمين في المستشفيات "
                   "الجامعية عن بعد وخلال زيارات قصيرة.",
                   [*_p("يقدّم الأطباء المتطوعون محاضرات أسبوعية عبر الإنترنت ويزورون المستشفيات "
                        "مرتين في السنة لتدريب عملي في غرف العمليات.",
                        "ساعد البرنامج على فتح تخصصات لم يكن التدريب عليها متاحًا محليًا، مثل "
                        "جراحة الأطفال والعناية المركزة لحديثي الولادة."),
                    _quote("تعلّمتُ من أستاذي المغترب ما لم أجده في الكتب: كيف أتخذ القرار حين "
                           "تكون الموارد قليلة.", "طبيبة مقيمة")]),
        },
    ),
    "siyasat-almughtaribin-alurdun": (
        "policy", date(2020, 10, 5), "وزارة الخارجية وشؤون المغتربين (تجريبي)", ["JO"],
        ["middle_east_north_africa"], ["diaspora-institutions", "diaspora-engagement"],
        _source("siyasat-almughtaribin-alurdun"), None,
        {
            "ar": ("الاستراتيجية الوطنية للتواصل مع المغتربين",
                   "أهداف الاستراتيجية ومحاورها وآليات متابعتها، من تسهيل المعاملات القنصلية "
                   "إلى إشراك الكفاءات المغتربة في التنمية.",
                   [*_p("تقوم الاستراتيجية على أربعة محاور: الخدمات، والتواصل، والاستثمار، "
                        "ونقل المعرفة، ولكل محور جهة مسؤولة ومؤشرات تُنشر سنويًا.",
                        "يُنشأ مجلس استشاري يضم ممثلين عن الجاليات في البلدان الرئيسية للإقامة، "
                        "ويجتمع مرة في السنة على الأقل.")]),
            "fr": ("La stratégie nationale envers les expatriés",
                   "Les objectifs, les axes et le suivi de la stratégie, de la simplification des "
                   "démarches consulaires à la participation des compétences expatriées.",
                   [*_p("La stratégie repose sur quatre axes : services, communication, "
                        "investissement et transfert de connaissances, chacun avec un "
                        "responsable et des indicateurs publiés chaque année.",
                        "Un conseil consultatif réunit des représentants des communautés dans les "
                        "principaux pays de résidence au moins une fois par an.")]),
        },
    ),
    "tadrib-aljamiyat-alhawkama": (
        "training_material", date(2017, 4, 18), "اتحاد الجاليات العربية (تجريبي)", ["IQ", "SY"],
        ["middle_east_north_africa"], ["diaspora-associations", "knowledge-networks"],
        _source("tadrib-aljamiyat-alhawkama"), None,
        {
            "ar": ("بناء القدرات القيادية في الجاليات",
                   "برنامج تدريبي من ست جلسات لقادة الجاليات الجدد حول التخطيط والتواصل وبناء "
                   "الشراكات مع المؤسسات.",
                   [*_p("صُمّم البرنامج لقادة متطوعين لديهم وقت محدود، فتُعقد الجلسات مساءً "
                        "وتستمر ساعتين.",
                        "تركّز الجلسة الأخيرة على كتابة طلب تمويل صغير، ويخرج كل مشارك بمسودة "
                        "جاهزة للتقديم.")]),
        },
    ),
    "bayanat-alhijra-almaghreb": (
        "dataset", date(2022, 12, 19), "المرصد العربي للهجرة (تجريبي)", ["MA", "DZ", "TN", "EG"],
        ["middle_east_north_africa"], ["diaspora-mapping", "labour-migration"],
        _source("bayanat-alhijra-almaghreb"), None,
        {
            "ar": ("أعداد المهاجرين من شمال أفريقيا حسب بلد الإقامة",
                   "تقديرات سنوية لأعداد المهاجرين من أربعة بلدان في شمال أفريقيا، موزعة على "
                   "بلدان الإقامة والجنس والفئة العمرية.",
                   [*_p("تعتمد البيانات على إحصاءات بلدان الإقامة، وتُنشر بصيغة مفتوحة مع شرح "
                        "للمنهجية وحدودها.",
                        "تظهر السلسلة تنوعًا متزايدًا في بلدان الإقامة خلال العقد الأخير، مع "
                        "نمو الهجرة إلى كندا ودول الخليج."),
                    _table("أكبر ثلاث وجهات لكل بلد", ["البلد", "الوجهات"],
                           ["المغرب", "فرنسا، إسبانيا، إيطاليا"],
                           ["الجزائر", "فرنسا، إسبانيا، كندا"],
                           ["تونس", "فرنسا، إيطاليا، ألمانيا"],
                           ["مصر", "السعودية، الإمارات، الكويت"])]),
        },
    ),
    "khabar-almultaqa-alsanawi": (
        "news", date(2026, 7, 6), "مركز المغتربين (تجريبي)", ["TN"], ["middle_east_north_africa"],
        ["diaspora-engagement"], _source("khabar-almultaqa-alsanawi"), None,
        {
            "ar": ("الملتقى السنوي للكفاءات المغتربة يفتح باب التسجيل",
                   "يجمع الملتقى هذا الصيف أكثر من خمسمئة مغترب مع المؤسسات العامة والشركات "
                   "حول مشاريع ملموسة.",
                   _p("يتضمن البرنامج ورشات عمل حسب القطاعات ولقاءات ثنائية مع المؤسسات الباحثة "
                      "عن خبرات، ويُغلق التسجيل في نهاية الشهر.",
                      "وتُنشر قائمة المشاريع المعروضة مسبقًا ليختار كل مشارك ما يناسب خبرته.")),
            "fr": ("Les rencontres annuelles des compétences expatriées ouvrent les inscriptions",
                   "Plus de cinq cents expatriés rencontreront cet été institutions publiques et "
                   "entreprises autour de projets concrets.",
                   _p("Le programme comprend des ateliers par secteur et des rendez-vous avec les "
                      "institutions qui cherchent des compétences ; les inscriptions ferment à la "
                      "fin du mois.",
                      "La liste des projets proposés est publiée à l'avance pour que chacun "
                      "choisisse ce qui correspond à son expérience.")),
        },
    ),
    "fidyu-aljil-althani": (
        "video", date(2024, 7, 22), "شبكة شباب المهجر (تجريبي)", ["LB", "SY"],
        ["middle_east_north_africa"], ["youth", "diaspora-engagement"],
        "https://vimeo.com/76979871", None,
        {
            "ar": ("الجيل الثاني: بين لغتين وبلدين",
                   "شباب وُلدوا في المهجر يتحدثون عن اللغة والهوية وعلاقتهم ببلد آبائهم.",
                   [*_p("فيلم قصير صُوّر في ثلاث مدن، يرافق شبابًا يتعلمون العربية ويشاركون في "
                        "مشاريع تطوعية خلال زياراتهم الصيفية."),
                    {"type": "embed", "value": "https://vimeo.com/76979871"}]),
        },
    ),
    "himayat-alummal-almuhajirin": (
        "toolkit", date(2018, 5, 14), "مبادرة حماية العمال المهاجرين (تجريبي)", ["EG", "YE"],
        ["middle_east_north_africa"], ["migrant-protection", "labour-migration"],
        _source("himayat-alummal-almuhajirin"), None,
        {
            "ar": ("قبل السفر للعمل: ما يجب أن تعرفه",
                   "دليل مبسط للعمال الذين يستعدون للعمل في الخارج: العقد، ورسوم الاستقدام، "
                   "وجواز السفر، وأين تطلب المساعدة.",
                   [*_p("لا تدفع رسوم استقدام لأي وسيط: القانون يحمّلها لصاحب العمل. واطلب نسخة "
                        "من العقد بلغة تفهمها قبل السفر.",
                        "جواز سفرك ملكك، ولا يحق لصاحب العمل الاحتفاظ به. احفظ صورة منه ومن عقدك "
                        "في هاتفك وأرسل نسخة إلى أحد أفراد أسرتك.",
                        "سجّل رقم السفارة والخط الساخن لوزارة العمل قبل أن تسافر.")]),
        },
    ),
    "altaalim-alaali-wal-mughtaribin": (
        "report", date(2023, 4, 3), "جامعة الشرق للدراسات (تجريبي)", ["IQ", "JO", "PS"],
        ["middle_east_north_africa"], ["knowledge-networks", "recognition-of-qualifications"],
        _source("altaalim-alaali-wal-mughtaribin"), None,
        {
            "ar": ("الأكاديميون المغتربون والجامعات الوطنية",
                   "مسح لتعاون الأكاديميين المغتربين مع جامعات بلدانهم: الإشراف المشترك، "
                   "والتدريس عن بعد، والبحوث المشتركة.",
                   [*_p("أبدى ثلاثة أرباع المشاركين استعدادًا للتعاون، لكن أقل من الثلث تلقّى "
                        "دعوة رسمية من جامعة في بلده.",
                        "أكثر ما يعيق التعاون هو بطء الإجراءات الإدارية وعدم الاعتراف بالتدريس "
                        "عن بعد في احتساب الساعات."),
                    _figures(("75%", "مستعدون للتعاون"), ("28%", "تلقوا دعوة رسمية"))]),
            "en": ("Academics abroad and national universities",
                   "A survey of how academics abroad work with universities in their countries "
                   "of origin: joint supervision, remote teaching and joint research.",
                   [*_p("Three quarters of respondents were willing to work with a university at "
                        "home, but fewer than a third had ever received a formal invitation.",
                        "The main obstacles are slow administrative procedures and remote teaching "
                        "that does not count towards teaching hours."),
                    _figures(("75%", "willing to work together"),
                             ("28%", "received a formal invitation"))]),
        },
    ),
    "alttahwil-alraqami-lilmaghtarib": (
        "training_material", date(2025, 2, 10), "أكاديمية الشمول المالي (تجريبي)", ["MA", "EG"],
        ["middle_east_north_africa"], ["digital-inclusion", "remittances"],
        _source("alttahwil-alraqami-lilmaghtarib"), None,
        {
            "ar": ("التحويل الرقمي الآمن: دورة قصيرة",
                   "ثلاث جلسات لتعليم المغتربين وأسرهم استعمال تطبيقات التحويل بأمان ومقارنة "
                   "كلفتها.",
                   _p("تشرح الجلسة الأولى كيف تقرأ سعر الصرف والرسوم قبل التأكيد، والثانية كيف "
                      "تحمي حسابك من الاحتيال، والثالثة كيف تستلم الأسرة المال دون التنقل.",
                      "تُقدَّم الجلسات في المراكز الثقافية والجمعيات، ويشارك فيها أفراد الأسرة "
                      "عبر الهاتف من البلد الأصلي.")),
        },
    ),
    "dirasat-hala-alawda-altawiya": (
        "case_study", date(2016, 11, 28), "المنظمة الإقليمية للعودة الطوعية (تجريبي)",
        ["IQ"], ["middle_east_north_africa"], ["return-and-reintegration"],
        _source("dirasat-hala-alawda-altawiya"), None,
        {
            "ar": ("العودة الطوعية وإعادة الإدماج في المجتمع المحلي",
                   "تجربة ربطت دعم العائدين بمشاريع تفيد المجتمع المستقبِل كله، لتجنّب شعور "
                   "الجيران بالتمييز.",
                   [*_p("بدل منح العائدين وحدهم، موّل البرنامج مشاريع صغيرة يعمل فيها عائدون "
                        "وسكان محليون معًا، مثل ورش الصيانة ومشاغل الخياطة.",
                        "بعد عامين، كانت نسبة المشاريع المستمرة أعلى من برامج الدعم الفردي، "
                        "وتحسّنت العلاقة بين العائدين وجيرانهم.")]),
        },
    ),
    "qanun-aljinsiya-almuzdawaja": (
        "policy", date(2015, 6, 15), "مجلس النواب (تجريبي)", ["LB", "SY"],
        ["middle_east_north_africa"], ["dual-citizenship-and-voting", "citizenship-and-rights"],
        _source("qanun-aljinsiya-almuzdawaja"), None,
        {
            "ar": ("استعادة الجنسية لأبناء المغتربين",
                   "قانون يتيح لأحفاد المهاجرين استعادة جنسية أجدادهم بإجراءات مبسطة أمام "
                   "القنصليات.",
                   _p("يكفي تقديم ما يثبت النسب إلى جدّ أو جدة من حمَلة الجنسية، ويُبتّ في الطلب "
                      "خلال سنة.",
                      "لا يشترط القانون التخلي عن جنسية بلد الإقامة.")),
        },
    ),
    "almarah-almughtariba-riyadat": (
        "report", date(2024, 12, 2), "شبكة رائدات الأعمال المغتربات (تجريبي)", ["JO", "PS", "EG"],
        ["middle_east_north_africa"], ["womens-entrepreneurship", "diaspora-investment"],
        _source("almarah-almughtariba-riyadat"), (150, 40, 90),
        {
            "ar": ("رائدات أعمال في المهجر والوطن",
                   "دراسة عن نساء مغتربات أسّسن مشاريع في بلدانهن الأصلية: القطاعات، والتمويل، "
                   "والعقبات الخاصة بهن.",
                   [*_p("تتركز المشاريع في التعليم والصحة والصناعات الغذائية، ويموّل معظمها من "
                        "مدخرات شخصية وعائلية.",
                        "تذكر المشاركات صعوبة الحصول على قروض دون ضامن ذكر، وتطلب برامج ضمان "
                        "مخصصة.",
                        "تقترح الدراسة صندوق ضمان مشتركًا وشبكة إرشاد بين رائدات الأعمال.")]),
        },
    ),
}  # fmt: skip
