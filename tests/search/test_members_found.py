"""Members found by search as the profile page shows them: only listed profiles, each field for
the audience its member chose (anonymous readers find what is public, members what is for
members too, nobody what is kept to the member alone), and never a protected, hidden,
deactivated or unlisted member; every change to those re-indexes the profile."""

from __future__ import annotations

from django.test import Client

from community.members.declarations import _set_hidden
from search.models import SearchDocument
from tests.members.conftest import make_member
from tests.organisations.conftest import client_for

WORD = "Quetzalcoatlus"


def _listed(committed, **fields):
    profile_fields = {
        "in_directory": True,
        "display_name": f"Awa {WORD}",
        "headline": "Agronomist and cooperative organiser",
        "city": "Lyonnaise-sur-Zwebble",
        "city_visibility": "members",
        "bio": "<p>I mentor young Zquorblian farmers.</p>",
        "bio_visibility": "private",
        **fields,
    }
    with committed(execute=True):
        member, profile = make_member(**profile_fields)
    return member, profile


def _found(client: Client, text: str, lang: str = "en") -> str:
    return client.get(f"/{lang}/search/", {"q": text, "type": "member"}).content.decode()


def test_a_listed_member_is_found_by_each_field_only_by_its_audience(db, committed):
    member, profile = _listed(committed)
    reader, _ = make_member()
    url = f"/fr/members/{profile.pk}/"
    anonymous = _found(Client(), f"{WORD} agronomist", "fr")
    assert url in anonymous and "Membres <span" in anonymous  # the type tab, in French
    # The city is for members: anonymous readers neither find nor count her by it.
    assert "Lyonnaise" not in _found(Client(), "Zwebble")
    assert "0 results" in _found(Client(), "Zwebble")
    by_city = _found(client_for(reader), "Zwebble")
    assert f"/en/members/{profile.pk}/" in by_city and "<mark>Zwebble</mark>" in by_city
    assert "1 result<" in by_city  # her two documents are one result
    # "Only me" stays hers: nobody finds her by her bio.
    for client in (Client(), client_for(reader), client_for(member)):
        assert "0 results" in _found(client, "Zquorblian")
    keys = set(SearchDocument.objects.filter(object_id=str(profile.pk), doc_type="member")
               .values_list("key", flat=True))  # fmt: skip
    assert keys == {f"member:{profile.pk}", f"member:{profile.pk}:members"}


def test_unlisting_protecting_hiding_or_deactivating_removes_a_member(db, committed):
    member, profile = _listed(committed)
    everywhere = SearchDocument.objects.filter(doc_type="member", object_id=str(profile.pk))
    assert everywhere.count() == 2
    for change in ("in_directory", "protected"):
        with committed(execute=True):
            setattr(profile, change, change == "protected")
            profile.save()
        assert not everywhere.exists(), change
        with committed(execute=True):
            profile.in_directory, profile.protected = True, False
            profile.save()
        assert everywhere.count() == 2
    with committed(execute=True):
        _set_hidden(profile, True)
    assert not everywhere.exists()
    assert "0 results" in _found(client_for(make_member()[0]), WORD)
    with committed(execute=True):
        _set_hidden(profile, False)
    assert everywhere.count() == 2
    with committed(execute=True):
        member.is_active = False
        member.save(update_fields=["is_active"])
    assert not everywhere.exists()


def test_a_member_with_nothing_for_members_only_is_one_document_and_renames_follow(db, committed):
    member, profile = _listed(committed, city_visibility="public")
    rows = SearchDocument.objects.filter(doc_type="member", object_id=str(profile.pk))
    assert list(rows.values_list("key", flat=True)) == [f"member:{profile.pk}"]
    assert "Zwebble" in _found(Client(), "Zwebble")
    with committed(execute=True):
        profile.skills.add("Hydroponics")
    assert f"/en/members/{profile.pk}/" in _found(Client(), "hydroponics")
    with committed(execute=True):
        profile.display_name = ""
        profile.save()
        member.first_name, member.last_name = "Mariama", "Zwonkel"
        member.save(update_fields=["first_name", "last_name"])
    assert f"/en/members/{profile.pk}/" in _found(Client(), "Zwonkel")
    with committed(execute=True):
        member.delete()  # erasure: the account and its profile go, and so do its documents
    assert not rows.exists()
