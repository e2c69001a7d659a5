"""Demo content of the knowledge app: the home page, the three policies, the library (see
`knowledge.demo_library`), the handbook (`knowledge.demo_handbook`) and the country profiles
(`knowledge.demo_countries`) in four languages, and a short course (`knowledge.demo_courses`).

Idempotent: pages are found by their slug in each locale and updated, never duplicated.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings as django_settings

from wagtail.models import Locale, Page, Site

from .demo_countries import PROFILES, load_countries
from .demo_courses import load_courses
from .demo_handbook import CHAPTERS, load_handbook
from .demo_library import all_resources, load_library
from .demo_pages import create_live, create_translation, finish
from .models import HomePage, PolicyPage, SiteSettings

# language: (title, tagline, introduction)
HOME = {
    "en": ("Diaspora Hub",
           "Connecting diasporas with their countries of origin",
           "<p>Connect with your country of origin: find opportunities, organisations and "
           "practical knowledge, and share your own.</p>"),
    "fr": ("Diaspora Hub",
           "Relier les diasporas à leurs pays d'origine",
           "<p>Restez lié à votre pays d'origine : trouvez des opportunités, des organisations "
           "et des savoirs pratiques, et partagez les vôtres.</p>"),
    "es": ("Diaspora Hub",
           "Conectando a las diásporas con sus países de origen",
           "<p>Conéctate con tu país de origen: encuentra oportunidades, organizaciones y "
           "conocimiento práctico, y comparte el tuyo.</p>"),
    "ar": ("مركز المغتربين",
           "ربط المغتربين ببلدانهم الأصلية",
           "<p>ابقَ على صلة ببلدك الأصلي: اعثر على الفرص والمنظمات والمعرفة العملية، "
           "وشارك ما لديك.</p>"),
}  # fmt: skip

# language: the mission statement under the introduction
MISSION = {
    "en": "Diaspora Hub brings together governments, international organisations and diaspora "
          "associations to share what works in engaging diasporas: evidence, practical guides and "
          "opportunities, in the languages people read, free and open to all.",
    "fr": "Diaspora Hub réunit gouvernements, organisations internationales et associations de "
          "la diaspora pour partager ce qui fonctionne dans l'engagement des diasporas : données, "
          "guides pratiques et opportunités, dans les langues de chacun, libres et ouverts à tous.",
    "es": "Diaspora Hub reúne a gobiernos, organismos internacionales y asociaciones de la "
          "diáspora para compartir lo que funciona al trabajar con las diásporas: evidencia, "
          "guías prácticas y oportunidades, en los idiomas de cada cual, libres y abiertos a "
          "todos.",
    "ar": "يجمع مركز المغتربين الحكومات والمنظمات الدولية وجمعيات المغتربين لتبادل ما ينجح في "
          "إشراك المغتربين: أدلة وبيانات وإرشادات عملية وفرص، باللغات التي يقرؤها الناس، مجانًا "
          "ومتاحة للجميع.",
}  # fmt: skip

POLICIES = {
    "terms": {
        "en": ("Terms of use", "<p>By using Diaspora Hub you agree to share only content you "
               "have the right to share and to respect other members.</p>"),
        "fr": ("Conditions d'utilisation", "<p>En utilisant Diaspora Hub, vous vous engagez à "
               "ne partager que des contenus dont vous avez les droits et à respecter les "
               "autres membres.</p>"),
        "es": ("Condiciones de uso", "<p>Al usar Diaspora Hub aceptas compartir solo "
               "contenido que tienes derecho a compartir y respetar a los demás miembros.</p>"),
        "ar": ("شروط الاستخدام", "<p>باستخدامك مركز المغتربين توافق على ألا تشارك إلا "
               "محتوى يحق لك مشاركته وعلى احترام الأعضاء الآخرين.</p>"),
    },
    "privacy": {
        "en": ("Privacy notice", "<p>You choose who sees each part of your profile. We never "
               "sell your data, and you can download or erase it at any time.</p>"),
        "fr": ("Avis de confidentialité", "<p>Vous choisissez qui voit chaque partie de votre "
               "profil. Nous ne vendons jamais vos données et vous pouvez les télécharger ou "
               "les effacer à tout moment.</p>"),
        "es": ("Aviso de privacidad", "<p>Tú decides quién ve cada parte de tu perfil. Nunca "
               "vendemos tus datos y puedes descargarlos o borrarlos en cualquier momento.</p>"),
        "ar": ("إشعار الخصوصية", "<p>أنت تختار من يرى كل جزء من ملفك الشخصي. لا نبيع "
               "بياناتك أبدًا، ويمكنك تنزيلها أو محوها في أي وقت.</p>"),
    },
    "conduct": {
        "en": ("Code of conduct", "<p>Be respectful. No hate, harassment, scams or spam. "
               "Moderators may remove content and suspend accounts that break these rules.</p>"),
        "fr": ("Code de conduite", "<p>Soyez respectueux. Pas de haine, de harcèlement, "
               "d'arnaques ni de spam. Les modérateurs peuvent retirer les contenus et "
               "suspendre les comptes qui enfreignent ces règles.</p>"),
        "es": ("Código de conducta", "<p>Sé respetuoso. Nada de odio, acoso, estafas ni spam. "
               "Los moderadores pueden retirar contenido y suspender cuentas que incumplan "
               "estas normas.</p>"),
        "ar": ("مدونة السلوك", "<p>كن محترمًا. لا كراهية ولا تحرش ولا احتيال ولا رسائل "
               "مزعجة. يجوز للمشرفين حذف المحتوى وتعليق الحسابات التي تخالف هذه القواعد.</p>"),
    },
}  # fmt: skip

SLUGS = {"terms": "terms", "privacy": "privacy", "conduct": "code-of-conduct"}
LANGUAGES = ("en", "fr", "es", "ar")


def _locales() -> dict[str, Locale]:
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGES}


def _publish(page: Page) -> None:
    """A demo page changed since an earlier load: published as an editor would."""
    page.save_revision().publish()


def _home_pages(locales: dict[str, Locale], progress: Callable[[str], None]) -> HomePage:
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=locales["en"]).first()
    if home is None:
        # Wagtail's "Welcome to your new Wagtail site!" placeholder holds the slug we want.
        Page.objects.filter(depth=2, content_type__model="page", slug="home").delete()
        root.refresh_from_db()
        title, tagline, intro = HOME["en"]
        home = HomePage(
            title=title, slug="home", tagline=tagline, intro=intro, locale=locales["en"]
        )
        create_live(root, home)
        Site.objects.update_or_create(
            is_default_site=True, defaults={"root_page": home, "site_name": "Diaspora Hub"}
        )
    for code in LANGUAGES:
        if code != "en" and not home.has_translation(locales[code]):
            title, tagline, intro = HOME[code]
            create_translation(home, locales[code], parent=root, title=title, tagline=tagline,
                               intro=intro, mission=MISSION[code])  # fmt: skip
        translated = home.get_translation(locales[code]).specific
        current = (translated.title, translated.tagline, translated.intro, translated.mission)
        if not translated.live or current != (*HOME[code], MISSION[code]):
            translated.title, translated.tagline, translated.intro = HOME[code]
            translated.mission = MISSION[code]
            _publish(translated)
        progress(f"home ({code})")
    return home


def _policies(home: HomePage, locales: dict[str, Locale], progress) -> int:
    count = 0
    for kind, texts in POLICIES.items():
        original = PolicyPage.objects.filter(kind=kind, locale=locales["en"]).first()
        if original is None:
            title, body = texts["en"]
            original = PolicyPage(title=title, slug=SLUGS[kind], kind=kind, body=body, version=1)
            create_live(home, original)
        for code in LANGUAGES[1:]:
            if not original.has_translation(locales[code]):
                title, body = texts[code]
                create_translation(original, locales[code], title=title, body=body)
            page = original.get_translation(locales[code]).specific
            if not page.live or page.title != texts[code][0]:
                page.title, page.body = texts[code]
                page.version = original.version
                _publish(page)
            count += 1
            progress(f"{kind} ({code})")
        count += 1
    return count


def load(progress: Callable[[str], None]) -> str:
    locales = _locales()
    pages_before = Page.objects.count()
    home = _home_pages(locales, progress)
    policies = _policies(home, locales, progress)
    load_library(home, locales, progress)
    load_handbook(home, locales, progress)
    load_countries(home, locales, progress)
    load_courses(home, locales, progress)
    finish(Page.objects.count() - pages_before)
    site = Site.objects.get(is_default_site=True)
    # Canonical links and the sitemap use the site's address: make it the one we serve on.
    address = urlsplit(django_settings.SITE_URL)
    site.hostname = address.hostname or "localhost"
    site.port = address.port or (443 if address.scheme == "https" else 80)
    site.save()
    settings = SiteSettings.for_site(site)
    settings.contact_email = settings.contact_email or "contact@example.org"
    settings.organisation_name = settings.organisation_name or "Diaspora Hub demo"
    settings.save()
    return (
        f"home page in {len(LANGUAGES)} languages, {policies} policy pages, the library with "
        f"{len(all_resources())} resources, the handbook with {len(CHAPTERS)} chapters, "
        f"{len(PROFILES)} country profiles, one course in 3 languages, site settings"
    )
