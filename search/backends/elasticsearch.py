"""The Elasticsearch backend, for deployments that outgrow one machine (`ELASTICSEARCH_URL`).

Written with the official client and its DSL (`elasticsearch.dsl`), behind the same interface and
ranking code as the PostgreSQL backend:
- each document's text goes into its own language's subfield (`title.fr`, `summary.fr`,
  `body.fr`) analysed by that language's analyzer (the built-in english, french, spanish and
  arabic analyzers rebuilt with accent folding, as PostgreSQL's `unaccent`); Arabic is folded by
  `search.analysis.normalise_arabic` before indexing and querying, exactly as for PostgreSQL;
- a query, less the words that are stop words in any enabled language (as on PostgreSQL), runs
  as one `multi_match` over every enabled language's subfields (so it is analysed in every
  language), title / summary / body weighted as PostgreSQL's A / B / C, the last word also
  as a prefix, fuzzy title matching for typos when few documents match; the shared taxonomy
  expansion (`search.analysis.taxonomy_terms`) adds phrase queries in each label's language;
- the vectors of each document's lead and body passages, taken from the shared vector store
  (`search.embeddings.document_passages`, never embedded again), go into a `dense_vector`
  (the lead) and a `nested` field of `dense_vector`s (lead and passages): as on PostgreSQL, one
  kNN search per document language finds the candidates by their lead, then one nested kNN
  search restricted to them gives each its nearest passage's cosine similarity; their lead
  vectors come from the shared store;
- those engine-neutral candidate lists are ranked by `search.fusion.rank`, the very code the
  PostgreSQL backend uses (scores standardised per language, the step across languages, one
  result per translation group, facets, paging); the access filter (audiences, countries,
  topics, open deadlines) is inside every engine query, kNN included, so candidates and counts
  only hold what the reader may see;
- each named index is an alias: `rebuild` fills a new index and swaps the alias in one atomic
  call, so readers never see a half-built index. While it fills, a second alias names the new
  index (`<alias>.rebuilding`, kept in the cluster, so every process sees it): each write goes
  to the live alias and to it, a delete leaves a tombstone there, and the rebuild only
  `create`s, so it never overwrites a newer write nor brings back a deleted document. A
  rebuild that died leaves its alias behind: writes still reach the live index, and the next
  rebuild takes over once the dead one's heartbeat (in its index's `_meta`) is older than
  `ELASTICSEARCH_REBUILD_STALE`.
Writes use the bulk helpers and every item's failure is reported (`BulkRejected`), except those
that lose nothing (a delete of a document not there, a write that met a finished rebuild). Whole
indexes are walked with `search_after` on the unique key (`keys`); the site pages results by
number over the fused list, as on PostgreSQL.

Any failure of the cluster raises `SearchUnavailable`: readers then get the PostgreSQL backend
(kept current by every write, `search.backends.write`) with a notice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from datetime import datetime
from itertools import islice

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers
from elasticsearch.dsl import (
    Boolean,
    Date,
    DenseVector,
    Index,
    Keyword,
    Mapping,
    MultiSearch,
    Nested,
    Object,
    Q,
    Search,
    Text,
    analyzer,
    token_filter,
)

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape, strip_tags

from ..analysis import (
    TEXT_SEARCH_CONFIGS,
    clean_query,
    enabled_languages,
    normalise_arabic,
    primary_language,
    query_tokens,
    taxonomy_terms,
)
from ..documents import Document, Hit, Results, SearchQuery, Suggestion, no_facets, year_bounds
from ..embeddings import document_passages, get_embedder, query_vector, stored_vectors
from ..fusion import Candidate, Fused, count_facets, rank
from . import (
    SITE_INDEX,
    SUGGESTIONS,
    Progress,
    SearchBackend,
    SearchUnavailable,
    one_per_group,
    too_short_to_suggest,
)

logger = logging.getLogger(__name__)

CANDIDATES = 200
SEMANTIC_CANDIDATES = 60
FUZZY_THRESHOLD = 10
BATCH = 200
FALLBACK = "simple"  # the subfield of languages without an analyzer of their own
# PostgreSQL's default ts_rank weights for A / B / C (1.0, 0.4, 0.2), as boosts.
FIELD_BOOSTS = {"title": 5, "summary": 2, "body": 1}
TEXT_FIELDS = tuple(FIELD_BOOSTS)
SOURCE_FIELDS = ["key", "doc_type", "object_id", "group", "language", "content_hash"]


def _filter(name: str, **options) -> object:
    return token_filter(name, **options)


# The built-in language analyzers, rebuilt (as Elasticsearch's documentation shows) to add
# accent folding after the stop words, as PostgreSQL's `unaccent` does before its stemmer, and
# with the Snowball stemmers PostgreSQL's english, french and spanish configurations use.
LANGUAGE_ANALYZERS = {
    "en": analyzer(
        "hub_en",
        tokenizer="standard",
        filter=[
            _filter("hub_en_possessive", type="stemmer", language="possessive_english"),
            "lowercase",
            _filter("hub_en_stop", type="stop", stopwords="_english_"),
            "asciifolding",
            _filter("hub_en_stemmer", type="stemmer", language="english"),
        ],
    ),
    "fr": analyzer(
        "hub_fr",
        tokenizer="standard",
        filter=[
            _filter(
                "hub_fr_elision",
                type="elision",
                articles_case=True,
                articles=["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu"],
            ),
            "lowercase",
            _filter("hub_fr_stop", type="stop", stopwords="_french_"),
            "asciifolding",
            _filter("hub_fr_stemmer", type="stemmer", language="french"),
        ],
    ),
    "es": analyzer(
        "hub_es",
        tokenizer="standard",
        filter=[
            "lowercase",
            _filter("hub_es_stop", type="stop", stopwords="_spanish_"),
            "asciifolding",
            _filter("hub_es_stemmer", type="stemmer", language="spanish"),
        ],
    ),
    "ar": analyzer(
        "hub_ar",
        tokenizer="standard",
        filter=[
            "lowercase",
            "decimal_digit",
            _filter("hub_ar_stop", type="stop", stopwords="_arabic_"),
            "arabic_normalization",
            _filter("hub_ar_stemmer", type="stemmer", language="arabic"),
        ],
    ),
    FALLBACK: analyzer("hub_simple", tokenizer="standard", filter=["lowercase", "asciifolding"]),
}
assert set(LANGUAGE_ANALYZERS) == {*TEXT_SEARCH_CONFIGS, FALLBACK}


_content: dict[str, bool] = {}  # query word -> not a stop word in any enabled language


class RebuildInProgress(SearchUnavailable):
    """Another rebuild of this index is running (its heartbeat is recent)."""


class BulkRejected(SearchUnavailable):
    """Elasticsearch refused some items of a bulk write (reasons in the message)."""


def cosine(score: float) -> float:
    """The cosine similarity behind a kNN `_score` on a `cosine` field, (1 + cosine) / 2."""
    return 2.0 * float(score) - 1.0


def _wrap(error: Exception) -> SearchUnavailable:
    logger.warning("Elasticsearch failed: %s", error)
    return SearchUnavailable(f"Elasticsearch: {error}")


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"
    # Overridden by the test stand-in (osmem), which speaks the protocol but lacks some parts.
    node_class: type | None = None
    analyzers = LANGUAGE_ANALYZERS
    supports_vectors = True
    # Refresh after each write so a saved object is found at once (writes come from tasks).
    refresh: bool | str = True

    def __init__(self, url: str | None = None) -> None:
        self.url = url or settings.ELASTICSEARCH_URL
        options = {
            "request_timeout": getattr(settings, "ELASTICSEARCH_TIMEOUT", 5),
            "max_retries": 1,
            "retry_on_timeout": False,
        }
        if self.node_class is not None:
            options["node_class"] = self.node_class
        self.client = Elasticsearch(self.url, **options)
        self.prefix = getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "idiaspora-")
        self._ready: set[str] = set()  # aliases known to exist in this process

    # --- names and mappings ---------------------------------------------------------------

    def alias(self, index_name: str) -> str:
        return f"{self.prefix}{index_name}".lower()

    def rebuild_alias(self, index_name: str) -> str:
        """The alias of the index a rebuild is filling, while it runs (writers look it up)."""
        return f"{self.alias(index_name)}.rebuilding"

    def subfield(self, language: str) -> str:
        code = primary_language(language)
        return code if code in self.analyzers else FALLBACK

    @property
    def has_vectors(self) -> bool:
        return self.supports_vectors and get_embedder() is not None

    def _index(self, physical: str, meta: dict | None = None) -> Index:
        languages = {
            code: Text(analyzer=self.analyzers[code], index_options="offsets")
            for code in self.analyzers
        }
        mapping = Mapping()
        for name in ("key", "doc_type", "object_id", "group", "language", "content_hash"):
            mapping.field(name, Keyword())
        for name in ("audiences", "countries", "topics"):
            mapping.field(name, Keyword())
        mapping.field("url", Keyword(index=False))
        mapping.field("date", Date())
        mapping.field("published", Date())
        mapping.field("deadline", Date())
        mapping.field("deleted", Boolean())  # a tombstone left by a delete during a rebuild
        for name in TEXT_FIELDS:
            mapping.field(name, Object(properties=languages))
        embedder = get_embedder()
        if self.has_vectors and embedder is not None:
            # The lead's vector finds the candidates (as PostgreSQL's HNSW index does); one
            # nested document per passage (the lead first) scores them by their nearest.
            # Exact float vectors (`hnsw`, not the quantized default), so the similarities
            # fused are the cosines PostgreSQL computes.
            def vector() -> DenseVector:
                return DenseVector(
                    dims=embedder.dimensions,
                    index=True,
                    similarity="cosine",
                    index_options={"type": "hnsw"},
                )

            mapping.field("embedding", vector())
            mapping.field("passages", Nested(properties={"vector": vector()}))
            # Vectors live in the shared store; the index keeps them for kNN only.
            mapping.meta("_source", excludes=["embedding", "passages"])
        if meta:
            mapping.meta("_meta", meta)
        index = Index(physical, using=self.client)
        index.settings(number_of_shards=1)  # replicas: the cluster's default
        index.mapping(mapping)
        for code_analyzer in self.analyzers.values():
            index.analyzer(code_analyzer)
        return index

    def _physical_name(self, index_name: str) -> str:
        """A new physical index's name (by time, so a rebuild never clashes)."""
        return f"{self.alias(index_name)}.v{time.time_ns()}"

    def _ensure(self, index_name: str) -> str:
        """The alias, created with its first index on the first write. Two workers racing:
        the second index would be a second write index, which the cluster refuses; that
        worker drops its index and writes through the winner's alias."""
        alias = self.alias(index_name)
        if alias not in self._ready:
            if not self.client.indices.exists_alias(name=alias):
                index = self._index(self._physical_name(index_name))
                index.aliases(**{alias: {"is_write_index": True}})
                try:
                    index.create()
                except ApiError:
                    if not self.client.indices.exists_alias(name=alias):
                        raise
            self._ready.add(alias)
        return alias

    def _behind(self, alias: str) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=alias))
        except NotFoundError:
            return []

    # --- writing --------------------------------------------------------------------------

    def _source(self, doc: Document, passages=None) -> dict:
        field = self.subfield(doc.language)
        source = {
            "key": doc.key,
            "doc_type": doc.doc_type,
            "object_id": str(doc.object_id),
            "group": doc.group,
            "language": primary_language(doc.language),
            "url": doc.url,
            "audiences": list(doc.audiences),
            "countries": list(doc.countries),
            "topics": list(doc.topics),
            "date": doc.date,
            "deadline": doc.deadline,
            "published": doc.published,
            "content_hash": doc.content_hash(),
        }
        for name in TEXT_FIELDS:
            text = strip_tags(getattr(doc, name) or "")
            source[name] = {field: normalise_arabic(text)}
        if passages is not None:
            source["embedding"] = [float(value) for value in passages[0]]
            source["passages"] = [{"vector": [float(value) for value in row]} for row in passages]
        return source

    def _sources(self, documents: list[Document]) -> list[tuple[str, dict]]:
        """(key, source) per document, with its passage vectors from the shared store (those
        PostgreSQL, or a previous index, computed are reused)."""
        passages = {}
        embedder = get_embedder()
        if self.has_vectors and embedder is not None:
            passages = document_passages(embedder, documents)
        return [(doc.key, self._source(doc, passages.get(doc.key))) for doc in documents]

    def _rebuilding(self, index_name: str) -> str | None:
        """The alias of the index a rebuild is filling, if one is. Asked at every write, after
        the document was read from the database: a rebuild that starts later reads the
        database after this write's document was read, so it cannot hold an older one."""
        name = self.rebuild_alias(index_name)
        return name if self.client.indices.exists_alias(name=name) else None

    def _bulk(
        self,
        actions: list[dict],
        *,
        refresh: bool | str = False,
        optional: str | None = None,
        keep_existing: bool = False,
    ) -> dict[str, int]:
        """Run bulk actions through aliases (`require_alias`: a write never creates an index);
        returns how many of each operation were done. Item failures that lose nothing are
        not errors: a delete of a document that is not there, a `create` refused because a
        newer write is there (`keep_existing`, counted as done), any write to `optional` (the
        rebuild's alias) once it is gone (the rebuild swapped or was abandoned in between).
        Any other failure is logged and raised as `BulkRejected`, naming the first reasons."""
        done: dict[str, int] = {}
        failures: list[str] = []
        for ok, item in helpers.streaming_bulk(
            self.client,
            actions,
            chunk_size=BATCH,
            raise_on_error=False,
            refresh=refresh,
            require_alias=True,
        ):
            operation, result = next(iter(item.items()))
            error = result.get("error") or {}
            error_type = error.get("type", "") if isinstance(error, dict) else str(error)
            status = result.get("status")
            if ok or (keep_existing and operation == "create" and status == 409):
                done[operation] = done.get(operation, 0) + 1
            elif operation == "delete" and status == 404 and not error:
                continue  # nothing to delete
            elif (
                optional is not None
                and result.get("_index") == optional
                and error_type == "index_not_found_exception"
            ):
                continue  # the rebuild ended meanwhile: the live alias had the write
            else:
                reason = error.get("reason", "") if isinstance(error, dict) else ""
                failures.append(f"{operation} {result.get('_id')}: {status} {error_type} {reason}")
        if failures:
            logger.error(
                "Elasticsearch refused %d bulk item(s): %s", len(failures), "; ".join(failures[:5])
            )
            raise BulkRejected(f"Elasticsearch refused {len(failures)} item(s): {failures[0]}")
        return done

    def index(self, documents: Iterable[Document], index_name: str = SITE_INDEX) -> int:
        documents = list(documents)
        if not documents:
            return 0
        try:
            alias = self._ensure(index_name)
            sources = self._sources(documents)
            rebuilding = self._rebuilding(index_name)
            targets = [alias, rebuilding] if rebuilding else [alias]
            actions = [
                {"_op_type": "index", "_index": target, "_id": key, "_source": source}
                for target in targets
                for key, source in sources
            ]
            self._bulk(actions, refresh=self.refresh, optional=rebuilding)
        except (ApiError, TransportError) as error:
            self._ready.discard(self.alias(index_name))  # look again next time
            raise _wrap(error) from error
        except SearchUnavailable:
            self._ready.discard(self.alias(index_name))
            raise
        return len(documents)

    def delete(self, keys: Iterable[str], index_name: str = SITE_INDEX) -> int:
        """Remove from the live index and, while a rebuild fills a new one, leave a tombstone
        there: the rebuild's `create` of that key then fails instead of bringing it back, and
        the swap clears the tombstones (one written later never matches a search: it has no
        audience)."""
        keys = list(keys)
        if not keys:
            return 0
        alias = self.alias(index_name)
        try:
            rebuilding = self._rebuilding(index_name)
            actions = []
            if self.client.indices.exists_alias(name=alias):
                actions += [{"_op_type": "delete", "_index": alias, "_id": key} for key in keys]
            if rebuilding:
                actions += [
                    {
                        "_op_type": "index",
                        "_index": rebuilding,
                        "_id": key,
                        "_source": {"key": key, "deleted": True},
                    }
                    for key in keys
                ]
            if not actions:
                return 0
            done = self._bulk(actions, refresh=self.refresh, optional=rebuilding)
        except (ApiError, TransportError) as error:
            raise _wrap(error) from error
        return done.get("delete", 0)

    def rebuild(
        self,
        documents: Iterable[Document],
        index_name: str = SITE_INDEX,
        progress: Progress | None = None,  # nothing after the documents: it embeds as it writes
    ) -> int:
        """Fill a new index, then move the alias to it in one atomic call: readers see the old
        index until the new one is complete, then the new one. Writes made meanwhile reach
        both (see the module's docstring); the rebuild's own writes are `create`s, which leave
        a newer write or a tombstone in place."""
        alias = self.alias(index_name)
        physical = None
        swapped = False
        try:
            physical, filling = self._begin_rebuild(index_name)
            count = 0
            iterator = iter(documents)
            while batch := list(islice(iterator, BATCH)):
                actions = [
                    {"_op_type": "create", "_index": filling, "_id": key, "_source": source}
                    for key, source in self._sources(batch)
                ]
                count += self._bulk(actions, keep_existing=True).get("create", 0)
                self._beat(physical)
            self.client.indices.refresh(index=physical)
            old = [name for name in self._behind(alias) if name != physical]
            actions = [
                # Fails the whole swap if another rebuild took over this one meanwhile.
                {"remove": {"index": physical, "alias": self.rebuild_alias(index_name),
                            "must_exist": True}},
                {"remove": {"index": physical, "alias": filling}},
                *({"remove": {"index": name, "alias": alias}} for name in old),
                {"add": {"index": physical, "alias": alias, "is_write_index": True}},
            ]  # fmt: skip
            self.client.indices.update_aliases(actions=actions)
            swapped = True
        except (ApiError, TransportError) as error:
            if not swapped:
                self._discard(physical)
            raise _wrap(error) from error
        except BaseException:
            if not swapped:
                self._discard(physical)
            raise
        self._ready.add(alias)
        self._after_swap(alias, old)
        return count

    def _begin_rebuild(self, index_name: str) -> tuple[str, str]:
        """Create the index a rebuild fills, behind the rebuild alias (which writers see from
        now on) and an alias of its own (so that, taken over, this rebuild's late writes fail
        instead of creating an index or landing in its successor's). A rebuild already
        running stops this one; one whose heartbeat is older than ELASTICSEARCH_REBUILD_STALE
        seconds died, and its index is removed."""
        rebuilding = self.rebuild_alias(index_name)
        stale_after = float(getattr(settings, "ELASTICSEARCH_REBUILD_STALE", 900))
        for name in self._behind(rebuilding):
            beat = self._heartbeat(name)
            if time.time() - beat < stale_after:
                raise RebuildInProgress(
                    f"Elasticsearch: a rebuild of {self.alias(index_name)} is running ({name}, "
                    f"last heard of {time.time() - beat:.0f} s ago)"
                )
            logger.warning("Taking over from the abandoned rebuild into %s", name)
            self.client.indices.delete(index=name)
        physical = self._physical_name(index_name)
        filling = f"{self.alias(index_name)}.filling-{physical.rsplit('.v', 1)[1]}"
        index = self._index(physical, meta={"rebuild": {"heartbeat": time.time()}})
        index.aliases(**{rebuilding: {"is_write_index": True}, filling: {}})
        try:
            index.create()
        except ApiError as error:
            if self._behind(rebuilding):  # another rebuild started at the same moment
                raise RebuildInProgress(f"Elasticsearch: {error}") from error
            raise
        return physical, filling

    def _heartbeat(self, physical: str) -> float:
        try:
            mapping = self.client.indices.get_mapping(index=physical)[physical]["mappings"]
        except (NotFoundError, KeyError):
            return 0.0
        return float(mapping.get("_meta", {}).get("rebuild", {}).get("heartbeat", 0.0))

    def _beat(self, physical: str) -> None:
        """Tell later rebuilds this one is alive."""
        self.client.indices.put_mapping(
            index=physical, meta={"rebuild": {"heartbeat": time.time()}}
        )

    def _after_swap(self, alias: str, old: list[str]) -> None:
        """Remove the old indexes and the tombstones (the rebuild they guarded against is
        over). Failing here loses nothing: readers already see the new index."""
        try:
            for name in old:
                self.client.indices.delete(index=name)
            self.client.delete_by_query(
                index=alias,
                query={"term": {"deleted": True}},
                conflicts="proceed",  # a document written again since stays
                refresh=True,
            )
        except (ApiError, TransportError):
            logger.warning("Could not clean up after rebuilding %s", alias, exc_info=True)

    def _discard(self, physical: str | None) -> None:
        """Remove a half-built index after a failed rebuild (the alias still shows the old);
        its aliases go with it, so writes stop going there."""
        if physical is None:
            return
        try:
            self.client.indices.delete(index=physical)
        except (ApiError, TransportError):
            logger.warning("Could not remove the half-built index %s", physical)

    def drop(self, index_name: str) -> None:
        alias = self.alias(index_name)
        try:
            names = set(self._behind(alias)) | set(self._behind(self.rebuild_alias(index_name)))
            names |= set(self.client.indices.get(index=f"{alias}.v*", allow_no_indices=True))
            for name in sorted(names):
                self.client.indices.delete(index=name)
        except (ApiError, TransportError) as error:
            raise _wrap(error) from error
        self._ready.discard(alias)

    keys_page = 1000

    def keys(self, index_name: str = SITE_INDEX) -> set[str]:
        """Every key, walking the index with `search_after` on the key (unique, so no two
        documents tie and none is skipped or repeated between pages)."""
        found: set[str] = set()
        after = None
        try:
            while True:
                search = (
                    Search(using=self.client, index=self.alias(index_name))
                    .exclude("term", deleted=True)
                    .source(["key"])
                    .sort("key")
                    .extra(size=self.keys_page)
                )
                if after is not None:
                    search = search.extra(search_after=after)
                hits = search.execute().hits
                found.update(hit.key for hit in hits)
                if len(hits) < self.keys_page:
                    return found
                after = list(hits[-1].meta.sort)
        except NotFoundError:
            return found
        except (ApiError, TransportError) as error:
            raise _wrap(error) from error

    # --- reading --------------------------------------------------------------------------

    def _access(self, query: SearchQuery) -> list:
        """Who may see what and the asked filters, inside every engine query (counts too)."""
        filters = [Q("terms", audiences=list(query.viewer_audiences))]
        if query.countries:
            filters.append(Q("terms", countries=list(query.countries)))
        if query.topics:
            filters.append(Q("terms", topics=list(query.topics)))
        if query.years:
            filters.append(
                Q(
                    "bool",
                    should=[
                        Q("range", date={"gte": start.isoformat(), "lt": end.isoformat()})
                        for start, end in map(year_bounds, sorted(set(query.years)))
                    ],
                    minimum_should_match=1,
                )
            )
        if query.published_after is not None:
            filters.append(Q("range", published={"gt": query.published_after.isoformat()}))
        if not query.include_closed:
            filters.append(
                Q(
                    "bool",
                    should=[
                        Q("bool", must_not=[Q("exists", field="deadline")]),
                        Q("range", deadline={"gt": timezone.now().isoformat()}),
                    ],
                    minimum_should_match=1,
                )
            )
        return filters

    def _fields(self, languages: Iterable[str]) -> list[str]:
        codes = sorted({self.subfield(code) for code in languages} | {FALLBACK})
        return [f"{name}.{code}^{FIELD_BOOSTS[name]}" for name in TEXT_FIELDS for code in codes]

    def _content_words(self, index_name: str, tokens: list[str]) -> list[str]:
        """Drop the words that are stop words in any enabled language ("de" is noise in French
        and Spanish but a word to English), as the PostgreSQL backend does: each language's
        analyzer says which words it keeps (answers remembered per process)."""
        unknown = sorted({token for token in tokens if token not in _content})
        if unknown:
            alias = self.alias(index_name)
            kept = {token: True for token in unknown}
            for code in {self.subfield(language) for language in enabled_languages()}:
                analysed = self.client.indices.analyze(
                    index=alias, analyzer=self.analyzers[code]._name, text=" ".join(unknown)
                )
                positions = {token["position"] for token in analysed["tokens"]}
                for position, token in enumerate(unknown):
                    if position not in positions:
                        kept[token] = False
            if len(_content) > 50_000:
                _content.clear()
            _content.update(kept)
        return [token for token in tokens if _content[token]] or tokens

    def _keyword_query(self, text: str, tokens: list[str]) -> Q:
        """The words analysed in every enabled language, OR-ed, the last also as a prefix;
        `most_fields` adds up title, summary and body as PostgreSQL's one weighted vector does
        (measured on both development sets: better than `best_fields`)."""
        fields = self._fields(enabled_languages())
        clauses = [Q("multi_match", query=" ".join(tokens), fields=fields, type="most_fields")]
        if len(tokens[-1]) >= 3:
            clauses.append(Q("multi_match", query=tokens[-1], fields=fields, type="phrase_prefix"))
        return Q("bool", should=clauses, minimum_should_match=1)

    def _taxonomy_query(self, text: str) -> Q | None:
        """The shared expansion: each label or synonym as a phrase in its own language."""
        clauses = [
            Q("multi_match", query=term, fields=self._fields([language]), type="phrase")
            for language, term in taxonomy_terms(text)
        ]
        return Q("bool", should=clauses, minimum_should_match=1) if clauses else None

    def _search(self, index_name: str, access: list) -> Search:
        return Search(using=self.client, index=self.alias(index_name)).filter(
            Q("bool", filter=access)
        )

    def _ranked(self, index_name: str, access: list, query: Q, size: int = CANDIDATES):
        search = self._search(index_name, access).query(query).source(SOURCE_FIELDS)
        search = search.sort("_score", "key").extra(size=size)
        return list(search.execute().hits)

    def _knn(self, index_name: str, access: list, vector, language: str, k: int) -> Search:
        """The `k` documents of one language nearest by their lead's vector, among what the
        reader may see (the filter, on top-level fields, is a pre-filter): the candidates,
        chosen as PostgreSQL's HNSW index chooses them."""
        search = Search(using=self.client, index=self.alias(index_name)).knn(
            field="embedding",
            k=k,
            num_candidates=max(k * 4, 100),
            query_vector=[float(value) for value in vector],
            filter=Q("bool", filter=[*access, Q("term", language=language)]),
        )
        return search.source(SOURCE_FIELDS).extra(size=k)

    def _nearest_passages(self, index_name: str, access: list, vector, ids: list[str]) -> Search:
        """These documents, each scored by its nearest passage (a nested kNN search scores a
        document by its best nested vector; filtered down to the candidates it compares them
        all, exactly)."""
        search = Search(using=self.client, index=self.alias(index_name)).knn(
            field="passages.vector",
            k=len(ids),
            num_candidates=len(ids),
            query_vector=[float(value) for value in vector],
            filter=Q("bool", filter=[*access, Q("ids", values=ids)]),
        )
        return search.source(False).extra(size=len(ids))

    def _semantic(self, index_name: str, access: list, vector, seen: dict):
        """Per document language, (id, cosine similarity of its nearest passage) best first,
        and the candidates' lead vectors from the shared store: the candidate lists
        `search.fusion.rank` takes from PostgreSQL too. Two multi-searches: the candidates by
        their lead, then their nearest passages."""
        languages = enabled_languages()
        searches = MultiSearch(using=self.client, index=self.alias(index_name))
        for language in languages:
            searches = searches.add(
                self._knn(index_name, access, vector, language, SEMANTIC_CANDIDATES)
            )
        by_language: dict[str, dict[str, float]] = {}
        for language, response in zip(languages, searches.execute(), strict=True):
            by_language[language] = {}
            for hit in response.hits:
                seen.setdefault(hit.meta.id, hit)
                by_language[language][hit.meta.id] = cosine(hit.meta.score)  # the lead's
        candidates = [doc_id for found in by_language.values() for doc_id in found]
        if candidates:
            passages = MultiSearch(using=self.client, index=self.alias(index_name)).add(
                self._nearest_passages(index_name, access, vector, candidates[:10_000])
            )
            (response,) = passages.execute()
            best = {hit.meta.id: cosine(hit.meta.score) for hit in response.hits}
            for found in by_language.values():
                found.update((doc_id, best[doc_id]) for doc_id in found if doc_id in best)
        semantic = {
            language: sorted(found.items(), key=lambda pair: -pair[1])
            for language, found in by_language.items()
        }
        leads = stored_vectors(get_embedder(), {seen[i].content_hash for i in candidates})
        vectors = {
            i: leads[seen[i].content_hash] for i in candidates if seen[i].content_hash in leads
        }
        return semantic, vectors

    def search(self, query: SearchQuery, index_name: str = SITE_INDEX) -> Results:
        try:
            return self._search_results(query, index_name)
        except NotFoundError:
            return Results([], 0, query.page, query.page_size, no_facets())
        except (ApiError, TransportError) as error:
            raise _wrap(error) from error

    def _search_results(self, query: SearchQuery, index_name: str) -> Results:
        text = clean_query(query.text)
        tokens = query_tokens(text)
        reader = primary_language(query.language)
        empty = Results([], 0, query.page, query.page_size, no_facets())
        if not tokens:
            return empty
        access = self._access(query)
        seen: dict[str, object] = {}  # id -> hit with the small source fields
        lists: dict[str, list[str]] = {}
        highlight: list[Q] = []

        def ids(hits) -> list[str]:
            for hit in hits:
                seen.setdefault(hit.meta.id, hit)
            return [hit.meta.id for hit in hits]

        if "keyword" in query.signals:
            keyword = self._keyword_query(text, self._content_words(index_name, tokens))
            highlight.append(keyword)
            lists["keyword"] = ids(self._ranked(index_name, access, keyword))
            if len(lists["keyword"]) < FUZZY_THRESHOLD:
                fuzzy = Q(
                    "multi_match",
                    query=text,
                    fields=[f"title.{code}" for code in self.analyzers],
                    fuzziness="AUTO",
                    prefix_length=1,
                )
                lists["keyword"] += [
                    doc_id
                    for doc_id in ids(self._ranked(index_name, access, fuzzy, 20))
                    if doc_id not in lists["keyword"]
                ]
        if "taxonomy" in query.signals:
            taxonomy = self._taxonomy_query(text)
            if taxonomy is not None:
                highlight.append(taxonomy)
                lists["taxonomy"] = ids(self._ranked(index_name, access, taxonomy))
        semantic, vectors = {}, {}
        embedder = get_embedder() if "semantic" in query.signals else None
        if embedder is not None and self.has_vectors:
            semantic, vectors = self._semantic(
                index_name, access, query_vector(embedder, text), seen
            )

        def describe(doc_ids: list[str]) -> dict[str, Candidate]:
            return {
                i: Candidate(seen[i].key, seen[i].group, seen[i].doc_type, seen[i].language)
                for i in doc_ids
                if i in seen
            }

        ranking = rank(query, lists, semantic, vectors, describe)
        if ranking is None:
            return empty
        hits = self._hits(index_name, access, ranking.page, seen, ranking.fused, reader, highlight)
        facets = {**ranking.facets, **self._more_facets(index_name, access, ranking.shown)}
        return Results(hits, ranking.total, query.page, query.page_size, facets)

    def _more_facets(self, index_name: str, access: list, shown: list[str]) -> dict:
        """The country, topic and year facets of the shown results (`count_facets`), from
        their stored fields: a few hundred at most, the candidates' share."""
        rows = []
        for start in range(0, len(shown), 1000):
            batch = shown[start : start + 1000]
            search = (
                self._search(index_name, access)
                .filter(Q("ids", values=batch))
                .source(["countries", "topics", "date"])
                .extra(size=len(batch))
            )
            for hit in search.execute().hits:
                date = getattr(hit, "date", None)
                rows.append(
                    (
                        list(getattr(hit, "countries", []) or []),
                        list(getattr(hit, "topics", []) or []),
                        datetime.fromisoformat(date) if isinstance(date, str) else date,
                    )
                )
        return count_facets(rows)

    def suggest(
        self, query: SearchQuery, index_name: str = SITE_INDEX, limit: int = SUGGESTIONS
    ) -> list[Suggestion]:
        """Titles holding the words as typed, in order, the last as a prefix (`phrase_prefix`)
        or within a letter or two of them (`fuzziness`), in every language's analysis; the
        reader's language first among equals. One per translation group, shown in the reader's
        language where the group has that version (`one_per_group`)."""
        text = clean_query(query.text)  # Arabic folded, as the titles were indexed
        if too_short_to_suggest(query_tokens(text)):
            return []
        reader = primary_language(query.language)
        codes = sorted({self.subfield(code) for code in enabled_languages()} | {FALLBACK})
        fields = [f"title.{code}" for code in codes]
        typed = Q(
            "bool",
            should=[
                Q("multi_match", query=text, fields=fields, type="phrase_prefix", boost=2),
                Q(
                    "multi_match",
                    query=text,
                    fields=fields,
                    fuzziness="AUTO",
                    prefix_length=1,
                    operator="and",
                ),
            ],
            minimum_should_match=1,
        )
        search = (
            self._search(index_name, self._access(query))
            .query(Q("bool", must=[typed], should=[Q("term", language={"value": reader})]))
            .source(["key", "doc_type", "object_id", "group", "language", "url", "title"])
            .sort("_score", "key")
            .extra(size=limit * 4)
        )
        try:
            hits = search.execute().hits
        except NotFoundError:
            return []
        except (ApiError, TransportError) as error:
            raise _wrap(error) from error

        def as_rows(hits) -> list[tuple]:
            return [
                (hit.key, hit.doc_type, hit.object_id, self._text(hit, "title"), hit.language,
                 hit.url, hit.group)
                for hit in hits
            ]  # fmt: skip

        def in_reader_language(groups: list[str]) -> list[tuple]:
            versions = (
                self._search(index_name, self._access(query))
                .filter(Q("terms", group=groups) & Q("term", language=reader))
                .source(["key", "doc_type", "object_id", "group", "language", "url", "title"])
                .sort("key")
                .extra(size=len(groups) * 4)
            )
            try:
                return as_rows(versions.execute().hits)
            except (ApiError, TransportError) as error:
                raise _wrap(error) from error

        return one_per_group(as_rows(hits), limit, reader, in_reader_language)

    def _hits(
        self, index_name, access, page_ids, seen, fused: Fused, reader, highlight
    ) -> list[Hit]:
        if not page_ids:
            return []
        # Each group in the reader's language when that translation is indexed for them. A
        # found document already in it is shown itself, and another version of the same
        # object is no translation (a profile's members-only version is what matched a
        # member's search).
        groups = [seen[i].group for i in page_ids]
        translations = (
            self._search(index_name, access)
            .filter(Q("terms", group=groups) & Q("term", language=reader))
            .source(["group", "object_id"])
            .sort("key")
            .extra(size=len(groups) * 4)
        )
        versions: dict[str, list] = {}
        for hit in translations.execute().hits:
            versions.setdefault(hit.group, []).append(hit)

        def shown(i: str) -> str:
            if seen[i].language == reader:
                return i
            others = [
                hit.meta.id
                for hit in versions.get(seen[i].group, [])
                if str(hit.object_id) != str(seen[i].object_id)
            ]
            return others[0] if others else i

        display = {i: shown(i) for i in page_ids}
        details = (
            self._search(index_name, access)
            .filter(Q("ids", values=list(display.values())))
            # Whatever matched, every shown document comes back; the clauses mark the words.
            .query(Q("bool", must=[Q("match_all")], should=highlight))
            .source(["key", "doc_type", "object_id", "language", "url", *TEXT_FIELDS])
            .extra(size=len(display))
            .highlight_options(
                encoder="html",
                pre_tags=["<mark>"],
                post_tags=["</mark>"],
                require_field_match=False,
            )
            .highlight("title.*", number_of_fragments=0)
            .highlight("summary.*", "body.*", fragment_size=160, number_of_fragments=2)
        )
        found = {hit.meta.id: hit for hit in details.execute().hits}
        hits = []
        for doc_id in page_ids:
            if display[doc_id] not in found:
                continue
            hit = found[display[doc_id]]
            hits.append(
                Hit(
                    key=hit.key,
                    doc_type=hit.doc_type,
                    object_id=hit.object_id,
                    language=hit.language,
                    url=hit.url,
                    title=self._text(hit, "title"),
                    title_html=self._title_html(hit),
                    snippet=self._snippet(hit),
                    score=round(fused.scores[doc_id], 6),
                    matched_by=sorted(fused.matched[doc_id]),
                    matched_language=seen[doc_id].language,
                    group=seen[doc_id].group,
                )
            )
        return hits

    def _text(self, hit, name: str) -> str:
        values = getattr(hit, name, None)
        if values is None:
            return ""
        return next(iter(values.to_dict().values()), "")

    def _fragments(self, hit, name: str) -> list[str]:
        highlighted = getattr(hit.meta, "highlight", None)
        if highlighted is None:
            return []
        return [
            fragment
            for field, fragments in highlighted.to_dict().items()
            if field.split(".")[0] == name
            for fragment in fragments
        ]

    def _title_html(self, hit) -> str:
        fragments = self._fragments(hit, "title")
        return fragments[0] if fragments else escape(self._text(hit, "title"))

    def _snippet(self, hit) -> str:
        fragments = (self._fragments(hit, "summary") + self._fragments(hit, "body"))[:2]
        if fragments:
            return " … ".join(fragments)
        lead = self._text(hit, "summary") or self._text(hit, "body")
        return escape(" ".join(lead.split()[:30]))

    # --- health ---------------------------------------------------------------------------

    def reachable(self) -> bool:
        try:
            return bool(self.client.options(request_timeout=2).ping())
        except (ApiError, TransportError):
            return False
