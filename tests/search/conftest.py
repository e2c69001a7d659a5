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


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Indexing waits for the commit; the test's transaction never commits, so run it there."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def library(db):
    """The English library of the demo content the test database starts with."""
    from knowledge.models import LibraryPage

    return LibraryPage.objects.get(locale__language_code="en")
