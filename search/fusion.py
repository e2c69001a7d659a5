"""How every engine turns its candidate lists into one ranked, faceted page of results.

Both backends (PostgreSQL and Elasticsearch) find the same engine-neutral candidates and hand
them to `rank`, so they rank, group translations, count facets and page identically:
- rank lists of ids, best first: "keyword" and "taxonomy";
- per document language, (id, cosine similarity of the document's nearest passage to the
  question) best first: "semantic" (one list per language, because a single list prefers
  documents in the question's own language);
- the unit vectors of the semantic candidates' leads, for the step across languages;
- and, per id, its document key, translation group, type and language (`Candidate`).

`fuse_scored` (weights in `SEARCH_FUSION`) takes the cosine similarities themselves,
standardised within each document language's candidate list, so a query in one language does
not push every document in its own language above the others (same-language cosines run higher
than cross-language ones with e5); the keyword and taxonomy lists add by rank; then each
candidate takes a share of the score of its nearest candidate in every other language
("translating by embedding": a page's translations, or another language's text on the same
subject, sit much nearer to it than the query does, so a strong hit lifts its counterparts and
a weak one does not). Then one result per translation group, facet counts over everything the
reader may see, then the type and language filters and the page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from django.conf import settings

from .documents import SearchQuery


@dataclass
class Fused:
    """Fused scores and the signals that found each candidate (ids are the engine's own)."""

    scores: dict[Hashable, float] = field(default_factory=lambda: defaultdict(float))
    matched: dict[Hashable, set[str]] = field(default_factory=lambda: defaultdict(set))


class Candidate(NamedTuple):
    """What fusion needs to know of a candidate besides its scores (`key`: the document's,
    which both engines share, to break ties alike). A tuple: a search describes hundreds of
    candidates, and a frozen dataclass cost several times more to make."""

    key: str
    group: str
    doc_type: str
    language: str


@dataclass
class Ranking:
    """The asked page of fused results (engine ids, best first) and what the page shows;
    `shown`: every result of the asked types and languages, the page's and the others, over
    which the engine counts the country, topic and year facets (`count_facets`)."""

    fused: Fused
    page: list
    total: int
    facets: dict[str, dict[str, int]]
    shown: list = field(default_factory=list)


def rank(
    query: SearchQuery,
    lists: Mapping[str, list],
    semantic: Mapping[str, list[tuple[Hashable, float]]],
    vectors: Mapping[Hashable, np.ndarray],
    describe: Callable[[list], Mapping[Hashable, Candidate]],
) -> Ranking | None:
    """Every engine's ranking: `fuse_scored`, one result per translation group, facets, the
    filters and the page; `describe` tells the group, type and language of the fused ids (an
    id it does not know, say removed meanwhile, is left out). None when nothing matched."""
    fused = fuse_scored(lists, semantic, vectors)
    if not fused.scores:
        return None
    known = describe(list(fused.scores))
    for doc_id in [i for i in fused.scores if i not in known]:
        del fused.scores[doc_id]
    if not fused.scores:
        return None
    type_of = {doc_id: known[doc_id].doc_type for doc_id in fused.scores}
    language_of = {doc_id: known[doc_id].language for doc_id in fused.scores}
    ranked = collapse(
        fused,
        {doc_id: known[doc_id].group for doc_id in fused.scores},
        {doc_id: known[doc_id].key for doc_id in fused.scores},
    )
    facets = facet_counts(ranked, type_of, language_of)
    shown = filter_results(ranked, query, type_of, language_of)
    start = (max(query.page, 1) - 1) * query.page_size
    return Ranking(fused, shown[start : start + query.page_size], len(shown), facets, shown)


def fuse_scored(
    lists: Mapping[str, list],
    semantic: Mapping[str, list[tuple[Hashable, float]]],
    vectors: Mapping[Hashable, np.ndarray],
) -> Fused:
    """Score fusion. `lists`: the rank lists ("keyword", "taxonomy"), each adding
    weight * k / (k + rank + 1) (its weight for the first document). `semantic`: per document
    language, (id, cosine similarity) best first, each standardised within its list (z-score,
    times the "semantic" weight). `vectors`: the unit embeddings of the semantic candidates; each
    then gains "translations" / (languages - 1) times the score of its nearest candidate in each
    other language (nearest by the documents' own embeddings)."""
    fusion = settings.SEARCH_FUSION
    k = fusion["k"]
    fused = Fused()
    own: dict[Hashable, float] = defaultdict(float)
    for name, ids in lists.items():
        weight = fusion[name]
        for position, doc_id in enumerate(ids):
            own[doc_id] += weight * k / (k + position + 1)
            fused.matched[doc_id].add(name)
    language_of: dict[Hashable, str] = {}
    for language, pairs in semantic.items():
        if not pairs:
            continue
        similarities = np.array([similarity for _id, similarity in pairs], dtype=np.float64)
        spread = similarities.std()
        if spread > 1e-9:
            standard = (similarities - similarities.mean()) / spread
        else:  # one candidate, or all alike: nothing tells them apart
            standard = np.zeros_like(similarities)
        for (doc_id, _similarity), value in zip(pairs, standard, strict=True):
            own[doc_id] += fusion["semantic"] * float(value)
            fused.matched[doc_id].add("semantic")
            language_of[doc_id] = language
    fused.scores.update(own)
    languages = sorted({language_of[i] for i in language_of if i in vectors})
    share = fusion.get("translations", 0.0) / max(len(languages) - 1, 1)
    if share and len(languages) > 1:
        members: dict[str, list[Hashable]] = {lang: [] for lang in languages}
        for doc_id, lang in language_of.items():
            if doc_id in vectors:
                members[lang].append(doc_id)
        matrices = {lang: np.stack([vectors[i] for i in ids]) for lang, ids in members.items()}
        # Whole languages at a time (a search has a few hundred candidates), adding the other
        # languages' shares in the same order as one candidate at a time would.
        own_scores = {lang: np.array([own[i] for i in ids]) for lang, ids in members.items()}
        for lang, ids in members.items():
            scores = np.array([fused.scores[i] for i in ids])
            for other in languages:
                if other != lang:
                    nearest = (matrices[lang] @ matrices[other].T).argmax(axis=1)
                    scores += share * own_scores[other][nearest]
            fused.scores.update(zip(ids, scores.tolist(), strict=True))
    return fused


def collapse(
    fused: Fused, group_of: Mapping[Hashable, str], key_of: Mapping[Hashable, str] | None = None
) -> list:
    """One result per translation group: its best-scored version, carrying the signals that
    found any of them. Ties go to the smaller document key (`key_of`; else the smaller id),
    which both engines share, so they order them alike."""
    best: dict[str, Hashable] = {}
    tie = key_of if key_of is not None else {i: i for i in fused.scores}
    for doc_id in sorted(fused.scores, key=lambda i: (-fused.scores[i], tie[i])):
        group = group_of[doc_id]
        if group not in best:
            best[group] = doc_id
        else:
            fused.matched[best[group]] |= fused.matched[doc_id]
    return list(best.values())


def facet_counts(
    ranked: list, type_of: Mapping[Hashable, str], language_of: Mapping[Hashable, str]
) -> dict[str, dict[str, int]]:
    """Counts per type and language of every result the reader may see, before the type and
    language filters (so the tabs show the other kinds too)."""
    facets: dict[str, dict[str, int]] = {"type": defaultdict(int), "language": defaultdict(int)}
    for doc_id in ranked:
        facets["type"][type_of[doc_id]] += 1
        facets["language"][language_of[doc_id]] += 1
    return {name: dict(counts) for name, counts in facets.items()}


def filter_results(
    ranked: list,
    query: SearchQuery,
    type_of: Mapping[Hashable, str],
    language_of: Mapping[Hashable, str],
) -> list:
    """The results of the asked types and languages, best first."""
    if query.types:
        ranked = [i for i in ranked if type_of[i] in query.types]
    if query.languages:
        ranked = [i for i in ranked if language_of[i] in query.languages]
    return ranked


def count_facets(rows: Iterable[tuple]) -> dict[str, dict[str, int]]:
    """The country, topic and year facets of the shown results, from each one's (countries,
    topics, date): how many of them name each country and topic, and are dated each year
    (those without a date are counted in no year). Both engines count them here."""
    facets: dict[str, dict[str, int]] = {"country": {}, "topic": {}, "year": {}}
    for countries, topics, date in rows:
        for name, values in (("country", countries), ("topic", topics)):
            for value in dict.fromkeys(values or ()):
                facets[name][value] = facets[name].get(value, 0) + 1
        if date is not None:
            year = str(date.year)
            facets["year"][year] = facets["year"].get(year, 0) + 1
    return facets
