"""Suggestions as a reader types in the search box: the page's JSON (`/<lang>/search/suggestions/`)
and the API's (`/api/v1/search/suggestions/`), over the site's own index and the seeded topic
taxonomy. The engines' side (words as typed, typos, access, one per translation group) is in
the contract suite (`test_contract.py`), for both engines."""

from __future__ import annotations

import pytest

from django.test import Client
from django.utils import translation
from django.utils.translation import ngettext

from community.opportunities.models import Review
from tests.knowledge.conftest import make_resource
from tests.members.conftest import make_member
from tests.opportunities.conftest import make_opportunity
from tests.organisations.conftest import client_for

WORD = "Quetzalcoatlus"


def offered(client, lang: str, text: str) -> dict:
    response = client.get(f"/{lang}/search/suggestions/", {"q": text})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]  # what a reader typed: never cached
    return response.json()


def test_a_term_in_any_language_offers_its_topic_in_the_readers_language(db):
    english = offered(Client(), "en", "remesas")  # the Spanish label of a seeded concept
    assert english["suggestions"][0] == {
        "kind": "topic",
        "label": "Remittances",
        "url": "/en/search/?q=Remittances",
        "language": "en",
        "note": "Topic · Remesas",
    }
    arabic = offered(Client(), "ar", "remit")  # unfinished, in English, on the Arabic site
    topic = arabic["suggestions"][0]
    assert topic["label"] == "التحويلات المالية" and topic["language"] == "ar"
    assert topic["note"] == "موضوع · Remittances"
    with translation.override("ar"):
        count = len(arabic["suggestions"])
        assert arabic["status"] == ngettext(
            "%(count)d suggestion", "%(count)d suggestions", count
        ) % {"count": count}
    # Its own label, typed in the reader's language, needs no reminder of the term.
    assert offered(Client(), "fr", "transferts de")["suggestions"][0]["note"] == "Thème"


def test_titles_offered_are_only_those_the_reader_may_open(library, committed):
    poster, _ = make_member()
    with committed(execute=True):
        page = make_resource(library, f"{WORD} remittance toolkit", body=[])
        make_resource(library, f"{WORD} unpublished draft", publish=False)
        shown = make_opportunity(poster, title=f"{WORD} fellowship")
        make_opportunity(poster, title=f"{WORD} held call", review=Review.HELD)
        hidden = make_opportunity(poster, title=f"{WORD} hidden grant")
        hidden.hidden = True
        hidden.save()
    member, _ = make_member()
    for client in (Client(), client_for(member)):
        data = offered(client, "fr", WORD[:6].lower())
        titles = {offer["label"]: offer for offer in data["suggestions"]}
        assert set(titles) == {f"{WORD} remittance toolkit", f"{WORD} fellowship"}
        assert titles[f"{WORD} remittance toolkit"]["url"] == page.url
        assert titles[f"{WORD} remittance toolkit"]["note"] == "Ressources · Anglais"
        # An opportunity's address is the reader's language's.
        assert titles[f"{WORD} fellowship"]["url"] == f"/fr/opportunities/{shown.pk}/"
        assert data["status"] == "2 suggestions"


def test_a_title_matched_in_another_language_is_offered_in_the_readers(library, committed):
    from tests.knowledge.conftest import translate

    with committed(execute=True):
        english = make_resource(library, f"{WORD} remittance toolkit", body=[])
        french = translate(english, "fr", f"Boîte à outils {WORD} des transferts")
    [offer] = offered(Client(), "fr", f"{WORD} remittance")["suggestions"]
    assert offer["label"] == french.title and offer["url"] == french.url
    assert offer["language"] == "fr"
    assert offer["note"] == "Ressources · trouvé grâce à sa version en Anglais"
    [offer] = offered(Client(), "es", f"{WORD} remittance")["suggestions"]  # none in Spanish
    assert offer["label"] == english.title and offer["note"] == "Recursos · Inglés"


@pytest.mark.parametrize("text", ["", "re", "a b c", "  ", "%", "\u200b\u200b\u200b"])
def test_too_little_typed_offers_nothing(db, text):
    assert offered(Client(), "en", text) == {"suggestions": [], "status": "0 suggestions"}


@pytest.mark.parametrize(
    "text", ["remit" * 2000, "remit\x00tance", "ʀᴇᴍɪᴛ", "'; DROP TABLE x; --", "%_\\[*"]
)
def test_odd_or_overlong_input_is_answered_without_error(db, text):
    data = offered(Client(), "en", text)
    assert isinstance(data["suggestions"], list)


def test_the_api_offers_the_same_with_absolute_addresses_and_refuses_bad_parameters(db):
    data = Client().get("/api/v1/search/suggestions/", {"q": "remesas"}).json()
    assert data["results"][0]["kind"] == "topic"
    assert data["results"][0]["url"] == "http://testserver/en/search/?q=Remittances"
    assert Client().get("/api/v1/search/suggestions/").json() == {"results": []}
    for params, field in (({"q": "a" * 201}, "q"), ({"q": "remit", "page": "2"}, "page")):
        response = Client().get("/api/v1/search/suggestions/", params)
        assert response.status_code == 400
        assert field in {error["name"] for error in response.json()["errors"]}
    schema = Client().get("/api/v1/schema/").content.decode()
    assert "/api/v1/search/suggestions/" in schema


def test_the_search_box_asks_for_suggestions_and_still_works_without_script(db):
    html = Client().get("/ar/search/").content.decode()
    assert 'data-suggest-url="/ar/search/suggestions/"' in html
    assert "search/suggest.js" in html and 'role="search"' in html
