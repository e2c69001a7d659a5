"""Countries and languages, named in the reader's language, for profiles, filters and content.

Countries of origin and residence come from django-countries (ISO 3166, names translated in
our four languages). Spoken languages are ISO 639-1 codes; their names come from Django's own
translated language list, completed with languages diasporas often speak that Django lacks.
"""

from __future__ import annotations

from django_countries import countries

from django.conf import global_settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Languages common in diaspora communities that Django's interface-language list does not have.
EXTRA_LANGUAGES = {
    "am": _("Amharic"),
    "ha": _("Hausa"),
    "ln": _("Lingala"),
    "om": _("Oromo"),
    "ps": _("Pashto"),
    "so": _("Somali"),
    "ti": _("Tigrinya"),
    "wo": _("Wolof"),
    "yo": _("Yoruba"),
    "zu": _("Zulu"),
}


def country_choices() -> list[tuple[str, str]]:
    """(ISO code, name) for every country, in the active language's alphabetical order."""
    return [(country.code, str(country.name)) for country in countries]


def country_name(code: str) -> str:
    return str(countries.name(code)) or code


def language_choices() -> list[tuple[str, str]]:
    """(ISO 639-1 code, name) of spoken languages, named and sorted in the active language."""
    names = {code: gettext(name) for code, name in global_settings.LANGUAGES if len(code) == 2}
    names.update({code: str(name) for code, name in EXTRA_LANGUAGES.items()})
    return sorted(names.items(), key=lambda item: item[1].casefold())
