"""Members' proposals follow the trust levels (`core.trust`) as forum posts and opportunities do:
a new member's links and proposals per hour are limited, with a clear message and the form kept;
a trusted member's are not; a word-list match is held for review (never dropped) and its
reviewers are warned."""

from __future__ import annotations

import pytest

from django.core.cache import cache

from wagtail.models import WorkflowState

from community.moderation.models import WordList
from community.moderation.screening_lists import clear as clear_word_lists
from core import trust
from knowledge.models import ResourcePage, ResourceSubmission
from tests.factories import signed_in_staff

from .test_submissions import _client, _data, _member, _propose

pytestmark = pytest.mark.django_db

TWO_LINKS = "Read https://example.org/a and then www.example.org/b for the details."


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _trusted():
    member = _member()
    member.trust_level = trust.TRUSTED
    member.save(update_fields=["trust_level"])
    return member


@pytest.fixture
def word_lists():
    WordList.objects.update_or_create(language="fr", defaults={"terms": "visa garanti"})
    clear_word_lists()
    yield
    clear_word_lists()


def test_a_new_members_links_are_limited_and_what_they_typed_stays():
    member = _member()
    assert trust.level_for(member) == trust.NEW
    response = _propose(member, summary=TWO_LINKS)
    assert response.status_code == 200
    page = response.content.decode()
    assert "New members may add at most 1 link here." in page
    assert "Remittance corridors in the Sahel" in page and "www.example.org/b" in page
    assert not ResourceSubmission.objects.filter(member=member).exists()


def test_the_link_limit_is_in_the_members_language():
    response = _client(_member()).post("/fr/propose-a-resource/", _data(summary=TWO_LINKS))
    assert response.status_code == 200
    assert "Les nouveaux membres" in response.content.decode()


def test_a_trusted_members_links_are_not_held_back():
    member = _trusted()
    assert _propose(member, summary=TWO_LINKS).status_code == 302
    assert ResourceSubmission.objects.filter(member=member).count() == 1


def test_a_new_member_reaches_the_hourly_limit_and_a_trusted_one_does_not():
    member, trusted = _member(), _trusted()
    for number in range(trust.LIMITS[trust.NEW].posts_per_hour):
        assert _propose(member, title=f"Corridor study {number}").status_code == 302
        assert _propose(trusted, title=f"Trusted study {number}").status_code == 302
    refused = _propose(member, title="One more corridor study")
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "You have posted a lot in the last hour. Nothing was lost" in page
    assert "One more corridor study" in page  # the form keeps it
    assert not ResourcePage.objects.filter(title="One more corridor study").exists()
    assert _propose(trusted, title="Trusted study, one more").status_code == 302
    assert ResourceSubmission.objects.filter(member=trusted).count() == 6


def test_a_word_list_match_is_held_for_review_and_its_reviewers_are_warned(word_lists):
    member = _trusted()  # trust never lets a match past the reviewers
    assert _propose(member, summary="A visa garanti in two weeks, fees upfront.").status_code == 302
    submission = ResourceSubmission.objects.get(member=member)
    page = ResourcePage.objects.get(pk=submission.page_id)
    assert not page.live  # kept, waiting, not dropped
    assert WorkflowState.objects.filter(object_id=str(page.pk), status="in_progress").exists()
    _moderator, client = signed_in_staff("Moderator")
    edit = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "matches the moderators&#x27; word lists (visa garanti)" in edit

    clean = _propose(_trusted(), title="Clean study", summary="Nothing to see.")
    assert clean.status_code == 302
    clean_page = ResourceSubmission.objects.get(title="Clean study").page_id
    assert "word lists" not in client.get(f"/admin/pages/{clean_page}/edit/").content.decode()
