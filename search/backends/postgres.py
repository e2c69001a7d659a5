"""The PostgreSQL backend, the embedded default.

Indexing: each document's text is Arabic-folded, unaccented and analysed with its own
language's text-search configuration (`simple` where the server lacks it) into one weighted
tsvector (title A, summary B, body C) under a GIN index; where pgvector exists its passage
embedding goes into an HNSW-indexed `vector` column.

Querying hands candidate lists to `search.fusion.rank`, the ranking both engines share
(`fuse_scored`, weights in `SEARCH_FUSION`):
- keyword: the query analysed in every enabled language at once (one OR-ed tsquery), the last
  word also as a prefix, and pg_trgm word similarity on titles for typos when few words match;
  at most RANK_CAP matches are ranked, chosen by the words' frequencies in PostgreSQL's own
  statistics when a question matches more (`LexemeStatistics`);
- taxonomy: the labels and synonyms, in every language, of the `core` topics the query names.
  Each document's terms are found when it is indexed (`_mark_taxonomy`: every term analysed as
  a phrase in its own language, as a question's words are) and kept as one stand-in word per
  term, weighted by field (`taxonomy_vector`); a question matches and ranks those;
- semantic: one nearest-neighbour list per document language (a single list prefers documents
  in the query's own language) with each candidate's cosine similarity and embedding, so fusion
  standardises the similarities per language and lets each candidate share the score of its
  nearest candidates in the other languages; one statement, each language's branch scanning
  that language's own HNSW index (migration 0003).
Each candidate query also reads the candidate's type, group and language (`META_COLUMNS`), and
one last statement picks the translation shown and highlights the page (ts_headline on the
shown page only).
Access (`audiences`), countries, topics and open deadlines filter inside every SQL query, so
results and facet counts never include what the reader may not see. Translations of one page
share a `group` and come back as one result, in the reader's language when it is indexed.
"""

from __future__ import annotations

import bisect
import re
import time
import unicodedata
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import psycopg

from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import escape

from core.sql_arrays import int_array, text_array

from ..analysis import (
    FALLBACK_CONFIG,
    TEXT_SEARCH_CONFIGS,
    all_taxonomy_terms,
    clean_query,
    enabled_languages,
    normalise_arabic,
    primary_language,
    query_tokens,
    taxonomy_lexeme,
    taxonomy_terms,
)
from ..documents import Document, Hit, Results, SearchQuery, Suggestion, no_facets, year_bounds
from ..embeddings import document_passages, get_embedder, query_vector
from ..fusion import Candidate, count_facets, rank
from . import (
    SITE_INDEX,
    SUGGESTIONS,
    Progress,
    SearchBackend,
    one_per_group,
    too_short_to_suggest,
)

TABLE = "search_searchdocument"
CANDIDATES = 200
# The most matches ranked with ts_rank_cd, its costliest step (~0.1 ms a document for a long
# query): a question of common words (Arabic has no stop words) matches a quarter of the index.
# Past it, the documents that contain a rarer word are ranked, then others up to the cap.
RANK_CAP = 400
SEMANTIC_CANDIDATES = 60
# The HNSW scan's candidate list (pgvector's default, 40, is fewer than the 60 asked for), and
# how many index tuples an iterative scan may visit per language before it gives up.
SEMANTIC_EF_SEARCH = 80
SEMANTIC_MAX_SCAN = 4000
_LANGUAGE_CODE = re.compile("[a-z]{2,3}")
TRIGRAM_THRESHOLD = 10
# How much of what a reader typed a title must hold for `suggest` (pg_trgm's word similarity:
# the share of the typed text's trigrams found in one stretch of the title). 0.5 lets through
# an unfinished word ("envio" in "envois", 0.5) and an Arabic stem without its article
# ("تحويل" in "التحويلات", 0.5); pg_trgm's default, 0.6, refused both.
SUGGEST_SIMILARITY = 0.5
# What fusion, grouping and facets need of a candidate, read by the query that finds it (the
# heap row is in hand there) rather than by another query over every candidate.
META_COLUMNS = 'id, doc_type, "group", language, key'
START, STOP = "\u0002", "\u0003"  # highlight markers no document contains, escaped afterwards
HEADLINE_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, MaxFragments=2, "
    "FragmentDelimiter= … "
)


@dataclass
class ServerFeatures:
    table_ready: bool = False
    extensions: set[str] = field(default_factory=set)
    configs: set[str] = field(default_factory=set)
    embedding_column: bool = False

    @property
    def vectors(self) -> bool:
        return "vector" in self.extensions and self.embedding_column


_features: dict[str, ServerFeatures] = {}
_taxonomy_tables: dict[tuple, tuple[list[str], list[str], list[str]]] = {}

# Query embeddings run here, beside the request's own SQL (calls into one model are serialised
# by the embedder's lock, so more threads would only queue).
_embedding_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-embedding")
# A search's keyword statements run here, on a connection of their own from the pool, beside
# the taxonomy and vector statements on the request's connection.
_statement_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="search-statements")
BESIDE_CONNECTION_WAIT = 0.05  # seconds


def server_features(conn=connection, refresh: bool = False) -> ServerFeatures:
    """What this database offers, read once per database name."""
    name = conn.settings_dict["NAME"]
    if refresh or name not in _features:
        with conn.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [TABLE])
            table_ready = cursor.fetchone()[0]
            cursor.execute("SELECT extname FROM pg_extension")
            extensions = {row[0] for row in cursor.fetchall()}
            cursor.execute("SELECT cfgname FROM pg_ts_config")
            configs = {row[0] for row in cursor.fetchall()}
            cursor.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_name = %s "
                "AND column_name = 'embedding'",
                [TABLE],
            )
            embedding_column = cursor.fetchone() is not None
        _features[name] = ServerFeatures(table_ready, extensions, configs, embedding_column)
    return _features[name]


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _vector_literal(vector) -> str:
    return "[" + ",".join(f"{value:.6f}" for value in vector) + "]"


def _alternatives(tsquery: str) -> list[str]:
    """The top-level OR-ed parts of a tsquery's text ("'a' | 'b' <-> 'c' | ( 'd' & 'e' )"), each
    a tsquery of its own (`|` binds least)."""
    parts, depth, quoted, start = [], 0, False, 0
    index = 0
    while index < len(tsquery):
        char = tsquery[index]
        if char == "'":
            quoted = not quoted  # a doubled '' inside a lexeme toggles twice
        elif not quoted and char in "()":
            depth += 1 if char == "(" else -1
        elif not quoted and depth == 0 and char == "|":
            parts.append(tsquery[start:index].strip())
            start = index + 1
        index += 1
    parts.append(tsquery[start:].strip())
    return [part for part in parts if part]


INDEX_LOCK_CLASS = 0x5EA4C4  # the first key of this module's advisory locks


def _lock_index(cursor, index_name: str, shared: bool) -> None:
    """Writes to one index share this transaction lock; a rebuild holds it alone."""
    kind = "_shared" if shared else ""
    cursor.execute(
        f"SELECT pg_advisory_xact_lock{kind}(%s, hashtext(%s))", [INDEX_LOCK_CLASS, index_name]
    )


def _with_meta(rows, meta: dict) -> list[int]:
    """The ids of rows of META_COLUMNS, in order; their type, group and language into `meta`."""
    meta.update((row[0], row[1:]) for row in rows)
    return [row[0] for row in rows]


def _highlight(text: str) -> str:
    """Escape a ts_headline result, then turn its markers into <mark>."""
    return escape(text).replace(START, "<mark>").replace(STOP, "</mark>")


# Lexemes whose share of the documents PostgreSQL's statistics keep (ANALYZE of the tsvector
# column, kept current by autovacuum; migration 0003 raises the column's statistics target so
# that words in 0.1% of the documents are listed): the choice of what to rank past RANK_CAP
# reads them instead of counting each word's matches (~180 ms at 100k documents). Below
# STATISTICS_MIN_ROWS documents (or before the first ANALYZE) the counts are cheap and exact.
STATISTICS_MIN_ROWS = 20_000
STATISTICS_SECONDS = 600
_LEXEME = re.compile(r"'((?:[^']|'')*)'(:[*A-D]+)?")


@dataclass
class LexemeStatistics:
    shares: dict[str, float]  # lexeme -> share of the documents that contain it
    floor: float  # every lexeme not listed is in fewer documents than this share
    rows: float
    prefixes: list[str] = field(default_factory=list)  # the listed lexemes, sorted

    def share(self, lexeme: str, prefix: bool) -> float:
        if not prefix:
            return self.shares.get(lexeme, self.floor / 2)
        start = bisect.bisect_left(self.prefixes, lexeme)
        total = 0.0
        for listed in self.prefixes[start:]:
            if not listed.startswith(lexeme):
                break
            total += self.shares[listed]
        return max(total, self.floor / 2)

    def documents(self, term: str) -> float:
        """Estimated matches of one alternative of a tsquery: a lexeme, a prefix, or a phrase
        (`( 'a' <-> 'b' )`, as analysers make of "covid-19"), which is no commoner than its
        rarest lexeme."""
        shares = [
            self.share(lexeme.replace("''", "'"), "*" in (flags or ""))
            for lexeme, flags in _LEXEME.findall(term)
        ]
        return min(shares, default=self.floor) * self.rows


_statistics: dict[str, tuple[float, LexemeStatistics | None]] = {}


def lexeme_statistics(cursor, conn=connection) -> LexemeStatistics | None:
    """The search table's lexeme statistics, read at most every STATISTICS_SECONDS per database;
    None while the table is small or not analysed yet."""
    name = conn.settings_dict["NAME"]
    read_at, cached = _statistics.get(name, (-STATISTICS_SECONDS, None))
    if time.monotonic() - read_at < STATISTICS_SECONDS:
        return cached
    cursor.execute(
        """SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples
        FROM pg_class c LEFT JOIN pg_stats s ON s.schemaname = current_schema()
            AND s.tablename = c.relname AND s.attname = 'search_vector'
        WHERE c.oid = %s::regclass""",
        [TABLE],
    )
    row = cursor.fetchone()
    statistics = None
    if row and row[0] and row[2] >= STATISTICS_MIN_ROWS:
        lexemes, frequencies, rows = row
        statistics = LexemeStatistics(
            shares=dict(zip(lexemes, frequencies, strict=False)),
            floor=frequencies[len(lexemes)],  # after one per lexeme: the least, the most
            rows=rows,
            prefixes=sorted(lexemes),
        )
    _statistics[name] = (time.monotonic(), statistics)
    return statistics


class PostgresBackend(SearchBackend):
    name = "postgres"

    # --- analysis -------------------------------------------------------------------------

    @property
    def features(self) -> ServerFeatures:
        return server_features(connection)

    @property
    def has_vectors(self) -> bool:
        return self.features.vectors

    def config_for(self, language: str) -> str:
        config = TEXT_SEARCH_CONFIGS.get(primary_language(language), FALLBACK_CONFIG)
        return config if config in self.features.configs else FALLBACK_CONFIG

    def _unaccent(self, sql: str) -> str:
        return f"unaccent({sql})" if "unaccent" in self.features.extensions else sql

    def _keyword_constant(self, cursor, tokens: list[str]) -> str:
        """One tsquery, as text: every word analysed in every enabled language, OR-ed, the last
        word also as a prefix (as readers type). Words that are stop words in any enabled
        language are left out ("de" is noise in French and Spanish but a word to the English
        analyser, and would match half the index) unless nothing else is left.

        One statement analyses every word in every language; a lexeme that several analysers
        agree on (most Arabic words, names, numbers) is kept once: an OR matches the same rows
        either way, but each repeat cost a lookup in every compared document's tsvector."""
        configs = sorted({self.config_for(code) for code in enabled_languages()})
        prefixes = ["".join(ch for ch in _strip_accents(token) if ch.isalnum()) for token in tokens]
        cursor.execute(
            f"""SELECT t.t, numnode(plainto_tsquery(c.c::regconfig, t.t)) > 0,
                plainto_tsquery(c.c::regconfig, {self._unaccent("t.t")})::text,
                to_tsquery('simple', t.p || ':*')::text
            FROM unnest(%s::text[]) WITH ORDINALITY c(c, i),
                unnest(%s::text[], %s::text[]) WITH ORDINALITY t(t, p, j)
            ORDER BY c.i, t.j""",
            [configs, tokens, [prefix if len(prefix) >= 3 else None for prefix in prefixes]],
        )
        rows = cursor.fetchall()
        stop = {token for token, content, _part, _prefix in rows if not content}
        words = [token for token in tokens if token not in stop] or tokens
        parts: dict[str, None] = {}
        for token, _content, part, _prefix in rows:
            if token in words and part:
                parts[f"( {part} )" if " " in part.strip("'") else part] = None
        last_prefix = next(prefix for token, _c, _p, prefix in rows if token == words[-1])
        if last_prefix:
            parts[last_prefix] = None
        return " | ".join(part for part in parts if part)

    def _taxonomy_query(self, text: str) -> tuple[str, tuple[str, list]] | None:
        """The shared taxonomy expansion (`taxonomy_terms`): the terms' stand-in words OR-ed
        (a tsquery over `taxonomy_vector`), and the terms as phrases in their own languages
        (an SQL tsquery expression and its parameters), to highlight them in the text."""
        terms = taxonomy_terms(text)
        if not terms:
            return None
        words = " | ".join(dict.fromkeys(f"'{taxonomy_lexeme(*term)}'" for term in terms))
        phrases = [
            f"phraseto_tsquery('{self.config_for(language)}', {self._unaccent('%s')})"
            for language, _term in terms
        ]
        return words, ("(" + " || ".join(phrases) + ")", [term for _language, term in terms])

    def _taxonomy_table(self, cursor) -> tuple[list[str], list[str], list[str]]:
        """Every taxonomy term as (stand-in word, phrase tsquery in its language, its longest
        lexeme), for `_mark_taxonomy`; terms that analyse to nothing (stop words) left out.
        Kept per database until this process reads the taxonomy again."""
        from core.topics import taxonomy_generation

        key = (connection.settings_dict["NAME"], taxonomy_generation())
        if key not in _taxonomy_tables:
            terms = all_taxonomy_terms()
            configs = [self.config_for(language) for language, _term in terms]
            cursor.execute(
                f"""SELECT phraseto_tsquery(c::regconfig, {self._unaccent("t")})::text
                FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY x(c, t, i) ORDER BY i""",
                [text_array(configs), text_array(term for _language, term in terms)],
            )
            table: tuple[list[str], list[str], list[str]] = ([], [], [])
            for (language, term), (phrase,) in zip(terms, cursor.fetchall(), strict=True):
                lexemes = [lexeme.replace("''", "'") for lexeme, _flags in _LEXEME.findall(phrase)]
                if lexemes:
                    table[0].append(taxonomy_lexeme(language, term))
                    table[1].append(phrase)
                    table[2].append(max(lexemes, key=len))
            _taxonomy_tables.clear()  # one taxonomy at a time is current
            _taxonomy_tables[key] = table
        return _taxonomy_tables[key]

    def _mark_taxonomy(self, cursor, where: str, params: list, fresh: bool = False) -> int:
        """The taxonomy terms of the documents `where` selects (table alias "d.") into their
        `taxonomy_vector`: a term's stand-in word at position 1 (weight A) when the title
        contains its phrase, 2 (B) the summary, 3 (C) the body; those of the title or summary
        also into `taxonomy_titles`. Only terms whose longest lexeme one of the documents has
        are sent and tested (one hash join of every document's lexemes with them: ~0.05 ms a
        document, against 0.7 ms testing every term; sending all ~600 terms to index one
        document cost 6 ms), and only rows whose terms changed are written. The caller holds
        the documents' index lock (`index`, or `refresh_taxonomy`), so no write of the same
        documents runs meanwhile. `fresh`: the documents have no terms yet (just written by
        `index`), so none of them to clear either. Returns how many rows were written."""
        words, phrases, anchors = self._taxonomy_table(cursor)
        cursor.execute(
            f"SELECT DISTINCT unnest(tsvector_to_array(d.search_vector)) FROM {TABLE} d "
            f"WHERE {where}",
            params,
        )
        present = {row[0] for row in cursor.fetchall()}
        chosen = [n for n, anchor in enumerate(anchors) if anchor in present]
        if fresh and not chosen:
            return 0
        cursor.execute(
            f"""WITH pairs AS (
                SELECT d.id, t.word,
                    ts_filter(d.search_vector, '{{a}}') @@ t.phrase AS in_title,
                    ts_filter(d.search_vector, '{{b}}') @@ t.phrase AS in_summary,
                    ts_filter(d.search_vector, '{{c}}') @@ t.phrase AS in_body
                FROM {TABLE} d
                CROSS JOIN LATERAL unnest(tsvector_to_array(d.search_vector)) l(lexeme)
                JOIN unnest(%s::text[], %s::tsquery[], %s::text[]) t(word, phrase, anchor)
                    ON t.anchor = l.lexeme
                WHERE {where} AND d.search_vector @@ t.phrase),
            found AS (
                SELECT id, string_agg(word || ':' || coalesce(nullif(concat_ws(',',
                    CASE WHEN in_title THEN '1A' END, CASE WHEN in_summary THEN '2B' END,
                    CASE WHEN in_body THEN '3C' END), ''), '3C'), ' ')::tsvector AS terms,
                string_agg(word, ' ') FILTER (WHERE in_title OR in_summary)::tsvector AS titles
                FROM pairs GROUP BY id),
            selected AS (
                SELECT d.id, found.terms, found.titles FROM {TABLE} d LEFT JOIN found USING (id)
                WHERE {where})
            UPDATE {TABLE} d SET taxonomy_vector = selected.terms, taxonomy_titles = selected.titles
            FROM selected WHERE d.id = selected.id
                AND (d.taxonomy_vector IS DISTINCT FROM selected.terms
                    OR d.taxonomy_titles IS DISTINCT FROM selected.titles)""",
            [
                text_array(words[n] for n in chosen),
                text_array(phrases[n] for n in chosen),
                text_array(anchors[n] for n in chosen),
                *params,
                *params,
            ],
        )
        return cursor.rowcount

    def refresh_taxonomy(self, batch: int = 5000) -> int:
        """Every indexed document's taxonomy terms found again, after the taxonomy changed:
        a batch of rows per transaction, each under its index's lock. Returns how many
        documents' terms changed."""
        from core.topics import forget_taxonomy

        forget_taxonomy()  # this process's copy may be older than the change
        changed = 0
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT index_name, min(id), max(id) FROM {TABLE} GROUP BY index_name")
            for index_name, first, last in cursor.fetchall():
                for start in range(first, last + 1, batch):
                    with transaction.atomic():
                        _lock_index(cursor, index_name, shared=False)
                        changed += self._mark_taxonomy(
                            cursor,
                            "d.index_name = %s AND d.id BETWEEN %s AND %s",
                            [index_name, start, start + batch - 1],
                        )
        if changed:
            self.settle()  # the rewritten rows wait in the GIN indexes' pending lists
        return changed

    # --- writing --------------------------------------------------------------------------

    def index(self, documents: Iterable[Document], index_name: str = SITE_INDEX) -> int:
        return self._write(list(documents), index_name, stored_vectors_only=False)

    def _write(self, documents: list[Document], index_name: str, stored_vectors_only: bool) -> int:
        """Write `documents` with their words, taxonomy terms and vectors; with
        `stored_vectors_only`, only the vectors already computed (`fill_vectors` adds the
        others)."""
        if not documents:
            return 0
        vector_sql = " || ".join(
            f"setweight(to_tsvector(%s::regconfig, {self._unaccent('%s')}), '{weight}')"
            for weight in "ABC"
        )
        sql = f"""
            INSERT INTO {TABLE} (index_name, key, doc_type, object_id, "group", language, config,
                title, summary, body, url, audiences, countries, topics, date, deadline,
                published, content_hash, search_vector)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,
                {vector_sql})
            ON CONFLICT (index_name, key) DO UPDATE SET doc_type = EXCLUDED.doc_type,
                object_id = EXCLUDED.object_id, "group" = EXCLUDED."group",
                language = EXCLUDED.language, config = EXCLUDED.config,
                title = EXCLUDED.title, summary = EXCLUDED.summary, body = EXCLUDED.body,
                url = EXCLUDED.url, audiences = EXCLUDED.audiences,
                countries = EXCLUDED.countries, topics = EXCLUDED.topics, date = EXCLUDED.date,
                deadline = EXCLUDED.deadline, published = EXCLUDED.published,
                content_hash = EXCLUDED.content_hash,
                search_vector = EXCLUDED.search_vector, taxonomy_vector = NULL,
                taxonomy_titles = NULL
        """
        rows = []
        for doc in documents:
            config = self.config_for(doc.language)
            texts = [normalise_arabic(part or "") for part in (doc.title, doc.summary, doc.body)]
            rows.append(
                [
                    index_name, doc.key, doc.doc_type, str(doc.object_id), doc.group,
                    primary_language(doc.language), config, doc.title, doc.summary, doc.body,
                    doc.url, list(doc.audiences), list(doc.countries), list(doc.topics),
                    doc.date, doc.deadline, doc.published, doc.content_hash(),
                    config, texts[0], config, texts[1], config, texts[2],
                ]
            )  # fmt: skip
        with transaction.atomic(), connection.cursor() as cursor:
            _lock_index(cursor, index_name, shared=True)
            cursor.executemany(sql, rows)
            self._mark_taxonomy(
                cursor,
                "d.index_name = %s AND d.key = ANY(%s::varchar[])",
                [index_name, text_array(doc.key for doc in documents)],
                fresh=True,
            )
            self._embed(cursor, documents, index_name, stored_vectors_only)
        return len(documents)

    def _embed(
        self, cursor, documents: list[Document], index_name: str, stored_only: bool = False
    ) -> None:
        """The lead's vector into `embedding` (HNSW finds candidates by it), and the lead's and
        each body passage's vectors, end to end, into `passages` (see `_semantic`)."""
        embedder = get_embedder()
        if embedder is None or not self.has_vectors:
            return
        stacked = document_passages(embedder, documents, stored_only=stored_only)
        rows = [
            [_vector_literal(stacked[doc.key][0]), stacked[doc.key].tobytes(), index_name, doc.key]
            for doc in documents
            if doc.key in stacked
        ]
        cursor.executemany(
            f"UPDATE {TABLE} SET embedding = %s::vector, passages = %s "
            "WHERE index_name = %s AND key = %s",
            rows,
        )

    def fill_vectors(
        self, index_name: str = SITE_INDEX, batch: int = 64, progress: Progress | None = None
    ) -> int:
        """Vectors for the documents of `index_name` written without them (by a rebuild, or
        while no embedder was configured), a batch per transaction, embedded outside any;
        returns how many documents got theirs. A document written again meanwhile (other
        words, or its own vectors) is left as that write left it. They are found by a partial
        index of the rows without vectors (migration 0005), so that asking costs nothing."""
        embedder = get_embedder()
        if embedder is None or not self.has_vectors:
            return 0
        filled, after, done, total = 0, 0, 0, 0
        if progress:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT count(*) FROM {TABLE} WHERE index_name = %s AND embedding IS NULL",
                    [index_name],
                )
                total = cursor.fetchone()[0]
        while True:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT id, key, title, summary, body, content_hash FROM {TABLE} "
                    "WHERE index_name = %s AND embedding IS NULL AND id > %s ORDER BY id LIMIT %s",
                    [index_name, after, batch],
                )
                rows = cursor.fetchall()
            if not rows:
                return filled
            after = rows[-1][0]
            # What is embedded is only ever title, summary and body (`Document.embedding_text`
            # and `passage_texts`), which the table holds as they were given.
            documents = [
                Document(key, "", "", "", title, "", summary=summary, body=body)
                for _id, key, title, summary, body, _hash in rows
            ]
            stacked = document_passages(embedder, documents)
            with transaction.atomic(), connection.cursor() as cursor:
                _lock_index(cursor, index_name, shared=True)
                for doc_id, key, *_texts, content_hash in rows:
                    vectors = stacked[key]
                    cursor.execute(
                        f"UPDATE {TABLE} SET embedding = %s::vector, passages = %s WHERE id = %s "
                        "AND content_hash = %s AND embedding IS NULL",
                        [_vector_literal(vectors[0]), vectors.tobytes(), doc_id, content_hash],
                    )
                    filled += cursor.rowcount
            done += len(rows)
            if progress:
                progress(min(done, total), total)

    def delete(self, keys: Iterable[str], index_name: str = SITE_INDEX) -> int:
        with transaction.atomic(), connection.cursor() as cursor:
            _lock_index(cursor, index_name, shared=True)
            cursor.execute(
                f"DELETE FROM {TABLE} WHERE index_name = %s AND key = ANY(%s)",
                [index_name, list(keys)],
            )
            return cursor.rowcount

    def drop(self, index_name: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE index_name = %s", [index_name])

    def rebuild(
        self,
        documents: Iterable[Document],
        index_name: str = SITE_INDEX,
        progress: Progress | None = None,
    ) -> int:
        """Readers keep the old rows until the new ones commit (one transaction). Writers of
        this index wait meanwhile (`_lock_index`), and the documents are read once the lock is
        held: a save or delete made during the rebuild is applied after it, on the new rows.
        (Without the lock a delete waited for the rebuild's row locks, then found its row
        gone and the rebuild's new copy invisible to it, so the document stayed found.)

        That transaction only writes the vectors already computed (any unchanged document's):
        embedding the others takes minutes (a new site's first build: 75 s for the demo's 288
        documents), during which its search found nothing and every edit waited on the lock.
        They are found by their words once it commits, and by meaning once `fill_vectors`
        has embedded them, a batch at a time."""
        with transaction.atomic():
            with connection.cursor() as cursor:
                _lock_index(cursor, index_name, shared=False)
            self.drop(index_name)
            count = 0
            batch: list[Document] = []
            for document in documents:
                batch.append(document)
                if len(batch) == 200:
                    count += self._write(batch, index_name, stored_vectors_only=True)
                    batch = []
            count += self._write(batch, index_name, stored_vectors_only=True)
        self.settle()
        if self.fill_vectors(index_name, progress=progress):
            self.settle()  # each row given its vectors is a new version in every index
        return count

    def settle(self) -> None:
        """After a bulk write: the GIN indexes' pending lists merged into their trees, and the
        table's statistics (the planner's, and `lexeme_statistics`) read again. New rows wait
        in a GIN index's pending list until autovacuum comes, and every search scans that list
        whole: a just-built 10k index answered at p50 42 ms, 30 ms once settled."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT gin_clean_pending_list(c.oid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
                "WHERE i.indrelid = %s::regclass AND a.amname = 'gin'",
                [TABLE],
            )
            cursor.execute(f"ANALYZE {TABLE}")

    def keys(self, index_name: str = SITE_INDEX) -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT key FROM {TABLE} WHERE index_name = %s", [index_name])
            return {row[0] for row in cursor.fetchall()}

    # --- reading --------------------------------------------------------------------------

    def _filters(self, query: SearchQuery, index_name: str, a: str = "") -> tuple[str, list]:
        """Access and filters, in SQL, so neither results nor counts include anything else
        (`a` is a table alias prefix such as "d.")."""
        where = [f"{a}index_name = %s", f"{a}audiences && %s::varchar[]"]
        params: list = [index_name, text_array(query.viewer_audiences)]
        if query.countries:
            where.append(f"{a}countries && %s::varchar[]")
            params.append(text_array(query.countries))
        if query.topics:
            where.append(f"{a}topics && %s::varchar[]")
            params.append(text_array(query.topics))
        if query.years:
            years = sorted(set(query.years))
            where.append(
                "(" + " OR ".join(f"({a}date >= %s AND {a}date < %s)" for _year in years) + ")"
            )
            params.extend(bound for year in years for bound in year_bounds(year))
        if query.published_after is not None:
            where.append(f"{a}published > %s")
            params.append(query.published_after)
        if not query.include_closed:
            where.append(f"({a}deadline IS NULL OR {a}deadline > %s)")
            params.append(timezone.now())
        return " AND ".join(where), params

    def _settings(self, cursor) -> None:
        """The search transaction's settings, in one statement:
        - a time limit, so no question holds a connection for long;
        - no sequential scans: the planner took one for a question of common words (it
          expected 7,000 matches of 100k, LIMIT 401 reached after the first few hundred rows),
          but the rows are wide (text, tsvector, vectors) and `@@` is evaluated on each, so
          it read 8,000 rows and 16,000 pages in 53 ms where the GIN index's bitmap reads the
          matching pages only (a few ms); the other statements look rows up by index anyway;
        - no plain index scans while candidates are found by words: with LIMIT 401 the planner
          walked the (index_name, language) index for a question of common words, testing
          every row (64,000 rows, 357 ms at 100k documents, against 9 ms from the GIN index's
          bitmap); bitmap scans still combine that index with the GIN one where it narrows
          (an index among others in the table). `_semantic` turns them on again: the HNSW
          index is walked by a plain index scan;
        - pgvector's HNSW scan: SEMANTIC_EF_SEARCH candidates, and iterative scans (up to
          SEMANTIC_MAX_SCAN tuples) when the access filter removes some (`_semantic`)."""
        settings = {"statement_timeout": "3000", "enable_seqscan": "off", "enable_indexscan": "off"}
        if self.has_vectors:
            settings.update(
                {
                    "hnsw.ef_search": str(SEMANTIC_EF_SEARCH),
                    "hnsw.iterative_scan": "relaxed_order",
                    "hnsw.max_scan_tuples": str(SEMANTIC_MAX_SCAN),
                }
            )
        cursor.execute(
            "SELECT " + ", ".join("set_config(%s, %s, true)" for _name in settings),
            [value for pair in settings.items() for value in pair],
        )

    def _ranked(
        self,
        cursor,
        where: str,
        params: list,
        tsquery: str,
        meta: dict | None = None,
        taxonomy: bool = False,
    ) -> list[int]:
        """The best CANDIDATES matches by rank (their type, group and language into `meta`):
        of the question's words in `search_vector` by ts_rank_cd, or with `taxonomy` of the
        taxonomy terms' stand-in words in `taxonomy_vector` by ts_rank (its positions only tell
        the field; both normalised by length: on both development sets this ranks as matching
        every term's phrase in the text did, to the same result lists). Matching costs little
        and ranking much, so the matches are found first, at most RANK_CAP + 1 of them: when
        they fit under the cap all are ranked (the same order as ranking every match); when
        they do not, the likely best are chosen (`_rarer_matches`, `_titled_matches`), then
        others up to the cap."""
        column = "taxonomy_vector" if taxonomy else "search_vector"
        cursor.execute(
            f"SELECT id FROM {TABLE} WHERE {where} AND {column} @@ %s::tsquery "
            f"LIMIT {RANK_CAP + 1}",
            [*params, tsquery],
        )
        matches = [row[0] for row in cursor.fetchall()]
        if not matches:
            return []
        if len(matches) > RANK_CAP:
            narrow = self._titled_matches if taxonomy else self._rarer_matches
            matches = narrow(cursor, where, params, tsquery, matches)
        rank = "ts_rank(taxonomy_vector, %s::tsquery, 1)"
        if not taxonomy:
            rank = "ts_rank_cd(search_vector, %s::tsquery, 1)"
        cursor.execute(
            f"""SELECT {META_COLUMNS} FROM {TABLE} WHERE id = ANY(%s::bigint[])
            ORDER BY {rank} DESC, id LIMIT {CANDIDATES}""",
            [int_array(matches), tsquery],
        )
        return _with_meta(cursor.fetchall(), {} if meta is None else meta)

    def _titled_matches(self, cursor, where, params, tsquery: str, matches: list[int]) -> list:
        """At most RANK_CAP documents to rank for a taxonomy question that matches more: those
        with a term in the title or summary (what ranks best; `taxonomy_titles`, since the GIN
        index of the weighted vector cannot tell weights: asking it for them rechecked every
        match, 15-30 ms for a common concept at 100k documents), then others of `matches`."""
        cursor.execute(
            f"SELECT id FROM {TABLE} WHERE {where} AND taxonomy_titles @@ %s::tsquery "
            f"LIMIT {RANK_CAP}",
            [*params, tsquery],
        )
        chosen = dict.fromkeys(row[0] for row in cursor.fetchall())
        for doc_id in matches:
            if len(chosen) >= RANK_CAP:
                break
            chosen.setdefault(doc_id, None)
        return list(chosen)

    def _rarer_matches(self, cursor, where, params, tsquery: str, matches: list[int]) -> list:
        """At most RANK_CAP documents to rank for a question that matches more: those matching
        its rarer alternatives (rarest first, while their estimated matches add up to the
        cap), then others of `matches` (some of every match) up to the cap."""
        terms = _alternatives(tsquery)
        if len(terms) < 2:
            return matches[:RANK_CAP]
        estimate = lexeme_statistics(cursor)
        if estimate is not None:
            counts = [estimate.documents(term) for term in terms]
        else:  # a table too small to keep statistics of: count, each count capped
            counts_sql = ", ".join(
                f"(SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE {where} "
                f"AND search_vector @@ %s::tsquery LIMIT {RANK_CAP + 1}) m)"
                for _term in terms
            )
            cursor.execute(
                f"SELECT {counts_sql}", [value for term in terms for value in (*params, term)]
            )
            counts = cursor.fetchone()
        rarer, total = [], 0
        for count, term in sorted(zip(counts, terms, strict=True)):
            if total + count > RANK_CAP:
                break
            rarer.append(term)
            total += count
        chosen: dict[int, None] = {}
        if rarer:
            cursor.execute(
                f"SELECT id FROM {TABLE} WHERE {where} AND search_vector @@ %s::tsquery "
                f"LIMIT {RANK_CAP}",
                [*params, " | ".join(f"( {term} )" for term in rarer)],
            )
            chosen.update((row[0], None) for row in cursor.fetchall())
        for doc_id in matches:
            if len(chosen) >= RANK_CAP:
                break
            chosen.setdefault(doc_id, None)
        return list(chosen)

    def _semantic(self, cursor, where, params, query_vec, languages: list[str], meta: dict):
        """Per document language, the nearest documents by their lead's vector with the cosine
        similarity of their best passage (lead or body passage), and their lead vectors (for
        `fuse_scored`'s cross-language step); their type, group and language into `meta`.

        One statement, a branch per language, each naming its language as a constant: the
        planner then scans that language's own HNSW index (migration 0003), which holds no
        other language's documents to walk past. The access filters are applied during the
        scan; pgvector's iterative scan goes on past the first `ef_search` candidates when
        they filter some out, up to SEMANTIC_MAX_SCAN visited (bounded for the odd reader who
        may see almost nothing)."""
        codes = [
            code
            for code in dict.fromkeys(primary_language(language) for language in languages)
            if _LANGUAGE_CODE.fullmatch(code)
        ]
        lists: dict[str, list] = {code: [] for code in codes}
        vectors = {}
        if not codes:
            return lists, vectors
        vector = _vector_literal(query_vec)
        # The HNSW index is walked by a plain index scan (off while words were matched, see
        # `_settings`); bitmap scans off: for a language of a few thousand documents the planner
        # preferred reading all of them and sorting by distance (17 ms a language at 10k
        # documents, against ~1 ms for the index).
        cursor.execute(
            "SELECT set_config('enable_indexscan', 'on', true), "
            "set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)"
        )
        branches = [
            f"""(SELECT {META_COLUMNS}, passages,
                CASE WHEN passages IS NULL THEN embedding::text END
            FROM {TABLE} WHERE {where} AND language = '{code}' AND embedding IS NOT NULL
            ORDER BY embedding <=> %s::vector LIMIT {SEMANTIC_CANDIDATES})"""
            for code in codes
        ]
        # Its rows (a few hundred, each with its passages' vectors) come back in binary:
        # Django's cursor binds on the client and reads text, where each vector arrives as hex
        # and the statement carries the question's vector once per language (~4 ms a search).
        with psycopg.Cursor(cursor.connection) as binary:
            binary.execute(
                " UNION ALL ".join(branches),
                [value for _code in codes for value in (*params, vector)],
                binary=True,
            )
            rows = binary.fetchall()
        if not rows:
            return lists, vectors
        # Every candidate's passages in one matrix, scored in one product: per row, a product
        # of a few vectors cost more in NumPy's call overhead than in arithmetic.
        stacked = [
            np.frombuffer(bytes(stored), dtype=np.float32)
            if stored is not None  # else indexed before passages were stored: the lead alone
            else np.fromstring(lead[1:-1], dtype=np.float32, sep=",")
            for *_meta, stored, lead in rows
        ]
        counts = np.array([len(found) for found in stacked]) // len(query_vec)
        passages = np.concatenate(stacked).reshape(-1, len(query_vec))
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        best = np.maximum.reduceat(passages @ query_vec, starts)
        for (doc_id, doc_type, group, language, key, _s, _l), start, score in zip(
            rows, starts, best.tolist(), strict=True
        ):
            meta[doc_id] = (doc_type, group, language, key)
            vectors[doc_id] = passages[start]
            lists[language].append((doc_id, score))
        for pairs in lists.values():
            pairs.sort(key=lambda pair: -pair[1])
        return lists, vectors

    def search(self, query: SearchQuery, index_name: str = SITE_INDEX) -> Results:
        text = clean_query(query.text)
        tokens = query_tokens(text)
        reader = primary_language(query.language)
        where, params = self._filters(query, index_name)
        empty = Results([], 0, query.page, query.page_size, no_facets())
        if not tokens:
            return empty
        embedder = get_embedder() if "semantic" in query.signals else None
        if embedder is None or not self.has_vectors:
            embedder = embedding = None
        else:
            # The question is embedded (the model releases the GIL) while PostgreSQL finds
            # and ranks the keyword and taxonomy matches.
            embedding = _embedding_pool.submit(query_vector, embedder, text)
        meta: dict[int, tuple[str, str, str, str]] = {}
        taxonomy = self._taxonomy_query(text) if "taxonomy" in query.signals else None
        beside = None
        keywords = "keyword" in query.signals
        if keywords and embedding is not None and not connection.in_atomic_block:
            # The question's words are matched and ranked on a connection of their own, while
            # this one ranks the taxonomy's terms, waits for the question's vector and finds
            # its nearest documents: a long question's words (20-35 ms at 100k documents) no
            # longer hold the vector search back. Never inside a caller's transaction, whose
            # unsaved rows another connection cannot see.
            beside = _statement_pool.submit(
                self._keyword_beside, query, where, params, text, tokens
            )
        with transaction.atomic(), connection.cursor() as cursor:
            self._settings(cursor)
            lists: dict[str, list[int]] = {}
            highlight_queries: list[tuple[str, list]] = []
            if keywords and beside is None:
                lists["keyword"], highlighted = self._keyword(
                    cursor, query, where, params, text, tokens, meta
                )
                highlight_queries.append(highlighted)
            if taxonomy:
                words, phrases = taxonomy
                lists["taxonomy"] = self._ranked(cursor, where, params, words, meta, taxonomy=True)
                highlight_queries.append(phrases)
            semantic, vectors = {}, {}
            if embedding is not None:
                asked = embedding.result()
                asked = asked / (np.linalg.norm(asked) or 1.0)
                semantic, vectors = self._semantic(
                    cursor, where, params, asked, enabled_languages(), meta
                )
            if beside is not None:
                found = beside.result()
                if found is None:  # no connection to spare: on this one, after the rest
                    found = (*self._keyword(cursor, query, where, params, text, tokens, meta), {})
                lists["keyword"], highlighted, beside_meta = found
                highlight_queries.insert(0, highlighted)
                meta.update(beside_meta)

            def describe(ids: list[int]) -> dict[int, Candidate]:
                # Each candidate query read these with the candidate (META_COLUMNS).
                return {
                    i: Candidate(meta[i][3], meta[i][1], meta[i][0], meta[i][2])
                    for i in ids
                    if i in meta
                }

            ranking = rank(query, lists, semantic, vectors, describe)
            if ranking is None:
                return empty
            scores, matched = ranking.fused.scores, ranking.fused.matched
            where_t, _params = self._filters(query, index_name, "t.")
            hits = self._hits(
                cursor, where_t, params, ranking.page, meta, scores, matched, reader,
                highlight_queries,
            )  # fmt: skip
            cursor.execute(
                f"SELECT countries, topics, date FROM {TABLE} WHERE id = ANY(%s::bigint[])",
                [int_array(ranking.shown)],
            )
            facets = {**ranking.facets, **count_facets(cursor.fetchall())}
        return Results(hits, ranking.total, query.page, query.page_size, facets)

    def suggest(
        self, query: SearchQuery, index_name: str = SITE_INDEX, limit: int = SUGGESTIONS
    ) -> list[Suggestion]:
        """Titles by pg_trgm's word similarity to what was typed (an unfinished last word or
        a typo still shares most of its trigrams with the title's word), found through the
        titles' trigram index; without pg_trgm, titles holding a word of it in any language's
        analysis, the last also as a prefix (`_keyword_constant`). Most similar first, then
        the reader's language, then shorter titles; each shown in the reader's language where
        its group has that version (`one_per_group`)."""
        text = clean_query(query.text)
        tokens = query_tokens(text)
        if too_short_to_suggest(tokens):
            return []
        reader = primary_language(query.language)
        where, params = self._filters(query, index_name)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', '1000', true)")
            if "pg_trgm" in self.features.extensions:
                cursor.execute(
                    "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                    [str(SUGGEST_SIMILARITY)],
                )
                match, score, value = "%s <%% title", "word_similarity(%s, title)", text
            else:
                # The title's weight (A) alone: {D, C, B, A}.
                score = "ts_rank('{0, 0, 0, 1}'::float4[], search_vector, %s::tsquery)"
                match = f"search_vector @@ %s::tsquery AND {score} > 0"
                value = self._keyword_constant(cursor, tokens)
            cursor.execute(
                f"""SELECT key, doc_type, object_id, title, language, url, "group"
                FROM {TABLE} WHERE {where} AND {match}
                ORDER BY {score} DESC, language = %s DESC, length(title), key
                LIMIT %s""",
                [*params, *[value] * match.count("%s"), value, reader, limit * 4],
            )
            rows = cursor.fetchall()

            def in_reader_language(groups: list[str]) -> list[tuple]:
                cursor.execute(
                    f"""SELECT DISTINCT ON ("group") key, doc_type, object_id, title, language,
                        url, "group"
                    FROM {TABLE} WHERE {where} AND "group" = ANY(%s::varchar[])
                        AND language = %s
                    ORDER BY "group", key""",
                    [*params, text_array(groups), reader],
                )
                return cursor.fetchall()

            return one_per_group(rows, limit, reader, in_reader_language)

    def _keyword(self, cursor, query: SearchQuery, where, params, text, tokens, meta: dict):
        """The keyword candidate list (their type, group and language into `meta`), and its
        tsquery for `_hits` to highlight (an SQL expression and its parameters)."""
        keyword = self._keyword_constant(cursor, tokens)
        found = self._ranked(cursor, where, params, keyword, meta)
        if len(found) < TRIGRAM_THRESHOLD and "pg_trgm" in self.features.extensions:
            cursor.execute(
                f"""SELECT {META_COLUMNS} FROM {TABLE} WHERE {where} AND %s <%% title
                ORDER BY word_similarity(%s, title) DESC LIMIT 20""",
                [*params, text, text],
            )
            found += [
                doc_id for doc_id in _with_meta(cursor.fetchall(), meta) if doc_id not in found
            ]
        return found, ("%s::tsquery", [keyword])

    def _keyword_beside(self, query, where, params, text, tokens) -> tuple | None:
        """`_keyword` in a thread of `_statement_pool`, on a connection of its own taken
        straight from the database pool and given back at the end; None, at once, when the
        pool has none to spare within BESIDE_CONNECTION_WAIT (every connection held, say by a
        burst of searches each holding its own while waiting for this): the request then runs
        its keywords on its own connection rather than waiting for another."""
        from psycopg_pool import PoolTimeout

        pool = connection.pool
        if pool is None:  # no pool: a connection opened here would outlive the search
            return None
        pool.open()
        try:
            raw = pool.getconn(timeout=BESIDE_CONNECTION_WAIT)
        except PoolTimeout:
            return None
        try:
            with connection.wrap_database_errors, raw.transaction(), raw.cursor() as cursor:
                self._settings(cursor)
                meta: dict = {}
                return (*self._keyword(cursor, query, where, params, text, tokens, meta), meta)
        finally:
            pool.putconn(raw)

    def _hits(self, cursor, where, params, page_ids, meta, scores, matched, reader, tsqueries):
        """The page's hits, each group shown in the reader's language when that translation is
        indexed for them (`where` names the table "t."; a found document already in it is
        shown itself, and another version of the same object is no translation: a profile's
        members-only version is what matched a member's search), highlighted: one statement,
        with ts_headline on the shown page only."""
        if not page_ids:
            return []
        tsq_sql = " || ".join(sql for sql, _params in tsqueries) or "''::tsquery"
        cursor.execute(
            f"""WITH q AS MATERIALIZED (SELECT {tsq_sql} AS tsq),
            page AS (
                SELECT p.id AS found, CASE WHEN p.lang = %s THEN p.id ELSE coalesce((
                    SELECT min(t.id) FROM {TABLE} t WHERE {where}
                    AND t."group" = p.grp AND t.language = %s AND t.object_id <> (
                        SELECT f.object_id FROM {TABLE} f WHERE f.id = p.id)), p.id) END AS shown
                FROM unnest(%s::bigint[], %s::text[], %s::text[]) p(id, grp, lang))
            SELECT page.found, d.key, d.doc_type, d.object_id, d.language, d.url, d.title,
                ts_headline(d.config::regconfig, d.title, q.tsq, %s),
                ts_headline(d.config::regconfig,
                    CASE WHEN d.summary = '' THEN left(d.body, 2000)
                    ELSE d.summary || ' … ' || left(d.body, 2000) END, q.tsq, %s)
            FROM page JOIN {TABLE} d ON d.id = page.shown, q""",
            [
                *(value for _sql, values in tsqueries for value in values),
                reader,
                *params,
                reader,
                int_array(page_ids),
                text_array(meta[i][1] for i in page_ids),
                text_array(meta[i][2] for i in page_ids),
                f"StartSel={START}, StopSel={STOP}, HighlightAll=true",
                HEADLINE_OPTIONS,
            ],
        )
        details = {row[0]: row for row in cursor.fetchall()}
        hits = []
        for doc_id in page_ids:
            row = details[doc_id]
            hits.append(
                Hit(
                    key=row[1],
                    doc_type=row[2],
                    object_id=row[3],
                    language=row[4],
                    url=row[5],
                    title=row[6],
                    title_html=_highlight(row[7]),
                    snippet=_highlight(row[8]),
                    score=round(scores[doc_id], 6),
                    matched_by=sorted(matched[doc_id]),
                    matched_language=meta[doc_id][2],
                    group=meta[doc_id][1],
                )
            )
        return hits
