"""What the search box offers while a reader types: topics of the shared taxonomy and titles.

Topics come from the `core` taxonomy in this process (no engine): a concept whose label or
synonym, in any language, starts with what was typed (or has a word that does) is offered by its
label in the reader's language, with the term that matched when that is another one: typing
"remesas" on the English site offers "Remittances (remesas)", a search that then crosses
languages. Titles come from the configured engine (`search.backends.suggest`), under the same
access filter as the results. Words only, no embedding, so it answers at every pause in typing;
the page and `/api/v1/search/suggestions/` both read it here.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from .access import viewer_audiences
from .analysis import MAX_QUERY_CHARS, clean_query, primary_language, query_tokens
from .backends import SUGGESTIONS, suggest, too_short_to_suggest
from .documents import SearchQuery
from .registry import type_labels
from .views import language_name, reader_url

TOPIC_SUGGESTIONS = 3


@dataclass
class Offer:
    """One suggestion as the reader sees it: a topic (a search for its label) or a title (its
    page), with the words to show and where it leads."""

    kind: str  # "topic" or the document type ("resource", "opportunity", ...)
    label: str
    url: str
    language: str
    note: str  # a title's type and language; "Topic", with the term typed if another


# The taxonomy's terms as `_topic_terms` lists them, and the taxonomy copy they come from.
_terms_memo: dict = {}


def _topic_terms() -> list[tuple[str, str, str]]:
    """(normalised term, slug, term) of every label and synonym, kept with the taxonomy's
    copy in this process (`core.topics.taxonomy_generation`)."""
    from core.topics import all_concepts, normalise_term, taxonomy_generation

    generation = taxonomy_generation()
    if _terms_memo.get("generation") != generation:
        _terms_memo["terms"] = [
            (normalise_term(term), concept.slug, term)
            for concept in all_concepts()
            for label in concept.labels.values()
            for term in label.terms
        ]
        _terms_memo["generation"] = generation
    return _terms_memo["terms"]


def topic_offers(text: str, reader: str, limit: int = TOPIC_SUGGESTIONS) -> list[Offer]:
    """Concepts whose label or synonym (any language) starts with `text` or has a word that
    does (ignoring case, accents and Arabic spelling variants): whole-term matches first, then
    the shorter terms. Each concept once, by its label in the reader's language."""
    from core.topics import get_concept, normalise_term

    typed = normalise_term(text)
    if too_short_to_suggest(typed.split()):
        return []
    ranked = []
    for term, slug, original in _topic_terms():
        if term.startswith(typed):
            closeness = 0 if term == typed else 1
        elif f" {typed}" in f" {term}":
            closeness = 2
        else:
            continue
        ranked.append((closeness, len(term), term, slug, original))
    offers: dict[str, Offer] = {}
    search_page = reverse("search:index")
    for _closeness, _length, _term, slug, original in sorted(ranked):
        if slug in offers:
            continue
        concept = get_concept(slug)
        if concept is None:
            continue
        shown = concept.in_language(reader)
        offers[slug] = Offer(
            kind="topic",
            label=shown.label,
            url=f"{search_page}?{urlencode({'q': shown.label})}",
            language=shown.language,
            note=gettext("Topic")
            if normalise_term(original) == normalise_term(shown.label)
            # Translators: a suggested topic, with the term (in another language, maybe)
            # that matched what the reader typed, as "Topic · remesas".
            else gettext("Topic · %(term)s") % {"term": original},
        )
        if len(offers) == limit:
            break
    return list(offers.values())


def suggestions(text: str, user, language: str | None = None) -> list[Offer]:
    """Topics, then titles the reader may open, for what they have typed so far."""
    reader = primary_language(language or translation.get_language() or "en")
    text = clean_query(text[:MAX_QUERY_CHARS])
    if too_short_to_suggest(query_tokens(text)):
        return []
    offers = topic_offers(text, reader)
    query = SearchQuery(text=text, viewer_audiences=viewer_audiences(user), language=reader)
    for suggestion in suggest(query)[:SUGGESTIONS]:
        kind = type_labels().get(suggestion.doc_type, suggestion.doc_type)
        if suggestion.matched_language != suggestion.language:
            # Translators: a suggested title shown in the reader's language, whose version
            # in another language matched what they typed, as "Resource · found through its
            # English version".
            note = gettext("%(type)s · found through its %(language)s version") % {
                "type": kind,
                "language": language_name(suggestion.matched_language),
            }
        else:
            # Translators: a suggested title's kind and language, as "Resource · French".
            note = gettext("%(type)s · %(language)s") % {
                "type": kind,
                "language": language_name(suggestion.language),
            }
        offers.append(
            Offer(
                kind=suggestion.doc_type,
                label=suggestion.title,
                url=reader_url(suggestion.doc_type, suggestion.url, reader),
                language=suggestion.language,
                note=note,
            )
        )
    return offers
