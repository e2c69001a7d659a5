"""Pages behind a Wagtail "groups" view restriction, on either engine: found (on the search
page and through the API, and counted in the tabs and facets) by the members of its groups and
by superusers, as Wagtail lets them open it; by nobody else. Changing which groups a
restriction names re-indexes what is under it; joining a group re-indexes nothing."""

from __future__ import annotations

import pytest

from django.contrib.auth.models import Group
from django.test import Client

from wagtail.models import PageViewRestriction

from knowledge.models import LibraryPage
from search.backends import SITE_INDEX, get_backend
from search.models import SearchDocument
from tests.factories import force_login_with_second_factor
from tests.knowledge.conftest import make_resource
from tests.members.conftest import make_member
from tests.organisations.conftest import client_for

from .test_elasticsearch import elasticsearch_settings

WORD = "Tupandactylus"
TITLE = "board minutes"


@pytest.fixture(params=["postgres", "elasticsearch"])
def engine(request, db):
    """The site's search engine for the test: PostgreSQL, or Elasticsearch (osmem-server where
    no ELASTICSEARCH_URL is set), which then answers the page and the API."""
    if request.param == "postgres":
        yield
        return
    with elasticsearch_settings(request.getfixturevalue("elasticsearch_url")):
        get_backend("elasticsearch").drop(SITE_INDEX)
        yield
        get_backend("elasticsearch").drop(SITE_INDEX)


def page_html(client: Client) -> str:
    html = client.get("/en/search/", {"q": WORD}).content.decode()
    assert "The search engine is not answering" not in html
    return html.split("</form>", 1)[1]


def api(client: Client) -> dict:
    return client.get("/api/v1/search/", {"q": WORD}).json()


def finds(client: Client, page, others: int = 1) -> bool:
    """Whether `client` finds the page, on the search page and in the API alike, with the
    counts agreeing (`others` other resources match: the public one, by default)."""
    html, data = page_html(client), api(client)
    found = TITLE in html
    assert (page.url in html) == found
    assert (str(page.pk) in [hit["id"] for hit in data["results"]]) == found
    total = others + found
    assert data["count"] == total and data["facets"]["type"] == {"resource": total}
    assert data["facets"]["language"] == {"en": total}
    assert f'Resources <span class="count">({total})</span>' in html
    assert f"{total} result{'s' if total > 1 else ''}<" in html
    return found


def public_resource() -> LibraryPage:
    """A public resource that matches too, in another library (out of the restricted one)."""
    home = LibraryPage.objects.get(locale__language_code="en").get_parent()
    archive = home.add_child(instance=LibraryPage(title="Archive", slug="archive"))
    make_resource(archive, f"{WORD} public guide", body=[])
    return archive


def strong(user) -> Client:
    """Signed in with the second factor, which staff and superusers need to hold their rights."""
    client = Client()
    force_login_with_second_factor(client, user)
    return client


def readers():
    board, _ = make_member()
    other, _ = make_member()
    root, _ = make_member()
    root.is_superuser = True
    root.save()
    groups = Group.objects.create(name="Board"), Group.objects.create(name="Treasurers")
    board.groups.add(groups[0])
    other.groups.add(groups[1])
    return board, other, root, groups


@pytest.mark.parametrize("restrict", ["resource", "library"])
def test_a_group_restricted_resource_is_found_by_its_groups_members_and_superusers_only(
    library, committed, engine, restrict
):
    board, other, root, (board_group, _) = readers()
    with committed(execute=True):
        public_resource()
        page = make_resource(library, f"{WORD} {TITLE}", body=[])
        restriction = PageViewRestriction.objects.create(
            page=page if restrict == "resource" else library,
            restriction_type=PageViewRestriction.GROUPS,
        )
        restriction.groups.set([board_group])
    editor, _ = make_member(role="Editor")
    editor.groups.add(board_group)
    outsider, _ = make_member(role="Editor")  # editing rights open no group restriction
    # Found by whom the page opens to, and by nobody else, as the page itself says.
    for client, opens in (
        (client_for(board), True),
        (strong(root), True),  # Wagtail lets superusers through group restrictions
        (strong(editor), True),
        (strong(outsider), False),
        (client_for(other), False),
        (Client(), False),
        # Without the second factor, staff hold only the Member role's groups and no
        # superuser (`core.privilege`): the page does not open, and search agrees.
        (client_for(root), False),
        (client_for(editor), False),
    ):
        assert finds(client, page) == opens
        assert (client.get(page.url).status_code == 200) == opens
    with committed(execute=True):  # a password on top: nobody finds it any more
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    assert not finds(client_for(board), page) and not finds(strong(root), page)


def test_changing_a_restrictions_groups_reindexes_and_joining_a_group_needs_nothing(
    library, committed, engine
):
    board, other, root, (board_group, treasurers) = readers()
    with committed(execute=True):
        public_resource()
        page = make_resource(library, f"{WORD} {TITLE}", body=[])
        restriction = PageViewRestriction.objects.create(
            page=library, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.set([board_group])
    assert finds(client_for(board), page) and not finds(client_for(other), page)
    with committed(execute=True):  # as the admin's form does: save_m2m, no save
        restriction.groups.set([treasurers])
    assert finds(client_for(other), page) and not finds(client_for(board), page)
    with committed(execute=True):  # from the group's side
        board_group.pageviewrestriction_set.add(restriction)
    assert finds(client_for(board), page)
    with committed(execute=True):  # its rows in the restriction go, with no m2m_changed
        treasurers.delete()
    audiences = SearchDocument.objects.get(key=f"resource:{page.pk}").audiences
    assert audiences == [f"group:{board_group.pk}", "superusers"]
    assert finds(client_for(board), page) and not finds(client_for(other), page)
    with committed(execute=True):
        board_group.pageviewrestriction_set.clear()  # no group left: superusers only
    assert not finds(client_for(board), page) and finds(strong(root), page)
    with committed(execute=True):
        restriction.groups.add(board_group)
    assert finds(client_for(board), page) and not finds(client_for(other), page)
    # Joining or leaving a group is on the reader's side: at once, with nothing re-indexed
    # (outside `committed`, no task would run).
    other.groups.add(board_group)
    assert finds(client_for(other), page)
    other.groups.remove(board_group)
    assert not finds(client_for(other), page)


def test_an_alias_of_a_restricted_page_follows_its_original(library, committed, engine):
    board, other, _, (board_group, _) = readers()
    with committed(execute=True):
        archive = public_resource()
        page = make_resource(library, f"{WORD} {TITLE}", body=[])
        alias = page.create_alias(parent=archive, update_slug="minutes-copy")
    assert finds(client_for(other), alias, others=2)  # the original too
    with committed(execute=True):  # on the original only: Wagtail restricts the alias with it
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.set([board_group])
    assert client_for(other).get(alias.url).status_code != 200
    assert not finds(client_for(other), alias) and not finds(Client(), alias)
    assert client_for(board).get(alias.url).status_code == 200
    assert finds(client_for(board), alias, others=2)
