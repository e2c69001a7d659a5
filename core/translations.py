"""Each language's translation of a message looked up once per process, not on every page.

A page says "Log in", "Your dashboard", each filter's label and each card's "Deadline" through
`{% trans %}` or `gettext`: Django asks the language's catalogs one after the other (one per app
with a `locale` folder) and then its fallback language's, about ten dictionary lookups a
message, and most often for English, whose catalogs hold almost none of them. On a signed-in
listing that was a tenth of the page's time. A language's catalogs never change while the
process runs (Django makes new translation objects when they are reloaded, which start with
nothing remembered), so each translation object remembers what it answered, for a bounded
number of messages: text made at run time and translated (a message built from a user's input)
can never fill the memory.
"""

from __future__ import annotations

from django.utils.translation import trans_real

MAX_REMEMBERED = 20_000
_catalog_gettext = trans_real.DjangoTranslation.gettext


def _remembered_gettext(self: trans_real.DjangoTranslation, message: str) -> str:
    remembered = self.__dict__.get("_remembered")
    if remembered is None:
        remembered = self.__dict__["_remembered"] = {}
    try:
        return remembered[message]
    except KeyError:
        pass
    except TypeError:  # not hashable: asked as Django would
        return _catalog_gettext(self, message)
    translated = _catalog_gettext(self, message)
    if len(remembered) < MAX_REMEMBERED:
        remembered[message] = translated
    return translated


def install() -> None:
    """Remember translations per language (called once, from CoreConfig)."""
    trans_real.DjangoTranslation.gettext = _remembered_gettext
