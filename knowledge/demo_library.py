"""Demo content of the resource library: the library page in four languages and a few resources.

Enough for the library's pages not to be empty and to show its behaviours: resources in each
language, some translated, one only in Spanish (listed once everywhere, with a badge), facets
with several values, a cover image made here (no file to ship), key figures, a table and a
video. Idempotent: pages are found by slug in their locale, images by title.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from io import BytesIO

from django.core.files.images import ImageFile

from wagtail.images import get_image_model
from wagtail.models import Locale

from core.models import Topic

from .demo_pages import create_live, create_translation
from .models import HomePage, LibraryPage, ResourcePage

LIBRARY_TITLES = {"en": "Library", "fr": "Bibliothèque", "es": "Biblioteca", "ar": "المكتبة"}
LIBRARY_INTROS = {
    "en": "<p>Toolkits, case studies, policies, reports and training material on working with "
          "diasporas, from governments, IOM offices and diaspora organisations.</p>",
    "fr": "<p>Boîtes à outils, études de cas, politiques, rapports et supports de formation "
          "pour travailler avec les diasporas.</p>",
    "es": "<p>Herramientas, estudios de caso, políticas, informes y material de formación para "
          "trabajar con las diásporas.</p>",
    "ar": "<p>أدلة عملية ودراسات حالة وسياسات وتقارير ومواد تدريبية حول العمل مع المغتربين.</p>",
}  # fmt: skip


def _p(*paragraphs: str) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs]


def _items(values: list) -> list[dict]:
    """A list block's items as the admin stores them (each with an id): wagtail-localize
    offers the text of items in that form only, segment by segment."""
    return [{"type": "item", "value": value, "id": str(uuid.uuid4())} for value in values]


def _figures(*pairs: tuple[str, str]) -> dict:
    figures = _items([{"figure": figure, "label": label} for figure, label in pairs])
    return {"type": "key_figures", "value": {"figures": figures}}


def _table(caption: str, *rows: list[str]) -> dict:
    table_rows = _items([{"cells": _items(cells)} for cells in rows])
    return {"type": "table", "value": {"caption": caption, "header_row": True, "rows": table_rows}}


# slug: (language, type, date, publisher, countries, regions, topics, source, cover colour,
#        {language: (title, summary, body)}) - the first language is the original.
RESOURCES = {
    "mapping-your-diaspora": (
        "toolkit", date(2023, 5, 10), "Diaspora Hub demo", ["SN", "ML"],
        ["west_central_africa"], ["diaspora-mapping", "diaspora-engagement"],
        "https://example.org/toolkits/mapping", (11, 92, 86),
        {
            "en": ("Mapping your diaspora: a practical toolkit",
                   "How a ministry can learn where its diaspora lives, what it does and what it "
                   "wants, without a census and without putting anyone at risk.",
                   [*_p("Start from what already exists: consular registrations, associations' "
                      "member lists and household surveys at home each hold part of the picture.",
                      "Ask people directly, through their own associations, and tell them what "
                      "the answers will be used for. Publish only aggregate figures."),
                    _figures(("3", "sources to combine before any survey"),
                             ("12", "weeks for a first map"))]),
            "fr": ("Cartographier sa diaspora : une boîte à outils pratique",
                   "Comment un ministère peut savoir où vit sa diaspora, ce qu'elle fait et ce "
                   "qu'elle attend, sans recensement et sans exposer quiconque.",
                   _p("Partez de l'existant : registres consulaires, listes des associations et "
                      "enquêtes auprès des ménages au pays donnent chacun une partie du tableau.",
                      "Interrogez les personnes directement, par leurs propres associations, et "
                      "dites-leur à quoi serviront les réponses. Ne publiez que des agrégats.")),
        },
    ),
    "remittance-costs-horn-of-africa": (
        "report", date(2024, 2, 1), "Regional remittances observatory", ["ET", "SO", "KE"],
        ["east_horn_africa"], ["remittances", "financial-literacy"],
        "https://example.org/reports/remittance-costs", (179, 38, 30),
        {
            "en": ("Remittance costs in the Horn of Africa",
                   "What sending 200 dollars home really costs, corridor by corridor, and what "
                   "families and governments can do to lower it.",
                   [*_p("Fees are only half of the cost: the exchange rate margin often weighs as "
                      "much, and it is rarely shown to the sender.",
                      "Mobile money corridors are the cheapest where both ends allow them."),
                    _table("Average cost of sending 200 USD", ["Corridor", "Cost"],
                           ["United States to Ethiopia", "6.1%"],
                           ["United Kingdom to Somalia", "5.4%"])]),
            "ar": ("تكاليف التحويلات المالية في القرن الأفريقي",
                   "كم يكلف فعلاً إرسال مئتي دولار إلى الأهل، ممرًا بممر، وما الذي يمكن للأسر "
                   "والحكومات فعله لخفض هذه الكلفة.",
                   _p("الرسوم ليست سوى نصف الكلفة: فهامش سعر الصرف يعادلها غالبًا، ونادرًا ما "
                      "يُعرض على المرسل.")),
        },
    ),
    "bonos-de-la-diaspora": (
        "case_study", date(2022, 9, 15), "Observatorio de las diásporas", ["MX", "CO"],
        ["latin_america_caribbean"], ["diaspora-bonds", "diaspora-investment"],
        "https://example.org/casos/bonos", None,
        {
            "es": ("Bonos de la diáspora: lecciones de América Latina",
                   "Dos emisiones de bonos dirigidos a la diáspora, lo que funcionó y lo que no.",
                   _p("La confianza en la institución emisora pesó más que el tipo de interés.",
                      "Los montos mínimos bajos atrajeron a pequeños ahorradores.")),
        },
    ),
    "reconnaissance-des-diplomes": (
        "policy", date(2021, 11, 3), "Ministère des Marocains résidant à l'étranger (démo)",
        ["MA", "TN"], ["middle_east_north_africa"],
        ["recognition-of-qualifications", "return-and-reintegration"],
        "https://example.org/politiques/diplomes", None,
        {
            "fr": ("Reconnaissance des diplômes des personnes qui reviennent",
                   "Une procédure unique et des délais garantis pour faire reconnaître un "
                   "diplôme obtenu à l'étranger.",
                   _p("Le dossier se dépose en ligne avant le retour ; la décision est rendue "
                      "en soixante jours au plus.")),
        },
    ),
    "diaspora-associations-training": (
        "training_material", date(2023, 10, 20), "شبكة جمعيات المغتربين", ["JO", "LB"],
        ["middle_east_north_africa"], ["diaspora-associations"],
        "https://example.org/training/associations", None,
        {
            "ar": ("دليل تدريبي لجمعيات المغتربين",
                   "وحدات قصيرة لتدريب أعضاء الجمعيات على الحوكمة والشفافية وإدارة المشاريع.",
                   _p("تبدأ كل وحدة بحالة عملية من جمعية حقيقية، ثم تمارين للعمل الجماعي.")),
        },
    ),
    "diaspora-skills-survey": (
        "dataset", date(2024, 6, 30), "Diaspora Hub demo", ["PH", "IN"], ["asia_pacific"],
        ["skills-transfer", "knowledge-networks"], "https://example.org/data/skills", (7, 64, 60),
        {
            "en": ("Diaspora skills survey: the data",
                   "Anonymised answers of 2,400 professionals abroad about the skills they "
                   "would share with their country of origin, and how.",
                   _p("Health and engineering professionals were the most willing to mentor "
                      "remotely; short missions were preferred to long returns.")),
        },
    ),
    "youth-voices": (
        "video", date(2025, 1, 15), "Diaspora youth network", ["NG", "GH"],
        ["west_central_africa"], ["youth"], "https://www.youtube.com/watch?v=aqz-KE-bpKQ", None,
        {
            "en": ("Youth in the diaspora: voices from the field",
                   "Young people born abroad talk about their ties with their parents' country.",
                   [*_p("A short film made with diaspora youth groups."),
                    {"type": "embed", "value": "https://www.youtube.com/watch?v=aqz-KE-bpKQ"}]),
        },
    ),
    "new-consular-services": (
        "news", date(2025, 3, 1), "Diaspora Hub demo", ["SN"], ["west_central_africa"],
        ["consular-services"], "https://example.org/news/consular", None,
        {
            "en": ("New consular services for citizens abroad",
                   "Passports and civil records can now be requested online from any consulate.",
                   _p("Appointments are only needed to collect the document.")),
            "es": ("Nuevos servicios consulares para la ciudadanía en el exterior",
                   "Pasaportes y actas civiles pueden solicitarse en línea desde cualquier "
                   "consulado.",
                   _p("Solo se necesita cita para recoger el documento.")),
        },
    ),
}  # fmt: skip


def _cover(title: str, colour: tuple[int, int, int]):
    """A plain cover (a colour field with a lighter band), made with Pillow: no file shipped."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    picture = PILImage.new("RGB", (1200, 675), colour)
    lighter = tuple(min(255, c + 60) for c in colour)
    ImageDraw.Draw(picture).rectangle([0, 470, 1200, 540], fill=lighter)
    buffer = BytesIO()
    picture.save(buffer, "PNG")
    name = title.lower().replace(" ", "-")[:40] + ".png"
    return Image.objects.create(title=title, file=ImageFile(buffer, name=name))


def _libraries(home: HomePage, locales: dict[str, Locale], progress) -> LibraryPage:
    library = LibraryPage.objects.filter(locale=locales["en"]).first()
    if library is None:
        library = LibraryPage(title=LIBRARY_TITLES["en"], slug="library",
                              intro=LIBRARY_INTROS["en"])  # fmt: skip
        create_live(home, library)
    for code, locale in locales.items():
        if code != "en" and not library.has_translation(locale):
            create_translation(library, locale, parent=home.get_translation(locale),
                               title=LIBRARY_TITLES[code], intro=LIBRARY_INTROS[code])  # fmt: skip
        page = library.get_translation(locale).specific
        if not page.live or page.title != LIBRARY_TITLES[code]:
            page.title, page.intro = LIBRARY_TITLES[code], LIBRARY_INTROS[code]
            page.save_revision().publish()
        progress(f"library ({code})")
    return library


# Free tags on some demo resources (beside the taxonomy's topics): words an editor adds for what
# no topic names, shared by every translation and each a link to the library filtered by it.
DEMO_TAGS = {
    "remittance-costs-horn-of-africa": ["SDG 10.c", "mobile money"],
    "news-remittance-fee-cap": ["SDG 10.c"],
    "datos-remesas-centroamerica": ["SDG 10.c"],
    "alttahwil-alraqami-lilmaghtarib": ["mobile money"],
    "programa-tres-por-uno": ["matching funds"],
    "hometown-associations-infrastructure": ["matching funds"],
    "diaspora-doctors-telemedicine": ["telemedicine"],
    "shabakat-alatibba-almughtaribin": ["telemedicine"],
    "skills-return-programme-evaluation": ["brain gain"],
    "diaspora-cientifica-redes": ["brain gain"],
    "remittances-and-household-resilience": ["COVID-19"],
    "crisis-response-diaspora-coordination": ["COVID-19"],
}


def _resource(library: LibraryPage, locales: dict[str, Locale], slug: str, spec) -> int:
    kind, published, publisher, countries, regions, topics, source, colour, texts = spec
    languages = list(texts)
    original_locale = locales[languages[0]]
    parent = library.get_translation(original_locale)
    original = ResourcePage.objects.filter(slug=slug, locale=original_locale).first()
    topic_rows = list(Topic.objects.filter(slug__in=topics, locale=locales["en"]))
    cover = _cover(texts[languages[0]][0], colour) if colour else None
    made = 0
    if original is None:
        title, summary, body = texts[languages[0]]
        original = ResourcePage(
            title=title, slug=slug, summary=summary, body=body, resource_type=kind,
            publication_date=published, publisher=publisher, countries=countries,
            regions=regions, source_url=source, cover_image=cover, locale=original_locale,
        )  # fmt: skip
        original.topics = topic_rows
        original.tags.add(*DEMO_TAGS.get(slug, ()))
        create_live(parent, original)
        made += 1
    for code in languages[1:]:
        if original.has_translation(locales[code]):
            continue
        title, summary, body = texts[code]
        create_translation(original, locales[code], title=title, summary=summary, body=body,
                           topics=topic_rows)  # fmt: skip
        made += 1
    return made


def all_resources() -> dict:
    """These resources and the many more of `knowledge.demo_resources` (which builds its entries
    with this module's helpers, hence the late import)."""
    from .demo_resources import MORE_RESOURCES

    return {**RESOURCES, **MORE_RESOURCES}


def load_library(home: HomePage, locales: dict[str, Locale],
                 progress: Callable[[str], None]) -> int:  # fmt: skip
    """The library in every language and the sample resources; how many pages were made."""
    library = _libraries(home, locales, progress)
    made = 0
    for slug, spec in all_resources().items():
        made += _resource(library, locales, slug, spec)
        progress(f"resource {slug}")
    make_demo_renditions(progress)
    return made


def make_demo_renditions(progress: Callable[[str], None]) -> None:
    """The WebP renditions the library's templates ask for (`knowledge.images`), for every
    cover and figure of the resources, made now: a saved image only queues them for the worker,
    which may not run before the newcomer's first look, and `create_live` skips the publish
    handler that makes them. Only what is missing is made, so a second load is quick."""
    from .images import make_renditions_for

    used = set(ResourcePage.objects.exclude(cover_image=None).values_list("cover_image", flat=True))
    for page in ResourcePage.objects.only("body"):
        used.update(block.value["image"].pk for block in page.body if block.block_type == "image")
    make_renditions_for(get_image_model().objects.filter(pk__in=used).order_by("pk"))
    progress("image renditions")
