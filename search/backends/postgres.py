"""The PostgreSQL backend, the embedded default.

Indexing: each document's text is Arabic-folded, unaccented and analysed with its own
language's text-search configuration (`simple` where the server lacks it) into one weighted
tsvector (title A, summary B, body C) under a GIN index; where pgvector exists its passage
embedding goes into an HNSW-indexed `vector` column.

Querying hands candidate lists to `search.fusion.rank`, the ranking both engines share
(`fuse_scored`, weights in `SEARCH_FUSION`):
- keyword: the query analysed in every enabled language at once (one OR-ed tsquery), the last
  word also as a prefix, and pg_trgm word similarity on titles for typos when few words match;
- taxonomy: the labels and synonyms, in every language, of the `core` topics the query names;
- semantic: one nearest-neighbour list per document language (a single list prefers documents
  in the query's own language) with each candidate's cosine similarity and embedding, so fusion
  standardises the similarities per language and lets each candidate share the score of its
  nearest candidates in the other languages.
Access (`audiences`), countries, topics and open deadlines filter inside every SQL query, so
results and facet counts never include what the reader may not see. Translations of one page
share a `group` and come back as one result, in the reader's language when it is indexed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import escape

from ..analysis import (
    FALLBACK_CONFIG,
    TEXT_SEARCH_CONFIGS,
    clean_query,
    enabled_languages,
    normalise_arabic,
    primary_language,
    query_tokens,
    taxonomy_terms,
)
from ..documents import Document, Hit, Results, SearchQuery
from ..embeddings import document_passages, get_embedder, query_vector
from ..fusion import Candidate, rank
from . import SITE_INDEX, SearchBackend

TABLE = "search_searchdocument"
CANDIDATES = 200
# The most matches ranked with ts_rank_cd, its costliest step (~0.1 ms a document for a long
# query): a question of common words (Arabic has no stop words) matches a quarter of the index.
# Past it, the documents that contain a rarer word are ranked, then others up to the cap.
RANK_CAP = 400
SEMANTIC_CANDIDATES = 60
TRIGRAM_THRESHOLD = 10
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

# Query embeddings run here, beside the request's own SQL (calls into one model are serialised
# by the embedder's lock, so more threads would only queue).
_embedding_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-embedding")


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


def _highlight(text: str) -> str:
    """Escape a ts_headline result, then turn its markers into <mark>."""
    return escape(text).replace(START, "<mark>").replace(STOP, "</mark>")


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

    def _taxonomy_tsquery(self, text: str) -> tuple[str, list] | None:
        """The shared taxonomy expansion (`taxonomy_terms`), each term analysed as a phrase in
        its own language."""
        terms = taxonomy_terms(text)
        if not terms:
            return None
        parts = [
            f"phraseto_tsquery('{self.config_for(language)}', {self._unaccent('%s')})"
            for language, _term in terms
        ]
        return "(" + " || ".join(parts) + ")", [term for _language, term in terms]

    # --- writing --------------------------------------------------------------------------

    def index(self, documents: Iterable[Document], index_name: str = SITE_INDEX) -> int:
        documents = list(documents)
        if not documents:
            return 0
        vector_sql = " || ".join(
            f"setweight(to_tsvector(%s::regconfig, {self._unaccent('%s')}), '{weight}')"
            for weight in "ABC"
        )
        sql = f"""
            INSERT INTO {TABLE} (index_name, key, doc_type, object_id, "group", language, config,
                title, summary, body, url, audiences, countries, topics, date, deadline,
                content_hash, search_vector)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,
                {vector_sql})
            ON CONFLICT (index_name, key) DO UPDATE SET doc_type = EXCLUDED.doc_type,
                object_id = EXCLUDED.object_id, "group" = EXCLUDED."group",
                language = EXCLUDED.language, config = EXCLUDED.config,
                title = EXCLUDED.title, summary = EXCLUDED.summary, body = EXCLUDED.body,
                url = EXCLUDED.url, audiences = EXCLUDED.audiences,
                countries = EXCLUDED.countries, topics = EXCLUDED.topics, date = EXCLUDED.date,
                deadline = EXCLUDED.deadline, content_hash = EXCLUDED.content_hash,
                search_vector = EXCLUDED.search_vector
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
                    doc.date, doc.deadline, doc.content_hash(),
                    config, texts[0], config, texts[1], config, texts[2],
                ]
            )  # fmt: skip
        with transaction.atomic(), connection.cursor() as cursor:
            _lock_index(cursor, index_name, shared=True)
            cursor.executemany(sql, rows)
            self._embed(cursor, documents, index_name)
        return len(documents)

    def _embed(self, cursor, documents: list[Document], index_name: str) -> None:
        """The lead's vector into `embedding` (HNSW finds candidates by it), and the lead's and
        each body passage's vectors, end to end, into `passages` (see `_semantic`)."""
        embedder = get_embedder()
        if embedder is None or not self.has_vectors:
            return
        stacked = document_passages(embedder, documents)
        rows = [
            [_vector_literal(stacked[doc.key][0]), stacked[doc.key].tobytes(), index_name, doc.key]
            for doc in documents
        ]
        cursor.executemany(
            f"UPDATE {TABLE} SET embedding = %s::vector, passages = %s "
            "WHERE index_name = %s AND key = %s",
            rows,
        )

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

    def rebuild(self, documents: Iterable[Document], index_name: str = SITE_INDEX) -> int:
        """Readers keep the old rows until the new ones commit (one transaction). Writers of
        this index wait meanwhile (`_lock_index`), and the documents are read once the lock is
        held: a save or delete made during the rebuild is applied after it, on the new rows.
        (Without the lock a delete waited for the rebuild's row locks, then found its row
        gone and the rebuild's new copy invisible to it, so the document stayed found.)"""
        with transaction.atomic():
            with connection.cursor() as cursor:
                _lock_index(cursor, index_name, shared=False)
            self.drop(index_name)
            count = 0
            batch: list[Document] = []
            for document in documents:
                batch.append(document)
                if len(batch) == 200:
                    count += self.index(batch, index_name)
                    batch = []
            return count + self.index(batch, index_name)

    def keys(self, index_name: str = SITE_INDEX) -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT key FROM {TABLE} WHERE index_name = %s", [index_name])
            return {row[0] for row in cursor.fetchall()}

    # --- reading --------------------------------------------------------------------------

    def _filters(self, query: SearchQuery, index_name: str, a: str = "") -> tuple[str, list]:
        """Access and filters, in SQL, so neither results nor counts include anything else
        (`a` is a table alias prefix such as "d.")."""
        where = [f"{a}index_name = %s", f"{a}audiences && %s::varchar[]"]
        params: list = [index_name, list(query.viewer_audiences)]
        if query.countries:
            where.append(f"{a}countries && %s::varchar[]")
            params.append(list(query.countries))
        if query.topics:
            where.append(f"{a}topics && %s::varchar[]")
            params.append(list(query.topics))
        if not query.include_closed:
            where.append(f"({a}deadline IS NULL OR {a}deadline > %s)")
            params.append(timezone.now())
        return " AND ".join(where), params

    def _constants(self, cursor, tsqueries: list[tuple[str, list]]) -> list[str]:
        """Each tsquery expression evaluated once, as tsquery text. Inlined in the ranking
        query, `plainto_tsquery(unaccent(...))` per word and language was evaluated again for
        every row it was compared with; a constant is parsed once and lets the GIN index
        scan start from it."""
        if not tsqueries:
            return []
        cursor.execute(
            "SELECT " + ", ".join(f"({sql})::text" for sql, _params in tsqueries),
            [param for _sql, params in tsqueries for param in params],
        )
        return list(cursor.fetchone())

    def _ranked(self, cursor, where: str, params: list, tsquery: str) -> list[int]:
        """The best CANDIDATES matches by ts_rank_cd. Matching costs little and ranking much, so
        the matches are found first, at most RANK_CAP + 1 of them: when they fit under the cap
        all are ranked (the same order as ranking every match); when they do not, the words
        that match more than the cap alone are left out of the choice of what to rank (a
        question of common words) and the matches of the rarer words are ranked, with other
        matches up to the cap. Ranking always uses the whole question."""
        cursor.execute(
            f"SELECT id FROM {TABLE} WHERE {where} AND search_vector @@ %s::tsquery "
            f"LIMIT {RANK_CAP + 1}",
            [*params, tsquery],
        )
        matches = [row[0] for row in cursor.fetchall()]
        if not matches:
            return []
        if len(matches) > RANK_CAP:
            matches = self._rarer_matches(cursor, where, params, tsquery, matches)
        cursor.execute(
            f"""SELECT id FROM {TABLE} WHERE id = ANY(%s)
            ORDER BY ts_rank_cd(search_vector, %s::tsquery, 1) DESC, id LIMIT {CANDIDATES}""",
            [matches, tsquery],
        )
        return [row[0] for row in cursor.fetchall()]

    def _rarer_matches(self, cursor, where, params, tsquery: str, matches: list[int]) -> list:
        """At most RANK_CAP documents to rank for a question that matches more: those matching
        its rarer alternatives (each matching at most the cap alone, rarest first, while they
        add up to the cap), then others of `matches` (some of every match) up to the cap."""
        terms = _alternatives(tsquery)
        if len(terms) < 2:
            return matches[:RANK_CAP]
        # One statement, a capped count per alternative (each a constant the planner sees).
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
                f"SELECT id FROM {TABLE} WHERE {where} AND search_vector @@ %s::tsquery",
                [*params, " | ".join(f"( {term} )" for term in rarer)],
            )
            chosen.update((row[0], None) for row in cursor.fetchall())
        for doc_id in matches:
            if len(chosen) >= RANK_CAP:
                break
            chosen.setdefault(doc_id, None)
        return list(chosen)

    def _semantic(self, cursor, where, params, query_vec, languages: list[str]):
        """Per document language, the nearest documents by their lead's vector with the cosine
        similarity of their best passage (lead or body passage), and their lead vectors (for
        `fuse_scored`'s cross-language step)."""
        lists, vectors = {}, {}
        vector = _vector_literal(query_vec)
        cursor.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
        for language in languages:
            cursor.execute(
                f"""SELECT id, passages, CASE WHEN passages IS NULL THEN embedding::text END
                FROM {TABLE} WHERE {where} AND language = %s
                AND embedding IS NOT NULL
                ORDER BY embedding <=> %s::vector LIMIT {SEMANTIC_CANDIDATES}""",
                [*params, language, vector],
            )
            pairs = []
            for doc_id, stored, lead in cursor.fetchall():
                if stored is None:  # indexed before passages were stored: the lead alone
                    found = np.fromstring(lead[1:-1], dtype=np.float32, sep=",")[None, :]
                else:
                    found = np.frombuffer(bytes(stored), dtype=np.float32)
                found = found.reshape(-1, len(query_vec))
                vectors[doc_id] = found[0]
                pairs.append((doc_id, float((found @ query_vec).max())))
            pairs.sort(key=lambda pair: -pair[1])
            lists[language] = pairs
        return lists, vectors

    def search(self, query: SearchQuery, index_name: str = SITE_INDEX) -> Results:
        text = clean_query(query.text)
        tokens = query_tokens(text)
        reader = primary_language(query.language)
        where, params = self._filters(query, index_name)
        lists: dict[str, list[int]] = {}
        highlight_queries: list[str] = []
        empty = Results([], 0, query.page, query.page_size, {"type": {}, "language": {}})
        if not tokens:
            return empty
        embedder = get_embedder() if "semantic" in query.signals else None
        if embedder is None or not self.has_vectors:
            embedder = embedding = None
        else:
            # The question is embedded (the model releases the GIL) while PostgreSQL finds
            # and ranks the keyword and taxonomy matches.
            embedding = _embedding_pool.submit(query_vector, embedder, text)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 3000")
            constants = {}
            if "keyword" in query.signals:
                constants["keyword"] = self._keyword_constant(cursor, tokens)
            taxonomy = self._taxonomy_tsquery(text) if "taxonomy" in query.signals else None
            if taxonomy:
                (constants["taxonomy"],) = self._constants(cursor, [taxonomy])
            highlight_queries = list(constants.values())
            if "keyword" in constants:
                lists["keyword"] = self._ranked(cursor, where, params, constants["keyword"])
                if len(lists["keyword"]) < TRIGRAM_THRESHOLD and "pg_trgm" in (
                    self.features.extensions
                ):
                    cursor.execute(
                        f"""SELECT id FROM {TABLE} WHERE {where} AND %s <%% title
                        ORDER BY word_similarity(%s, title) DESC LIMIT 20""",
                        [*params, text, text],
                    )
                    lists["keyword"] += [
                        row[0] for row in cursor.fetchall() if row[0] not in lists["keyword"]
                    ]
            if "taxonomy" in constants:
                lists["taxonomy"] = self._ranked(cursor, where, params, constants["taxonomy"])
            semantic, vectors = {}, {}
            if embedding is not None:
                asked = embedding.result()
                asked = asked / (np.linalg.norm(asked) or 1.0)
                semantic, vectors = self._semantic(
                    cursor, where, params, asked, enabled_languages()
                )
            rows: dict[int, tuple] = {}

            def describe(ids: list[int]) -> dict[int, Candidate]:
                cursor.execute(
                    f"""SELECT id, key, doc_type, object_id, "group", language FROM {TABLE}
                    WHERE id = ANY(%s)""",
                    [ids],
                )
                rows.update((row[0], row) for row in cursor.fetchall())
                return {i: Candidate(row[1], row[4], row[2], row[5]) for i, row in rows.items()}

            ranking = rank(query, lists, semantic, vectors, describe)
            if ranking is None:
                return empty
            scores, matched = ranking.fused.scores, ranking.fused.matched
            hits = self._hits(
                cursor, where, params, ranking.page, rows, scores, matched, reader,
                highlight_queries,
            )  # fmt: skip
        return Results(hits, ranking.total, query.page, query.page_size, ranking.facets)

    def _hits(self, cursor, where, params, page_ids, rows, scores, matched, reader, tsqueries):
        if not page_ids:
            return []
        # Show each group in the reader's language when that translation is indexed for them.
        groups = [rows[i][4] for i in page_ids]
        cursor.execute(
            f"""SELECT "group", id FROM {TABLE} WHERE {where} AND "group" = ANY(%s)
            AND language = %s""",
            [*params, groups, reader],
        )
        shown = {group: doc_id for group, doc_id in cursor.fetchall()}
        display = {i: shown.get(rows[i][4], i) for i in page_ids}
        tsq_sql = " || ".join(["%s::tsquery"] * len(tsqueries)) or "''::tsquery"
        cursor.execute(
            f"""WITH q AS MATERIALIZED (SELECT {tsq_sql} AS tsq)
            SELECT id, key, doc_type, object_id, language, url, title,
                ts_headline(config::regconfig, title, q.tsq, %s),
                ts_headline(config::regconfig,
                    CASE WHEN summary = '' THEN left(body, 2000)
                    ELSE summary || ' … ' || left(body, 2000) END, q.tsq, %s)
            FROM {TABLE}, q WHERE id = ANY(%s)""",
            [
                *tsqueries,
                f"StartSel={START}, StopSel={STOP}, HighlightAll=true",
                HEADLINE_OPTIONS,
                list(display.values()),
            ],
        )
        details = {row[0]: row for row in cursor.fetchall()}
        hits = []
        for doc_id in page_ids:
            row = details[display[doc_id]]
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
                    matched_language=rows[doc_id][5],
                )
            )
        return hits
