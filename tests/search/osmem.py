"""The test stand-in for Elasticsearch: `osmem-server`, an in-memory OpenSearch-compatible
server that starts in ~15 ms, and the small differences the backend needs to talk to it.

- osmem refuses the 9.x client's compatibility media type
  (`application/vnd.elasticsearch+json; compatible-with=9`): `JsonNode` sends plain
  `application/json` (and `application/x-ndjson` for bulk) instead. Test-only.
- osmem has no `dense_vector`/kNN and no Arabic stemmer: `OsmemBackend` leaves the vector field
  out and analyses Arabic without stemming, and says so in `missing_features`, which the
  contract tests turn into skips with that reason (never where a real Elasticsearch is named).
- osmem's `possessive_english` stemmer (like its light_* and minimal_* ones) makes a match
  query find every document: English is analysed here without it.
"""

from __future__ import annotations

from elastic_transport import Urllib3HttpNode
from elasticsearch.dsl import analyzer, token_filter

from search.backends.elasticsearch import LANGUAGE_ANALYZERS, ElasticsearchBackend


class JsonNode(Urllib3HttpNode):
    """Sends `application/json` where the client would send its compatibility media type."""

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        if headers:
            headers = headers.copy()
            for name in ("content-type", "accept"):
                value = headers.get(name)
                if value and "vnd.elasticsearch+" in value:
                    headers[name] = value.split(";")[0].replace("vnd.elasticsearch+", "")
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)


class OsmemBackend(ElasticsearchBackend):
    node_class = JsonNode
    supports_vectors = False
    analyzers = {
        **LANGUAGE_ANALYZERS,
        "en": analyzer(
            "hub_en",
            tokenizer="standard",
            filter=[
                "lowercase",
                token_filter("hub_en_stop", type="stop", stopwords="_english_"),
                "asciifolding",
                token_filter("hub_en_stemmer", type="stemmer", language="english"),
            ],
        ),
        "ar": analyzer(
            "hub_ar",
            tokenizer="standard",
            filter=["lowercase", token_filter("hub_ar_stop", type="stop", stopwords="_arabic_")],
        ),
    }
    missing_features = {
        "vectors": "osmem (the Elasticsearch stand-in) has no dense_vector/kNN; "
        "this runs where ELASTICSEARCH_URL names a real Elasticsearch",
        "arabic_stemmer": "osmem (the Elasticsearch stand-in) has no arabic analyzer; "
        "this runs where ELASTICSEARCH_URL names a real Elasticsearch",
    }
