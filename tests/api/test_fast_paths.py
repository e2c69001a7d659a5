"""The open-data API's fast paths answer as the slow ones did (issue 12).

A list builds its items from rows instead of model instances, page URLs come from
`core.page_urls.PageUrls` instead of one `get_full_url` per page, valid parameters are read
once per process and a conditional request reads its validator with the throttle's count. What
a caller reads must not change: the URLs are Wagtail's own, a 304 stops as soon as anything the
body shows changes (an item, its visibility), and a parameter whose validity depends on the
data is checked every time.
"""

from __future__ import annotations

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from wagtail.models import Page, PageViewRestriction

from core.page_urls import PageUrls
from knowledge.models import ResourcePage
from tests.members.conftest import make_member
from tests.opportunities.conftest import make_opportunity
from tests.organisations.conftest import make_organisation

from .conftest import problem_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_page_urls_are_the_ones_wagtail_gives(rf, language):
    pages = list(Page.objects.filter(depth__gt=1).select_related("locale"))
    assert len(pages) > 20
    with translation.override(language):
        request = rf.get("/api/v1/resources/")
        urls = PageUrls(request)
        for page in pages:
            assert urls.full_url(page.url_path) == page.get_full_url(request), page.url_path


def test_a_page_outside_every_site_has_no_url(rf):
    assert PageUrls(rf.get("/")).full_url("/nowhere/at-all/") is None


def shown_resource(item: dict) -> ResourcePage:
    return ResourcePage.objects.get(
        translation_key=item["id"], locale__language_code=item["language"]
    )


def first_etag(client, url: str) -> str:
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    return etag


def test_a_changed_or_hidden_opportunity_changes_the_lists_etag(client):
    poster, _profile = make_member()
    item = make_opportunity(poster, title="Data steward for remittance studies")
    url = "/api/v1/opportunities/?page_size=50"
    etag = first_etag(client, url)
    item.title = "Data steward for remittance research"
    item.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert "Data steward for remittance research" in {i["title"] for i in changed.json()["results"]}
    etag = changed["ETag"]
    item.hidden = True
    item.save()
    hidden = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert hidden.status_code == 200 and hidden["ETag"] != etag
    assert item.pk not in {i["id"] for i in hidden.json()["results"]}


def test_a_restricted_resource_changes_the_lists_etag(client):
    url = "/api/v1/resources/?page_size=100&ordering=title"
    resource = shown_resource(client.get(url).json()["results"][0])
    etag = first_etag(client, url)
    PageViewRestriction.objects.create(page=resource, restriction_type="login")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    # That copy is gone (another language's copy of it may now be listed in its place).
    shown = {(i["id"], i["language"]) for i in changed.json()["results"]}
    assert (str(resource.translation_key), resource.locale.language_code) not in shown


def test_a_conditional_request_reads_its_validator_with_the_throttles_count(client):
    url = "/api/v1/resources/?page_size=50"
    etag = first_etag(client, url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert len(captured) == 1, [q["sql"] for q in captured.captured_queries]


def test_a_parameter_naming_data_is_checked_again_each_time(client):
    organisation = make_organisation(name="Harbour Diaspora Network")
    url = f"/api/v1/opportunities/?org={organisation.slug}"
    assert client.get(url).status_code == 200
    organisation.hidden = True
    organisation.save()
    problem_of(client.get(url), 400)


def test_valid_parameters_read_again_give_the_same_answer_and_bad_ones_are_refused(client):
    url = "/api/v1/resources/?page_size=3&ordering=title"
    assert client.get(url).json() == client.get(url).json()
    assert len(client.get(url).json()["results"]) == 3
    problem_of(client.get("/api/v1/resources/?page_size=0&ordering=title"), 400)
    problem_of(client.get("/api/v1/resources/?page_size=3&ordering=nonsense"), 400)


def test_renaming_an_attached_document_changes_the_resources_etag(client):
    from django.core.files.base import ContentFile

    from wagtail.documents import get_document_model

    from knowledge.models import ResourceAttachment

    url = "/api/v1/resources/?page_size=100&ordering=title"
    resource = shown_resource(client.get(url).json()["results"][0])
    document = get_document_model().objects.create(
        title="Field survey questionnaire", file=ContentFile(b"questions", name="survey.txt")
    )
    ResourceAttachment.objects.create(page=resource, document=document)
    etag = first_etag(client, url)
    document.title = "Field survey questionnaire (2nd edition)"
    document.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    shown = changed.json()["results"][0]["documents"]
    titles = {d["title"] for d in shown}
    assert "Field survey questionnaire (2nd edition)" in titles
    assert "Field survey questionnaire" not in titles


def test_a_deadline_passing_changes_the_lists_etag_without_any_write(client):
    import time
    from datetime import timedelta

    from django.utils import timezone

    poster, _profile = make_member()
    item = make_opportunity(
        poster,
        title="Translator for a diaspora survey",
        deadline=timezone.now() + timedelta(seconds=2),
    )
    url = "/api/v1/opportunities/?page_size=100"
    etag = first_etag(client, url)
    assert item.pk in {i["id"] for i in client.get(url).json()["results"]}
    time.sleep(2.5)
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert item.pk not in {i["id"] for i in changed.json()["results"]}


def test_a_conditional_request_counts_once_against_the_rate_whichever_way_it_is_answered(
    client, settings
):
    settings.API_THROTTLE_RATES = {"api_anon": "3/minute", "api_member": "3/minute"}
    url = "/api/v1/opportunities/?page_size=5"
    etag = client.get(url)["ETag"]  # the 1st request of the minute
    # An old ETag: checked before DRF's path answers the whole list, counted once (the 2nd).
    stale = client.get(url, HTTP_IF_NONE_MATCH='"an-etag-from-last-week"')
    assert stale.status_code == 200 and stale["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304  # the 3rd
    refused = client.get(url, HTTP_IF_NONE_MATCH=etag)  # the 4th: over the rate, not a 304
    problem_of(refused, 429)
    assert int(refused["Retry-After"]) >= 1


def test_a_304_carries_the_same_headers_for_an_anonymous_caller_and_a_token(client):
    from core.api_tokens import create_token

    member, _profile = make_member()
    _row, token = create_token(member, "poller")
    url = "/api/v1/resources/?page_size=5&lang=fr"
    answers = []
    for extra in ({}, {"HTTP_AUTHORIZATION": f"Bearer {token}"}):
        etag = client.get(url, **extra)["ETag"]
        response = client.get(url, HTTP_IF_NONE_MATCH=etag, **extra)
        assert response.status_code == 304 and response.content == b""
        answers.append({k: v for k, v in response.items() if k != "Date"})
    anonymous, with_token = answers
    assert anonymous == with_token
    assert anonymous["Content-Language"] == "fr" and "Content-Type" not in anonymous
    assert anonymous["Cache-Control"] == "public, no-cache"
    assert "Accept-Language" in anonymous["Vary"] and anonymous["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in anonymous["Content-Security-Policy"]


def test_an_unchanged_list_polled_anonymously_is_answered_before_its_view(client, monkeypatch):
    from core.api import ApiReadView

    url = "/api/v1/opportunities/?page_size=5"
    etag = client.get(url)["ETag"]

    def view_reached(*args, **kwargs):
        raise AssertionError("the view was reached")

    # The 304 comes from ConditionalApiMiddleware, before the view layer's thread hops.
    monkeypatch.setattr(ApiReadView, "dispatch", view_reached)
    unchanged = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged["ETag"] == etag
    assert "frame-ancestors 'none'" in unchanged["Content-Security-Policy"]
    # A changed validator, a token or a session goes on to the view.
    for extra in (
        {"HTTP_IF_NONE_MATCH": '"an-etag-from-last-week"'},
        {"HTTP_IF_NONE_MATCH": etag, "HTTP_AUTHORIZATION": "Bearer nothing"},
    ):
        with pytest.raises(AssertionError, match="the view was reached"):
            client.get(url, **extra)


def test_a_conditional_request_with_bad_parameters_is_still_a_400(client):
    url = "/api/v1/resources/?page_size=5"
    etag = client.get(url)["ETag"]
    problem_of(client.get(url + "&page_size=7", HTTP_IF_NONE_MATCH=etag), 400)
    problem_of(client.get(url + "&nonsense=1", HTTP_IF_NONE_MATCH=etag), 400)
    problem_of(client.get(url, HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT="text/html"), 406)


def _cursor(ordering: str, values: list) -> str:
    import base64
    import json

    payload = json.dumps({"o": ordering, "v": values}).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def test_resource_pages_asked_again_are_the_same_and_forged_cursors_stay_a_400(client):
    first = client.get("/api/v1/resources/?page_size=3&ordering=updated").json()
    second_url = first["next"].replace("http://testserver", "")
    second = client.get(second_url).json()
    # Asked again (its statement remembered by this process): the same page, the same next.
    assert client.get(second_url).json() == second
    assert {i["id"] for i in second["results"]}.isdisjoint({i["id"] for i in first["results"]})
    for values in (["not-a-moment", 5], ["2020-01-01T00:00:00+00:00", "not-an-id"], [7, 5]):
        url = f"/api/v1/resources/?ordering=updated&cursor={_cursor('updated', values)}"
        for _again in range(2):
            problem = problem_of(client.get(url), 400)
            assert [e["name"] for e in problem["errors"]] == ["cursor"]


def test_a_list_read_again_skips_its_listing_query_until_a_publish_and_then_shows_it(client):
    # The rows of a page of resources are kept per process under the validator's tokens, which
    # any publish changes (`core.api.remembered_keyset_page`): the same rows a 304 vouches for.
    from knowledge.models import LibraryPage
    from tests.knowledge.conftest import make_resource

    url = "/api/v1/resources/?page_size=50&ordering=newest"
    first = client.get(url).json()
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url).json()
    assert again == first
    assert not any("knowledge_resourcepage" in q["sql"] for q in captured.captured_queries)
    library = LibraryPage.objects.get(locale__language_code="en")
    make_resource(library, "Published just now", published=None)
    titles = [item["title"] for item in client.get(url).json()["results"]]
    assert titles[0] == "Published just now"
