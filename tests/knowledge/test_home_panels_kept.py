"""The home page's community panels (latest opportunities, upcoming events, recently verified
organisations) kept per process for signed-in readers (`core.panel_cache`), as a country page's
are: drawn once per language, audience, time zone and content tokens, so a member's home page no
longer queries and draws them on every view, yet shows a write at once, each reader's own time
zone, and never an opportunity past its deadline."""

from __future__ import annotations

import time
from datetime import timedelta
from unittest import mock

import pytest

from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.events.models import Event
from community.forums import moderating, posting
from community.forums.models import Forum
from community.opportunities.models import Opportunity
from community.organisations.models import Organisation, Verification
from tests.events.conftest import make_event
from tests.factories import UserFactory, accept_current_policies
from tests.members.conftest import make_member
from tests.opportunities.conftest import make_opportunity
from tests.organisations.conftest import client_for, make_organisation

pytestmark = pytest.mark.django_db

PANEL_TABLES = (
    "organisations_organisation",
    "opportunities_opportunity",
    "events_event",
    "forums_thread",
)


@pytest.fixture(autouse=True)
def empty_panels():
    """No demo community data on the home page, and nothing cached from another test."""
    Opportunity.objects.all().delete()
    Event.objects.all().delete()
    Organisation.objects.all().delete()
    Forum.objects.all().delete()
    caches["pages"].clear()


def signed_in_member() -> Client:
    member = UserFactory()
    accept_current_policies(member)
    return client_for(member)


def home(client: Client) -> str:
    response = client.get("/en/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_signed_in_reader_sees_new_community_items_on_the_home_page_at_once():
    reader = signed_in_member()
    home(reader)  # the (empty) panels are now remembered
    make_organisation(name="Freshly Verified Network", verification=Verification.VERIFIED,
                      verified_at=timezone.now())  # fmt: skip
    assert "Freshly Verified Network" in home(reader)
    call = make_opportunity(UserFactory(), None, title="Fresh home call")
    assert "Fresh home call" in home(reader)
    make_event(title="Fresh home webinar")
    page = home(reader)
    assert "Fresh home call" in page and "Fresh home webinar" in page
    call.hidden = True
    call.save()
    assert "Fresh home call" not in home(reader)


def test_each_signed_in_reader_sees_home_deadlines_and_times_in_their_own_zone():
    make_opportunity(UserFactory(), None, title="Call from Dakar", time_zone="Africa/Dakar")
    make_event(title="Webinar from Dakar", time_zone="Africa/Dakar")
    tokyo, _profile = make_member(time_zone="Asia/Tokyo")
    lima, _profile = make_member(time_zone="America/Lima")
    accept_current_policies(tokyo)
    accept_current_policies(lima)
    first = home(client_for(tokyo))
    assert "Call from Dakar" in first and "Webinar from Dakar" in first
    assert "(Asia/Tokyo" in first
    second = home(client_for(lima))
    assert "(America/Lima" in second and "Asia/Tokyo" not in second
    anonymous = home(Client())
    assert "Call from Dakar" in anonymous
    assert "Asia/Tokyo" not in anonymous and "America/Lima" not in anonymous


def test_a_remembered_home_panel_drops_an_opportunity_once_its_deadline_passes():
    call = make_opportunity(UserFactory(), None, title="Closing home call")
    reader = signed_in_member()
    assert "Closing home call" in home(reader)
    # The deadline passes without a write the content groups hear of: only the moment the panel
    # said it holds until makes it drawn again.
    Opportunity.objects.filter(pk=call.pk).update(deadline=call.deadline - timedelta(days=60))
    assert "Closing home call" in home(reader)  # kept
    with mock.patch("core.panel_cache._now", return_value=time.time() + 31 * 24 * 3600):
        assert "Closing home call" not in home(reader)


def test_signed_in_home_pages_read_the_panels_once_per_process(settings):
    settings.PAGE_CACHE_SECONDS = 0
    make_organisation(name="Kept Network", verification=Verification.VERIFIED,
                      verified_at=timezone.now())  # fmt: skip
    make_opportunity(UserFactory(), None, title="Kept call")
    make_event(title="Kept webinar")
    posting.start_thread(Forum.objects.create(slug="kept", name="Kept forum"), UserFactory(),
                         "Kept thread", "Kept text.", language="en")  # fmt: skip
    reader = signed_in_member()
    home(reader)
    with CaptureQueriesContext(connection) as queries:
        page = home(reader)
    assert "Kept Network" in page and "Kept call" in page and "Kept webinar" in page
    assert "Kept thread" in page
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    for table in PANEL_TABLES:
        assert table not in tables


def test_the_home_page_shows_active_public_threads_and_follows_their_changes_at_once():
    anonymous, reader = Client(), signed_in_member()
    for client in (anonymous, reader):
        assert "Active threads" not in home(client)  # nothing to show: no empty panel
    public = Forum.objects.create(slug="home-public", name="Returnee forum")
    organisation = make_organisation(name="Closed Circle")
    private = Forum.objects.create(slug="home-private", name="Circle forum",
                                   organisation=organisation, members_only=True)  # fmt: skip
    author = UserFactory()
    thread = posting.start_thread(public, author, "Pension transfers home", "Who has done it?",
                                  language="en")  # fmt: skip
    posting.reply(thread, UserFactory(), "I did, through the consulate.")
    posting.start_thread(private, author, "Circle roster", "Internal.", language="en")
    held = posting.start_thread(public, author, "Held question", "Waiting.", language="en",
                                hold=True)  # fmt: skip
    assert held.held
    for client in (anonymous, reader):  # the cached home page shows the new thread at once
        page = home(client)
        assert "Active threads" in page and "Pension transfers home" in page
        assert f'href="/en/forums/threads/{thread.pk}/"' in page
        assert "Returnee forum" in page and "2 posts" in page
        assert "Circle roster" not in page and "Held question" not in page
    french = anonymous.get("/fr/").content.decode()
    assert "Discussions actives" in french and "Pension transfers home" in french
    moderating.set_thread_hidden(thread, UserFactory(is_staff=True), True)
    for client in (anonymous, reader):
        assert "Pension transfers home" not in home(client)
        assert "Active threads" not in home(client)
