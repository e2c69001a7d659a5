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
- passage vectors, taken from the shared vector store by model name and content hash (never
  embedded again), go into a `dense_vector` field; kNN gives one list per document language and
  the other-language neighbours of the best hits, as on PostgreSQL;
- the lists are fused by `search.fusion` (identical to PostgreSQL); the access filter
  (audiences, countries, topics, open deadlines) is inside every engine query, kNN included, and
  the facet counts are a terms aggregation under the same filter;
- each named index is an alias: `rebuild` fills a new index and swaps the alias in one atomic
  call, so readers never see a half-built index; writes use the bulk helpers.
Whole indexes are walked with `search_after` (`keys`); the site pages results by number over the
fused list, as on PostgreSQL.

Any failure of the cluster raises `SearchUnavailable`: readers then get the PostgreSQL backend
(kept current by every write, `search.backends.write`) with a notice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from itertools import islice

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers
from elasticsearch.dsl import (
    A,
    Date,
    DenseVector,
    Index,
    Keyword,
    Mapping,
    MultiSearch,
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
from ..documents import Document, Hit, Results, SearchQuery
from ..embeddings import cached_passage_vectors, get_embedder, query_vector, stored_vectors
from ..fusion import collapse, filter_and_page, fuse
from . import SITE_INDEX, SearchBackend, SearchUnavailable

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

    def subfield(self, language: str) -> str:
        code = primary_language(language)
        return code if code in self.analyzers else FALLBACK

    @property
    def has_vectors(self) -> bool:
        return self.supports_vectors and get_embedder() is not None

    def _index(self, physical: str) -> Index:
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
        mapping.field("deadline", Date())
        for name in TEXT_FIELDS:
            mapping.field(name, Object(properties=languages))
        embedder = get_embedder()
        if self.has_vectors and embedder is not None:
            mapping.field(
                "embedding",
                DenseVector(dims=embedder.dimensions, index=True, similarity="cosine"),
            )
            # Vectors live in the shared store; the index keeps them for kNN only.
            mapping.meta("_source", excludes=["embedding"])
        index = Index(physical, using=self.client)
        index.settings(number_of_shards=1)  # replicas: the cluster's default
        index.mapping(mapping)
        for code_analyzer in self.analyzers.values():
            index.analyzer(code_analyzer)
        return index

    def _create(self, index_name: str, with_alias: bool) -> str:
        """A new physical index for `index_name` (named by time, so a rebuild never clashes)."""
        physical = f"{self.alias(index_name)}.v{time.time_ns()}"
        index = self._index(physical)
        if with_alias:
            index.aliases(**{self.alias(index_name): {"is_write_index": True}})
        index.create()
        return physical

    def _ensure(self, index_name: str) -> str:
        """The alias, created with its first index on the first write. Two workers racing:
        the second index would be a second write index, which the cluster refuses; that
        worker drops its index and writes through the winner's alias."""
        alias = self.alias(index_name)
        if alias not in self._ready:
            if not self.client.indices.exists_alias(name=alias):
                try:
                    self._create(index_name, with_alias=True)
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

    def _source(self, doc: Document, vector=None) -> dict:
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
            "content_hash": doc.content_hash(),
        }
        for name in TEXT_FIELDS:
            text = strip_tags(getattr(doc, name) or "")
            source[name] = {field: normalise_arabic(text)}
        if vector is not None:
            source["embedding"] = [float(value) for value in vector]
        return source

    def _actions(self, documents: list[Document], target: str) -> Iterator[dict]:
        vectors = {}
        embedder = get_embedder()
        if self.has_vectors and embedder is not None:
            # The shared store: vectors computed for PostgreSQL (or a previous index) are reused.
            vectors = cached_passage_vectors(
                embedder, {doc.content_hash(): doc.embedding_text() for doc in documents}
            )
        for doc in documents:
            yield {
                "_op_type": "index",
                "_index": target,
                "_id": doc.key,
                "_source": self._source(doc, vectors.get(doc.content_hash())),
            }

    def index(self, documents: Iterable[Document], index_name: str = SITE_INDEX) -> int:
        documents = list(documents)
        if not documents:
            return 0
        try:
            alias = self._ensure(index_name)
            count, _errors = helpers.bulk(
                self.client,
                self._actions(documents, alias),
                refresh=self.refresh,
                require_alias=True,  # never let a write auto-create a concrete index
            )
        except (ApiError, TransportError, helpers.BulkIndexError) as error:
            self._ready.discard(self.alias(index_name))  # look again next time
            raise _wrap(error) from error
        return count

    def delete(self, keys: Iterable[str], index_name: str = SITE_INDEX) -> int:
        keys = list(keys)
        if not keys:
            return 0
        alias = self.alias(index_name)
        actions = ({"_op_type": "delete", "_index": alias, "_id": key} for key in keys)
        try:
            if not self.client.indices.exists_alias(name=alias):
                return 0
            count, _errors = helpers.bulk(
                self.client, actions, refresh=self.refresh, raise_on_error=False
            )
        except (ApiError, TransportError) as error:
            raise _wrap(error) from error
        return count

    def rebuild(self, documents: Iterable[Document], index_name: str = SITE_INDEX) -> int:
        """Fill a new index, then move the alias to it in one atomic call: readers see the old
        index until the new one is complete, then the new one."""
        alias = self.alias(index_name)
        physical = None
        try:
            physical = self._create(index_name, with_alias=False)
            count = 0
            iterator = iter(documents)
            while batch := list(islice(iterator, BATCH)):
                for ok, _item in helpers.streaming_bulk(
                    self.client, self._actions(batch, physical), chunk_size=BATCH
                ):
                    count += ok
            self.client.indices.refresh(index=physical)
            old = self._behind(alias)
            actions = [{"remove": {"index": name, "alias": alias}} for name in old]
            actions.append({"add": {"index": physical, "alias": alias, "is_write_index": True}})
            self.client.indices.update_aliases(actions=actions)
            for name in old:
                self.client.indices.delete(index=name)
        except (ApiError, TransportError, helpers.BulkIndexError) as error:
            self._discard(physical)
            raise _wrap(error) from error
        self._ready.add(alias)
        return count

    def _discard(self, physical: str | None) -> None:
        """Remove a half-built index after a failed rebuild (the alias still shows the old)."""
        if physical is None:
            return
        try:
            self.client.indices.delete(index=physical)
        except (ApiError, TransportError):
            logger.warning("Could not remove the half-built index %s", physical)

    def drop(self, index_name: str) -> None:
        alias = self.alias(index_name)
        try:
            names = set(self._behind(alias))
            names |= set(self.client.indices.get(index=f"{alias}.v*", allow_no_indices=True))
            for name in sorted(names):
                self.client.indices.delete(index=name)
        except (ApiError, TransportError) as error:
            raise _wrap(error) from error
        self._ready.discard(alias)

    def keys(self, index_name: str = SITE_INDEX) -> set[str]:
        """Every key, walking the index with `search_after` (no deep from/size paging)."""
        found: set[str] = set()
        after = None
        try:
            while True:
                search = (
                    Search(using=self.client, index=self.alias(index_name))
                    .source(["key"])
                    .sort("key")
                    .extra(size=1000)
                )
                if after is not None:
                    search = search.extra(search_after=after)
                hits = search.execute().hits
                found.update(hit.key for hit in hits)
                if len(hits) < 1000:
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
        search = Search(using=self.client, index=self.alias(index_name)).knn(
            field="embedding",
            k=k,
            num_candidates=max(k * 4, 100),
            query_vector=[float(value) for value in vector],
            filter=Q("bool", filter=[*access, Q("term", language=language)]),
        )
        return search.source(SOURCE_FIELDS).extra(size=k)

    def _semantic(self, index_name: str, access: list, vector) -> dict[str, list]:
        """One nearest-neighbour list per document language, in one multi-search."""
        languages = enabled_languages()
        searches = MultiSearch(using=self.client, index=self.alias(index_name))
        for language in languages:
            searches = searches.add(
                self._knn(index_name, access, vector, language, SEMANTIC_CANDIDATES)
            )
        return {
            f"semantic:{language}": list(response.hits)
            for language, response in zip(languages, searches.execute(), strict=True)
        }

    def _neighbours(self, index_name: str, access: list, seeds: list, seen: dict) -> dict:
        """The best hits' nearest documents in each other language (see PostgreSQL's). A seed's
        vector comes from the shared store by content hash, not from the index."""
        found: dict[str, int] = {}
        per_language = int(settings.SEARCH_FUSION["rrf"].get("neighbours_per_language", 1))
        vectors = stored_vectors(get_embedder(), [seen[seed].content_hash for seed in seeds])
        searches = MultiSearch(using=self.client, index=self.alias(index_name))
        asked = []
        for seed_rank, seed in enumerate(seeds):
            vector = vectors.get(seen[seed].content_hash)
            if vector is None:
                continue
            for language in enabled_languages():
                if language != seen[seed].language:
                    searches = searches.add(
                        self._knn(index_name, access, vector, language, per_language)
                    )
                    asked.append(seed_rank)
        if asked:
            for seed_rank, response in zip(asked, searches.execute(), strict=True):
                for hit in response.hits:
                    found.setdefault(hit.meta.id, seed_rank)
        return found

    def search(self, query: SearchQuery, index_name: str = SITE_INDEX) -> Results:
        try:
            return self._search_results(query, index_name)
        except NotFoundError:
            return Results([], 0, query.page, query.page_size, {"type": {}, "language": {}})
        except (ApiError, TransportError) as error:
            raise _wrap(error) from error

    def _search_results(self, query: SearchQuery, index_name: str) -> Results:
        text = clean_query(query.text)
        tokens = query_tokens(text)
        reader = primary_language(query.language)
        empty = Results([], 0, query.page, query.page_size, {"type": {}, "language": {}})
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
        embedder = get_embedder() if "semantic" in query.signals else None
        if embedder is not None and self.has_vectors:
            for name, hits in self._semantic(
                index_name, access, query_vector(embedder, text)
            ).items():
                lists[name] = ids(hits)
        fused = fuse(lists)
        if embedder is not None and self.has_vectors and fused.scores:
            neighbours = self._neighbours(index_name, access, fused.seeds(), seen)
            missing = [doc_id for doc_id in neighbours if doc_id not in seen]
            if missing:
                ids(self._by_ids(index_name, access, missing))
            fused.add_neighbours({i: rank for i, rank in neighbours.items() if i in seen})
        if not fused.scores:
            return empty
        group_of = {i: seen[i].group for i in fused.scores}
        type_of = {i: seen[i].doc_type for i in fused.scores}
        language_of = {i: seen[i].language for i in fused.scores}
        ranked = collapse(fused, group_of)
        facets = self._facets(index_name, access, ranked)
        page_ids, total = filter_and_page(ranked, query, type_of, language_of)
        hits = self._hits(index_name, access, page_ids, seen, fused, reader, highlight)
        return Results(hits, total, query.page, query.page_size, facets)

    def _by_ids(self, index_name: str, access: list, doc_ids: list[str]) -> list:
        search = self._search(index_name, access).filter(Q("ids", values=doc_ids))
        return list(search.source(SOURCE_FIELDS).extra(size=len(doc_ids)).execute().hits)

    def _facets(self, index_name: str, access: list, ranked: list[str]) -> dict:
        """Terms aggregations over the results (one per translation group), under the access
        filter: the same counts as PostgreSQL's, computed by the engine."""
        search = self._search(index_name, access).filter(Q("ids", values=ranked)).extra(size=0)
        search.aggs.bucket("type", A("terms", field="doc_type", size=50))
        search.aggs.bucket("language", A("terms", field="language", size=50))
        aggregations = search.execute().aggregations
        return {
            name: {bucket.key: bucket.doc_count for bucket in aggregations[name].buckets}
            for name in ("type", "language")
        }

    def _hits(self, index_name, access, page_ids, seen, fused, reader, highlight) -> list[Hit]:
        if not page_ids:
            return []
        # Each group in the reader's language when that translation is indexed for them.
        groups = [seen[i].group for i in page_ids]
        translations = (
            self._search(index_name, access)
            .filter(Q("terms", group=groups) & Q("term", language=reader))
            .source(["group"])
            .extra(size=len(groups))
        )
        shown = {hit.group: hit.meta.id for hit in translations.execute().hits}
        display = {i: shown.get(seen[i].group, i) for i in page_ids}
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
