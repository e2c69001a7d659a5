"""Opportunities as a partner downloads and follows them: the listing's filters in a CSV or JSON
Lines file, the same for every reader, never a draft, a held, rejected or hidden one; RSS and Atom
feeds of the open ones (all, per type, per country), found from the listing's head, cached and
refreshed when an opportunity changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from defusedxml import ElementTree

from django.core.cache import caches
from django.utils import timezone

from community.opportunities.models import Review, Status
from core.models import Topic
from tests.opportunities.conftest import make_opportunity

from .conftest import csv_rows, jsonl_rows

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
OPEN = ["Data analyst", "Mentor volunteers", "=1+1 spreadsheet"]


@pytest.fixture
def openings(world):
    caches["pages"].clear()
    admin = world["users"]["admin"]
    now = timezone.now()
    job = make_opportunity(
        admin, world["verified"], title="Data analyst", countries=["SN", "ML"],
        description="<p>Analyse <b>data</b>.</p><p>Second &amp; last.</p>",
        languages=["French"], public_since=now - timedelta(days=3), time_zone="Africa/Dakar",
    )  # fmt: skip
    job.topics.add(Topic.objects.filter(slug="remittances", locale__language_code="en").first())
    job.skills.set(["Data analysis"])
    make_opportunity(admin, world["unverified"], title="Mentor volunteers", type="volunteering",
                     countries=["MX"], days=3, public_since=now - timedelta(days=2))  # fmt: skip
    make_opportunity(world["users"]["member"], title="=1+1 spreadsheet", type="mentoring",
                     public_since=now - timedelta(days=1))  # fmt: skip
    make_opportunity(admin, world["verified"], title="Closed call", type="funding",
                     countries=["SN"], days=-2)  # fmt: skip
    make_opportunity(admin, world["verified"], title="Draft opening", status=Status.DRAFT)
    make_opportunity(admin, world["verified"], title="Held opening", review=Review.HELD)
    make_opportunity(admin, world["verified"], title="Rejected opening", review=Review.REJECTED)
    make_opportunity(admin, world["verified"], title="Hidden opening", hidden=True)
    return {"world": world, "job": job}


def titles(rows: list[dict]) -> list[str]:
    return [row["title"] for row in rows]


# --- Downloads ----------------------------------------------------------------------------------


def test_every_reader_downloads_what_the_listing_shows_and_nothing_hidden(openings):
    world = openings["world"]
    anonymous = jsonl_rows(world["anonymous"].get("/en/opportunities/export.jsonl"))

    assert sorted(titles(anonymous)) == sorted(OPEN)
    listing = world["anonymous"].get("/en/opportunities/")
    assert titles(anonymous) == [card["opportunity"].title for card in listing.context["cards"]]
    # The poster, their organisation's admin and a moderator see drafts and held ones on the
    # site, but a download is the public listing for everyone.
    for who in ("member", "admin", "moderator"):
        assert titles(jsonl_rows(world[who].get("/en/opportunities/export.jsonl"))) == titles(
            anonymous
        )

    job = next(row for row in anonymous if row["type"] == "job")
    assert job["url"].endswith(f"/en/opportunities/{openings['job'].pk}/")
    assert job["organisation"] == "Verified Network" and job["organisation_verified"] is True
    assert job["countries"] == ["SN", "ML"] or job["countries"] == ["ML", "SN"]
    assert job["topics"] == ["remittances"] and job["skills"] == ["Data analysis"]
    assert job["languages"] == ["French"] and job["phase"] == "open"
    assert job["description"] == "Analyse data.\n\nSecond & last."
    assert job["deadline_utc"].endswith("+00:00") and job["time_zone"] == "Africa/Dakar"
    assert job["deadline"].endswith("+00:00")  # Dakar is on UTC all year


def test_the_listings_filters_narrow_the_download(openings):
    client = openings["world"]["anonymous"]
    slug = openings["world"]["verified"].slug

    def exported(query: str) -> list[str]:
        return titles(jsonl_rows(client.get(f"/en/opportunities/export.jsonl?{query}")))

    assert exported("type=job") == ["Data analyst"]
    assert exported("country=MX") == ["Mentor volunteers"]
    assert exported("topic=remittances&skill=data+analysis&language=french") == ["Data analyst"]
    assert exported(f"verified=1&org={slug}") == ["Data analyst"]
    assert exported("closing=1") == ["Mentor volunteers"]
    assert exported("status=closed") == ["Closed call"]
    assert exported("type=&country=&page=3") == exported("")  # the form's empty fields


def test_bad_filters_are_refused_with_a_clear_message(openings):
    client = openings["world"]["anonymous"]
    for query, named in (
        ("type=castle", "“castle” is not a valid type"),
        ("within=5", "“5” is not a valid within"),
        ("verified=yes", "verified can only be 1"),
        ("status=open", "status can only be closed"),
        ("org=no-such-org", "“no-such-org” is not a valid org"),
        ("salary=1", "“salary” is not a filter of the listing"),
        ("type=job&type=mentoring", "“type” is given more than once"),
    ):
        response = client.get(f"/en/opportunities/export.csv?{query}")
        assert response.status_code == 400, query
        assert named in response.content.decode(), query


def test_the_csv_is_safe_in_a_spreadsheet_and_labels_follow_the_language(openings):
    rows = csv_rows(openings["world"]["anonymous"].get("/fr/opportunities/export.csv"))

    assert list(rows[0])[:5] == ["id", "url", "title", "type", "type_label"]
    formula = next(row for row in rows if row["type"] == "mentoring")
    assert formula["title"] == "'=1+1 spreadsheet"
    assert formula["organisation"] == "" and formula["organisation_verified"] == "false"
    job = next(row for row in rows if row["type"] == "job")
    assert job["type_label"] == "Emploi"
    assert job["url"].endswith(f"/fr/opportunities/{job['id']}/")
    assert set(job["countries"].split(";")) == {"SN", "ML"}


def test_the_listing_links_to_its_downloads_and_feeds_with_its_filters(openings):
    client = openings["world"]["anonymous"]
    page = client.get("/en/opportunities/?type=job&country=SN").content.decode()

    assert 'href="/en/opportunities/export.csv?type=job&amp;country=SN"' in page
    assert 'href="/en/opportunities/export.jsonl?type=job&amp;country=SN"' in page
    assert '<link rel="alternate" type="application/rss+xml"' in page
    for feed in ("/en/opportunities/feed.rss", "/en/opportunities/types/job/feed.atom",
                 "/en/opportunities/countries/SN/feed.rss"):  # fmt: skip
        assert f'href="{feed}"' in page
    columns = client.get("/en/opportunities/export/columns/?type=job").content.decode()
    assert '<code dir="ltr">deadline_utc</code>' in columns
    assert 'href="/en/opportunities/export.csv?type=job"' in columns


# --- Feeds --------------------------------------------------------------------------------------


def rss_titles(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")
    return [item.find("title").text for item in channel.findall("item")]


def test_feeds_list_the_open_public_opportunities_newest_first(openings):
    client = openings["world"]["anonymous"]
    assert rss_titles(client.get("/en/opportunities/feed.rss")) == list(reversed(OPEN))
    # Those who may see drafts, held and hidden ones on the site get the public feed too.
    for who in ("admin", "moderator"):
        feed = openings["world"][who].get("/en/opportunities/feed.rss")
        assert rss_titles(feed) == list(reversed(OPEN))

    atom = client.get("/en/opportunities/feed.atom")
    assert atom["Content-Type"].startswith("application/atom+xml")
    entries = ElementTree.fromstring(atom.content).findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == list(reversed(OPEN))
    job = entries[-1]
    assert job.find(f"{ATOM}link").get("href").endswith(f"/en/opportunities/{openings['job'].pk}/")
    assert job.find(f"{ATOM}summary").text == "Analyse data. Second & last."


def test_feeds_per_type_and_per_country(openings):
    client = openings["world"]["anonymous"]
    assert rss_titles(client.get("/en/opportunities/types/job/feed.rss")) == ["Data analyst"]
    assert rss_titles(client.get("/en/opportunities/countries/MX/feed.rss")) == [
        "Mentor volunteers"
    ]
    # The closed funding call in Senegal is not in Senegal's feed.
    senegal = client.get("/en/opportunities/countries/SN/feed.atom")
    assert b"Closed call" not in senegal.content and b"Data analyst" in senegal.content
    french = ElementTree.fromstring(client.get("/fr/opportunities/types/job/feed.rss").content)
    assert french.find("channel/title").text.endswith("Emploi")
    for address in ("/en/opportunities/types/castle/feed.rss",
                    "/en/opportunities/countries/ZZ/feed.rss",
                    "/en/opportunities/countries/sn/feed.atom"):  # fmt: skip
        assert client.get(address).status_code == 404


def test_feeds_are_cached_and_an_opportunity_change_refreshes_them(openings):
    client = openings["world"]["anonymous"]
    first = client.get("/en/opportunities/feed.rss")
    second = client.get("/en/opportunities/feed.rss")
    assert "Age" in second.headers and second.content == first.content

    job = openings["job"]
    job.hidden = True  # a moderator hides it
    job.save()
    fresh = client.get("/en/opportunities/feed.rss")
    assert "Age" not in fresh.headers
    assert "Data analyst" not in rss_titles(fresh)
    assert "private" in client.get("/en/opportunities/feed.rss?x=1")["Cache-Control"]
