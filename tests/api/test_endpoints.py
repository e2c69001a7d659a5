"""Contract tests of each read endpoint: its filters narrow as the site's listings do, `?lang=`
translates, orderings order, and every kind of caller gets the same public answer."""

from __future__ import annotations

import pytest

from django.utils import translation

from community.forums import posting
from knowledge.models import ResourcePage

from .conftest import ROLES, problem_of

pytestmark = pytest.mark.django_db


def results(client, url: str) -> list[dict]:
    separator = "&" if "?" in url else "?"
    url = f"{url}{separator}page_size=100"
    found = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content[:400]
        data = response.json()
        found.extend(data["results"])
        url = data["next"]
    return found


def test_resource_filters_narrow_like_the_library(client):
    everything = results(client, "/api/v1/resources/")
    sample = next(item for item in everything if item["topics"] and item["countries"])
    checks = {
        f"type={sample['type']}": lambda item: item["type"] == sample["type"],
        f"topic={sample['topics'][0]['slug']}": lambda item: (
            sample["topics"][0]["slug"] in {topic["slug"] for topic in item["topics"]}
        ),
        f"country={sample['countries'][0]['code']}": lambda item: (
            sample["countries"][0]["code"] in {country["code"] for country in item["countries"]}
        ),
        f"region={sample['regions'][0]}": lambda item: sample["regions"][0] in item["regions"],
        "language=es": lambda item: item["language"] == "es",
        f"year={sample['publication_date'][:4]}": lambda item: (
            (item["publication_date"] or "")[:4] == sample["publication_date"][:4]
        ),
        "published_after=2026-01-01": lambda item: item["publication_date"] >= "2026-01-01",
        "published_before=2025-12-31": lambda item: item["publication_date"] <= "2025-12-31",
    }
    for query, check in checks.items():
        found = results(client, f"/api/v1/resources/?{query}")
        assert found and len(found) < len(everything), query
        assert all(check(item) for item in found), query
    titles = [
        item["title"].casefold() for item in results(client, "/api/v1/resources/?ordering=title")
    ]
    assert titles == sorted(titles)
    dates = [item["publication_date"] for item in everything if item["publication_date"]]
    assert dates == sorted(dates, reverse=True)


def test_lang_gives_each_resource_in_that_language_when_translated(client):
    translated = ResourcePage.objects.live().filter(locale__language_code="fr").first()
    english = results(client, "/api/v1/resources/?lang=en")
    french = {item["id"]: item for item in results(client, "/api/v1/resources/?lang=fr")}
    assert len(french) == len(english)
    shown = french[str(translated.translation_key)]
    assert shown["language"] == "fr" and shown["title"] == translated.title
    assert "fr" in {copy["language"] for copy in shown["translations"]}
    with translation.override("fr"):
        assert shown["type_label"] == str(
            ResourcePage(resource_type=shown["type"]).get_resource_type_display()
        )
    detail = client.get(f"/api/v1/resources/{shown['id']}/?lang=fr").json()
    assert detail == shown


def test_handbook_chapters_in_order_and_language(client):
    english = client.get("/api/v1/handbook/chapters/").json()["results"]
    assert [chapter["number"] for chapter in english] == list(range(1, len(english) + 1))
    spanish = client.get("/api/v1/handbook/chapters/?lang=es").json()["results"]
    assert [c["id"] for c in spanish] == [c["id"] for c in english]
    assert {c["language"] for c in spanish} == {"es"}
    one = client.get(f"/api/v1/handbook/chapters/{english[0]['id']}/?lang=es").json()
    assert one == spanish[0]


def test_vocabularies(client):
    topics = client.get("/api/v1/topics/?lang=fr").json()["results"]
    remittances = next(topic for topic in topics if topic["slug"] == "remittances")
    assert remittances["label"] == remittances["labels"]["fr"] != remittances["labels"]["en"]
    assert client.get("/api/v1/topics/remittances/?lang=fr").json() == remittances
    problem_of(client.get("/api/v1/topics/no-such-topic/"), 404)
    countries = {
        c["code"]: c["name"] for c in client.get("/api/v1/countries/?lang=fr").json()["results"]
    }
    assert countries["DE"] == "Allemagne"


def test_organisation_filters(client):
    everything = results(client, "/api/v1/organisations/")
    sample = next(item for item in everything if item["topics"] and item["countries"])
    checks = {
        f"type={sample['type']}": lambda item: item["type"] == sample["type"],
        f"country={sample['countries'][0]['code']}": lambda item: (
            sample["countries"][0]["code"] in {c["code"] for c in item["countries"]}
        ),
        f"topic={sample['topics'][0]['slug']}": lambda item: (
            sample["topics"][0]["slug"] in {t["slug"] for t in item["topics"]}
        ),
        "verified=true": lambda item: item["verified"],
        "verified=false": lambda item: not item["verified"],
    }
    for query, check in checks.items():
        found = results(client, f"/api/v1/organisations/?{query}")
        assert found and all(check(item) for item in found), query
    names = [item["name"].casefold() for item in everything]
    assert names == sorted(names)
    newest = results(client, "/api/v1/organisations/?ordering=newest")
    assert [i["created_at"] for i in newest] == sorted(
        (i["created_at"] for i in newest), reverse=True
    )
    assert client.get(f"/api/v1/organisations/{sample['slug']}/").json() == sample


def test_opportunity_filters(hidden_world):
    client = hidden_world["anonymous"]
    open_ = results(client, "/api/v1/opportunities/")
    assert all(item["status"] == "open" for item in open_)
    deadlines = [item["deadline"] for item in open_]
    assert deadlines == sorted(deadlines)
    closed = results(client, "/api/v1/opportunities/?status=closed")
    assert closed and all(item["status"] == "closed" for item in closed)
    sample = next(item for item in open_ if item["topics"] and item["countries"] and item["skills"])
    org = hidden_world["organisation"].slug
    checks = {
        f"type={sample['type']}": lambda item: item["type"] == sample["type"],
        f"country={sample['countries'][0]['code']}": lambda item: (
            sample["countries"][0]["code"] in {c["code"] for c in item["countries"]}
        ),
        f"topic={sample['topics'][0]['slug']}": lambda item: (
            sample["topics"][0]["slug"] in {t["slug"] for t in item["topics"]}
        ),
        f"skill={sample['skills'][0]}": lambda item: (
            sample["skills"][0].casefold() in {s.casefold() for s in item["skills"]}
        ),
        f"mode={sample['work_mode']}": lambda item: item["work_mode"] == sample["work_mode"],
        f"org={org}": lambda item: (item["organisation"] or {}).get("slug") == org,
        "verified=true": lambda item: item["organisation"] and item["organisation"]["verified"],
        "within=90": lambda item: item["status"] == "open",
    }
    for query, check in checks.items():
        found = results(client, f"/api/v1/opportunities/?{query}")
        assert found and all(check(item) for item in found), query
    with_language = next((item for item in open_ if item["languages"]), None)
    if with_language:
        found = results(client, f"/api/v1/opportunities/?language={with_language['languages'][0]}")
        assert with_language["id"] in {item["id"] for item in found}
    closing = results(client, "/api/v1/opportunities/?closing=true")
    assert {item["id"] for item in closing} <= {item["id"] for item in open_}
    newest = results(client, "/api/v1/opportunities/?ordering=newest")
    assert {item["id"] for item in newest} == {item["id"] for item in open_}


def test_thread_filters_and_posts(hidden_world):
    w = hidden_world
    client = w["anonymous"]
    tagged = posting.start_thread(
        w["public"],
        w["users"]["member"],
        "Consular fees",
        "How much?",
        tags=["fees"],
        language="fr",
    )
    everything = results(client, "/api/v1/threads/")
    assert [t["last_post_at"] for t in everything] == sorted(
        (t["last_post_at"] for t in everything), reverse=True
    )
    assert {t["id"] for t in results(client, f"/api/v1/threads/?forum={w['public'].slug}")} == {
        w["thread"].pk,
        w["protected_thread"].pk,
        tagged.pk,
    }
    assert [t["id"] for t in results(client, "/api/v1/threads/?tag=fees")] == [tagged.pk]
    assert all(t["language"] == "fr" for t in results(client, "/api/v1/threads/?language=fr"))
    topical = next(f for f in client.get("/api/v1/forums/").json()["results"] if f["topic"])
    found = results(client, f"/api/v1/threads/?topic={topical['topic']['slug']}")
    assert found and all(t["forum"] for t in found)
    newest = results(client, "/api/v1/threads/?ordering=newest")
    assert newest[0]["id"] == tagged.pk
    posts = results(client, f"/api/v1/threads/{w['thread'].pk}/posts/")
    assert [p["id"] for p in posts] == sorted(p["id"] for p in posts)
    assert posts[0]["author"] == "Plain Member"


def test_member_filters_match_only_public_fields(client):
    from tests.members.conftest import make_member

    shown, _ = make_member(
        display_name="Shown Origin", in_directory=True, countries_of_origin=["SN"],
        countries_of_origin_visibility="public", sectors=["health"], skills=["Welding"],
        topics=["remittances"],
    )  # fmt: skip
    make_member(display_name="Hidden Origin", in_directory=True, countries_of_origin=["SN"])
    found = results(client, "/api/v1/members/?origin=SN")
    names = {m["name"] for m in found}
    assert "Shown Origin" in names and "Hidden Origin" not in names
    assert all(m["countries_of_origin"] for m in found)
    for query in ("sector=health", "skill=welding", "topic=remittances"):
        assert shown.profile.pk in {m["id"] for m in results(client, f"/api/v1/members/?{query}")}
    assert client.get(f"/api/v1/members/{shown.profile.pk}/").json() in found
    problem_of(client.get("/api/v1/members/?residence=SN&origin=ZZ"), 400)


def test_every_role_gets_the_same_details(hidden_world):
    w = hidden_world
    urls = [
        f"/api/v1/opportunities/{w['opportunities']['open'].pk}/",
        f"/api/v1/organisations/{w['organisation'].slug}/",
        f"/api/v1/forums/{w['public'].slug}/",
        f"/api/v1/threads/{w['thread'].pk}/",
        f"/api/v1/members/{w['public_member'].pk}/",
    ]
    for url in urls:
        answers = [w[role].get(url) for role in ROLES]
        assert all(answer.status_code == 200 for answer in answers), url
        assert all(answer.json() == answers[0].json() for answer in answers), url
