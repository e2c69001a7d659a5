"""The topic taxonomy as apps read it: each concept once in the reader's language, as a two-level
tree, and found by any of its words in any language.

Apps tag opportunities, organisations, resources, threads and events with `core.models.Topic`
rows; listings, filters and forms show the concepts in the reader's language (English when a
concept is not translated into it), and cross-language search expands a query with every label
and synonym of the concepts it names (`find_topic`, `topics_in_text`).

The whole taxonomy is a few hundred short rows, read on many pages: each process keeps it in a
`core.memo.ProcessMemo`, forgotten at once in the process where a topic is saved or deleted
(`core.signals`) and re-read by the others within `TAXONOMY_TTL` seconds; each language's
sorted list of labels is kept with that copy and forgotten with it.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from uuid import UUID

from django.conf import settings
from django.utils import translation

from .memo import ProcessMemo

TAXONOMY_TTL = 60.0
# The page-cache content group of what shows topic labels (core.page_cache, core.api).
TOPICS_GROUP = "topics"
FALLBACK_LANGUAGE = "en"

# Arabic spellings that readers type interchangeably: hamza forms of alef, alef maqsura, and
# ta marbuta (vowel marks and tatweel are removed separately).
_ARABIC_FOLDS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_SEPARATORS = re.compile(r"[\W_]+", re.UNICODE)


def normalise_term(text: str) -> str:
    """A form of `text` that ignores case, accents, Arabic vowel marks and spelling variants,
    and punctuation: "Transferts d'argent" and "transferts d’argent" become the same key."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_marks = "".join(
        char for char in decomposed if not unicodedata.combining(char) and char != "\u0640"
    )
    folded = without_marks.translate(_ARABIC_FOLDS)
    return " ".join(_SEPARATORS.sub(" ", folded).split())


@dataclass(frozen=True)
class TopicLabel:
    """One concept as shown in one language: the row `id` to tag with, its words and its place."""

    id: int
    slug: str
    translation_key: UUID
    language: str
    label: str
    description: str
    synonyms: tuple[str, ...]
    parent_slug: str | None

    @property
    def terms(self) -> tuple[str, ...]:
        return (self.label, *self.synonyms)


@dataclass(frozen=True)
class TopicConcept:
    """One concept with its labels in every language it is translated into."""

    slug: str
    translation_key: UUID
    parent_slug: str | None
    labels: dict[str, TopicLabel]

    def in_language(self, language: str) -> TopicLabel:
        """The concept in `language`, else in English, else in any language it has."""
        return (
            self.labels.get(_primary(language))
            or self.labels.get(FALLBACK_LANGUAGE)
            or next(iter(self.labels.values()))
        )

    def all_terms(self) -> list[str]:
        """Every label and synonym in every language, for expanding a search query."""
        return [term for label in self.labels.values() for term in label.terms]


@dataclass(frozen=True)
class TopicBranch:
    """A main topic and the topics under it, in one language."""

    topic: TopicLabel
    children: list[TopicLabel] = field(default_factory=list)


@dataclass(frozen=True)
class _Taxonomy:
    concepts: dict[str, TopicConcept]
    by_term: dict[str, str]  # normalised term -> slug
    by_id: dict[int, str]  # row id in any language -> slug
    # Each language's sorted labels, filled as languages are asked for: they belong to this copy
    # of the taxonomy, so they are forgotten with it when a topic changes (`forget_taxonomy`).
    sorted_labels: dict[str, tuple[TopicLabel, ...]] = field(default_factory=dict)
    # Which load of the taxonomy this is, in this process (`taxonomy_generation`).
    generation: int = 0


_memo: ProcessMemo[_Taxonomy] = ProcessMemo("topic taxonomy", ttl=TAXONOMY_TTL)
_generations = itertools.count(1)


def forget_taxonomy(**kwargs) -> None:
    """Drop this process's copy: connected to every save and delete of a topic."""
    _memo.clear()


def _primary(language: str | None) -> str:
    return (language or FALLBACK_LANGUAGE).split("-")[0].lower()


def _load() -> _Taxonomy:
    from .models import Topic

    rows = Topic.objects.select_related("locale", "parent").order_by("pk")
    labels: dict[str, dict[str, TopicLabel]] = defaultdict(dict)
    keys: dict[str, tuple[UUID, str | None]] = {}
    by_id: dict[int, str] = {}
    for row in rows:
        language = _primary(row.locale.language_code)
        labels[row.slug][language] = TopicLabel(
            id=row.pk,
            slug=row.slug,
            translation_key=row.translation_key,
            language=language,
            label=row.label,
            description=row.description,
            synonyms=tuple(row.synonym_list),
            parent_slug=row.parent.slug if row.parent_id else None,
        )
        by_id[row.pk] = row.slug
        # The English row (or the first one seen) says where the concept sits.
        if row.slug not in keys or language == FALLBACK_LANGUAGE:
            keys[row.slug] = (row.translation_key, labels[row.slug][language].parent_slug)
    concepts = {
        slug: TopicConcept(slug, keys[slug][0], keys[slug][1], by_language)
        for slug, by_language in labels.items()
    }
    by_term: dict[str, str] = {}
    for slug, concept in concepts.items():
        for term in concept.all_terms():
            by_term.setdefault(normalise_term(term), slug)
    return _Taxonomy(concepts, by_term, by_id, generation=next(_generations))


def _taxonomy() -> _Taxonomy:
    return _memo.get("all", _load)


def taxonomy_generation() -> int:
    """A number that changes whenever this process reads the taxonomy again (after a topic
    changed, or its TTL): what is derived from the taxonomy can be kept until it does."""
    return _taxonomy().generation


def _sort_key(label: TopicLabel) -> str:
    return normalise_term(label.label)


def all_concepts() -> list[TopicConcept]:
    """Every concept of the taxonomy, in no particular language."""
    return list(_taxonomy().concepts.values())


def get_concept(slug: str) -> TopicConcept | None:
    """The concept with this stable slug, or None."""
    return _taxonomy().concepts.get(slug)


def concept_of(topic_id: int) -> TopicConcept | None:
    """The concept a `Topic` row (in any language) belongs to: tags stay language-neutral."""
    taxonomy = _taxonomy()
    slug = taxonomy.by_id.get(topic_id)
    return taxonomy.concepts.get(slug) if slug else None


def topics_for_language(language: str | None = None) -> list[TopicLabel]:
    """Each concept once, in `language` (default: the active one) or in English when it is not
    translated, sorted by label."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    taxonomy = _taxonomy()
    found = taxonomy.sorted_labels.get(language)
    if found is None:
        # Normalising every label for the sort is most of the cost: once per language and copy.
        labels = [concept.in_language(language) for concept in taxonomy.concepts.values()]
        found = taxonomy.sorted_labels[language] = tuple(sorted(labels, key=_sort_key))
    return list(found)


def topic_choices() -> list[tuple[int, str]]:
    """Choices for a form's topic field: each concept once, in the reader's language; the row of
    that language is what is posted (forms store whichever row; filters match by slug)."""
    return [(label.id, label.label) for label in topics_for_language()]


def topic_tree(language: str | None = None) -> list[TopicBranch]:
    """The main topics, sorted, each with the topics under it, all in the reader's language."""
    labels = topics_for_language(language)
    children: dict[str, list[TopicLabel]] = defaultdict(list)
    for label in labels:
        if label.parent_slug:
            children[label.parent_slug].append(label)
    return [
        TopicBranch(label, children.get(label.slug, []))
        for label in labels
        if label.parent_slug is None
    ]


def find_topic(term: str) -> TopicConcept | None:
    """The concept one of whose labels or synonyms, in any language, is `term` (ignoring case,
    accents and punctuation), or None."""
    taxonomy = _taxonomy()
    slug = taxonomy.by_term.get(normalise_term(term))
    return taxonomy.concepts.get(slug) if slug else None


def topics_in_text(text: str) -> list[TopicConcept]:
    """The concepts whose labels or synonyms appear as whole words in `text` (a search query),
    longest match first, each once."""
    haystack = f" {normalise_term(text)} "
    taxonomy = _taxonomy()
    found: dict[str, TopicConcept] = {}
    for term in sorted(taxonomy.by_term, key=len, reverse=True):
        slug = taxonomy.by_term[term]
        if term and slug not in found and f" {term} " in haystack:
            found[slug] = taxonomy.concepts[slug]
    return list(found.values())
