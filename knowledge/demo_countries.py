"""Demo content of the country profiles: the index in four languages and ten country profiles.

Each profile is written in English (diaspora institutions, policies, where to get in touch) and
translated into French, Spanish and Arabic at least in its introduction; a translation's body
follows the English until someone translates it in wagtail-localize. Page titles are the country
names django-countries gives in each language, never typed here. Idempotent: pages are found by
their country in their locale and updated, never duplicated.
"""

from __future__ import annotations

from collections.abc import Callable

from django_countries import countries

from django.utils import translation

from wagtail.models import Locale

from .demo_pages import create_live, create_translation
from .models import CountriesIndexPage, CountryPage, HomePage

INDEX_TITLES = {
    "en": "Country profiles",
    "fr": "Profils de pays",
    "es": "Perfiles de países",
    "ar": "ملفات البلدان",
}
INDEX_INTROS = {
    "en": "<p>How each country works with its diaspora: the institutions to know, the policies "
          "in force, and what the library and the community hold about it.</p>",
    "fr": "<p>Comment chaque pays travaille avec sa diaspora : les institutions à connaître, les "
          "politiques en vigueur, et ce que la bibliothèque et la communauté en disent.</p>",
    "es": "<p>Cómo trabaja cada país con su diáspora: las instituciones que conviene conocer, "
          "las políticas vigentes y lo que la biblioteca y la comunidad reúnen sobre él.</p>",
    "ar": "<p>كيف يعمل كل بلد مع مغتربيه: المؤسسات التي ينبغي معرفتها، والسياسات المعمول بها، "
          "وما تضمه المكتبة والمجتمع عنه.</p>",
}  # fmt: skip


def _section(heading: str, *paragraphs: str) -> list[dict]:
    return [
        {"type": "heading", "value": {"text": heading, "level": "h2"}},
        *({"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs),
    ]


def _profile(institutions: str, policies: str, contacts: str) -> list[dict]:
    return [
        *_section("Diaspora institutions", institutions),
        *_section("Policies", policies),
        *_section("Contacts", contacts),
    ]


# slug: (country code, {language: introduction}, English profile)
PROFILES = {
    "morocco": ("MA", {
        "en": "Millions of Moroccans live abroad, most of them in Europe; the 2011 Constitution "
              "commits the State to protecting their rights and ties with the homeland.",
        "fr": "Des millions de Marocains vivent à l'étranger, surtout en Europe ; la Constitution "
              "de 2011 engage l'État à protéger leurs droits et leurs liens avec le pays.",
        "es": "Millones de marroquíes viven en el extranjero, sobre todo en Europa; la "
              "Constitución de 2011 obliga al Estado a proteger sus derechos y sus vínculos.",
        "ar": "يعيش ملايين المغاربة في الخارج، معظمهم في أوروبا، ويُلزم دستور 2011 الدولة "
              "بحماية حقوقهم وصلاتهم بالوطن.",
    }, _profile(
        "A ministry delegate in charge of Moroccans living abroad leads government policy. The "
        "Council of the Moroccan Community Abroad (CCME), created in 2007, advises on it, and "
        "the Hassan II Foundation for Moroccans Living Abroad supports cultural, legal and "
        "social ties.",
        "Articles 16 to 18 of the Constitution protect Moroccans abroad and their participation "
        "in public life. Each summer, Operation Marhaba organises the return of hundreds of "
        "thousands of families through the ports. Remittances are one of the country's main "
        "sources of foreign currency.",
        "Start with the nearest Moroccan consulate; associations can reach the CCME and the "
        "Hassan II Foundation directly for partnerships.",
    )),
    "senegal": ("SN", {
        "en": "Senegal counts its diaspora as a region of the country: Senegalese abroad elect "
              "their own members of the National Assembly.",
        "fr": "Le Sénégal considère sa diaspora comme une région du pays : les Sénégalais de "
              "l'extérieur élisent leurs propres députés.",
        "es": "Senegal considera a su diáspora como una región más del país: los senegaleses "
              "en el exterior eligen a sus propios diputados.",
        "ar": "تعدّ السنغال مغتربيها منطقة من مناطق البلاد، إذ ينتخب السنغاليون في الخارج "
              "نوابهم في الجمعية الوطنية.",
    }, _profile(
        "The Ministry of Foreign Affairs and Senegalese Abroad holds the portfolio, with a "
        "directorate that supports Senegalese abroad. The High Council of Senegalese Abroad "
        "gives the diaspora a consultative voice.",
        "Since 2017, fifteen seats of the National Assembly are elected by Senegalese living "
        "abroad. The FAISE fund, created in 2008, finances and guides diaspora investment "
        "projects at home.",
        "Consulates and the ministry's diaspora directorate are the first contacts; project "
        "holders can apply to FAISE through its regional windows.",
    )),
    "mexico": ("MX", {
        "en": "Mexico runs one of the world's largest consular networks, centred on the "
              "Mexican community in the United States.",
        "fr": "Le Mexique dispose de l'un des plus grands réseaux consulaires au monde, tourné "
              "vers la communauté mexicaine des États-Unis.",
        "es": "México cuenta con una de las mayores redes consulares del mundo, centrada en la "
              "comunidad mexicana de Estados Unidos.",
        "ar": "تمتلك المكسيك إحدى أكبر الشبكات القنصلية في العالم، وتتركز على الجالية "
              "المكسيكية في الولايات المتحدة.",
    }, _profile(
        "The Institute for Mexicans Abroad (IME), created in 2003 within the Ministry of Foreign "
        "Affairs, coordinates programmes for the diaspora through some fifty consulates in the "
        "United States and others worldwide.",
        "Consulates issue the matrícula consular identity card and host health and financial "
        "education desks. For years, the 3x1 programme matched each peso that hometown "
        "associations invested in local projects with federal, state and municipal funds.",
        "Any Mexican consulate is the entry point; hometown associations work with the IME's "
        "community affairs staff.",
    )),
    "philippines": ("PH", {
        "en": "About ten million Filipinos live or work abroad; the country built dedicated "
              "agencies to protect them at every stage of migration.",
        "fr": "Environ dix millions de Philippins vivent ou travaillent à l'étranger ; le pays "
              "s'est doté d'agences qui les protègent à chaque étape de la migration.",
        "es": "Unos diez millones de filipinos viven o trabajan en el extranjero; el país creó "
              "organismos que los protegen en cada etapa de la migración.",
        "ar": "يعيش نحو عشرة ملايين فلبيني أو يعملون في الخارج، وقد أنشأت البلاد هيئات "
              "مخصصة لحمايتهم في كل مراحل الهجرة.",
    }, _profile(
        "The Department of Migrant Workers, created in 2021, brings together the agencies for "
        "overseas workers; the Overseas Workers Welfare Administration runs their welfare "
        "fund, and the Commission on Filipinos Overseas serves emigrants and their families.",
        "Filipinos abroad have voted by absentee ballot since 2003, and the same year a law let "
        "those who took another nationality reacquire Philippine citizenship.",
        "Migrant workers turn to the labour attachés of the embassies; emigrants and "
        "associations to the Commission on Filipinos Overseas.",
    )),
    "nigeria": ("NG", {
        "en": "Nigeria is Africa's largest remittance recipient, and a dedicated commission "
              "links the government with Nigerians abroad.",
        "fr": "Le Nigeria est le premier pays d'Afrique destinataire de transferts de fonds, et "
              "une commission dédiée relie le gouvernement aux Nigérians de l'étranger.",
        "es": "Nigeria es el mayor receptor de remesas de África, y una comisión específica "
              "vincula al gobierno con los nigerianos en el exterior.",
        "ar": "نيجيريا أكبر متلقٍّ للتحويلات المالية في أفريقيا، وتربط لجنة مخصصة الحكومة "
              "بالنيجيريين في الخارج.",
    }, _profile(
        "The Nigerians in Diaspora Commission (NiDCOM), established by law in 2017, engages the "
        "diaspora and mobilises its skills and investment; diaspora committees in both houses "
        "of the National Assembly follow its work.",
        "A National Diaspora Policy sets out how ministries work with Nigerians abroad, and "
        "Diaspora Day is celebrated each year on 25 July.",
        "NiDCOM is the first contact for associations and professionals; consular matters go "
        "through Nigerian embassies and consulates.",
    )),
    "colombia": ("CO", {
        "en": "Colombia has an official programme for its citizens abroad and a law that eases "
              "the return of those who wish to come home.",
        "fr": "La Colombie dispose d'un programme officiel pour ses ressortissants à l'étranger "
              "et d'une loi qui facilite le retour de ceux qui le souhaitent.",
        "es": "Colombia cuenta con un programa oficial para sus nacionales en el exterior y con "
              "una ley que facilita el retorno de quienes desean volver.",
        "ar": "لدى كولومبيا برنامج رسمي لمواطنيها في الخارج وقانون ييسّر عودة من يرغب منهم "
              "في العودة.",
    }, _profile(
        "Colombia Nos Une, the Ministry of Foreign Affairs' programme created in 2003, links "
        "Colombians abroad with the country and supports returnees.",
        "The 2012 return law offers tax and customs incentives and guidance to those who "
        "return. Colombians abroad elect a representative to the House of Representatives.",
        "Consulates run the programme's services abroad; returnees are guided by the return "
        "reference centres.",
    )),
    "india": ("IN", {
        "en": "India has the world's largest diaspora and receives more remittances than any "
              "other country.",
        "fr": "L'Inde possède la plus grande diaspora au monde et reçoit plus de transferts de "
              "fonds que tout autre pays.",
        "es": "India tiene la mayor diáspora del mundo y recibe más remesas que ningún otro "
              "país.",
        "ar": "تملك الهند أكبر جالية مغتربة في العالم، وتتلقى تحويلات مالية أكثر من أي بلد "
              "آخر.",
    }, _profile(
        "The Ministry of External Affairs handles diaspora affairs since it absorbed the "
        "Ministry of Overseas Indian Affairs in 2016; missions abroad manage a community "
        "welfare fund for Indians in distress.",
        "Overseas Citizenship of India gives people of Indian origin lifelong visa-free entry "
        "and many rights of residents. Pravasi Bharatiya Divas, held since 2003, gathers the "
        "diaspora around 9 January.",
        "Indian embassies and consulates are the first contact; workers going abroad register "
        "on the government's eMigrate portal.",
    )),
    "lebanon": ("LB", {
        "en": "More Lebanese and people of Lebanese descent live abroad than in Lebanon, and "
              "their remittances weigh heavily in the economy.",
        "fr": "Les Libanais et descendants de Libanais sont plus nombreux à l'étranger qu'au "
              "Liban, et leurs transferts pèsent lourd dans l'économie.",
        "es": "Viven más libaneses y descendientes de libaneses fuera del Líbano que en el país, "
              "y sus remesas pesan mucho en la economía.",
        "ar": "يعيش في الخارج من اللبنانيين والمتحدرين من أصل لبناني أكثر ممن يعيشون في "
              "لبنان، وتحويلاتهم ركيزة أساسية للاقتصاد.",
    }, _profile(
        "The Ministry of Foreign Affairs and Emigrants, through its directorate of emigrants, "
        "leads the State's work with the diaspora; many clubs and cultural unions keep ties "
        "across generations.",
        "A 2015 law lets descendants of Lebanese emigrants recover Lebanese nationality, and "
        "Lebanese abroad have voted in parliamentary elections from their countries of "
        "residence since 2018.",
        "Embassies and consulates register voters and nationality claims; associations can "
        "contact the directorate of emigrants.",
    )),
    "ghana": ("GH", {
        "en": "Ghana welcomes both its emigrants and the wider African diaspora, as its Year "
              "of Return in 2019 showed.",
        "fr": "Le Ghana accueille ses émigrés comme la diaspora africaine au sens large, comme "
              "l'a montré son Année du retour en 2019.",
        "es": "Ghana acoge tanto a sus emigrantes como a la diáspora africana en general, como "
              "mostró su Año del Retorno en 2019.",
        "ar": "ترحب غانا بمهاجريها وبالشتات الأفريقي الأوسع، كما أظهر عام العودة في 2019.",
    }, _profile(
        "The Diaspora Affairs Office at the Office of the President, set up in 2017, "
        "coordinates the government's diaspora engagement with ministries and missions.",
        "Ghanaians may hold dual citizenship, and a right of abode is open to people of African "
        "descent. The Year of Return in 2019 and the Beyond the Return programme that followed "
        "invite visits, investment and resettlement.",
        "The Diaspora Affairs Office and Ghana's missions abroad answer diaspora enquiries.",
    )),
    "ethiopia": ("ET", {
        "en": "Ethiopia gives foreign nationals of Ethiopian origin many of a citizen's rights "
              "and has invited its diaspora to invest through bonds and a trust fund.",
        "fr": "L'Éthiopie accorde aux étrangers d'origine éthiopienne nombre des droits d'un "
              "citoyen et invite sa diaspora à investir par des obligations et un fonds.",
        "es": "Etiopía concede a los extranjeros de origen etíope muchos derechos de un "
              "ciudadano e invita a su diáspora a invertir mediante bonos y un fondo.",
        "ar": "تمنح إثيوبيا الأجانب من أصل إثيوبي كثيرًا من حقوق المواطن، وتدعو مغتربيها إلى "
              "الاستثمار عبر السندات وصندوق ائتماني.",
    }, _profile(
        "The Ethiopian Diaspora Agency, established in 2019, leads diaspora engagement, and "
        "the Ethiopian Diaspora Trust Fund raises contributions for projects at home.",
        "The Ethiopian-origin identity card (the yellow card) lets foreign nationals of "
        "Ethiopian origin live, work and invest without a visa. Diaspora bonds have financed "
        "public infrastructure, including the Grand Ethiopian Renaissance Dam.",
        "Embassies issue the yellow card; associations and investors can contact the Ethiopian "
        "Diaspora Agency.",
    )),
}  # fmt: skip

LANGUAGES = ("en", "fr", "es", "ar")


def _name(code: str, language: str) -> str:
    with translation.override(language):
        return str(countries.name(code))


def _index(home: HomePage, locales: dict[str, Locale], progress) -> CountriesIndexPage:
    index = CountriesIndexPage.objects.filter(locale=locales["en"]).first()
    if index is None:
        index = CountriesIndexPage(title=INDEX_TITLES["en"], slug="countries",
                                   intro=INDEX_INTROS["en"])  # fmt: skip
        create_live(home, index)
    for code in LANGUAGES:
        if code != "en" and not index.has_translation(locales[code]):
            create_translation(index, locales[code], title=INDEX_TITLES[code],
                               intro=INDEX_INTROS[code])  # fmt: skip
        page = index.get_translation(locales[code]).specific
        if not page.live or page.title != INDEX_TITLES[code]:
            page.title, page.intro = INDEX_TITLES[code], INDEX_INTROS[code]
            page.save_revision().publish()
        progress(f"country profiles ({code})")
    return index


def _profile_pages(index: CountriesIndexPage, locales: dict[str, Locale], slug: str,
                   spec) -> int:  # fmt: skip
    country, intros, body = spec
    original = CountryPage.objects.filter(country=country, locale=locales["en"]).first()
    made = 0
    if original is None:
        original = CountryPage(title=_name(country, "en"), slug=slug, country=country,
                               intro=intros["en"], body=body)  # fmt: skip
        create_live(index, original)
        made += 1
    for code in LANGUAGES[1:]:
        if original.has_translation(locales[code]):
            continue
        create_translation(original, locales[code], title=_name(country, code),
                           intro=intros[code])  # fmt: skip
        made += 1
    return made


def load_countries(home: HomePage, locales: dict[str, Locale],
                   progress: Callable[[str], None]) -> int:  # fmt: skip
    """The country profiles index in every language and the ten profiles; pages made."""
    index = _index(home, locales, progress)
    made = 0
    for slug, spec in PROFILES.items():
        made += _profile_pages(index, locales, slug, spec)
        progress(f"country {slug}")
    return made
