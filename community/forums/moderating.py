"""Moderators at work in the forums: pin, lock, close, move, hide and restore, and decide on
posts held for review (`approve_held`, `reject_held`, which go through the moderation app's
`actions.act` so they join its log and the author is told).

Views reach these only through `core.guards.privileged(MODERATE_PERMISSION)`; the moderation
queue reaches `hide_*`/`restore_*` through the `reportable_models` declarations. Each change
empties the cached pages of the thread, its forum(s) and the index, and tells the thread's open
pages (`live`); hiding or moving a thread makes their sockets re-check that they may read it.
Pinning, locking, closing and moving a thread are written to the moderation app's append-only
log (`actions.record_on`) with the moderator's reason; hiding a thread or one post from the
thread page and showing it again go through the moderation app's `act` (`hide_or_show_thread`,
`hide_or_show_post`) like the queue's, so they are logged and the author is told.
`set_thread_hidden`, `set_post_hidden`, `delete_thread` and `delete_post` are the changes
themselves, unlogged: only `act` calls them, through the `reportable_models` hooks; no view may.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from community.moderation.actions import act, record_on
from community.moderation.models import ModerationAction
from core.page_cache import invalidate_groups
from core.registries import reportable_models

from . import live, posting
from .models import Forum, Post, Thread, forum_group
from .posting import forget_pages, publish_held

THREAD_FLAGS = ("pinned", "locked", "closed")
# The log's kind for each flag set (True) or cleared (False).
FLAG_KINDS = {
    ("pinned", True): ModerationAction.Kind.PIN,
    ("pinned", False): ModerationAction.Kind.UNPIN,
    ("locked", True): ModerationAction.Kind.LOCK,
    ("locked", False): ModerationAction.Kind.UNLOCK,
    ("closed", True): ModerationAction.Kind.CLOSE,
    ("closed", False): ModerationAction.Kind.REOPEN,
}


@transaction.atomic
def set_flag(thread: Thread, moderator, flag: str, value: bool, note: str = "") -> None:
    """Pin, lock or close a thread (or undo it), logged with the moderator's `note` (why)."""
    if flag not in THREAD_FLAGS:
        raise ValueError(flag)
    if getattr(thread, flag) == value:
        return  # already so (a form sent twice): nothing changes, nothing to log
    setattr(thread, flag, value)
    thread.save(update_fields=[flag])
    forget_pages(thread)
    live.announce(thread.pk, "state")
    record_on(
        FLAG_KINDS[flag, value],
        moderator=moderator,
        target=thread,
        author=thread.author,
        note=note,
    )


@transaction.atomic
def move(thread: Thread, moderator, forum: Forum, note: str = "") -> None:
    """Move a thread to another forum, logged with where from, where to and why (`note`)."""
    old = thread.forum_id
    if old == forum.pk:
        return
    old_name = Forum.objects.filter(pk=old).values_list("name", flat=True).first() or ""
    posts = thread.post_count
    thread.forum = forum
    thread.save(update_fields=["forum"])
    Forum.objects.filter(pk=old).update(
        thread_count=F("thread_count") - 1, post_count=F("post_count") - posts
    )
    Forum.objects.filter(pk=forum.pk).update(
        thread_count=F("thread_count") + 1, post_count=F("post_count") + posts
    )
    invalidate_groups(forum_group(old))
    forget_pages(thread)
    live.announce(thread.pk, "state")
    live.access_changed(thread.pk)  # the new forum may be private
    record_on(
        ModerationAction.Kind.MOVE,
        moderator=moderator,
        target=thread,
        author=thread.author,
        note=note,
        # Stored as written, in no one language: forum names are the site's own.
        detail=f"{old_name} → {forum.name}",
    )


def _hide_or_show(target: Thread | Post, model: str, moderator, hidden: bool, note: str) -> None:
    if target.hidden == hidden:
        return
    act(
        ModerationAction.Kind.HIDE if hidden else ModerationAction.Kind.RESTORE,
        moderator=moderator,
        declaration=reportable_models[model],
        target=target,
        note=note,
    )


@transaction.atomic
def hide_or_show_thread(thread: Thread, moderator, hidden: bool, note: str = "") -> None:
    """A moderator hides a thread from its page (or shows it again), as the moderation queue
    would: through `actions.act`, so it is logged with the `note` (why), its open reports are
    closed, and its author is told of a hide and may appeal. Asking for the state the thread is
    already in (a form sent twice) changes and logs nothing."""
    _hide_or_show(thread, "forums.Thread", moderator, hidden, note)


@transaction.atomic
def set_thread_hidden(thread: Thread, moderator, hidden: bool) -> None:
    """The change itself, unlogged: the `reportable_models` hook `actions.act` calls."""
    thread.hidden = hidden
    thread.save(update_fields=["hidden"])
    forget_pages(thread)
    live.announce(thread.pk, "state")
    live.access_changed(thread.pk)


@transaction.atomic
def hide_or_show_post(post: Post, moderator, hidden: bool, note: str = "") -> None:
    """A moderator hides one post from its thread page (or shows it again), as the moderation
    queue would: through `actions.act`, so it is logged with the `note` (why), its open reports
    are closed, and its author is told of a hide and may appeal. Asking for the state the post
    is already in (a form sent twice) changes and logs nothing."""
    _hide_or_show(post, "forums.Post", moderator, hidden, note)


@transaction.atomic
def set_post_hidden(post: Post, moderator, hidden: bool) -> None:
    """The change itself, unlogged: the `reportable_models` hook `actions.act` calls. Its
    save re-indexes the thread (`search_documents`), so the post leaves search too."""
    post.hidden = hidden
    post.save(update_fields=["hidden"])
    forget_pages(post.thread)
    live.announce(post.thread_id, "hidden" if hidden else "edited", [post.pk])


@transaction.atomic
def delete_thread(thread: Thread, moderator) -> None:
    """A moderator's delete from the queue, unlogged: the `reportable_models` hook `actions.act`
    calls (which logs it and tells the author). Soft, as an author's delete: the thread leaves
    its forum's listing and counts, search and every open page, and stays for the log."""
    posting.delete_thread(thread)


@transaction.atomic
def delete_post(post: Post, moderator) -> None:
    """A moderator's delete of one post from the queue, unlogged: the `reportable_models` hook
    `actions.act` calls. Soft, as an author's delete: its place stays, marked as deleted by a
    moderator, its text leaves the thread's pages, live readers' pages and search."""
    posting.delete_post(post, by_moderator=True)


@transaction.atomic
def approve_held(post: Post, moderator) -> None:
    """Publish a post that waited for review; its readers are told and its live event sent
    only now (`posting.publish_held`). The approval joins the moderation log."""
    publish_held(post)
    act("approve", moderator=moderator, declaration=reportable_models["forums.Post"], target=post)


@transaction.atomic
def reject_held(post: Post, moderator) -> None:
    """Keep a held post out of sight: hidden like any moderator's hide, through the moderation
    app (`actions.act`), so it is logged and its author is told and may appeal; a granted
    appeal restores it. A held first post takes its thread with it. Nothing is dropped."""
    post.held = False
    post.save(update_fields=["held"])
    thread = post.thread
    target, key = post, "forums.Post"
    if thread.held:
        thread.held = False
        thread.save(update_fields=["held"])
        target, key = thread, "forums.Thread"
    act("hide", moderator=moderator, declaration=reportable_models[key], target=target)
    forget_pages(thread)
