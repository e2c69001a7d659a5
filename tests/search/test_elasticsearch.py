"""Elasticsearch as the site's engine: saves reach both engines, the search page and the API
answer from Elasticsearch, and a down cluster never breaks a save or a search (PostgreSQL
answers, with a notice, and the failed write is retried). Run against the same engine as the
contract suite: a real cluster where ELASTICSEARCH_URL is set, else osmem-server."""

from __future__ import annotations

import os
import socket

import pytest

from django.test import Client, override_settings

from search import checks, tasks
from search.backends import SITE_INDEX, get_backend
from search.models import SearchDocument
from tests.knowledge.conftest import make_resource

WORD = "Hatzegopteryx"
NOTICE = "The search engine is not answering"


def engine_class() -> str:
    if os.environ.get("ELASTICSEARCH_URL"):
        return "search.backends.elasticsearch.ElasticsearchBackend"
    return "tests.search.osmem.OsmemBackend"


def elasticsearch_settings(url: str):
    return override_settings(
        ELASTICSEARCH_URL=url,
        SEARCH_BACKEND="elasticsearch",
        SEARCH_BACKENDS={
            "postgres": "search.backends.postgres.PostgresBackend",
            "elasticsearch": engine_class(),
        },
    )


@pytest.fixture
def down_url() -> str:
    """An address where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def site_engine(elasticsearch_url):
    with elasticsearch_settings(elasticsearch_url):
        engine = get_backend("elasticsearch")
        engine.drop(SITE_INDEX)
        yield engine
        engine.drop(SITE_INDEX)


def test_a_saved_resource_reaches_both_engines_and_elasticsearch_answers(
    library, site_engine, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = make_resource(library, f"{WORD} diaspora bonds toolkit", body=[])
    key = f"resource:{page.pk}"
    assert site_engine.keys(SITE_INDEX) == {key}
    assert SearchDocument.objects.filter(index_name=SITE_INDEX, key=key).exists()
    html = Client().get("/en/search/", {"q": WORD}).content.decode()
    assert f"<mark>{WORD}</mark> diaspora bonds toolkit" in html and NOTICE not in html
    data = Client().get("/api/v1/search/", {"q": WORD}).json()
    assert data["engine"] == "elasticsearch" and data["notice"] == ""
    assert [hit["id"] for hit in data["results"]] == [str(page.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert site_engine.keys(SITE_INDEX) == set()


def test_a_down_elasticsearch_breaks_no_save_and_readers_get_postgres_with_a_notice(
    library, down_url, elasticsearch_url, monkeypatch, django_capture_on_commit_callbacks
):
    retries = []
    monkeypatch.setattr(tasks, "schedule_retry", lambda *args: retries.append(args))
    with elasticsearch_settings(down_url):
        with django_capture_on_commit_callbacks(execute=True):
            page = make_resource(library, f"{WORD} remittance corridors", body=[])
        key = f"resource:{page.pk}"
        assert SearchDocument.objects.filter(index_name=SITE_INDEX, key=key).exists()
        # Each save of the page enqueued a write; each failed one is retried later.
        assert set(retries) == {("elasticsearch", "resource", str(page.pk), 1)}

        response = Client().get("/en/search/", {"q": WORD})
        assert response.status_code == 200
        html = response.content.decode()
        assert NOTICE in html and f"<mark>{WORD}</mark> remittance corridors" in html
        data = Client().get("/api/v1/search/", {"q": WORD}).json()
        assert data["engine"] == "postgres" and data["notice"].startswith(NOTICE)
        assert data["count"] == 1
        # The search box's suggestions come from PostgreSQL too, quietly.
        typed = WORD[:6].lower()
        offered = Client().get("/en/search/suggestions/", {"q": typed}).json()
        assert [offer["label"] for offer in offered["suggestions"]] == [
            f"{WORD} remittance corridors"
        ]
        api = Client().get("/api/v1/search/suggestions/", {"q": typed}).json()
        assert [offer["label"] for offer in api["results"]] == [f"{WORD} remittance corridors"]

        # Still down: the retry schedules the next attempt; after the last one it gives up.
        assert tasks.retry_index.call("elasticsearch", "resource", str(page.pk), 1) == "failed"
        assert retries[-1] == ("elasticsearch", "resource", str(page.pk), 2)
        assert checks.elasticsearch_reachable()[0].id == "search.W003"
    # Back up: the retry writes the document as it is now.
    with elasticsearch_settings(elasticsearch_url):
        engine = get_backend("elasticsearch")
        engine.drop(SITE_INDEX)
        assert tasks.retry_index.call("elasticsearch", "resource", str(page.pk), 2) == "indexed"
        assert engine.keys(SITE_INDEX) == {key}
        assert checks.elasticsearch_reachable() == []
        engine.drop(SITE_INDEX)


def test_retries_stop_after_the_last_attempt_with_an_error_logged(caplog):
    assert not tasks.schedule_retry("elasticsearch", "resource", "1", tasks.RETRY_ATTEMPTS + 1)
    assert "search_rebuild" in caplog.text


def test_check_is_silent_without_elasticsearch():
    with override_settings(ELASTICSEARCH_URL=""):
        assert checks.elasticsearch_reachable() == []


def test_a_rebuild_fills_a_new_index_and_swaps_the_alias_while_readers_see_the_old(
    db, elasticsearch_url
):
    from search.documents import Document, SearchQuery

    from .conftest import elasticsearch_backend

    engine = elasticsearch_backend(elasticsearch_url)
    engine.drop("swap")

    def doc(key: str, title: str) -> Document:
        return Document(key=key, doc_type="resource", object_id=key, language="en",
                        title=title, url=f"/{key}/")  # fmt: skip

    def found(text: str) -> list[str]:
        return [hit.key for hit in engine.search(SearchQuery(text), "swap").hits]

    engine.index([doc("old", "Mentoring circles")], "swap")
    before = engine._behind(engine.alias("swap"))
    seen_during = []

    def documents():
        yield doc("new", "Mentoring programmes")
        seen_during.append(found("mentoring"))  # the new index is half-built here
        yield doc("newer", "Mentoring abroad")

    assert engine.rebuild(documents(), "swap") == 2
    assert seen_during == [["old"]]
    after = engine._behind(engine.alias("swap"))
    assert len(after) == 1 and after != before
    assert sorted(found("mentoring")) == ["new", "newer"]
    engine.drop("swap")
    assert found("mentoring") == []


def test_engine_skips_are_allowed_in_ci_only_without_a_real_elasticsearch(monkeypatch):
    from tests.conftest import engine_lacks

    monkeypatch.setenv("CI_REQUIRE_ALL", "1")
    monkeypatch.delenv("ELASTICSEARCH_URL", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no kNN"):
        engine_lacks("osmem has no kNN")
    monkeypatch.setenv("ELASTICSEARCH_URL", "http://es.example:9200")
    with pytest.raises(pytest.fail.Exception, match="a real Elasticsearch must do it"):
        engine_lacks("osmem has no kNN")


def test_knn_requests_carry_the_readers_access_filter(elasticsearch_url):
    """kNN cannot run on osmem; what it sends can be checked: nearest neighbours are searched
    among what the reader may see (pre-filtered), so a hidden document is never a neighbour."""
    from search.documents import MEMBERS, PUBLIC, SearchQuery

    from .conftest import elasticsearch_backend

    engine = elasticsearch_backend(elasticsearch_url)
    access = engine._access(SearchQuery("x", viewer_audiences=[PUBLIC, MEMBERS], countries=["SN"]))
    body = engine._knn("site", access, [0.5, 0.25], "fr", 5).to_dict()
    filters = body["knn"]["filter"]["bool"]["filter"]
    assert {"terms": {"audiences": [PUBLIC, MEMBERS]}} in filters
    assert {"terms": {"countries": ["SN"]}} in filters and {"term": {"language": "fr"}} in filters
    assert body["knn"]["k"] == 5 and body["knn"]["num_candidates"] >= 5


def _doc(key: str, title: str):
    from search.documents import Document

    return Document(key=key, doc_type="resource", object_id=key, language="en", title=title,
                    url=f"/{key}/")  # fmt: skip


def test_writes_and_deletes_made_during_a_rebuild_survive_the_swap(db, elasticsearch_url):
    """The worker indexes and deletes while `search_rebuild` fills the new index from a
    database snapshot taken before those changes: after the swap readers see the changes, and
    neither a stale copy of an edited document nor a deleted one comes back."""
    from search.documents import SearchQuery

    from .conftest import elasticsearch_backend

    engine = elasticsearch_backend(elasticsearch_url)
    worker = elasticsearch_backend(elasticsearch_url)  # another process: its own client
    engine.drop("swap")
    engine.index(
        [
            _doc("kept", "Mentoring circles"),
            _doc("edited", "Mentoring before the edit"),
            _doc("removed", "Mentoring removed late"),
            _doc("removed-early", "Mentoring removed early"),
        ],
        "swap",
    )

    def titles() -> dict[str, str]:
        results = engine.search(SearchQuery("mentoring", page_size=20), "swap")
        return {hit.key: hit.title for hit in results.hits}

    seen_during = []

    def snapshot():  # the database as the rebuild read it, before the worker's changes
        yield _doc("kept", "Mentoring circles")
        yield _doc("removed-early", "Mentoring removed early")
        # Meanwhile the worker saves an edit and a new document and deletes two.
        worker.index([_doc("edited", "Mentoring after the edit")], "swap")
        worker.index([_doc("added", "Mentoring added meanwhile")], "swap")
        worker.delete(["removed", "removed-early"], "swap")
        seen_during.append(titles())  # readers still use the old index, with the changes
        yield _doc("edited", "Mentoring before the edit")  # stale
        yield _doc("removed", "Mentoring removed late")  # deleted since

    engine.rebuild(snapshot(), "swap")
    expected = {"kept": "Mentoring circles", "edited": "Mentoring after the edit",
                "added": "Mentoring added meanwhile"}  # fmt: skip
    assert seen_during == [expected]
    assert titles() == expected
    assert engine.keys("swap") == set(expected)
    alias = engine.alias("swap")
    assert engine.client.count(index=alias, query={"term": {"deleted": True}})["count"] == 0
    assert engine._behind(engine.rebuild_alias("swap")) == []
    # After the swap writes go to the new index alone, as before.
    worker.delete(["kept"], "swap")
    assert engine.keys("swap") == {"edited", "added"}
    engine.drop("swap")


def test_a_rebuild_that_died_neither_loses_writes_nor_blocks_the_next_forever(
    db, elasticsearch_url
):
    from django.test import override_settings

    from search.backends.elasticsearch import RebuildInProgress

    from .conftest import elasticsearch_backend

    engine = elasticsearch_backend(elasticsearch_url)
    worker = elasticsearch_backend(elasticsearch_url)
    engine.drop("swap")
    engine.index([_doc("old", "Mentoring circles")], "swap")
    rebuilding = engine.rebuild_alias("swap")

    # A rebuild whose document source fails removes its half-built index and alias.
    def failing():
        yield _doc("new", "Mentoring programmes")
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        engine.rebuild(failing(), "swap")
    assert engine._behind(rebuilding) == []
    assert engine.keys("swap") == {"old"}

    # A rebuild killed outright leaves its index behind the rebuild alias.
    abandoned, _filling = engine._begin_rebuild("swap")
    worker.index([_doc("during", "Mentoring abroad")], "swap")
    worker.delete(["old"], "swap")
    assert engine.keys("swap") == {"during"}  # writes still reach the live index
    # While its heartbeat is recent, another rebuild refuses to run beside it ...
    with pytest.raises(RebuildInProgress):
        engine.rebuild([_doc("new", "Mentoring programmes")], "swap")
    assert engine.keys("swap") == {"during"}
    # ... and once it is stale, the next rebuild takes over.
    with override_settings(ELASTICSEARCH_REBUILD_STALE=0):
        engine.rebuild([_doc("new", "Mentoring programmes"), _doc("during", "Mentoring")], "swap")
    assert engine.keys("swap") == {"new", "during"}
    assert engine._behind(rebuilding) == []
    assert abandoned not in engine.client.indices.get(index=f"{engine.alias('swap')}.v*")
    engine.drop("swap")


def test_refused_bulk_items_are_reported_not_swallowed(db, elasticsearch_url):
    from search.backends.elasticsearch import BulkRejected

    from .conftest import elasticsearch_backend

    engine = elasticsearch_backend(elasticsearch_url)
    engine.drop("swap")
    bad = _doc("bad", "Mentoring")
    bad.date = "not a date"  # what a broken adapter could hand over
    with pytest.raises(BulkRejected, match="bad"):
        engine.index([_doc("good", "Mentoring circles"), bad], "swap")
    # Deleting what is not there is not an error.
    assert engine.delete(["never-indexed"], "swap") == 0
    engine.drop("swap")


def test_every_key_is_walked_once_across_search_after_pages(db, elasticsearch_url):
    from .conftest import elasticsearch_backend

    engine = elasticsearch_backend(elasticsearch_url)
    engine.drop("swap")
    engine.keys_page = 3  # pages end in the middle of the keys, and exactly at the end
    keys = {f"doc-{n:02d}" for n in range(9)}
    engine.index([_doc(key, "Mentoring") for key in sorted(keys)], "swap")
    assert engine.keys("swap") == keys
    engine.index([_doc("doc-99", "Mentoring")], "swap")
    assert engine.keys("swap") == keys | {"doc-99"}
    engine.drop("swap")


def test_search_rebuild_says_when_elasticsearch_is_already_being_rebuilt(db, site_engine):
    from io import StringIO

    from django.core.management import call_command

    site_engine._begin_rebuild(SITE_INDEX)  # another rebuild, alive
    out, err = StringIO(), StringIO()
    call_command("search_rebuild", stdout=out, stderr=err)
    assert out.getvalue().startswith("Indexed ")  # PostgreSQL was rebuilt
    assert SearchDocument.objects.filter(index_name=SITE_INDEX).exists()
    assert "The elasticsearch index was not rebuilt" in err.getvalue()
    assert "is running" in err.getvalue()
