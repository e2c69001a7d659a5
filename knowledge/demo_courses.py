"""Demo content of the courses: "Engaging your diaspora: first steps", a short self-paced course
in three modules (two lessons each, a quiz closing each module) in English, French and Arabic,
under a courses index in every language (the Spanish index lists the course in English).

The prose is original, written for this demo: first steps for a ministry, embassy, local
authority or association that wants to start working with a diaspora. Every block, question and
answer has the same id in every language (as wagtail-localize keeps them), so a member's
progress and quiz scores carry over when they switch language.
Idempotent: pages are found by slug in their locale; existing ones are left as they are.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from wagtail.models import Locale

from .demo_pages import create_live, create_translation
from .models import CoursePage, CoursesIndexPage, HomePage, LessonPage, ModulePage

LANGUAGES = ("en", "fr", "ar")
_NAMESPACE = uuid.UUID("6f0b8f7e-3c1d-4b7a-9a55-2f1d2c9e8a10")

INDEX = {
    "en": ("Courses", "<p>Short, free, self-paced courses. Every lesson can be read as text on a "
           "slow connection; sign in to keep your progress and receive a certificate.</p>"),
    "fr": ("Formations", "<p>Des formations courtes, gratuites, à suivre à votre rythme. Chaque "
           "leçon se lit comme un texte, même avec une connexion lente ; connectez-vous pour "
           "garder votre progression et recevoir un certificat.</p>"),
    "es": ("Cursos", "<p>Cursos breves, gratuitos y a tu ritmo. Cada lección se puede leer como "
           "texto con una conexión lenta; inicia sesión para guardar tu progreso y recibir un "
           "certificado.</p>"),
    "ar": ("الدورات", "<p>دورات قصيرة ومجانية تتابعها بالسرعة التي تناسبك. يمكن قراءة كل درس "
           "نصًّا حتى مع اتصال بطيء؛ سجّل الدخول لحفظ تقدّمك والحصول على شهادة.</p>"),
}  # fmt: skip

# language: (title, summary, about, duration)
COURSE = {
    "en": ("Engaging your diaspora: first steps",
           "For staff of ministries, embassies, local authorities and diaspora associations "
           "who are starting to work with a diaspora: who it is, how to earn its trust, and how "
           "to turn a first conversation into a first joint project.",
           "<p>Three short modules, two lessons each, with a quiz at the end of each module. "
           "No prior knowledge is needed. Finish every lesson to receive a certificate that "
           "anyone can check with its code.</p>",
           "About one hour"),
    "fr": ("Mobiliser votre diaspora : premiers pas",
           "Pour les équipes des ministères, ambassades, collectivités locales et associations "
           "de la diaspora qui commencent à travailler avec une diaspora : qui elle est, comment "
           "gagner sa confiance et comment transformer une première conversation en un premier "
           "projet commun.",
           "<p>Trois modules courts de deux leçons chacun, avec un quiz à la fin de chaque "
           "module. Aucun prérequis. Terminez toutes les leçons pour recevoir un certificat que "
           "chacun peut vérifier grâce à son code.</p>",
           "Environ une heure"),
    "ar": ("إشراك مغتربيك: الخطوات الأولى",
           "لموظفي الوزارات والسفارات والسلطات المحلية وجمعيات المغتربين الذين يبدؤون العمل مع "
           "جالية في الخارج: من هم المغتربون، وكيف نكسب ثقتهم، وكيف نحوّل أول حوار إلى أول "
           "مشروع مشترك.",
           "<p>ثلاث وحدات قصيرة، في كل منها درسان، ويُختتم كل وحدة اختبار قصير. لا يلزم أي "
           "معرفة مسبقة. أكمل جميع الدروس لتحصل على شهادة يمكن لأي شخص التحقق منها برمزها.</p>",
           "ساعة تقريبًا"),
}  # fmt: skip


def _q(multiple: bool, correct: tuple[int, ...], texts: dict) -> dict:
    """A question: which answers are right (by position), and per language (question,
    [answers], [feedback per answer])."""
    return {"multiple": multiple, "correct": correct, "texts": texts}


# Each module: slug, {language: (title, introduction)}, lessons.
# Each lesson: slug, minutes, {language: (title, summary, [paragraphs])}, quiz or None, where a
# quiz is ({language: title}, [questions]).
MODULES = [
    ("know-your-diaspora", {
        "en": ("Know your diaspora", "Who the diaspora is, and how to learn more about it "
               "without treating people as data."),
        "fr": ("Connaître votre diaspora", "Qui est la diaspora, et comment mieux la connaître "
               "sans réduire les personnes à des données."),
        "ar": ("اعرف مغتربيك", "من هم المغتربون، وكيف نعرف عنهم أكثر دون أن نعاملهم "
               "كمجرد بيانات."),
    }, [
        ("who-is-the-diaspora", 8, {
            "en": ("Who is the diaspora?", "Emigrants, their children and everyone who still "
                   "feels a link: a diaspora is wider and more varied than any single list.", [
                "A diaspora is not only the people who left. It includes their children and "
                "grandchildren born abroad, people who moved several times, students who may "
                "return, and people who simply still feel a bond with the country. Most "
                "definitions used by governments rest on self-identification: someone belongs "
                "if they say they do.",
                "Inside one diaspora there are many groups: recent workers and long-settled "
                "families, refugees and investors, people from different regions, languages or "
                "faiths. They do not always trust each other, and none of them speaks for all. "
                "An approach that works with one group can offend another.",
                "A useful first step is therefore modest: write down which groups you already "
                "know, which ones you have never met, and who might introduce you to them. That "
                "list, not a headline figure, is where the work starts.",
            ]),
            "fr": ("Qui est la diaspora ?", "Les émigrés, leurs enfants et tous ceux qui se "
                   "sentent encore liés : une diaspora est plus large et plus diverse qu'une "
                   "simple liste.", [
                "Une diaspora ne se limite pas aux personnes parties. Elle comprend leurs "
                "enfants et petits-enfants nés à l'étranger, ceux qui ont migré plusieurs fois, "
                "des étudiants qui reviendront peut-être, et tous ceux qui se sentent encore "
                "liés au pays. La plupart des définitions retenues par les gouvernements "
                "reposent sur l'auto-identification : en fait partie qui s'y reconnaît.",
                "Une même diaspora compte de nombreux groupes : travailleurs récents et familles "
                "installées de longue date, réfugiés et investisseurs, personnes de régions, "
                "de langues ou de confessions différentes. Ils ne se font pas toujours "
                "confiance, et aucun ne parle au nom de tous. Une démarche qui convient à l'un "
                "peut froisser l'autre.",
                "Un premier pas utile est donc modeste : notez les groupes que vous connaissez "
                "déjà, ceux que vous n'avez jamais rencontrés et qui pourrait vous les "
                "présenter. C'est cette liste, et non un chiffre global, qui lance le travail.",
            ]),
            "ar": ("من هم المغتربون؟", "المهاجرون وأبناؤهم وكل من لا يزال يشعر بالارتباط: "
                   "الجالية أوسع وأكثر تنوعًا من أي قائمة.", [
                "لا تقتصر الجالية على من غادروا البلد. فهي تشمل أبناءهم وأحفادهم المولودين في "
                "الخارج، ومن تنقّلوا أكثر من مرة، والطلاب الذين قد يعودون، وكل من لا يزال يشعر "
                "برابط مع البلد. وتعتمد معظم التعريفات الحكومية على الانتماء الذاتي: ينتمي إلى "
                "الجالية من يقول إنه منها.",
                "وداخل الجالية الواحدة مجموعات كثيرة: عمال وصلوا حديثًا وعائلات استقرت منذ زمن، "
                "ولاجئون ومستثمرون، وأشخاص من مناطق أو لغات أو أديان مختلفة. لا يثق بعضهم ببعض "
                "دائمًا، ولا تتحدث أي مجموعة باسم الجميع. وما ينجح مع مجموعة قد يسيء إلى أخرى.",
                "لذلك فالخطوة الأولى المفيدة متواضعة: اكتب المجموعات التي تعرفها، والمجموعات "
                "التي لم تلتقِ بها قط، ومن يمكنه أن يعرّفك بها. هذه القائمة، لا رقم إجمالي، هي "
                "نقطة انطلاق العمل.",
            ]),
        }, None),
        ("finding-out-what-you-dont-know", 10, {
            "en": ("Finding out what you don't know", "Where information about a diaspora "
                   "comes from, and how to collect it with respect.", [
                "Information about a diaspora is scattered: consular registrations, the census "
                "and surveys of the countries where people live, remittance data, university "
                "enrolments, and the membership lists of associations. Each source shows part "
                "of the picture and misses people who avoid official contact.",
                "Ask the diaspora to help build the picture. A short survey shared through "
                "associations, faith groups and social media, in the languages people use, "
                "reaches people that registers miss, and tells you what they expect from you.",
                "Collect only what you need and can protect. Explain why you ask, what you will "
                "do with the answers and who will see them. For people who fled, being listed "
                "by their government's office can be frightening: anonymous answers are often "
                "the only honest ones.",
            ]),
            "fr": ("Découvrir ce que vous ne savez pas", "D'où viennent les informations sur une "
                   "diaspora, et comment les recueillir avec respect.", [
                "Les informations sur une diaspora sont dispersées : immatriculations "
                "consulaires, recensements et enquêtes des pays de résidence, données sur les "
                "transferts de fonds, inscriptions universitaires, listes de membres des "
                "associations. Chaque source montre une partie du tableau et oublie ceux qui "
                "évitent tout contact officiel.",
                "Demandez à la diaspora de vous aider à compléter ce tableau. Une courte enquête "
                "relayée par les associations, les communautés religieuses et les réseaux "
                "sociaux, dans les langues que les gens utilisent, atteint ceux que les "
                "registres ignorent et vous dit ce qu'ils attendent de vous.",
                "Ne recueillez que ce dont vous avez besoin et que vous pouvez protéger. "
                "Expliquez pourquoi vous posez la question, ce que vous ferez des réponses et "
                "qui les verra. Pour les personnes qui ont fui, figurer dans un fichier de leur "
                "gouvernement peut faire peur : les réponses anonymes sont souvent les seules "
                "sincères.",
            ]),
            "ar": ("اكتشف ما لا تعرفه", "من أين تأتي المعلومات عن الجالية، وكيف نجمعها "
                   "باحترام.", [
                "المعلومات عن الجالية متفرقة: سجلات القنصليات، والتعدادات والمسوح في بلدان "
                "الإقامة، وبيانات التحويلات المالية، وتسجيلات الجامعات، وقوائم أعضاء الجمعيات. "
                "كل مصدر يُظهر جزءًا من الصورة ويغفل من يتجنبون أي تواصل رسمي.",
                "اطلب من الجالية أن تساعدك على إكمال الصورة. فاستبيان قصير يُنشر عبر الجمعيات "
                "والتجمعات الدينية ووسائل التواصل، باللغات التي يستخدمها الناس، يصل إلى من "
                "تغفلهم السجلات، ويخبرك بما ينتظرونه منك.",
                "لا تجمع إلا ما تحتاجه وما تستطيع حمايته. اشرح سبب السؤال، وما ستفعله بالإجابات، "
                "ومن سيطّلع عليها. فبالنسبة لمن فرّوا، قد يكون إدراج أسمائهم في سجل حكومي أمرًا "
                "مخيفًا: وكثيرًا ما تكون الإجابات المجهولة هي الوحيدة الصادقة.",
            ]),
        }, ({"en": "Quiz: know your diaspora", "fr": "Quiz : connaître votre diaspora",
             "ar": "اختبار: اعرف مغتربيك"}, [
            _q(False, (1,), {
                "en": ("Who belongs to a diaspora, in most governments' definitions?",
                       ["Only citizens registered at a consulate",
                        "Anyone who identifies with the country, including descendants",
                        "Only people who send money home"],
                       ["Registers miss many people, and descendants are often not citizens.",
                        "Yes: most definitions rest on self-identification.",
                        "Remittances are one link among many; many members send none."]),
                "fr": ("Qui fait partie d'une diaspora, selon la plupart des définitions "
                       "gouvernementales ?",
                       ["Seuls les ressortissants immatriculés au consulat",
                        "Quiconque s'identifie au pays, descendants compris",
                        "Seules les personnes qui envoient de l'argent au pays"],
                       ["Les registres oublient beaucoup de monde, et les descendants ne sont "
                        "souvent pas ressortissants.",
                        "Oui : la plupart des définitions reposent sur l'auto-identification.",
                        "Les transferts sont un lien parmi d'autres ; beaucoup n'en envoient "
                        "pas."]),
                "ar": ("من ينتمي إلى الجالية وفق معظم التعريفات الحكومية؟",
                       ["المواطنون المسجلون في القنصلية فقط",
                        "كل من ينتمي إلى البلد بشعوره، بمن فيهم الأبناء والأحفاد",
                        "من يرسلون الأموال إلى البلد فقط"],
                       ["تغفل السجلات كثيرين، والأبناء ليسوا مواطنين في أحيان كثيرة.",
                        "صحيح: تعتمد معظم التعريفات على الانتماء الذاتي.",
                        "التحويلات رابط من روابط كثيرة، وكثيرون لا يرسلون شيئًا."]),
            }),
            _q(True, (0, 2), {
                "en": ("Which of these are good practice when you survey a diaspora? "
                       "Choose every right answer.",
                       ["Explain why you ask and who will see the answers",
                        "Ask for as much personal data as possible, in case it is useful",
                        "Offer anonymous answers"],
                       ["Right: people answer honestly when they know what happens next.",
                        "No: collect only what you need and can protect.",
                        "Right: for some people it is the only safe way to answer."]),
                "fr": ("Parmi ces pratiques, lesquelles sont recommandées pour une enquête "
                       "auprès d'une diaspora ? Choisissez toutes les bonnes réponses.",
                       ["Expliquer pourquoi vous posez la question et qui verra les réponses",
                        "Demander le plus de données personnelles possible, au cas où",
                        "Permettre des réponses anonymes"],
                       ["Exact : on répond sincèrement quand on sait ce qu'il adviendra.",
                        "Non : ne recueillez que ce dont vous avez besoin et pouvez protéger.",
                        "Exact : pour certains, c'est la seule façon sûre de répondre."]),
                "ar": ("أيّ مما يلي ممارسة جيدة عند إجراء استبيان للجالية؟ اختر كل الإجابات "
                       "الصحيحة.",
                       ["شرح سبب السؤال ومن سيطّلع على الإجابات",
                        "طلب أكبر قدر ممكن من البيانات الشخصية تحسّبًا",
                        "إتاحة الإجابة دون ذكر الاسم"],
                       ["صحيح: يجيب الناس بصدق حين يعرفون ما سيحدث بعد ذلك.",
                        "لا: اجمع فقط ما تحتاجه وما تستطيع حمايته.",
                        "صحيح: فهي للبعض الطريقة الآمنة الوحيدة للإجابة."]),
            }),
        ])),
    ]),
    ("build-trust", {
        "en": ("Build trust before programmes", "Why listening comes first, and how small "
               "promises kept do more than big plans."),
        "fr": ("Bâtir la confiance avant les programmes", "Pourquoi l'écoute vient d'abord, et "
               "comment de petites promesses tenues valent mieux que de grands plans."),
        "ar": ("ابنِ الثقة قبل البرامج", "لماذا يأتي الإصغاء أولًا، وكيف تفعل الوعود الصغيرة "
               "المنجزة أكثر مما تفعله الخطط الكبيرة."),
    }, [
        ("listening-first", 8, {
            "en": ("Listening first", "Meet people where they are, in their language and at "
                   "their hours, and ask before you propose.", [
                "Many diaspora members have had bad experiences with official offices: long "
                "queues, unanswered letters, or worse. A first meeting that announces a "
                "programme confirms the fear that government only comes to ask for something.",
                "Go where people already meet: association events, places of worship, student "
                "unions, online groups. Hold meetings in the evening or at weekends, across "
                "time zones when you meet online, and in the languages people are most "
                "comfortable in. Ask open questions: what do you need from us, and what would "
                "you like to offer?",
                "Write down what you heard and send a short summary back to the people you "
                "met. It shows that you listened, corrects misunderstandings early, and gives "
                "you a record to measure yourself against later.",
            ]),
            "fr": ("Écouter d'abord", "Allez à la rencontre des gens là où ils sont, dans leur "
                   "langue et à leurs horaires, et demandez avant de proposer.", [
                "Beaucoup de membres de la diaspora ont eu de mauvaises expériences avec les "
                "administrations : longues files d'attente, courriers sans réponse, ou pire. Une "
                "première réunion qui annonce un programme confirme la crainte que l'État ne "
                "vient que pour demander quelque chose.",
                "Allez là où les gens se retrouvent déjà : événements associatifs, lieux de "
                "culte, associations étudiantes, groupes en ligne. Organisez les réunions le soir "
                "ou le week-end, en tenant compte des fuseaux horaires en ligne, et dans les "
                "langues où chacun est à l'aise. Posez des questions ouvertes : qu'attendez-vous "
                "de nous, et qu'aimeriez-vous apporter ?",
                "Notez ce que vous avez entendu et renvoyez un court compte rendu aux personnes "
                "rencontrées. Cela montre que vous avez écouté, corrige tôt les malentendus et "
                "vous donne une base pour vous évaluer plus tard.",
            ]),
            "ar": ("الإصغاء أولًا", "التقِ بالناس حيث هم، بلغتهم وفي أوقاتهم، واسأل قبل أن "
                   "تقترح.", [
                "مرّ كثير من المغتربين بتجارب سيئة مع المكاتب الرسمية: طوابير طويلة ورسائل بلا "
                "رد، أو ما هو أسوأ. والاجتماع الأول الذي يعلن عن برنامج يؤكد خشيتهم من أن "
                "الحكومة لا تأتي إلا لتطلب شيئًا.",
                "اذهب إلى حيث يلتقي الناس أصلًا: فعاليات الجمعيات، ودور العبادة، واتحادات "
                "الطلاب، والمجموعات على الإنترنت. اعقد الاجتماعات مساءً أو في عطلة نهاية "
                "الأسبوع، مع مراعاة فروق التوقيت عند اللقاء عبر الإنترنت، وباللغات التي يرتاح "
                "إليها الناس. اطرح أسئلة مفتوحة: ماذا تحتاجون منا، وماذا تودّون أن تقدّموا؟",
                "دوّن ما سمعته وأرسل ملخصًا قصيرًا إلى من التقيت بهم. فذلك يُظهر أنك أصغيت، "
                "ويصحح سوء الفهم مبكرًا، ويمنحك سجلًا تقيس به عملك لاحقًا.",
            ]),
        }, None),
        ("keeping-your-promises", 8, {
            "en": ("Keeping your promises", "Trust grows from small commitments kept on time, "
                   "and from saying clearly what you cannot do.", [
                "After a first round of listening, choose two or three small things you can "
                "really do within a few months: a named contact person who answers messages, a "
                "simpler procedure for one common document, a regular online meeting. Say "
                "publicly when each will be done.",
                "Be honest about limits. If a request depends on another ministry, or on a "
                "budget you do not have, say so and explain what you will do instead. People "
                "forgive a clear no far more easily than a vague yes that never happens.",
                "Report back on each promise, including the ones that slipped, and ask again "
                "what matters most. This loop of listening, doing and reporting is what turns "
                "a consultation into a relationship.",
            ]),
            "fr": ("Tenir ses promesses", "La confiance naît de petits engagements tenus dans "
                   "les délais, et d'une parole claire sur ce que vous ne pouvez pas faire.", [
                "Après une première série d'écoutes, choisissez deux ou trois petites choses que "
                "vous pouvez vraiment faire en quelques mois : une personne de contact nommée "
                "qui répond aux messages, une démarche simplifiée pour un document courant, une "
                "réunion en ligne régulière. Annoncez publiquement quand chacune sera faite.",
                "Soyez honnête sur vos limites. Si une demande dépend d'un autre ministère ou "
                "d'un budget que vous n'avez pas, dites-le et expliquez ce que vous ferez à la "
                "place. Un non clair se pardonne bien plus facilement qu'un oui vague qui ne se "
                "concrétise jamais.",
                "Rendez compte de chaque promesse, y compris celles qui ont pris du retard, et "
                "demandez à nouveau ce qui compte le plus. C'est cette boucle — écouter, faire, "
                "rendre compte — qui transforme une consultation en relation.",
            ]),
            "ar": ("الوفاء بالوعود", "تنمو الثقة من التزامات صغيرة تُنجز في وقتها، ومن الوضوح "
                   "بشأن ما لا تستطيع فعله.", [
                "بعد جولة أولى من الإصغاء، اختر شيئين أو ثلاثة أشياء صغيرة تستطيع فعلًا إنجازها "
                "خلال بضعة أشهر: شخص اتصال معروف بالاسم يرد على الرسائل، أو إجراء أبسط لوثيقة "
                "شائعة، أو اجتماع منتظم عبر الإنترنت. وأعلن على الملأ موعد إنجاز كل منها.",
                "كن صادقًا بشأن حدودك. إذا كان طلب ما يتوقف على وزارة أخرى أو على ميزانية لا "
                "تملكها، فقل ذلك واشرح ما ستفعله بدلًا منه. فالناس يغفرون الرفض الواضح أسرع "
                "بكثير من الوعد المبهم الذي لا يتحقق.",
                "قدّم تقريرًا عن كل وعد، بما في ذلك ما تأخر منها، واسأل من جديد عمّا يهم أكثر. "
                "هذه الحلقة من الإصغاء والعمل والإبلاغ هي ما يحوّل المشاورة إلى علاقة.",
            ]),
        }, ({"en": "Quiz: build trust", "fr": "Quiz : bâtir la confiance",
             "ar": "اختبار: بناء الثقة"}, [
            _q(False, (2,), {
                "en": ("What is the best way to open a first meeting with a diaspora "
                       "association?",
                       ["Present the ministry's new five-year programme",
                        "Ask members to register in a government database",
                        "Ask what they need and what they would like to offer"],
                       ["Announcing a programme first suggests you came to ask, not to listen.",
                        "Registration can wait, and for some people it is a worry.",
                        "Yes: open questions show that you came to listen."]),
                "fr": ("Quelle est la meilleure façon d'ouvrir une première réunion avec une "
                       "association de la diaspora ?",
                       ["Présenter le nouveau programme quinquennal du ministère",
                        "Demander aux membres de s'inscrire dans une base de données publique",
                        "Demander ce dont ils ont besoin et ce qu'ils aimeraient apporter"],
                       ["Annoncer d'abord un programme laisse croire que vous venez demander, "
                        "pas écouter.",
                        "L'inscription peut attendre, et elle inquiète certaines personnes.",
                        "Oui : des questions ouvertes montrent que vous venez écouter."]),
                "ar": ("ما أفضل طريقة لافتتاح أول اجتماع مع جمعية للمغتربين؟",
                       ["عرض البرنامج الخماسي الجديد للوزارة",
                        "مطالبة الأعضاء بالتسجيل في قاعدة بيانات حكومية",
                        "سؤالهم عمّا يحتاجونه وما يودّون تقديمه"],
                       ["البدء بإعلان برنامج يوحي بأنك جئت لتطلب لا لتصغي.",
                        "يمكن للتسجيل أن ينتظر، وهو يقلق بعض الناس.",
                        "صحيح: الأسئلة المفتوحة تُظهر أنك جئت لتصغي."]),
            }),
            _q(True, (0, 1), {
                "en": ("Which habits build trust over time? Choose every right answer.",
                       ["Reporting back on every promise, including the late ones",
                        "Saying clearly when something is outside your power",
                        "Promising many things at once so that some will happen"],
                       ["Right: reporting closes the loop and shows respect.",
                        "Right: a clear no is easier to forgive than a vague yes.",
                        "No: unkept promises undo the trust you built."]),
                "fr": ("Quelles habitudes renforcent la confiance dans la durée ? Choisissez "
                       "toutes les bonnes réponses.",
                       ["Rendre compte de chaque promesse, même de celles en retard",
                        "Dire clairement quand une chose ne dépend pas de vous",
                        "Promettre beaucoup à la fois pour qu'une partie se réalise"],
                       ["Exact : rendre compte boucle la boucle et montre du respect.",
                        "Exact : un non clair se pardonne mieux qu'un oui vague.",
                        "Non : les promesses non tenues défont la confiance acquise."]),
                "ar": ("أيّ العادات تبني الثقة مع الوقت؟ اختر كل الإجابات الصحيحة.",
                       ["الإبلاغ عن كل وعد، حتى المتأخر منها",
                        "القول بوضوح عندما يكون أمر ما خارج صلاحياتك",
                        "إطلاق وعود كثيرة دفعة واحدة ليتحقق بعضها"],
                       ["صحيح: الإبلاغ يُكمل الحلقة ويُظهر الاحترام.",
                        "صحيح: الرفض الواضح أسهل غفرانًا من الوعد المبهم.",
                        "لا: الوعود غير المنجزة تهدم الثقة التي بنيتها."]),
            }),
        ])),
    ]),
    ("first-project", {
        "en": ("From conversation to a first project", "Choose a first joint project that is "
               "small, visible and shared, and agree how you will know it worked."),
        "fr": ("De la conversation au premier projet", "Choisir un premier projet commun "
               "modeste, visible et partagé, et convenir de la façon d'en mesurer les "
               "résultats."),
        "ar": ("من الحوار إلى أول مشروع", "اختر مشروعًا مشتركًا أول صغيرًا وظاهرًا ومتشاركًا، "
               "واتفقوا على كيفية معرفة نجاحه."),
    }, [
        ("choosing-a-first-project", 9, {
            "en": ("Choosing a first project", "Start with something small that both sides "
                   "want, that uses what the diaspora offers, and that people can see.", [
                "A good first project is small enough to finish within a year, visible enough "
                "that people hear about it, and shared: designed with diaspora partners, not "
                "handed to them. Examples that often work are mentoring for students by "
                "professionals abroad, short volunteer missions of doctors or engineers, or a "
                "joint event on a practical topic such as sending money home safely.",
                "Match the project to what people offered in your listening sessions. If many "
                "mentioned skills rather than money, do not start with an investment fund. If "
                "associations are strong in one city, start there and learn before you grow.",
                "Agree in writing who does what, who pays for what and who speaks for the "
                "project. A one-page agreement avoids most of the disputes that end first "
                "projects.",
            ]),
            "fr": ("Choisir un premier projet", "Commencez par quelque chose de modeste que les "
                   "deux parties veulent, qui s'appuie sur ce que la diaspora propose et qui se "
                   "voit.", [
                "Un bon premier projet est assez modeste pour être achevé en moins d'un an, assez "
                "visible pour qu'on en parle, et partagé : conçu avec les partenaires de la "
                "diaspora, pas simplement confié à eux. Exemples qui fonctionnent souvent : du "
                "mentorat d'étudiants par des professionnels à l'étranger, de courtes missions "
                "bénévoles de médecins ou d'ingénieurs, ou une rencontre commune sur un sujet "
                "pratique comme envoyer de l'argent au pays en toute sécurité.",
                "Adaptez le projet à ce que les gens ont proposé lors des séances d'écoute. Si "
                "beaucoup ont parlé de compétences plutôt que d'argent, ne commencez pas par un "
                "fonds d'investissement. Si les associations sont fortes dans une ville, "
                "commencez là et apprenez avant de vous étendre.",
                "Mettez par écrit qui fait quoi, qui paie quoi et qui parle au nom du projet. "
                "Un accord d'une page évite la plupart des différends qui mettent fin aux "
                "premiers projets.",
            ]),
            "ar": ("اختيار المشروع الأول", "ابدأ بشيء صغير يريده الطرفان، ويستفيد مما تقدمه "
                   "الجالية، ويراه الناس.", [
                "المشروع الأول الجيد صغير بما يكفي لإنجازه خلال عام، وظاهر بما يكفي ليسمع به "
                "الناس، ومتشارك: يُصمَّم مع شركاء من الجالية لا يُسلَّم إليهم جاهزًا. ومن الأمثلة "
                "التي تنجح غالبًا: إرشاد الطلاب على يد مهنيين في الخارج، أو بعثات تطوعية قصيرة "
                "لأطباء أو مهندسين، أو فعالية مشتركة حول موضوع عملي مثل إرسال الأموال إلى البلد "
                "بأمان.",
                "اجعل المشروع مناسبًا لما عرضه الناس في جلسات الإصغاء. فإذا تحدث كثيرون عن "
                "المهارات لا عن المال، فلا تبدأ بصندوق استثمار. وإذا كانت الجمعيات قوية في مدينة "
                "بعينها، فابدأ منها وتعلّم قبل أن تتوسع.",
                "اتفقوا كتابةً على من يفعل ماذا، ومن يدفع ماذا، ومن يتحدث باسم المشروع. فاتفاق "
                "من صفحة واحدة يجنّب معظم الخلافات التي تُنهي المشاريع الأولى.",
            ]),
        }, None),
        ("measuring-what-changed", 9, {
            "en": ("Measuring what changed", "Decide together what success looks like, count "
                   "a few things well, and share the results.", [
                "Before the project starts, agree with your partners on two or three signs of "
                "success that matter to them as much as to you: the number of students who "
                "found a mentor and stayed in touch, the operations performed during a medical "
                "mission, how many participants changed the way they send money.",
                "Count a few things well rather than many things badly. Note where you start, "
                "collect the same figures at the end, and add the voices of participants: a "
                "short conversation often explains what a figure cannot.",
                "Share the results with everyone who took part, including what did not work. "
                "An honest account is the best invitation to a second project, and the "
                "diaspora will judge your next proposal by how you reported on this one.",
            ]),
            "fr": ("Mesurer ce qui a changé", "Décidez ensemble de ce qu'est la réussite, "
                   "comptez bien quelques éléments et partagez les résultats.", [
                "Avant le lancement, convenez avec vos partenaires de deux ou trois signes de "
                "réussite qui comptent autant pour eux que pour vous : le nombre d'étudiants qui "
                "ont trouvé un mentor et sont restés en contact, les opérations réalisées "
                "pendant une mission médicale, le nombre de participants qui ont changé leur "
                "façon d'envoyer de l'argent.",
                "Mieux vaut bien compter peu de choses que mal en compter beaucoup. Notez le "
                "point de départ, recueillez les mêmes chiffres à la fin, et ajoutez la parole "
                "des participants : une courte conversation explique souvent ce qu'un chiffre "
                "ne dit pas.",
                "Partagez les résultats avec tous ceux qui ont participé, y compris ce qui n'a "
                "pas marché. Un bilan honnête est la meilleure invitation à un deuxième projet, "
                "et la diaspora jugera votre prochaine proposition à la manière dont vous avez "
                "rendu compte de celle-ci.",
            ]),
            "ar": ("قياس ما تغيّر", "قرّروا معًا ما يعنيه النجاح، واحسبوا أشياء قليلة بدقة، "
                   "وشاركوا النتائج.", [
                "قبل انطلاق المشروع، اتفق مع شركائك على علامتين أو ثلاث للنجاح تهمّهم بقدر ما "
                "تهمّك: عدد الطلاب الذين وجدوا مرشدًا وبقوا على تواصل معه، أو العمليات التي أُجريت "
                "خلال بعثة طبية، أو عدد المشاركين الذين غيّروا طريقة إرسالهم للأموال.",
                "احسب أشياء قليلة بدقة بدل أن تحسب أشياء كثيرة بلا دقة. سجّل نقطة البداية، واجمع "
                "الأرقام نفسها في النهاية، وأضف أصوات المشاركين: فمحادثة قصيرة كثيرًا ما تشرح ما "
                "لا يشرحه الرقم.",
                "شارك النتائج مع كل من شارك، بما في ذلك ما لم ينجح. فالحساب الصادق هو أفضل دعوة "
                "إلى مشروع ثانٍ، وستحكم الجالية على اقتراحك التالي بالطريقة التي أبلغت بها عن "
                "هذا المشروع.",
            ]),
        }, ({"en": "Quiz: your first project", "fr": "Quiz : votre premier projet",
             "ar": "اختبار: مشروعك الأول"}, [
            _q(False, (0,), {
                "en": ("Most people in your listening sessions offered skills rather than "
                       "money. Which first project fits best?",
                       ["A mentoring scheme linking professionals abroad with students",
                        "A diaspora investment fund",
                        "A national diaspora bond"],
                       ["Yes: it uses what people actually offered.",
                        "People offered skills, not money: an investment fund can come later.",
                        "A bond is large and slow, and people offered skills, not money."]),
                "fr": ("La plupart des participants à vos séances d'écoute ont proposé des "
                       "compétences plutôt que de l'argent. Quel premier projet convient le "
                       "mieux ?",
                       ["Un programme de mentorat entre professionnels à l'étranger et "
                        "étudiants",
                        "Un fonds d'investissement de la diaspora",
                        "Une obligation nationale de la diaspora"],
                       ["Oui : il s'appuie sur ce que les gens ont réellement proposé.",
                        "On vous a proposé des compétences, pas de l'argent : un fonds pourra "
                        "venir plus tard.",
                        "Une obligation est un projet lourd et lent, et l'on vous a proposé "
                        "des compétences."]),
                "ar": ("عرض معظم المشاركين في جلسات الإصغاء مهاراتهم لا أموالهم. أيّ مشروع "
                       "أول هو الأنسب؟",
                       ["برنامج إرشاد يربط مهنيين في الخارج بالطلاب",
                        "صندوق استثمار للمغتربين",
                        "سندات وطنية للمغتربين"],
                       ["صحيح: فهو يستفيد مما عرضه الناس فعلًا.",
                        "عرض الناس مهارات لا أموالًا: يمكن أن يأتي الصندوق لاحقًا.",
                        "السندات مشروع كبير وبطيء، والناس عرضوا مهارات لا أموالًا."]),
            }),
            _q(True, (0, 2), {
                "en": ("How should you measure a first project? Choose every right answer.",
                       ["Agree on a few signs of success with your partners before starting",
                        "Publish only the figures that went well",
                        "Add what participants say to the figures"],
                       ["Right: success must mean something to both sides.",
                        "No: an honest account, failures included, earns the next project.",
                        "Right: voices explain what figures cannot."]),
                "fr": ("Comment mesurer un premier projet ? Choisissez toutes les bonnes "
                       "réponses.",
                       ["Convenir avec vos partenaires de quelques signes de réussite avant "
                        "de commencer",
                        "Ne publier que les chiffres favorables",
                        "Ajouter aux chiffres la parole des participants"],
                       ["Exact : la réussite doit avoir un sens pour les deux parties.",
                        "Non : un bilan honnête, échecs compris, ouvre la voie au projet "
                        "suivant.",
                        "Exact : les témoignages expliquent ce que les chiffres ne disent "
                        "pas."]),
                "ar": ("كيف تقيس مشروعك الأول؟ اختر كل الإجابات الصحيحة.",
                       ["الاتفاق مع شركائك على بضع علامات للنجاح قبل البدء",
                        "نشر الأرقام الجيدة فقط",
                        "إضافة ما يقوله المشاركون إلى الأرقام"],
                       ["صحيح: يجب أن يعني النجاح شيئًا للطرفين.",
                        "لا: الحساب الصادق، بما فيه الإخفاقات، هو ما يفتح الباب للمشروع التالي.",
                        "صحيح: الأصوات تشرح ما لا تشرحه الأرقام."]),
            }),
        ])),
    ]),
]  # fmt: skip


def _id(*parts: str) -> str:
    """The same block id in every language, so progress and scores carry across them."""
    return str(uuid.uuid5(_NAMESPACE, ":".join(parts)))


def lesson_body(slug: str, paragraphs: list[str], quiz, code: str) -> list[dict]:
    body = [
        {"type": "paragraph", "value": f"<p>{text}</p>", "id": _id(slug, f"p{n}")}
        for n, text in enumerate(paragraphs)
    ]
    if quiz is not None:
        titles, questions = quiz
        items = []
        for q, question in enumerate(questions):
            text, answers, feedback = question["texts"][code]
            items.append({
                "type": "item", "id": _id(slug, f"q{q}"),
                "value": {
                    "question": text, "multiple": question["multiple"],
                    "answers": [
                        {"type": "item", "id": _id(slug, f"q{q}", f"a{a}"),
                         "value": {"text": answer, "correct": a in question["correct"],
                                   "feedback": feedback[a]}}
                        for a, answer in enumerate(answers)
                    ],
                },
            })  # fmt: skip
        body.append({"type": "quiz", "id": _id(slug, "quiz"),
                     "value": {"title": titles[code], "questions": items}})  # fmt: skip
    return body


def _index(home: HomePage, locales: dict[str, Locale]) -> CoursesIndexPage:
    index = CoursesIndexPage.objects.filter(locale=locales["en"]).first()
    if index is None:
        title, intro = INDEX["en"]
        index = create_live(home, CoursesIndexPage(title=title, slug="courses", intro=intro))
    for code, locale in locales.items():
        if code != "en" and not index.has_translation(locale):
            title, intro = INDEX[code]
            create_translation(index, locale, title=title, intro=intro)
    return index


def load_courses(home: HomePage, locales: dict[str, Locale],
                 progress: Callable[[str], None]) -> int:  # fmt: skip
    """The courses index in every language and the demo course in three; pages made."""
    index = _index(home, locales)
    course = CoursePage.objects.filter(slug="engaging-your-diaspora", locale=locales["en"]).first()
    if course is not None:
        return 0
    made = 0
    title, summary, about, duration = COURSE["en"]
    course = CoursePage(title=title, slug="engaging-your-diaspora", summary=summary, body=about,
                        duration=duration)  # fmt: skip
    create_live(index, course)
    for code in LANGUAGES[1:]:
        title, summary, about, duration = COURSE[code]
        create_translation(course, locales[code], title=title, summary=summary, body=about,
                           duration=duration)  # fmt: skip
    made += len(LANGUAGES)
    for slug, texts, lessons in MODULES:
        title, intro = texts["en"]
        module = create_live(course, ModulePage(title=title, slug=slug, intro=intro))
        for code in LANGUAGES[1:]:
            title, intro = texts[code]
            create_translation(module, locales[code], title=title, intro=intro)
        for lesson_slug, minutes, lesson_texts, quiz in lessons:
            title, summary, paragraphs = lesson_texts["en"]
            lesson = create_live(module, LessonPage(
                title=title, slug=lesson_slug, summary=summary, minutes=minutes,
                body=lesson_body(lesson_slug, paragraphs, quiz, "en"),
            ))  # fmt: skip
            for code in LANGUAGES[1:]:
                title, summary, paragraphs = lesson_texts[code]
                body = lesson_body(lesson_slug, paragraphs, quiz, code)
                create_translation(lesson, locales[code], title=title, summary=summary, body=body)
            made += len(LANGUAGES)
        made += len(LANGUAGES)
        progress(f"course module {slug}")
    return made
