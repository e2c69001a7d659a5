"""Reviewing a handbook chapter through Wagtail's workflow, as the resource proposals are: an
Editor edits a live chapter in the admin and submits it for moderation; a Moderator approves it
(readers then see it at once) or asks for changes (readers keep the live text). Until then the
draft is nowhere a reader looks: the chapter, the contents, the print view, search engines'
sitemap, signed in or not."""

from __future__ import annotations

import pytest

from django.test import Client

from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from knowledge.handbook_models import ChapterPage, HandbookPage
from tests.factories import (
    signed_in_member,
    signed_in_staff,
)

pytestmark = pytest.mark.django_db

LIVE_WORDS = "Mapping starts with listening to associations."
DRAFT_WORDS = "Unreviewed advice on diaspora bonds."
DRAFT_TITLE = "Trust-building, revised"


@pytest.fixture
def chapter() -> ChapterPage:
    handbook = HandbookPage.objects.get(locale__language_code="en")
    page = ChapterPage(
        title="Trust-building",
        slug="trust-building-review",
        intro="How trust is built.",
        body=[{"type": "paragraph", "value": f"<p>{LIVE_WORDS}</p>"}],
    )
    handbook.add_child(instance=page)
    page.save_revision().publish()
    return ChapterPage.objects.get(pk=page.pk)


def _edit_and_submit(client: Client, chapter: ChapterPage):
    """The Editor's edit form, sent with "Submit for moderation"."""
    data = nested_form_data(
        {
            "title": DRAFT_TITLE,
            "slug": chapter.slug,
            "intro": "How trust is built, reviewed.",
            "last_reviewed": "2025-06-01",
            "body": streamfield(
                [
                    ("heading", {"text": "A new section", "level": "h2"}),
                    ("paragraph", rich_text(f"<p>{DRAFT_WORDS}</p>")),
                ]
            ),
            "comments": inline_formset([]),
            "action-submit": "Submit to Moderators approval",
        }
    )
    return client.post(f"/admin/pages/{chapter.pk}/edit/", data)


def _readers_see(chapter: ChapterPage) -> list[str]:
    """What anonymous visitors and a member are shown of the handbook, page by page."""
    handbook = chapter.get_parent()
    shown = []
    for reader in (Client(), signed_in_member()):
        for url in (chapter.url, handbook.url, f"{handbook.url}print/", "/sitemap.xml"):
            response = reader.get(url)
            assert response.status_code == 200, url
            shown.append(response.content.decode())
    return shown


def _task_state(chapter: ChapterPage):
    return WorkflowState.objects.get(object_id=str(chapter.pk)).current_task_state


def _submitted(chapter: ChapterPage) -> None:
    editor, client = signed_in_staff("Editor")
    assert not chapter.permissions_for_user(editor).can_publish()
    response = _edit_and_submit(client, chapter)
    assert response.status_code == 302, response.content.decode()[:3000]
    state = WorkflowState.objects.get(object_id=str(chapter.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == editor
    assert {g.name for g in state.current_task_state.task.specific.groups.all()} >= {"Moderator"}


def test_an_editors_submitted_chapter_waits_for_a_moderator_unseen_by_readers(chapter):
    _submitted(chapter)
    chapter.refresh_from_db()
    assert chapter.live and chapter.has_unpublished_changes
    assert chapter.title == "Trust-building"
    draft = chapter.get_latest_revision_as_object()
    assert draft.title == DRAFT_TITLE and DRAFT_WORDS in str(draft.body)
    for page in _readers_see(chapter):
        assert DRAFT_WORDS not in page and DRAFT_TITLE not in page
    live = Client().get(chapter.url).content.decode()
    assert LIVE_WORDS in live


def test_an_editor_cannot_approve_the_chapter(chapter):
    _submitted(chapter)
    _editor, client = signed_in_staff("Editor")
    task_state = _task_state(chapter)
    client.post(
        f"/admin/pages/workflow/action/{chapter.pk}/approve/{task_state.pk}/", {"comment": ""}
    )
    chapter.refresh_from_db()
    assert chapter.title == "Trust-building"
    assert WorkflowState.objects.get(object_id=str(chapter.pk)).status == (
        WorkflowState.STATUS_IN_PROGRESS
    )
    assert DRAFT_WORDS not in Client().get(chapter.url).content.decode()


def test_a_moderator_approves_and_readers_see_the_reviewed_chapter(chapter):
    _submitted(chapter)
    _moderator, client = signed_in_staff("Moderator")
    response = client.post(
        f"/admin/pages/workflow/action/{chapter.pk}/approve/{_task_state(chapter).pk}/",
        {"comment": ""},
    )
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    chapter.refresh_from_db()
    assert chapter.title == DRAFT_TITLE and not chapter.has_unpublished_changes
    assert str(chapter.last_reviewed) == "2025-06-01"
    assert WorkflowState.objects.get(object_id=str(chapter.pk)).status == (
        WorkflowState.STATUS_APPROVED
    )
    for reader in (Client(), signed_in_member()):
        page = reader.get(chapter.url).content.decode()
        assert DRAFT_WORDS in page and LIVE_WORDS not in page
        assert DRAFT_TITLE in reader.get(chapter.get_parent().url).content.decode()


def test_a_moderator_asks_for_changes_and_readers_keep_the_live_chapter(chapter):
    _submitted(chapter)
    _moderator, client = signed_in_staff("Moderator")
    reason = "Cite a source for the bond figures."
    response = client.post(
        f"/admin/pages/workflow/action/{chapter.pk}/reject/{_task_state(chapter).pk}/",
        {"comment": reason},
    )
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    state = WorkflowState.objects.get(object_id=str(chapter.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.comment == reason
    chapter.refresh_from_db()
    assert chapter.title == "Trust-building" and chapter.has_unpublished_changes
    for page in _readers_see(chapter):
        assert DRAFT_WORDS not in page and DRAFT_TITLE not in page
    assert LIVE_WORDS in Client().get(chapter.url).content.decode()
    # The editor's draft is kept for them to correct and submit again.
    assert DRAFT_WORDS in str(chapter.get_latest_revision_as_object().body)
