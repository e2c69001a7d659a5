"""Seeds the diaspora-policy topic taxonomy in English, French, Spanish and Arabic.

Every database gets it (production, a fresh install, every temporary test database), not only
the demo: apps tag with these concepts from their first day. Each concept is one row per
language sharing a translation key derived from its slug, so the same concept has the same key
on every install. Languages the site does not offer (`WAGTAIL_CONTENT_LANGUAGES`) are skipped;
the Wagtail locales of the ones it offers are created if missing (Wagtail's own migration only
creates the default one). Rows already present (same slug and locale) are left as editors made
them, so running it again adds only what is missing.

The data is frozen here on purpose: later edits belong to editors (the Topics snippet), later
additions to a new migration.

Editors get to add and change topics, moderators and administrators also to delete them.
"""

import uuid

from django.conf import settings
from django.db import migrations

TRANSLATION_NAMESPACE = uuid.UUID("5b0f3c1e-2a53-4c1e-9d6f-1f4f5c1b7a20")

# slug, parent slug, {language: (label, description, synonyms)}
TOPICS = [
    (
        "finance-and-investment",
        None,
        {
            "en": (
                "Finance and investment",
                "Money flows between diasporas and their countries of origin, and the "
                "products that channel them.",
                ["diaspora finance", "financial flows", "diaspora capital"],
            ),
            "fr": (
                "Finance et investissement",
                "Les flux d'argent entre les diasporas et leurs pays d'origine, et les "
                "produits qui les canalisent.",
                ["finance de la diaspora", "flux financiers", "capitaux de la diaspora"],
            ),
            "es": (
                "Finanzas e inversión",
                "Los flujos de dinero entre las diásporas y sus países de origen, y los "
                "productos que los canalizan.",
                ["finanzas de la diáspora", "flujos financieros", "capital de la diáspora"],
            ),
            "ar": (
                "التمويل والاستثمار",
                "التدفقات المالية بين المغتربين وبلدانهم الأصلية، والأدوات التي توجّهها.",
                ["تمويل المغتربين", "التدفقات المالية", "رؤوس أموال الجاليات"],
            ),
        },
    ),
    (
        "remittances",
        "finance-and-investment",
        {
            "en": (
                "Remittances",
                "Money that migrants send to their families and communities in their "
                "country of origin, and what it costs to send it.",
                [
                    "money transfers",
                    "sending money home",
                    "remittance costs",
                    "migrant transfers",
                    "mobile money transfers",
                ],
            ),
            "fr": (
                "Transferts de fonds",
                "L'argent que les migrants envoient à leur famille et à leur communauté "
                "dans le pays d'origine, et ce que coûte l'envoi.",
                [
                    "envois de fonds",
                    "transferts d'argent",
                    "remises migratoires",
                    "envoi d'argent au pays",
                    "coût des transferts",
                ],
            ),
            "es": (
                "Remesas",
                "El dinero que las personas migrantes envían a sus familias y comunidades "
                "en el país de origen, y lo que cuesta enviarlo.",
                [
                    "envíos de dinero",
                    "transferencias de dinero",
                    "giros",
                    "costo de las remesas",
                    "remesas familiares",
                ],
            ),
            "ar": (
                "التحويلات المالية",
                "الأموال التي يرسلها المهاجرون إلى أسرهم ومجتمعاتهم في بلدانهم الأصلية، "
                "وتكلفة إرسالها.",
                [
                    "تحويلات المغتربين",
                    "الحوالات",
                    "تحويل الأموال",
                    "إرسال الأموال إلى الوطن",
                    "تكلفة التحويلات",
                ],
            ),
        },
    ),
    (
        "diaspora-bonds",
        "finance-and-investment",
        {
            "en": (
                "Diaspora bonds",
                "Bonds issued by a government or a bank and sold to the diaspora to finance "
                "development at home.",
                ["diaspora savings bonds", "sovereign bonds for the diaspora", "patriotic bonds"],
            ),
            "fr": (
                "Obligations de la diaspora",
                "Des obligations émises par l'État ou une banque et vendues à la diaspora "
                "pour financer le développement du pays.",
                [
                    "obligations diaspora",
                    "emprunt diaspora",
                    "titres de la diaspora",
                    "obligations patriotiques",
                ],
            ),
            "es": (
                "Bonos de la diáspora",
                "Bonos emitidos por el Estado o por un banco y vendidos a la diáspora para "
                "financiar el desarrollo del país.",
                ["bonos diáspora", "bonos soberanos para la diáspora", "bonos patrióticos"],
            ),
            "ar": (
                "سندات المغتربين",
                "سندات تصدرها الدولة أو المصارف وتُباع لأبناء الجالية في الخارج لتمويل "
                "التنمية في الوطن.",
                ["سندات الجاليات", "سندات الشتات", "السندات السيادية للمغتربين"],
            ),
        },
    ),
    (
        "diaspora-investment",
        "finance-and-investment",
        {
            "en": (
                "Diaspora investment",
                "Investment by diaspora members in businesses, property and projects in "
                "their country of origin.",
                [
                    "diaspora direct investment",
                    "investing back home",
                    "diaspora entrepreneurs",
                    "impact investment",
                ],
            ),
            "fr": (
                "Investissement de la diaspora",
                "Les investissements des membres de la diaspora dans des entreprises, de "
                "l'immobilier et des projets de leur pays d'origine.",
                [
                    "investissement direct de la diaspora",
                    "investir au pays",
                    "entrepreneurs de la diaspora",
                    "investissement à impact",
                ],
            ),
            "es": (
                "Inversión de la diáspora",
                "Inversiones de miembros de la diáspora en empresas, inmuebles y proyectos "
                "de su país de origen.",
                [
                    "inversión directa de la diáspora",
                    "invertir en el país de origen",
                    "emprendedores de la diáspora",
                    "inversión de impacto",
                ],
            ),
            "ar": (
                "استثمار المغتربين",
                "استثمارات أبناء الجالية في الشركات والعقارات والمشاريع في بلدانهم الأصلية.",
                [
                    "الاستثمار المباشر للمغتربين",
                    "الاستثمار في الوطن",
                    "رواد الأعمال المغتربون",
                    "الاستثمار المؤثر",
                ],
            ),
        },
    ),
    (
        "womens-entrepreneurship",
        "finance-and-investment",
        {
            "en": (
                "Women's entrepreneurship",
                "Support for women of the diaspora who start and grow businesses, at home "
                "or abroad.",
                [
                    "women entrepreneurs",
                    "women-led businesses",
                    "female entrepreneurship",
                    "women's economic empowerment",
                ],
            ),
            "fr": (
                "Entrepreneuriat féminin",
                "Le soutien aux femmes de la diaspora qui créent et développent des "
                "entreprises, au pays ou à l'étranger.",
                [
                    "femmes entrepreneures",
                    "entreprises dirigées par des femmes",
                    "autonomisation économique des femmes",
                    "entrepreneuriat des femmes",
                ],
            ),
            "es": (
                "Emprendimiento femenino",
                "Apoyo a las mujeres de la diáspora que crean y hacen crecer empresas, en "
                "su país o en el extranjero.",
                [
                    "mujeres emprendedoras",
                    "empresas lideradas por mujeres",
                    "empoderamiento económico de las mujeres",
                    "emprendimiento de mujeres",
                ],
            ),
            "ar": (
                "ريادة الأعمال النسائية",
                "دعم نساء الجالية اللواتي يُنشئن المشاريع ويطوّرنها في الوطن أو في الخارج.",
                [
                    "رائدات الأعمال",
                    "المشاريع التي تقودها النساء",
                    "التمكين الاقتصادي للمرأة",
                    "سيدات الأعمال",
                ],
            ),
        },
    ),
    (
        "financial-literacy",
        "finance-and-investment",
        {
            "en": (
                "Financial literacy",
                "Helping migrants and their families manage money, save, borrow and "
                "compare transfer services.",
                ["financial education", "money management", "savings", "financial inclusion"],
            ),
            "fr": (
                "Éducation financière",
                "Aider les migrants et leurs familles à gérer leur argent, à épargner, à "
                "emprunter et à comparer les services de transfert.",
                [
                    "culture financière",
                    "littératie financière",
                    "gestion du budget",
                    "épargne",
                    "inclusion financière",
                ],
            ),
            "es": (
                "Educación financiera",
                "Ayudar a las personas migrantes y a sus familias a administrar su dinero, "
                "ahorrar, pedir préstamos y comparar servicios de envío.",
                [
                    "alfabetización financiera",
                    "cultura financiera",
                    "gestión del dinero",
                    "ahorro",
                    "inclusión financiera",
                ],
            ),
            "ar": (
                "الثقافة المالية",
                "مساعدة المهاجرين وأسرهم على إدارة أموالهم والادخار والاقتراض والمقارنة "
                "بين خدمات التحويل.",
                [
                    "التثقيف المالي",
                    "محو الأمية المالية",
                    "إدارة الأموال",
                    "الادخار",
                    "الشمول المالي",
                ],
            ),
        },
    ),
    (
        "philanthropy",
        "finance-and-investment",
        {
            "en": (
                "Diaspora philanthropy",
                "Donations, collective giving and foundations through which diasporas fund "
                "projects at home.",
                [
                    "philanthropy",
                    "charitable giving",
                    "donations",
                    "collective remittances",
                    "diaspora foundations",
                ],
            ),
            "fr": (
                "Philanthropie de la diaspora",
                "Les dons, les collectes et les fondations par lesquels les diasporas "
                "financent des projets au pays.",
                ["philanthropie", "dons", "mécénat", "dons collectifs", "fondations de la diaspora"],
            ),
            "es": (
                "Filantropía de la diáspora",
                "Donaciones, colectas y fundaciones con las que las diásporas financian "
                "proyectos en su país.",
                [
                    "filantropía",
                    "donaciones",
                    "remesas colectivas",
                    "mecenazgo",
                    "fundaciones de la diáspora",
                ],
            ),
            "ar": (
                "العمل الخيري للمغتربين",
                "التبرعات والعطاء الجماعي والمؤسسات التي تموّل بها الجاليات مشاريع في الوطن.",
                ["العمل الخيري", "التبرعات", "العطاء الجماعي", "المؤسسات الخيرية للجاليات"],
            ),
        },
    ),
    (
        "skills-and-knowledge",
        None,
        {
            "en": (
                "Skills and knowledge",
                "How the skills and knowledge of diasporas reach their countries of origin.",
                ["human capital", "brain circulation", "talent"],
            ),
            "fr": (
                "Compétences et savoirs",
                "Comment les compétences et les savoirs des diasporas profitent à leurs "
                "pays d'origine.",
                ["capital humain", "circulation des cerveaux", "talents"],
            ),
            "es": (
                "Capacidades y conocimiento",
                "Cómo las capacidades y los conocimientos de las diásporas llegan a sus "
                "países de origen.",
                ["capital humano", "circulación de talentos", "talento"],
            ),
            "ar": (
                "المهارات والمعارف",
                "كيف تصل مهارات الجاليات ومعارفها إلى بلدانها الأصلية.",
                ["رأس المال البشري", "تدوير الكفاءات", "المواهب"],
            ),
        },
    ),
    (
        "skills-transfer",
        "skills-and-knowledge",
        {
            "en": (
                "Skills transfer",
                "Diaspora professionals sharing their expertise at home through short "
                "missions, volunteering or remote work.",
                [
                    "knowledge transfer",
                    "brain gain",
                    "expert missions",
                    "temporary return of qualified nationals",
                    "diaspora volunteering",
                ],
            ),
            "fr": (
                "Transfert de compétences",
                "Des professionnels de la diaspora qui partagent leur expertise au pays par "
                "des missions courtes, du bénévolat ou le travail à distance.",
                [
                    "transfert de connaissances",
                    "gain de cerveaux",
                    "missions d'experts",
                    "retour temporaire de nationaux qualifiés",
                    "volontariat de la diaspora",
                ],
            ),
            "es": (
                "Transferencia de capacidades",
                "Profesionales de la diáspora que comparten su experiencia en su país "
                "mediante misiones cortas, voluntariado o trabajo a distancia.",
                [
                    "transferencia de conocimientos",
                    "ganancia de cerebros",
                    "misiones de expertos",
                    "retorno temporal de nacionales calificados",
                    "voluntariado de la diáspora",
                ],
            ),
            "ar": (
                "نقل المهارات",
                "مهنيون من الجالية يتقاسمون خبراتهم مع الوطن عبر مهام قصيرة أو العمل "
                "التطوعي أو العمل عن بُعد.",
                [
                    "نقل المعرفة",
                    "نقل الخبرات",
                    "بعثات الخبراء",
                    "العودة المؤقتة للكفاءات",
                    "التطوع في الوطن",
                ],
            ),
        },
    ),
    (
        "knowledge-networks",
        "skills-and-knowledge",
        {
            "en": (
                "Knowledge networks",
                "Networks of diaspora scientists, academics and professionals that work "
                "with institutions at home.",
                [
                    "diaspora networks",
                    "scientific diaspora",
                    "professional networks",
                    "research cooperation",
                    "academic diaspora",
                ],
            ),
            "fr": (
                "Réseaux de savoirs",
                "Les réseaux de scientifiques, d'universitaires et de professionnels de la "
                "diaspora qui travaillent avec les institutions du pays.",
                [
                    "réseaux de la diaspora",
                    "diaspora scientifique",
                    "réseaux professionnels",
                    "coopération scientifique",
                    "réseaux de connaissances",
                ],
            ),
            "es": (
                "Redes de conocimiento",
                "Redes de científicos, académicos y profesionales de la diáspora que "
                "trabajan con las instituciones de su país.",
                [
                    "redes de la diáspora",
                    "diáspora científica",
                    "redes profesionales",
                    "cooperación científica",
                    "redes de talentos",
                ],
            ),
            "ar": (
                "شبكات المعرفة",
                "شبكات العلماء والأكاديميين والمهنيين من الجالية التي تتعاون مع مؤسسات الوطن.",
                [
                    "شبكات المغتربين",
                    "الكفاءات العلمية في الخارج",
                    "الشبكات المهنية",
                    "التعاون العلمي",
                    "شبكات الخبراء",
                ],
            ),
        },
    ),
    (
        "recognition-of-qualifications",
        "skills-and-knowledge",
        {
            "en": (
                "Recognition of qualifications",
                "Getting diplomas, professional licences and skills gained abroad "
                "recognised, in both directions.",
                [
                    "credential recognition",
                    "diploma equivalence",
                    "skills recognition",
                    "foreign qualifications",
                    "accreditation",
                ],
            ),
            "fr": (
                "Reconnaissance des qualifications",
                "Faire reconnaître les diplômes, les titres professionnels et les "
                "compétences acquis à l'étranger, dans les deux sens.",
                [
                    "reconnaissance des diplômes",
                    "équivalence de diplômes",
                    "validation des acquis",
                    "reconnaissance des compétences",
                    "homologation",
                ],
            ),
            "es": (
                "Reconocimiento de títulos",
                "Lograr que se reconozcan los diplomas, las licencias profesionales y las "
                "competencias obtenidos en el extranjero, en ambos sentidos.",
                [
                    "homologación de títulos",
                    "convalidación",
                    "reconocimiento de cualificaciones",
                    "reconocimiento de competencias",
                    "títulos extranjeros",
                ],
            ),
            "ar": (
                "الاعتراف بالمؤهلات",
                "الاعتراف بالشهادات والتراخيص المهنية والمهارات المكتسبة في الخارج، في "
                "الاتجاهين.",
                [
                    "معادلة الشهادات",
                    "الاعتراف بالشهادات",
                    "الاعتراف بالمهارات",
                    "المؤهلات الأجنبية",
                    "اعتماد الشهادات",
                ],
            ),
        },
    ),
    (
        "migration-and-return",
        None,
        {
            "en": (
                "Migration and return",
                "Leaving, living abroad and coming back: the journeys that shape diasporas.",
                ["mobility", "human mobility", "migration governance"],
            ),
            "fr": (
                "Migration et retour",
                "Partir, vivre à l'étranger et revenir : les parcours qui façonnent les "
                "diasporas.",
                ["mobilité", "mobilité humaine", "gouvernance des migrations"],
            ),
            "es": (
                "Migración y retorno",
                "Partir, vivir en el extranjero y volver: los recorridos que dan forma a las "
                "diásporas.",
                ["movilidad", "movilidad humana", "gobernanza migratoria"],
            ),
            "ar": (
                "الهجرة والعودة",
                "الرحيل والعيش في الخارج ثم العودة: المسارات التي تصنع الجاليات.",
                ["التنقل", "التنقل البشري", "حوكمة الهجرة"],
            ),
        },
    ),
    (
        "return-and-reintegration",
        "migration-and-return",
        {
            "en": (
                "Return and reintegration",
                "Support for people who go back to their country of origin to settle, work "
                "or start a business again.",
                [
                    "returnees",
                    "return migration",
                    "voluntary return",
                    "sustainable reintegration",
                    "homecoming",
                ],
            ),
            "fr": (
                "Retour et réintégration",
                "L'accompagnement des personnes qui rentrent dans leur pays d'origine pour "
                "s'y réinstaller, y travailler ou y entreprendre.",
                [
                    "retour au pays",
                    "migrants de retour",
                    "retour volontaire",
                    "réinsertion",
                    "réintégration durable",
                ],
            ),
            "es": (
                "Retorno y reintegración",
                "Apoyo a quienes vuelven a su país de origen para instalarse, trabajar o "
                "emprender de nuevo.",
                [
                    "migrantes retornados",
                    "retorno voluntario",
                    "reinserción",
                    "reintegración sostenible",
                    "volver al país",
                ],
            ),
            "ar": (
                "العودة وإعادة الإدماج",
                "دعم العائدين إلى بلدانهم الأصلية للاستقرار أو العمل أو إطلاق مشاريعهم من "
                "جديد.",
                [
                    "العائدون",
                    "العودة الطوعية",
                    "إعادة الإدماج المستدام",
                    "الهجرة العكسية",
                    "العودة إلى الوطن",
                ],
            ),
        },
    ),
    (
        "labour-migration",
        "migration-and-return",
        {
            "en": (
                "Labour migration",
                "Working abroad: recruitment, contracts, workers' rights and fair hiring.",
                [
                    "migrant workers",
                    "labour mobility",
                    "fair recruitment",
                    "work permits",
                    "overseas employment",
                ],
            ),
            "fr": (
                "Migration de travail",
                "Travailler à l'étranger : recrutement, contrats, droits des travailleurs et "
                "embauche équitable.",
                [
                    "travailleurs migrants",
                    "mobilité de la main-d'œuvre",
                    "recrutement équitable",
                    "permis de travail",
                    "migration économique",
                ],
            ),
            "es": (
                "Migración laboral",
                "Trabajar en el extranjero: contratación, contratos, derechos laborales y "
                "reclutamiento equitativo.",
                [
                    "trabajadores migrantes",
                    "movilidad laboral",
                    "contratación equitativa",
                    "permisos de trabajo",
                    "migración económica",
                ],
            ),
            "ar": (
                "هجرة اليد العاملة",
                "العمل في الخارج: التوظيف والعقود وحقوق العمال والاستقدام العادل.",
                [
                    "العمال المهاجرون",
                    "العمالة الوافدة",
                    "التوظيف العادل",
                    "تصاريح العمل",
                    "هجرة العمل",
                ],
            ),
        },
    ),
    (
        "consular-services",
        "migration-and-return",
        {
            "en": (
                "Consular services",
                "Passports, civil registration, documents and help that embassies and "
                "consulates give nationals abroad.",
                [
                    "consulates",
                    "embassies",
                    "passports",
                    "civil registration",
                    "consular assistance",
                ],
            ),
            "fr": (
                "Services consulaires",
                "Passeports, état civil, documents et assistance que les ambassades et les "
                "consulats offrent aux ressortissants à l'étranger.",
                ["consulats", "ambassades", "passeports", "état civil", "assistance consulaire"],
            ),
            "es": (
                "Servicios consulares",
                "Pasaportes, registro civil, documentos y asistencia que las embajadas y los "
                "consulados ofrecen a los nacionales en el exterior.",
                ["consulados", "embajadas", "pasaportes", "registro civil", "asistencia consular"],
            ),
            "ar": (
                "الخدمات القنصلية",
                "جوازات السفر والأحوال المدنية والوثائق والمساعدة التي تقدّمها السفارات "
                "والقنصليات للمواطنين في الخارج.",
                [
                    "القنصليات",
                    "السفارات",
                    "جوازات السفر",
                    "الأحوال المدنية",
                    "المساعدة القنصلية",
                ],
            ),
        },
    ),
    (
        "citizenship-and-rights",
        None,
        {
            "en": (
                "Citizenship and rights",
                "The legal ties between diasporas and their countries: nationality, "
                "political participation and protection.",
                ["diaspora rights", "legal status", "civic participation"],
            ),
            "fr": (
                "Citoyenneté et droits",
                "Les liens juridiques entre les diasporas et leurs pays : nationalité, "
                "participation politique et protection.",
                ["droits de la diaspora", "statut juridique", "participation citoyenne"],
            ),
            "es": (
                "Ciudadanía y derechos",
                "Los vínculos jurídicos entre las diásporas y sus países: nacionalidad, "
                "participación política y protección.",
                ["derechos de la diáspora", "situación jurídica", "participación ciudadana"],
            ),
            "ar": (
                "المواطنة والحقوق",
                "الروابط القانونية بين الجاليات وبلدانها: الجنسية والمشاركة السياسية والحماية.",
                ["حقوق المغتربين", "الوضع القانوني", "المشاركة المدنية"],
            ),
        },
    ),
    (
        "dual-citizenship-and-voting",
        "citizenship-and-rights",
        {
            "en": (
                "Dual citizenship and voting",
                "Keeping or regaining one's nationality while living abroad, and voting "
                "from abroad.",
                [
                    "dual nationality",
                    "external voting",
                    "out-of-country voting",
                    "diaspora vote",
                    "overseas constituencies",
                ],
            ),
            "fr": (
                "Double nationalité et vote",
                "Conserver ou recouvrer sa nationalité en vivant à l'étranger, et voter "
                "depuis l'étranger.",
                [
                    "double citoyenneté",
                    "vote à l'étranger",
                    "vote de la diaspora",
                    "vote des expatriés",
                    "circonscriptions de l'étranger",
                ],
            ),
            "es": (
                "Doble nacionalidad y voto",
                "Conservar o recuperar la nacionalidad viviendo en el extranjero, y votar "
                "desde el exterior.",
                [
                    "doble ciudadanía",
                    "voto en el exterior",
                    "voto de la diáspora",
                    "voto extraterritorial",
                    "circunscripción exterior",
                ],
            ),
            "ar": (
                "الجنسية المزدوجة والتصويت",
                "الاحتفاظ بالجنسية أو استعادتها أثناء الإقامة في الخارج، والتصويت من الخارج.",
                [
                    "ازدواج الجنسية",
                    "التصويت من الخارج",
                    "تصويت المغتربين",
                    "الانتخابات في الخارج",
                    "تمثيل الجاليات",
                ],
            ),
        },
    ),
    (
        "migrant-protection",
        "citizenship-and-rights",
        {
            "en": (
                "Migrants' rights and protection",
                "Protecting migrants from exploitation, trafficking, fraud and "
                "discrimination.",
                [
                    "human rights",
                    "anti-trafficking",
                    "fraud prevention",
                    "discrimination",
                    "access to justice",
                ],
            ),
            "fr": (
                "Droits et protection des migrants",
                "Protéger les migrants contre l'exploitation, la traite, la fraude et les "
                "discriminations.",
                [
                    "droits humains",
                    "lutte contre la traite",
                    "prévention des arnaques",
                    "discriminations",
                    "accès à la justice",
                ],
            ),
            "es": (
                "Derechos y protección de las personas migrantes",
                "Proteger a las personas migrantes de la explotación, la trata, el fraude y "
                "la discriminación.",
                [
                    "derechos humanos",
                    "lucha contra la trata",
                    "prevención de estafas",
                    "discriminación",
                    "acceso a la justicia",
                ],
            ),
            "ar": (
                "حقوق المهاجرين وحمايتهم",
                "حماية المهاجرين من الاستغلال والاتجار بالبشر والاحتيال والتمييز.",
                [
                    "حقوق الإنسان",
                    "مكافحة الاتجار بالبشر",
                    "الوقاية من الاحتيال",
                    "التمييز",
                    "الوصول إلى العدالة",
                ],
            ),
        },
    ),
    (
        "diaspora-engagement",
        None,
        {
            "en": (
                "Diaspora engagement",
                "How states and institutions reach, involve and work with their diasporas.",
                ["diaspora policy", "diaspora outreach", "diaspora strategy"],
            ),
            "fr": (
                "Mobilisation de la diaspora",
                "Comment les États et les institutions atteignent leurs diasporas, les "
                "associent et travaillent avec elles.",
                ["politique de la diaspora", "engagement de la diaspora", "stratégie diaspora"],
            ),
            "es": (
                "Vinculación con la diáspora",
                "Cómo los Estados y las instituciones llegan a sus diásporas, las involucran "
                "y trabajan con ellas.",
                ["política de diáspora", "compromiso de la diáspora", "estrategia de diáspora"],
            ),
            "ar": (
                "إشراك المغتربين",
                "كيف تتواصل الدول والمؤسسات مع جالياتها وتشركها وتعمل معها.",
                ["سياسات المغتربين", "التواصل مع الجاليات", "استراتيجية المغتربين"],
            ),
        },
    ),
    (
        "diaspora-mapping",
        "diaspora-engagement",
        {
            "en": (
                "Diaspora mapping",
                "Surveys and data that show where diasporas live, who they are and what "
                "they can offer.",
                [
                    "diaspora data",
                    "diaspora survey",
                    "diaspora profile",
                    "migration statistics",
                    "census of nationals abroad",
                ],
            ),
            "fr": (
                "Cartographie de la diaspora",
                "Les enquêtes et les données qui montrent où vivent les diasporas, qui elles "
                "sont et ce qu'elles peuvent apporter.",
                [
                    "données sur la diaspora",
                    "enquête diaspora",
                    "profil de la diaspora",
                    "statistiques migratoires",
                    "recensement des expatriés",
                ],
            ),
            "es": (
                "Mapeo de la diáspora",
                "Encuestas y datos que muestran dónde viven las diásporas, quiénes son y qué "
                "pueden aportar.",
                [
                    "cartografía de la diáspora",
                    "datos sobre la diáspora",
                    "encuesta a la diáspora",
                    "perfil de la diáspora",
                    "estadísticas migratorias",
                ],
            ),
            "ar": (
                "رسم خرائط المغتربين",
                "المسوح والبيانات التي تبيّن أين تعيش الجاليات ومن هم أفرادها وما الذي "
                "يمكنهم تقديمه.",
                [
                    "بيانات المغتربين",
                    "مسح الجاليات",
                    "إحصاءات الهجرة",
                    "خريطة الجاليات",
                    "تعداد المغتربين",
                ],
            ),
        },
    ),
    (
        "diaspora-associations",
        "diaspora-engagement",
        {
            "en": (
                "Diaspora associations",
                "Hometown associations, professional groups and community organisations "
                "that diasporas form.",
                [
                    "diaspora organisations",
                    "diaspora organizations",
                    "hometown associations",
                    "migrant associations",
                    "community organisations",
                ],
            ),
            "fr": (
                "Associations de la diaspora",
                "Associations de ressortissants, groupements professionnels et organisations "
                "communautaires créés par les diasporas.",
                [
                    "organisations de la diaspora",
                    "associations de ressortissants",
                    "associations villageoises",
                    "associations de migrants",
                    "ONG de la diaspora",
                ],
            ),
            "es": (
                "Asociaciones de la diáspora",
                "Asociaciones de oriundos, agrupaciones profesionales y organizaciones "
                "comunitarias creadas por las diásporas.",
                [
                    "organizaciones de la diáspora",
                    "clubes de oriundos",
                    "asociaciones de migrantes",
                    "organizaciones comunitarias",
                    "ONG de la diáspora",
                ],
            ),
            "ar": (
                "جمعيات المغتربين",
                "جمعيات أبناء البلدات والتجمعات المهنية والمنظمات المجتمعية التي تؤسسها "
                "الجاليات.",
                [
                    "منظمات الجاليات",
                    "روابط المغتربين",
                    "جمعيات المهاجرين",
                    "الجمعيات الأهلية للجاليات",
                    "المنظمات المجتمعية",
                ],
            ),
        },
    ),
    (
        "diaspora-institutions",
        "diaspora-engagement",
        {
            "en": (
                "Diaspora institutions",
                "Ministries, offices and councils that governments set up to work with "
                "their diasporas.",
                [
                    "ministry of diaspora affairs",
                    "diaspora office",
                    "diaspora council",
                    "diaspora desk",
                    "government diaspora agency",
                ],
            ),
            "fr": (
                "Institutions de la diaspora",
                "Ministères, bureaux et conseils que les gouvernements créent pour travailler "
                "avec leurs diasporas.",
                [
                    "ministère de la diaspora",
                    "bureau de la diaspora",
                    "conseil de la diaspora",
                    "haut conseil des expatriés",
                    "agence de la diaspora",
                ],
            ),
            "es": (
                "Instituciones para la diáspora",
                "Ministerios, oficinas y consejos que los gobiernos crean para trabajar con "
                "sus diásporas.",
                [
                    "ministerio de la diáspora",
                    "oficina de la diáspora",
                    "consejo de la diáspora",
                    "secretaría del migrante",
                    "agencia de la diáspora",
                ],
            ),
            "ar": (
                "مؤسسات المغتربين",
                "الوزارات والمكاتب والمجالس التي تنشئها الحكومات للعمل مع جالياتها.",
                [
                    "وزارة المغتربين",
                    "مكتب المغتربين",
                    "مجلس الجالية",
                    "الهيئة الحكومية للمغتربين",
                    "وزارة الهجرة",
                ],
            ),
        },
    ),
    (
        "inclusion-and-well-being",
        None,
        {
            "en": (
                "Inclusion and well-being",
                "Making sure everyone in the diaspora can take part and gets the support "
                "they need.",
                ["social inclusion", "well-being", "equity"],
            ),
            "fr": (
                "Inclusion et bien-être",
                "Veiller à ce que chacun, dans la diaspora, puisse participer et reçoive le "
                "soutien dont il a besoin.",
                ["inclusion sociale", "bien-être", "équité"],
            ),
            "es": (
                "Inclusión y bienestar",
                "Que cada persona de la diáspora pueda participar y reciba el apoyo que "
                "necesita.",
                ["inclusión social", "bienestar", "equidad"],
            ),
            "ar": (
                "الإدماج والرفاه",
                "ضمان مشاركة جميع أفراد الجالية وحصولهم على الدعم الذي يحتاجون إليه.",
                ["الإدماج الاجتماعي", "الرفاه", "الإنصاف"],
            ),
        },
    ),
    (
        "youth",
        "inclusion-and-well-being",
        {
            "en": (
                "Youth",
                "Young people of the diaspora and the second generation: identity, "
                "exchanges, studies and first jobs.",
                [
                    "young people",
                    "second generation",
                    "young diaspora",
                    "students",
                    "youth exchanges",
                ],
            ),
            "fr": (
                "Jeunesse",
                "Les jeunes de la diaspora et la deuxième génération : identité, échanges, "
                "études et premiers emplois.",
                [
                    "jeunes",
                    "deuxième génération",
                    "jeunes de la diaspora",
                    "étudiants",
                    "échanges de jeunes",
                ],
            ),
            "es": (
                "Juventud",
                "Jóvenes de la diáspora y segunda generación: identidad, intercambios, "
                "estudios y primeros empleos.",
                [
                    "jóvenes",
                    "segunda generación",
                    "jóvenes de la diáspora",
                    "estudiantes",
                    "intercambios juveniles",
                ],
            ),
            "ar": (
                "الشباب",
                "شباب الجالية والجيل الثاني: الهوية والتبادل والدراسة وأول وظيفة.",
                ["الجيل الثاني", "شباب المغتربين", "الطلاب", "تبادل الشباب", "اليافعون"],
            ),
        },
    ),
    (
        "digital-inclusion",
        "inclusion-and-well-being",
        {
            "en": (
                "Digital inclusion",
                "Access to the internet, digital skills and online services for migrants "
                "and their families.",
                [
                    "digital skills",
                    "digital divide",
                    "e-government",
                    "online services",
                    "connectivity",
                ],
            ),
            "fr": (
                "Inclusion numérique",
                "L'accès à internet, aux compétences numériques et aux services en ligne "
                "pour les migrants et leurs familles.",
                [
                    "compétences numériques",
                    "fracture numérique",
                    "administration en ligne",
                    "services en ligne",
                    "connectivité",
                ],
            ),
            "es": (
                "Inclusión digital",
                "Acceso a internet, a las competencias digitales y a los servicios en línea "
                "para las personas migrantes y sus familias.",
                [
                    "competencias digitales",
                    "brecha digital",
                    "gobierno electrónico",
                    "servicios en línea",
                    "conectividad",
                ],
            ),
            "ar": (
                "الشمول الرقمي",
                "الوصول إلى الإنترنت والمهارات الرقمية والخدمات الإلكترونية للمهاجرين وأسرهم.",
                [
                    "المهارات الرقمية",
                    "الفجوة الرقمية",
                    "الحكومة الإلكترونية",
                    "الخدمات الإلكترونية",
                    "الاتصال بالإنترنت",
                ],
            ),
        },
    ),
    (
        "health",
        "inclusion-and-well-being",
        {
            "en": (
                "Health",
                "Migrants' health, access to care, and diaspora health professionals who "
                "support health systems at home.",
                [
                    "health care",
                    "medical diaspora",
                    "mental health",
                    "health workers",
                    "public health",
                ],
            ),
            "fr": (
                "Santé",
                "La santé des migrants, l'accès aux soins, et les professionnels de santé de "
                "la diaspora qui appuient les systèmes de santé du pays.",
                [
                    "soins de santé",
                    "diaspora médicale",
                    "santé mentale",
                    "personnels de santé",
                    "santé publique",
                ],
            ),
            "es": (
                "Salud",
                "La salud de las personas migrantes, el acceso a la atención y los "
                "profesionales sanitarios de la diáspora que apoyan los sistemas de salud "
                "de su país.",
                [
                    "atención sanitaria",
                    "diáspora médica",
                    "salud mental",
                    "personal sanitario",
                    "salud pública",
                ],
            ),
            "ar": (
                "الصحة",
                "صحة المهاجرين والحصول على الرعاية، والكوادر الصحية من الجالية التي تدعم "
                "المنظومة الصحية في الوطن.",
                [
                    "الرعاية الصحية",
                    "الأطباء المغتربون",
                    "الصحة النفسية",
                    "العاملون الصحيون",
                    "الصحة العامة",
                ],
            ),
        },
    ),
    (
        "crisis-response",
        None,
        {
            "en": (
                "Crisis response",
                "How diasporas help when conflict, disaster or epidemics strike, and how "
                "they are protected in a crisis abroad.",
                [
                    "humanitarian aid",
                    "emergency response",
                    "disaster relief",
                    "evacuation",
                    "crisis management",
                ],
            ),
            "fr": (
                "Réponse aux crises",
                "Comment les diasporas aident lors de conflits, de catastrophes ou "
                "d'épidémies, et comment elles sont protégées lors d'une crise à l'étranger.",
                [
                    "aide humanitaire",
                    "intervention d'urgence",
                    "secours en cas de catastrophe",
                    "évacuation",
                    "gestion de crise",
                ],
            ),
            "es": (
                "Respuesta a crisis",
                "Cómo ayudan las diásporas ante conflictos, desastres o epidemias, y cómo se "
                "las protege durante una crisis en el extranjero.",
                [
                    "ayuda humanitaria",
                    "respuesta de emergencia",
                    "socorro en desastres",
                    "evacuación",
                    "gestión de crisis",
                ],
            ),
            "ar": (
                "الاستجابة للأزمات",
                "كيف تساعد الجاليات عند وقوع النزاعات أو الكوارث أو الأوبئة، وكيف تُحمى "
                "أثناء الأزمات في الخارج.",
                [
                    "المساعدات الإنسانية",
                    "الاستجابة الطارئة",
                    "الإغاثة من الكوارث",
                    "الإجلاء",
                    "إدارة الأزمات",
                ],
            ),
        },
    ),
]

# role: actions on topics
TOPIC_PERMISSIONS = {
    "Editor": ("add", "change", "view"),
    "Moderator": ("add", "change", "delete", "view"),
    "Administrator": ("add", "change", "delete", "view"),
}


def _offered_languages() -> list[tuple[str, str]]:
    """(language of the data, locale code the site uses for it): "en" may be offered as "en-gb"."""
    offered: dict[str, str] = {}
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        offered.setdefault(code.split("-")[0].lower(), code)
    return [(language, offered[language]) for language in ("en", "fr", "es", "ar") if language in offered]


def seed_topics(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Topic = apps.get_model("core", "Topic")
    for language, code in _offered_languages():
        locale, _created = Locale.objects.get_or_create(language_code=code)
        rows: dict[str, object] = {}
        # Parents come before their children in TOPICS.
        for slug, parent_slug, texts in TOPICS:
            if language not in texts:
                continue
            label, description, synonyms = texts[language]
            row = Topic.objects.filter(slug=slug, locale=locale).first()
            if row is None:
                row = Topic.objects.create(
                    slug=slug,
                    locale=locale,
                    translation_key=uuid.uuid5(TRANSLATION_NAMESPACE, slug),
                    label=label,
                    description=description,
                    synonyms="\n".join(synonyms),
                    parent=rows.get(parent_slug) if parent_slug else None,
                )
            rows[slug] = row


def grant_topic_permissions(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _created = ContentType.objects.get_or_create(app_label="core", model="topic")
    for role, actions in TOPIC_PERMISSIONS.items():
        group = Group.objects.filter(name=role).first()
        if group is None:
            continue
        for action in actions:
            permission, _created = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_topic",
                defaults={"name": f"Can {action} topic"},
            )
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_topics"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(seed_topics, migrations.RunPython.noop),
        migrations.RunPython(grant_topic_permissions, migrations.RunPython.noop),
    ]
