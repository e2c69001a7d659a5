"""Everything the site hides from the public is hidden from the API, whoever calls.

The API shows the public view of the site to every caller: a member, an organisation's admin and
a moderator see exactly what an anonymous caller sees, so none of them can reach drafts, held or
hidden items, members-only forums, protected members or fields a member did not make public.
"""

from __future__ import annotations

import pytest

from django.db.models import Count

from wagtail.models import PageViewRestriction

from knowledge.models import ResourcePage

from .conftest import ROLES, problem_of

pytestmark = pytest.mark.django_db

# What only an opportunity's poster, the moderators or the member may read: applicants and their
# cover notes and CVs, verification evidence, a protected member's name.
SECRETS = (
    "Aminata Applicant",
    "Cover note",
    "aminata-cv",
    "opportunity_cv",
    "REG-SECRET-4471",
    "registration-certificate",
    "organisation_evidence",
    "Protected Person",
)

FEEDS_AND_EXPORTS = (
    "/en/opportunities/feed.rss",
    "/en/opportunities/feed.atom",
    "/en/opportunities/export.csv",
    "/en/opportunities/export.jsonl",
    "/en/library/feed.rss",
    "/en/library/export.csv",
    "/en/library/export.jsonl",
)

LISTS = (
    "/api/v1/resources/",
    "/api/v1/organisations/",
    "/api/v1/opportunities/",
    "/api/v1/opportunities/?status=closed",
    "/api/v1/forums/",
    "/api/v1/threads/",
    "/api/v1/members/",
    "/api/v1/handbook/chapters/",
)


def walk(client, url: str) -> tuple[list[dict], str]:
    """Every item of a listing, following `next`, and the raw text of every page."""
    items, text = [], ""
    separator = "&" if "?" in url else "?"
    next_url = (
        f"{url}{separator}page_size=100" if "chapters" not in url and "forums/" not in url else url
    )
    while next_url:
        response = client.get(next_url)
        assert response.status_code == 200, response.content[:300]
        text += response.content.decode()
        data = response.json()
        items.extend(data["results"])
        next_url = data.get("next")
    return items, text


def hide_two_resources() -> tuple[str, str]:
    """A resource unpublished and another put behind a log-in: both had a single copy."""
    singles = (
        ResourcePage.objects.live()
        .values("translation_key")
        .annotate(copies=Count("id"))
        .filter(copies=1)
        .order_by("translation_key")
    )
    draft_key, restricted_key = (row["translation_key"] for row in singles[:2])
    ResourcePage.objects.get(translation_key=draft_key).unpublish()
    PageViewRestriction.objects.create(
        page=ResourcePage.objects.get(translation_key=restricted_key),
        restriction_type=PageViewRestriction.LOGIN,
    )
    return str(draft_key), str(restricted_key)


def test_every_caller_sees_only_what_the_site_shows_the_public(hidden_world):
    from knowledge.submissions import submit

    w = hidden_world
    draft_key, restricted_key = hide_two_resources()
    proposal = submit(
        w["users"]["member"],
        {
            "title": "Unpublished proposal about remittances",
            "summary": "Waiting for an editor.",
            "resource_type": "report",
            "language": "en",
            "link": "https://example.org/proposal",
        },
    )
    opportunities = w["opportunities"]
    views = {}
    for role in ROLES:
        client = w[role]
        seen, text = {}, ""
        for url in LISTS:
            items, page_text = walk(client, url)
            seen[url] = items
            text += page_text
        views[role] = (seen, text)

        resource_ids = {item["id"] for item in seen["/api/v1/resources/"]}
        assert draft_key not in resource_ids and restricted_key not in resource_ids
        assert str(proposal.page.translation_key) not in resource_ids
        assert "Unpublished proposal" not in text
        open_titles = {item["title"] for item in seen["/api/v1/opportunities/"]}
        closed_titles = {item["title"] for item in seen["/api/v1/opportunities/?status=closed"]}
        assert "Open public call" in open_titles and "Closed public call" not in open_titles
        assert "Closed public call" in closed_titles and "Open public call" not in closed_titles
        for hidden in ("Draft call", "Held call", "Hidden call"):
            assert hidden not in text
        # The site lists an opportunity of a hidden organisation; the organisation stays hidden.
        assert "Call of a hidden org" in open_titles and "Hidden Collective" not in text
        organisations = {item["slug"] for item in seen["/api/v1/organisations/"]}
        assert w["organisation"].slug in organisations
        assert w["hidden_org"].slug not in organisations
        assert "contact_email" not in text and "@example.net" not in text
        forums = {item["slug"] for item in seen["/api/v1/forums/"]}
        assert w["public"].slug in forums and w["private"].slug not in forums
        threads = {item["id"] for item in seen["/api/v1/threads/"]}
        assert w["thread"].pk in threads
        assert w["secret"].pk not in threads and w["hidden_thread"].pk not in threads
        members = {item["id"]: item for item in seen["/api/v1/members/"]}
        public = members[w["public_member"].pk]
        assert public["name"] == "Public Person" and public["headline"] == "Remittance researcher"
        # Bio and city are for signed-in members by default: never in the open data.
        assert "bio" not in public and "city" not in public
        assert w["protected"].pk not in members and "Protected Person" not in text
        assert "Members-only biography" not in text and "Secretcity" not in text
        assert "/private/" not in text  # CVs, verification documents: never linked

        posts = client.get(f"/api/v1/threads/{w['thread'].pk}/posts/").json()["results"]
        bodies = " ".join(post["body_html"] for post in posts)
        assert "Ask the consulate" in bodies
        assert "Hidden post body" not in bodies and "Held post body" not in bodies

        # The protected member's thread and reply in a public forum are public, their name not.
        listed = {item["id"]: item for item in seen["/api/v1/threads/"]}
        protected_thread = w["protected_thread"]
        assert listed[protected_thread.pk]["author"] not in ("", "Protected Person")
        reply = next(p for p in posts if "Reply written under protection" in p["body_html"])
        assert reply["author"] and reply["author"] != "Protected Person"
        for url in (
            f"/api/v1/threads/{protected_thread.pk}/",
            f"/api/v1/threads/{protected_thread.pk}/posts/",
            f"/api/v1/threads/{w['thread'].pk}/",
            f"/api/v1/threads/{w['thread'].pk}/posts/",
            f"/api/v1/opportunities/{opportunities['open'].pk}/",
            f"/api/v1/organisations/{w['organisation'].slug}/",
            f"/api/v1/members/{w['public_member'].pk}/",
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            text += response.content.decode()
        assert "Question asked under protection" in text
        for secret in SECRETS:
            assert secret not in text, (role, secret)

        for url in (
            f"/api/v1/resources/{draft_key}/",
            f"/api/v1/resources/{restricted_key}/",
            f"/api/v1/resources/{proposal.page.translation_key}/",
            f"/api/v1/opportunities/{opportunities['draft'].pk}/",
            f"/api/v1/opportunities/{opportunities['held'].pk}/",
            f"/api/v1/opportunities/{opportunities['hidden'].pk}/",
            f"/api/v1/organisations/{w['hidden_org'].slug}/",
            f"/api/v1/forums/{w['private'].slug}/",
            f"/api/v1/threads/{w['secret'].pk}/",
            f"/api/v1/threads/{w['secret'].pk}/posts/",
            f"/api/v1/threads/{w['hidden_thread'].pk}/",
            f"/api/v1/members/{w['protected'].pk}/",
        ):
            problem_of(client.get(url), 404)
        # A closed opportunity is still public: its own address answers.
        assert client.get(f"/api/v1/opportunities/{opportunities['closed'].pk}/").status_code == 200

    # The same public view for everyone: signed-in callers get the anonymous caller's answers.
    for role in ROLES[1:]:
        assert views[role][0] == views["anonymous"][0], role


def test_the_site_itself_shows_the_hidden_things_to_those_allowed(hidden_world):
    """The API's rule is the public view, not a rule of its own: the site still shows a
    members-only forum to the organisation's member and a draft to its poster."""
    w = hidden_world
    address = w["private"].get_absolute_url()
    assert w["org_member"].get(address).status_code == 200
    assert w["anonymous"].get(address).status_code == 404
    problem_of(w["org_member"].get(f"/api/v1/forums/{w['private'].slug}/"), 404)


def test_documents_of_restricted_collections_are_never_listed_with_a_resource(client):
    """Wagtail's document view refuses the public a document whose collection (or a parent
    collection) has a view restriction: the API neither names nor links it."""
    from django.core.files.base import ContentFile

    from wagtail.documents import get_document_model
    from wagtail.models import Collection, CollectionViewRestriction

    from knowledge.models import ResourceAttachment

    url = "/api/v1/resources/?page_size=100&ordering=title"
    item = client.get(url).json()["results"][0]
    resource = ResourcePage.objects.get(
        translation_key=item["id"], locale__language_code=item["language"]
    )
    root = Collection.get_first_root_node()
    staff = root.add_child(name="Staff only")
    CollectionViewRestriction.objects.create(
        collection=staff, restriction_type=CollectionViewRestriction.LOGIN
    )
    nested = staff.add_child(name="Staff only: board papers")
    documents = get_document_model().objects
    public = documents.create(
        title="Public questionnaire", file=ContentFile(b"q", name="public-questionnaire.txt")
    )
    restricted = documents.create(
        title="Internal salary grid",
        file=ContentFile(b"s", name="salary-grid.txt"),
        collection=staff,
    )
    below = documents.create(
        title="Board minutes", file=ContentFile(b"m", name="board-minutes.txt"), collection=nested
    )
    for document in (public, restricted, below):
        ResourceAttachment.objects.create(page=resource, document=document)

    # What Wagtail's document view does with each, for the public.
    assert client.get(restricted.url).status_code != 200
    assert client.get(below.url).status_code != 200

    listed = next(r for r in client.get(url).json()["results"] if r["id"] == item["id"])
    detail = client.get(f"/api/v1/resources/{item['id']}/?lang={item['language']}")
    assert detail.status_code == 200
    for shown, text in (
        (listed, client.get(url).content.decode()),
        (detail.json(), detail.content.decode()),
    ):
        titles = {document["title"] for document in shown["documents"]}
        assert "Public questionnaire" in titles
        assert any(d["url"].endswith(public.url) for d in shown["documents"])
        for secret in ("Internal salary grid", "salary-grid", "Board minutes", "board-minutes"):
            assert secret not in text


def test_feeds_and_exports_never_name_applicants_evidence_or_protected_members(hidden_world):
    w = hidden_world
    for role in ROLES:
        client = w[role]
        for url in FEEDS_AND_EXPORTS:
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode()
            if url.startswith("/en/opportunities/"):
                assert "Open public call" in text, url  # the applied-for opportunity is there
            for secret in SECRETS:
                assert secret not in text, (role, url, secret)
