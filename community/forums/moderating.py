"""Moderators at work in the forums: pin, lock, close, move, hide and restore.

Views reach these only through `core.guards.privileged(MODERATE_PERMISSION)`; the moderation
queue reaches `hide_*`/`restore_*` through the `reportable_models` declarations. Each change
empties the cached pages of the thread, its forum(s) and the index, and tells the thread's open
pages (`live`); hiding or moving a thread makes their sockets re-check that they may read it.
`_record(...)` is the hook for the moderation slice's audit log and author notices: a no-op
today.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from core.page_cache import invalidate_groups

from . import live
from .models import Forum, Post, Thread, forum_group
from .posting import forget_pages, publish_held

THREAD_FLAGS = ("pinned", "locked", "closed")


def _record(moderator, action: str, target) -> None:
    """Hook for the audit log (moderation slice): who did what to which object."""
    return None


@transaction.atomic
def set_flag(thread: Thread, moderator, flag: str, value: bool) -> None:
    if flag not in THREAD_FLAGS:
        raise ValueError(flag)
    setattr(thread, flag, value)
    thread.save(update_fields=[flag])
    forget_pages(thread)
    live.announce(thread.pk, "state")
    _record(moderator, f"{flag}={value}", thread)


@transaction.atomic
def move(thread: Thread, moderator, forum: Forum) -> None:
    old = thread.forum_id
    if old == forum.pk:
        return
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
    _record(moderator, "move", thread)


@transaction.atomic
def set_thread_hidden(thread: Thread, moderator, hidden: bool) -> None:
    thread.hidden = hidden
    thread.save(update_fields=["hidden"])
    forget_pages(thread)
    live.announce(thread.pk, "state")
    live.access_changed(thread.pk)
    _record(moderator, "hide" if hidden else "restore", thread)


@transaction.atomic
def set_post_hidden(post: Post, moderator, hidden: bool) -> None:
    post.hidden = hidden
    post.save(update_fields=["hidden"])
    forget_pages(post.thread)
    live.announce(post.thread_id, "hidden" if hidden else "edited", [post.pk])
    _record(moderator, "hide" if hidden else "restore", post)


@transaction.atomic
def approve_held(post: Post, moderator) -> None:
    """Publish a post that waited for review; its readers are told and its live event sent
    only now (`posting.publish_held`)."""
    publish_held(post)
    _record(moderator, "approve", post)


@transaction.atomic
def reject_held(post: Post, moderator) -> None:
    """Keep a held post out of sight for good: hidden like a moderator's hide (its author still
    sees it, marked hidden), with its thread when it was the first post. Nothing is dropped."""
    post.held = False
    post.hidden = True
    post.save(update_fields=["held", "hidden"])
    thread = post.thread
    if thread.held:
        thread.held = False
        thread.hidden = True
        thread.save(update_fields=["held", "hidden"])
    forget_pages(thread)
    _record(moderator, "hide", post)
