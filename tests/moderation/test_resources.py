"""Members report a library resource; moderators hide, delete or restore it through the same queue
as everything else, and what they hide leaves every reader's path (page, listing, search, API)
while the Wagtail page stays in the editors' tree."""

from __future__ import annotations

import pytest

from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client

from community.moderation.models import ModerationAction, Report
from knowledge.models import ModeratedResource, ResourcePage
from tests.knowledge.conftest import libraries, make_resource  # noqa: F401 - a fixture
from tests.members.conftest import make_member

from .conftest import signed_in

pytestmark = pytest.mark.django_db

WORD = "Zygophyllum"


def report_url(page: ResourcePage, language: str = "en") -> str:
    return f"/{language}/report/knowledge.resourcepage/{page.pk}/"


def _decide(client, page, action, note=""):
    return client.post(
        "/en/moderation/decide/",
        {
            "action": action,
            "content_type": ContentType.objects.get_for_model(ResourcePage).pk,
            "object_id": page.pk,
            "note": note,
        },
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Search indexing waits for the commit, which a test's transaction never reaches."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def proposer():
    member, _ = make_member(display_name="Pat Proposer")
    member.preferred_language = "fr"
    member.save(update_fields=["preferred_language"])
    return member


@pytest.fixture
def resource(libraries, proposer, committed):  # noqa: F811 - the imported fixture
    with committed(execute=True):
        return make_resource(
            libraries["en"], f"{WORD} visa shortcut", body=[], owner=proposer, publisher="Nobody"
        )


def _reader_sees(client: Client, page: ResourcePage) -> dict[str, bool]:
    """Where an anonymous reader finds the resource: its page, the library, search, the API."""
    return {
        "page": client.get(page.url).status_code == 200,
        "listing": WORD in client.get("/en/library/").content.decode(),
        # The search page repeats the query: look for the rest of the title.
        "search": "visa shortcut" in client.get("/en/search/", {"q": WORD}).content.decode(),
        "api": WORD in client.get("/api/v1/resources/", {"language": "en"}).content.decode(),
    }


def test_the_resource_page_offers_a_plain_report_link(resource):
    html = Client().get(resource.url).content.decode()
    assert f'href="{report_url(resource)}"' in html
    assert "Report this resource to the moderators" in html
    # Anonymous readers are asked to sign in first; the form itself needs no JavaScript.
    response = Client().get(report_url(resource))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_member_reports_a_resource_and_a_moderator_reads_it_in_their_language(
    resource, moderator_client
):
    reporter, _ = make_member()
    client = signed_in(reporter)
    form = client.get(report_url(resource))
    assert form.status_code == 200 and f"{WORD} visa shortcut" in form.content.decode()
    response = client.post(report_url(resource), {"reason": "scam", "text": "Sells fake visas"})
    assert response.status_code == 302 and response["Location"] == resource.url
    saved = Report.objects.get()
    assert (saved.target, saved.reason, saved.reporter) == (resource, "scam", reporter)

    page = moderator_client.get("/fr/moderation/").content.decode()
    assert f"{WORD} visa shortcut" in page and "Sells fake visas" in page
    assert "Arnaque ou fraude" in page  # the reason, in the moderator's language
    assert resource.url in page  # a link to it in context


def test_a_hidden_resource_leaves_every_readers_path_and_its_proposer_is_told(
    resource, moderator_client, proposer, committed
):
    signed_in(make_member()[0]).post(report_url(resource), {"reason": "scam"})
    anonymous = Client()
    assert _reader_sees(anonymous, resource) == dict.fromkeys(("page", "listing", "search",
                                                               "api"), True)  # fmt: skip
    with committed(execute=True):
        assert _decide(moderator_client, resource, "hide", note="Fake visas").status_code == 302
    assert _reader_sees(anonymous, resource) == dict.fromkeys(("page", "listing", "search",
                                                               "api"), False)  # fmt: skip
    assert _reader_sees(signed_in(make_member()[0]), resource)["page"] is False
    # Nobody may report what they cannot see.
    assert signed_in(make_member()[0]).get(report_url(resource)).status_code == 404

    # The page is still the editors', unpublished by the moderator, its history says so.
    page = ResourcePage.objects.get(pk=resource.pk)
    assert not page.live
    assert ModeratedResource.objects.get(page=page).revision_id is not None
    assert Report.objects.get().status == Report.Status.HIDDEN
    entry = ModerationAction.objects.get(kind="hide")
    assert entry.author == proposer and entry.reason == "scam"
    told = mail.outbox[-1]
    assert told.to == [proposer.email] and "/fr/appeal/" in told.body  # in their language

    with committed(execute=True):
        assert _decide(moderator_client, resource, "restore").status_code == 302
    assert ResourcePage.objects.get(pk=resource.pk).live
    assert not ModeratedResource.objects.exists()
    assert _reader_sees(anonymous, resource) == dict.fromkeys(("page", "listing", "search",
                                                               "api"), True)  # fmt: skip


def test_deleting_a_resource_withdraws_it_but_leaves_the_page_to_its_editors(
    resource, moderator_client, committed
):
    signed_in(make_member()[0]).post(report_url(resource), {"reason": "spam"})
    with committed(execute=True):
        assert _decide(moderator_client, resource, "delete").status_code == 302
    page = ResourcePage.objects.filter(pk=resource.pk).first()
    assert page is not None and not page.live  # a draft in Wagtail's tree, not a hole in it
    assert ModeratedResource.objects.get(page=page).withdrawn
    assert Client().get(resource.url).status_code == 404
    assert WORD not in Client().get("/api/v1/resources/", {"language": "en"}).content.decode()
    # An editor who publishes it again decides for it: the moderators' mark goes.
    with committed(execute=True):
        page.save_revision().publish()
    assert not ModeratedResource.objects.exists()
    assert Client().get(resource.url).status_code == 200


def test_drafts_and_restricted_resources_cannot_be_reported_by_those_who_cannot_read_them(
    libraries,  # noqa: F811 - the imported fixture
):
    from wagtail.models import PageViewRestriction

    draft = make_resource(libraries["en"], "Unpublished draft", publish=False)
    members_only = make_resource(libraries["en"], "Members only")
    PageViewRestriction.objects.create(page=members_only, restriction_type="login")
    secret = make_resource(libraries["en"], "Password only")
    PageViewRestriction.objects.create(page=secret, restriction_type="password", password="x")
    member = signed_in(make_member()[0])
    assert member.get(report_url(draft)).status_code == 404
    assert member.get(report_url(secret)).status_code == 404
    assert member.get(report_url(members_only)).status_code == 200
    assert not Report.objects.exists()
