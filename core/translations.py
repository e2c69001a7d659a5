"""Each language's translation of a message looked up once per process, not on every page.

A page says "Log in", "Your dashboard", each filter's label and each card's "Deadline" through
`{% trans %}` or `gettext`: Django asks the language's catalogs one after the other (one per app
with a `locale` folder) and then its fallback language's, about ten dictionary lookups a
message, and most often for English, whose catalogs hold almost none of them. On a signed-in
listing that was a tenth of the page's time. A language's catalogs never change while the
process runs (Django makes new translation objects when they are reloaded, which start with
nothing remembered), so each translation object remembers what its own catalogs answered, or
that they had no answer, for a bounded number of messages: text made at run time and translated
(a message built from a user's input) can never fill the memory.

What a fallback answers is asked of the fallback each time (itself a translation object that
remembers, for another language): libraries swap the fallback for a moment. django-countries
puts one that answers "" while it looks for a country's older name, and an answer remembered
from that moment named Russia, Palestine or the Bahamas "" in English ever after.
"""

from __future__ import annotations

from django.utils.translation import trans_real

MAX_REMEMBERED = 20_000
# What a translation's own catalogs say of a message they do not hold.
_NOT_IN_CATALOGS = object()


def _own_answer(self: trans_real.DjangoTranslation, message: str) -> object:
    """`message` in this translation's own catalogs (not its fallback's), as Python's
    `GNUTranslations.gettext` looks it up, or `_NOT_IN_CATALOGS`."""
    catalog = self._catalog
    found = catalog.get(message, _NOT_IN_CATALOGS)
    if found is _NOT_IN_CATALOGS:
        found = catalog.get((message, self.plural(1)), _NOT_IN_CATALOGS)
    return found


def _remembered_gettext(self: trans_real.DjangoTranslation, message: str) -> str:
    remembered = self.__dict__.get("_remembered")
    if remembered is None:
        remembered = self.__dict__["_remembered"] = {}
    try:
        found = remembered[message]
    except KeyError:
        found = _own_answer(self, message)
        if len(remembered) < MAX_REMEMBERED:
            remembered[message] = found
    except TypeError:  # not hashable: asked as Django would
        found = _own_answer(self, message)
    if found is not _NOT_IN_CATALOGS:
        return found
    fallback = self._fallback
    return fallback.gettext(message) if fallback else message


def install() -> None:
    """Remember translations per language (called once, from CoreConfig)."""
    trans_real.DjangoTranslation.gettext = _remembered_gettext
