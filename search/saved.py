"""Saving a search of the whole site: what is stored, how it is named, and the rules.

A saved search is the search page's query read back through `queries.read_query` (only what
the page understands, bounded as it bounds it) and written in one canonical order, so the same
search saved twice is one row whatever order its parameters came in. It keeps the language it
was saved in, which ranks it. Saved searches are capped per member (`core.saved_searches`).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.saved_searches import SearchRefused, save_capped

from .analysis import primary_language
from .documents import SearchQuery
from .models import AlertFrequency, SavedSiteSearch
from .queries import read_query
from .registry import type_labels


def canonical_query(params, language: str) -> str:
    """The search in `params` as the page reads it, in one order (empty without words)."""
    # Read as an anonymous reader's: who asks changes what is found, not what is asked.
    query, _errors = read_query(params, None, language=language)
    return canonical_of(query, mine=bool(params.get("mine")))


def canonical_of(query: SearchQuery, mine: bool) -> str:
    """An already read search (`queries.read_query`) in one order (empty without words);
    `mine`: "only in my language" was asked (it stands for the reader's language)."""
    if not query.text:
        return ""
    pairs: list[tuple[str, str]] = [("q", " ".join(query.text.split()))]
    pairs += [("type", value) for value in sorted(set(query.types))]
    if mine:
        pairs.append(("mine", "1"))
    else:
        pairs += [("lang", value) for value in sorted(set(query.languages))]
    pairs += [("country", value) for value in sorted(set(query.countries))]
    pairs += [("topic", value) for value in sorted(set(query.topics))]
    pairs += [("year", str(value)) for value in sorted(set(query.years))]
    if query.include_closed:
        pairs.append(("closed", "1"))
    return urlencode(pairs)


def search_url(search: SavedSiteSearch) -> str:
    """The search page with this search, under the active language's prefix."""
    return f"{reverse('search:index')}?{search.query}"


def describe(search: SavedSiteSearch) -> dict:
    """The search (`search`), its words and its filters named in the active language, for
    lists and e-mails."""
    from core.geography import country_name

    from .views import language_name, topic_label

    params = QueryDict(search.query)
    labels = type_labels()
    filters = [str(labels.get(value, value)) for value in params.getlist("type")]
    if params.get("mine"):
        filters.append(_("Only in %(language)s") % {"language": language_name(search.language)})
    filters += [language_name(value) for value in params.getlist("lang")]
    filters += [country_name(value) for value in params.getlist("country")]
    reader = primary_language(get_language() or search.language)
    filters += [topic_label(value, reader) for value in params.getlist("topic")]
    filters += params.getlist("year")
    if params.get("closed"):
        filters.append(_("Closed ones included"))
    text = params.get("q", "")
    return {
        "search": search,
        "text": text,
        "filters": filters,
        "title": search.name or text,
        "url": search_url(search),
    }


def save_search(
    member, params, language: str, name: str = "", frequency: str = ""
) -> SavedSiteSearch:
    """Store the search in `params`, or raise SearchRefused saying why (no words, the limit
    reached, already saved)."""
    language = primary_language(language)
    query = canonical_query(params, language)
    if not query:
        raise SearchRefused(_("Type some words to search for before saving the search."))
    if frequency not in AlertFrequency.values:
        frequency = AlertFrequency.WEEKLY
    return save_capped(
        SavedSiteSearch,
        member,
        {"query": query, "language": language},
        name=" ".join(name.split())[:100],
        frequency=frequency,
    )
