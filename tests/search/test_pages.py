"""The search page and the JSON endpoint, as readers use them, over the site's own index:
pages and opportunities are indexed by the tasks their saves enqueue (run at once in tests)."""

from __future__ import annotations

import pytest

from django.test import Client

from community.opportunities.models import Review
from knowledge.models import LibraryPage
from search.models import SearchDocument
from tests.knowledge.conftest import make_resource
from tests.members.conftest import make_member
from tests.opportunities.conftest import make_opportunity
from tests.organisations.conftest import client_for, make_organisation

WORD = "Quetzalcoatlus"


def test_readers_find_a_published_resource_and_lose_it_when_unpublished(library, committed):
    with committed(execute=True):
        page = make_resource(library, f"{WORD} remittance toolkit", body=[])
        draft = make_resource(library, f"{WORD} unpublished draft", publish=False)
    member, _ = make_member()
    for client in (Client(), client_for(member)):
        response = client.get("/en/search/", {"q": WORD.lower()})
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]  # free text: never cached
        html = response.content.decode()
        assert f"<mark>{WORD}</mark> remittance toolkit" in html
        assert page.url in html and "English" in html and "Words of your search" in html
        assert "unpublished draft" not in html
        assert "1 result<" in html and 'href="/en/search/"' in html  # the nav entry is a link
    with committed(execute=True):
        page.unpublish()
    assert "remittance toolkit" not in Client().get("/en/search/", {"q": WORD}).content.decode()
    assert not SearchDocument.objects.filter(key=f"resource:{page.pk}").exists()
    with committed(execute=True):
        draft.save_revision().publish()
    assert "unpublished draft" in Client().get("/en/search/", {"q": WORD}).content.decode()


def test_hidden_and_held_opportunities_are_never_found(db, committed):
    poster, _ = make_member()
    with committed(execute=True):
        shown = make_opportunity(poster, title=f"{WORD} fellowship")
        held = make_opportunity(poster, title=f"{WORD} held call", review=Review.HELD)
        hidden = make_opportunity(poster, title=f"{WORD} hidden grant")
        hidden.hidden = True
        hidden.save()
    html = client_for(poster).get("/fr/search/", {"q": WORD}).content.decode()
    assert f"/fr/opportunities/{shown.pk}/" in html  # in the reader's language
    assert "held call" not in html and "hidden grant" not in html
    assert 'Opportunités <span class="count">(1)</span>' in html
    assert "Anglais (1)" in html  # the language facet, named in the reader's language
    with committed(execute=True):
        held.review = Review.APPROVED
        held.save()
    assert "held call" in Client().get("/en/search/", {"q": WORD}).content.decode()


def test_the_json_endpoint_answers_as_the_page_does_and_is_documented(library, committed):
    with committed(execute=True):
        page = make_resource(library, f"{WORD} diaspora bonds", body=[])
    data = Client().get("/api/v1/search/", {"q": WORD, "type": "resource"}).json()
    assert data["count"] == 1
    hit = data["results"][0]
    assert hit["type"] == "resource" and hit["id"] == str(page.pk) and hit["language"] == "en"
    assert hit["url"].endswith(page.url) and hit["matched_by"] == ["keyword"]
    assert WORD in hit["snippet"] and "<mark>" not in hit["snippet"]
    assert data["facets"]["type"] == {"resource": 1}
    assert Client().get("/api/v1/search/", {"q": WORD, "type": "opportunity"}).json()["count"] == 0
    schema = Client().get("/api/v1/schema/").content.decode()
    assert "/api/v1/search/" in schema


def test_an_overlong_query_is_cut_with_a_clear_message_and_empty_searches_say_so(db):
    response = Client().get("/en/search/", {"q": "zzqv " * 100})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Searches are limited to 200 characters" in html
    assert "Nothing matches" in html
    assert Client().get("/en/search/").status_code == 200
    assert Client().get("/en/search/", {"q": "x", "page": "abc"}).status_code == 200


@pytest.mark.parametrize("query", ["remit\x00tances", "\x00", "remit\x1b[31mtances\x7f"])
def test_control_characters_in_a_search_are_read_as_spaces_not_a_server_error(db, query):
    """A NUL byte reached PostgreSQL, which refuses it in text: the page answered 500."""
    response = Client().get("/en/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="search-results"' in html or "Nothing matches" in html


def test_a_hidden_organisation_leaves_the_results(db, committed):
    with committed(execute=True):
        organisation = make_organisation(name=f"{WORD} Association")
    assert f"{WORD}</mark> Association" in Client().get("/en/search/", {"q": WORD}).content.decode()
    with committed(execute=True):
        organisation.hidden = True
        organisation.save()
    assert (
        "Association"
        not in Client().get("/en/search/", {"q": WORD}).content.decode().split("</form>")[1]
    )


def test_the_demo_is_searchable_once_loaded_though_it_was_indexed_in_one_go(db):
    # load_demo (run for the test template database) skips indexing item by item and rebuilds
    # the index once at its end: the demo's resources and opportunities must be found.
    assert SearchDocument.objects.count() > 100
    html = Client().get("/en/search/", {"q": "remittance costs"}).content.decode()
    assert 'href="/en/library/remittance-costs-horn-of-africa/"' in html


def test_a_bulk_load_rebuilds_the_index_once_and_only_when_it_changed_something(
    db, django_capture_on_commit_callbacks
):
    from community.organisations.models import Organisation
    from core.bulk import bulk_loading
    from search.tasks import rebuild_index

    with django_capture_on_commit_callbacks() as callbacks:  # a restart: the demo is all there
        with bulk_loading():
            pass
    assert rebuild_index.enqueue not in callbacks
    with django_capture_on_commit_callbacks() as callbacks:
        with bulk_loading():
            for organisation in Organisation.objects.all()[:3]:
                organisation.save()
    assert callbacks.count(rebuild_index.enqueue) == 1
    # Item by item indexing was skipped: the one rebuild covers them.
    assert not any(c.__qualname__.startswith("schedule.") for c in callbacks)


def results(client: Client, query: str = WORD) -> str:
    """The results part of the search page (the form above repeats the query)."""
    return client.get("/en/search/", {"q": query}).content.decode().split("</form>", 1)[1]


@pytest.mark.parametrize("restrict", ["resource", "library"])
def test_a_members_only_restriction_hides_a_resource_from_anonymous_search(
    library, committed, restrict
):
    from wagtail.models import PageViewRestriction

    with committed(execute=True):
        page = make_resource(library, f"{WORD} restricted toolkit", body=[])
    member, _ = make_member()
    assert "restricted toolkit" in results(Client())
    with committed(execute=True):  # no page is saved: only the restriction
        restriction = PageViewRestriction.objects.create(
            page=page if restrict == "resource" else library,
            restriction_type=PageViewRestriction.LOGIN,
        )
    anonymous = results(Client())
    assert "restricted toolkit" not in anonymous and "Summary of" not in anonymous
    assert Client().get("/api/v1/search/", {"q": WORD}).json()["count"] == 0
    assert "restricted toolkit" in results(client_for(member))  # members may open it
    with committed(execute=True):
        restriction.delete()
    assert "restricted toolkit" in results(Client())


def test_a_restricted_chapter_is_found_only_by_whom_it_is_open_to(db, committed):
    from wagtail.models import PageViewRestriction

    from knowledge.models import ChapterPage

    chapter = ChapterPage.objects.live().filter(locale__language_code="en").first()
    link = f'href="{chapter.url}"'
    assert link in results(Client(), chapter.title)
    member, _ = make_member()
    with committed(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=chapter, restriction_type=PageViewRestriction.LOGIN
        )
    assert link not in results(Client(), chapter.title)
    assert link in results(client_for(member), chapter.title)
    with committed(execute=True):  # a password: no reader of search may open it
        restriction.restriction_type = PageViewRestriction.PASSWORD
        restriction.password = "x"
        restriction.save()
    for client in (Client(), client_for(member)):
        assert link not in results(client, chapter.title)


def test_a_moved_resource_and_a_renamed_library_link_to_their_new_addresses(library, committed):
    from wagtail.models import Page

    with committed(execute=True):
        page = make_resource(library, f"{WORD} wandering report", slug="wandering", body=[])
        archive = library.get_parent().add_child(
            instance=LibraryPage(title="Archive", slug="archive")
        )
    assert 'href="/en/library/wandering/"' in results(Client())
    with committed(execute=True):
        Page.objects.get(pk=page.pk).move(archive, pos="last-child")
    assert 'href="/en/archive/wandering/"' in results(Client())
    with committed(execute=True):
        archive = LibraryPage.objects.get(pk=archive.pk)
        archive.slug = "old-archive"
        archive.save_revision().publish()
    html = results(Client())
    assert 'href="/en/old-archive/wandering/"' in html and "/en/archive/" not in html


def test_a_country_profile_is_found_in_the_readers_language_under_its_country(db, committed):
    from wagtail.models import Locale

    from knowledge.models import CountriesIndexPage, CountryPage
    from search.registry import adapters

    index = CountriesIndexPage.objects.get(locale__language_code="en")
    with committed(execute=True):
        page = CountryPage(
            title="Tuvalu", slug="tuvalu", country="TV", intro=f"{WORD} diaspora institutions."
        )
        index.add_child(instance=page)
        page.save_revision().publish()
    html = results(Client())
    assert 'href="/en/countries/tuvalu/"' in html and f"<mark>{WORD}</mark> diaspora" in html
    assert 'Country profiles <span class="count">(1)</span>' in html
    data = Client().get("/api/v1/search/", {"q": WORD, "country": "TV"}).json()
    assert [hit["url"].endswith("/en/countries/tuvalu/") for hit in data["results"]] == [True]
    # A French reader finds the French profile, once, though the English one matches too.
    with committed(execute=True):
        french = page.copy_for_translation(Locale.objects.get(language_code="fr"))
        french.title = "Tuvalu (profil)"
        french.save_revision().publish()
    html = Client().get("/fr/search/", {"q": WORD}).content.decode().split("</form>", 1)[1]
    assert "Tuvalu (profil)" in html and 'href="/fr/countries/tuvalu/"' in html
    assert 'href="/en/countries/tuvalu/"' not in html
    assert 'Profils pays <span class="count">(1)</span>' in html
    document = adapters["country"].document(CountryPage.objects.get(pk=french.pk))
    assert document.language == "fr" and document.countries == ["TV"]


def test_a_handbook_chapter_is_found_by_its_text_in_the_readers_language(db, committed):
    from knowledge.models import ChapterPage

    with committed(execute=True):
        chapter = ChapterPage.objects.get(locale__language_code="en", slug="mapping-diasporas")
        chapter.intro = f"{WORD} is how a diaspora is counted."
        chapter.save_revision().publish()
        french = ChapterPage.objects.get(
            locale__language_code="fr", translation_key=chapter.translation_key
        )
        french.intro = f"{WORD} : compter une diaspora."
        french.save_revision().publish()
    html = results(Client())
    assert 'href="/en/handbook/mapping-diasporas/"' in html and "is how a diaspora" in html
    assert 'Handbook <span class="count">(1)</span>' in html
    html = Client().get("/fr/search/", {"q": WORD}).content.decode().split("</form>", 1)[1]
    assert f'href="{french.url}"' in html and "compter une diaspora" in html
    assert "/en/handbook/" not in html


def test_a_reader_narrows_the_results_by_country_and_topic_and_takes_it_back(library, committed):
    with committed(execute=True):
        senegal = make_resource(
            library, f"{WORD} guide Dakar", countries=("SN",), topics=("remittances",), body=[]
        )
        morocco = make_resource(library, f"{WORD} guide Rabat", countries=("MA",), body=[])
        make_resource(library, f"{WORD} draft Dakar", countries=("SN",), publish=False)
    html = Client().get("/fr/search/", {"q": WORD}).content.decode()
    refine = html.split('class="search-refine"')[1].split("</nav>")[0]
    assert "Pays" in refine and "Thème" in refine  # in the reader's language
    assert f'href="?q={WORD}&amp;country=SN"><bdi>Sénégal</bdi> <span class="count">(1)' in (
        refine
    )  # the draft is never counted
    assert "<bdi>Transferts de fonds</bdi>" in refine
    narrowed = Client().get("/fr/search/", {"q": WORD, "country": "SN"}).content.decode()
    assert senegal.url in narrowed and morocco.url not in narrowed
    assert "Retirer le filtre" in narrowed and 'aria-current="true"' in narrowed
    assert f'href="?q={WORD}"' in narrowed.split('class="search-refine"')[1]  # back to all
    assert f"?q={WORD}&amp;type=resource&amp;country=SN" in narrowed  # the tabs keep it
    both = Client().get("/fr/search/", {"q": WORD, "country": ["SN", "MA"]}).content.decode()
    assert senegal.url in both and morocco.url in both


def test_the_api_counts_countries_topics_and_years_and_filters_by_year(library, committed):
    with committed(execute=True):
        make_resource(library, f"{WORD} guide Dakar", countries=("SN",), body=[])
    data = Client().get("/api/v1/search/", {"q": WORD}).json()
    assert data["facets"]["country"] == {"SN": 1}
    (year,) = data["facets"]["year"]
    assert Client().get("/api/v1/search/", {"q": WORD, "year": year}).json()["count"] == 1
    assert Client().get("/api/v1/search/", {"q": WORD, "year": "1999"}).json()["count"] == 0
    assert Client().get("/api/v1/search/", {"q": WORD, "year": "soon"}).status_code == 400
    assert set(Client().get("/api/v1/search/", {"q": ""}).json()["facets"]) == {
        "type",
        "language",
        "country",
        "topic",
        "year",
    }
