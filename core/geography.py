"""Countries and languages, named in the reader's language, for profiles, filters and content.

Countries of origin and residence come from django-countries (ISO 3166, names translated in
our four languages). Spoken languages are ISO 639-1 codes; their names come from Django's own
translated language list, completed with languages diasporas often speak that Django lacks.
"""

from __future__ import annotations

from django_countries import countries

from django.conf import global_settings
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

# Names per (language, code): django-countries translates its whole list on each lookup (about
# 0.2 ms), and a library listing's facets or a directory's filters name a hundred countries per
# view. The names only change with a deploy (translations, settings), so each process keeps them.
_names: dict[tuple[str | None, str], str] = {}
_choices: dict[str | None, tuple[tuple[str, str], ...]] = {}
_language_choices: dict[str | None, tuple[tuple[str, str], ...]] = {}
_language_names: dict[str | None, dict[str, str]] = {}

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
    language = get_language()
    found = _choices.get(language)
    if found is None:
        found = _choices[language] = tuple(
            (country.code, str(country.name)) for country in countries
        )
    return list(found)


def country_name(code: str) -> str:
    key = (get_language(), code)
    found = _names.get(key)
    if found is None:
        # Bounded: unknown codes (from a query string) are named by themselves, not kept.
        found = str(countries.name(code)) or code
        if found != code:
            _names[key] = found
    return found


def language_choices() -> list[tuple[str, str]]:
    """(ISO 639-1 code, name) of spoken languages, named and sorted in the active language.

    Named once per process and language, like the countries: about a hundred translations and
    a sort, which a listing's filters and its query-string check would otherwise redo per view.
    """
    language = get_language()
    found = _language_choices.get(language)
    if found is None:
        names = {code: gettext(name) for code, name in global_settings.LANGUAGES if len(code) == 2}
        names.update({code: str(name) for code, name in EXTRA_LANGUAGES.items()})
        found = _language_choices[language] = tuple(
            sorted(names.items(), key=lambda item: item[1].casefold())
        )
    return list(found)


def language_names() -> dict[str, str]:
    """{ISO 639-1 code: name} of spoken languages in the active language (a shared dict: read,
    never change it)."""
    language = get_language()
    found = _language_names.get(language)
    if found is None:
        found = _language_names[language] = dict(language_choices())
    return found
