"""Who may do what in the forums: the one set of answers every view (and later the websocket
consumer) asks.

- A forum is readable by everyone unless it is an organisation's members-only forum: then only
  that organisation's members (and moderators) read or post; to anyone else it does not exist
  (a 404, never a 403 that would confirm it).
- Hidden or deleted threads exist only for moderators (and a deleted one for nobody else); a
  thread held for review exists for its author and moderators.
- Posting needs a signed-in member and an open thread (not locked, not closed); moderators may
  still post in a locked thread.
- Moderators hold `moderation.moderate_community`; their forum views also pass
  `core.guards.privileged`, which asks for a second factor in the session.
"""

from __future__ import annotations

from community.moderation.models import MODERATE_PERMISSION
from community.organisations import permissions as org_permissions

from .models import Forum, Post, Thread


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def can_moderate(user) -> bool:
    return _signed_in(user) and user.has_perm(MODERATE_PERMISSION)


def can_read_forum(user, forum: Forum) -> bool:
    if not forum.is_private:
        return True
    if not _signed_in(user):
        return False
    return can_moderate(user) or org_permissions.is_member(user, forum.organisation)


def can_read_thread(user, thread: Thread) -> bool:
    if not can_read_forum(user, thread.forum):
        return False
    if thread.is_visible or can_moderate(user):
        return True
    # A thread waiting for a moderator is its author's to see (marked as waiting).
    return (
        thread.held
        and not (thread.hidden or thread.deleted)
        and _signed_in(user)
        and thread.author_id == user.pk
    )


def can_start_thread(user, forum: Forum) -> bool:
    return _signed_in(user) and can_read_forum(user, forum)


def can_post(user, thread: Thread) -> bool:
    """Reply in `thread`: a member who can read it, while it is open."""
    if not _signed_in(user) or not can_read_thread(user, thread):
        return False
    if not thread.is_visible:
        return False
    return not (thread.locked or thread.closed) or can_moderate(user)


def can_edit_post(user, post: Post) -> bool:
    """Only its author, while the thread is open to them and the post is not hidden."""
    return (
        _signed_in(user)
        and post.author_id == user.pk
        and post.is_visible
        and can_post(user, post.thread)
    )


def can_delete_post(user, post: Post) -> bool:
    return _signed_in(user) and post.author_id == user.pk and not post.deleted


def can_edit_thread(user, thread: Thread) -> bool:
    """Title, tags and language: the thread's author while it is open."""
    return _signed_in(user) and thread.author_id == user.pk and can_post(user, thread)


def can_mark_answer(user, thread: Thread) -> bool:
    return _signed_in(user) and thread.author_id == user.pk and thread.is_visible


def can_react(user, post: Post) -> bool:
    return (
        _signed_in(user)
        and post.is_visible
        and post.thread.is_visible
        and can_read_thread(user, post.thread)
    )
