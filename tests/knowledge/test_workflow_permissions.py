"""Who may do what with library resources in Wagtail: editors draft and submit, moderators
publish, an editor limited to one library cannot edit or publish in another, and drafts,
previews and unpublished revisions stay out of reach of anonymous visitors and members."""

from __future__ import annotations

import pytest

from django.contrib.auth.models import Group, Permission
from django.test import Client

from wagtail.models import GroupPagePermission, Site
from wagtail.rich_text import RichText

from core.models import Topic
from knowledge.models import ResourcePage
from tests.factories import (
    UserFactory,
    accept_current_policies,
    sign_in_with_second_factor,
    signed_in_member,
)

from .conftest import make_resource

pytestmark = pytest.mark.django_db

SECRET = "Unreleased findings on diaspora bonds"


def _staff_client(user) -> Client:
    accept_current_policies(user)
    client = Client()
    sign_in_with_second_factor(client, user)
    return client


def test_an_editor_drafts_and_submits_but_only_a_moderator_publishes(libraries):
    page = make_resource(libraries["en"], "Toolkit", slug="toolkit", publish=False)
    editor, moderator = UserFactory(role="Editor"), UserFactory(role="Moderator")
    editing = page.permissions_for_user(editor)
    assert editing.can_edit() and not editing.can_publish() and not editing.can_unpublish()
    assert page.permissions_for_user(moderator).can_publish()
    client = _staff_client(editor)
    form = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert 'name="action-submit"' in form
    assert 'name="action-publish"' not in form
    moderator_form = _staff_client(moderator).get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert 'name="action-publish"' in moderator_form


@pytest.fixture
def spanish_editor(libraries):
    """A staff member whose group may add, edit and publish in the Spanish library only."""
    group = Group.objects.create(name="Spanish library editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=libraries["es"],
            permission=Permission.objects.get(
                codename=codename, content_type__app_label="wagtailcore"
            ),
        )
    user = UserFactory(role="Member")
    user.groups.add(group)
    return user


def test_an_editor_cannot_edit_or_publish_in_a_section_without_permission(
    libraries, spanish_editor
):
    spanish = make_resource(libraries["es"], "Guía", slug="guia", publish=False)
    english = make_resource(libraries["en"], "Guide", slug="guide", publish=False)
    assert spanish.permissions_for_user(spanish_editor).can_publish()
    assert not english.permissions_for_user(spanish_editor).can_edit()
    assert not english.permissions_for_user(spanish_editor).can_publish()
    client = _staff_client(spanish_editor)
    own = client.get(f"/admin/pages/{spanish.pk}/edit/")
    assert own.status_code == 200 and 'name="action-publish"' in own.content.decode()
    refused = client.get(f"/admin/pages/{english.pk}/edit/")
    assert refused.status_code == 302 and refused.headers["Location"] == "/admin/"
    # A forged publish of the English draft is refused before anything is saved.
    response = client.post(
        f"/admin/pages/{english.pk}/edit/",
        {"title": "Guide", "slug": "guide", "summary": "x", "resource_type": "report",
         "action-publish": "action-publish"},
    )  # fmt: skip
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    english.refresh_from_db()
    assert not english.live
    assert english.revisions.count() == 1


def _draft_with_revision(libraries):
    page = make_resource(libraries["en"], SECRET, slug="bonds", publish=False)
    return page, page.get_latest_revision()


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_drafts_previews_and_revisions_are_out_of_reach(libraries, who):
    page, revision = _draft_with_revision(libraries)
    live = make_resource(libraries["en"], "Public report", slug="public")
    live.title = SECRET
    unpublished = live.save_revision()
    client = Client() if who == "anonymous" else signed_in_member()
    assert client.get("/en/library/bonds/").status_code == 404
    assert client.get("/fr/library/bonds/").status_code == 404
    public = client.get("/en/library/public/")
    assert public.status_code == 200 and SECRET not in public.content.decode()
    for url in (
        f"/admin/pages/{page.pk}/edit/preview/",
        f"/admin/pages/{page.pk}/view_draft/",
        f"/admin/pages/{page.pk}/revisions/{revision.pk}/view/",
        f"/admin/pages/{live.pk}/revisions/{unpublished.pk}/view/",
        f"/admin/pages/{live.pk}/revisions/compare/live...{unpublished.pk}/",
        f"/admin/pages/{page.pk}/history/",
    ):
        response = client.get(url)
        # Anonymous visitors are sent to log in; members are refused (the admin's 403).
        expected = 302 if who == "anonymous" else 403
        assert response.status_code == expected, url
        assert SECRET not in response.content.decode(), url
        if who == "anonymous":
            assert "/accounts/login/" in response.headers["Location"], url


def test_a_revision_shows_its_own_text_and_topics_not_what_readers_views_remembered(libraries):
    live = make_resource(
        libraries["en"], "Public report", slug="public", topics=("remittances",),
        body=[{"type": "paragraph", "value": "<p>Words readers see</p>"}],
    )  # fmt: skip
    client = _staff_client(UserFactory(role="Moderator"))
    draft = ResourcePage.objects.get(pk=live.pk)
    draft.body = [("paragraph", RichText("<p>Words in the draft</p>"))]
    draft.topics = list(Topic.objects.filter(slug="youth", locale__language_code="en"))
    revision = draft.save_revision()
    # A signed-in view after the draft was saved: the live body and topics are kept by this
    # process, under the key the revision's view would ask for.
    site = Site.objects.get(is_default_site=True)
    host = f"{site.hostname}:{site.port}"  # the address a preview is drawn for
    seen = client.get("/en/library/public/", HTTP_HOST=host).content.decode()
    assert "Words readers see" in seen and "Remittances" in seen
    shown = client.get(f"/admin/pages/{live.pk}/revisions/{revision.pk}/view/").content.decode()
    assert "Words in the draft" in shown and "Words readers see" not in shown
    assert "Youth" in shown and "Remittances" not in shown
    # Readers still see the live page; once the draft is published, they see it at once.
    assert "Words readers see" in client.get("/en/library/public/").content.decode()
    revision.publish()
    assert "Words in the draft" in client.get("/en/library/public/").content.decode()
