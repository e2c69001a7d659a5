"""The search engines the contract suite runs against: PostgreSQL (the test database) and
Elasticsearch, which is the real cluster named by ELASTICSEARCH_URL when set, otherwise one
in-memory osmem-server started for the session (on a free port) and stopped at its end."""

from __future__ import annotations

import os

import pytest

from tests.conftest import require


@pytest.fixture(scope="session")
def elasticsearch_url():
    if os.environ.get("ELASTICSEARCH_URL"):
        yield os.environ["ELASTICSEARCH_URL"]
        return
    try:
        from osmem_server import OsmemServer
    except ImportError:
        OsmemServer = None
    require(OsmemServer is not None, "osmem-server is not installed (it is in requirements.lock)")
    server = OsmemServer.start(japanese=False)
    yield server.url
    server.close()


def elasticsearch_backend(url: str):
    """The backend class for `url`: the real one, or its osmem stand-in."""
    if os.environ.get("ELASTICSEARCH_URL"):
        from search.backends.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend(url)
    from .osmem import OsmemBackend

    return OsmemBackend(url)
