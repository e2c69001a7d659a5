"""Members writing in the forums: start a thread, reply (perhaps quoting), edit, delete their own.

Each operation is one function the view calls (and the websocket consumer will call), which
renders the Markdown, stores mentions, keeps the thread's and forum's counters, and empties the
anonymous page cache of just that thread, its forum and the index. Two named hooks stay trivial
for the slices that follow: `_screen(post)` (moderation: trust levels, word lists, rate limits)
and `_announce(post, event)` (live updates and notifications).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from community.members.models import Profile
from core.page_cache import invalidate_groups

from . import live, markup, notices
from .images import save_images
from .models import (
    INDEX_GROUP,
    Forum,
    Mention,
    Post,
    PostRevision,
    Thread,
    forum_group,
    thread_group,
)


def forget_pages(thread: Thread) -> None:
    """Empty the cached anonymous pages that show this thread: its page, its forum, the index."""
    invalidate_groups(thread_group(thread.pk), forum_group(thread.forum_id), INDEX_GROUP)


def _screen(post: Post) -> None:
    """Hook for moderation: look at a new or edited post, rendered but not yet saved.

    Every post passes today. The moderation slice fills this in (hold it for review by setting
    `post.hidden`, refuse it over a rate limit) without touching the posting code.
    """
    return None


def _announce(post: Post, event: str) -> None:
    """Hook for the live and notifications slices ("created", "edited", "deleted", "reacted",
    "hidden"): the thread's open pages hear of it (ids only) once the change is committed."""
    live.announce(post.thread_id, event, [post.pk])


def _render(post: Post) -> None:
    post.body_html = markup.render(post.body)


def _store_mentions(post: Post) -> None:
    ids = markup.mentioned_profile_ids(post.body)
    users = Profile.objects.filter(pk__in=ids, protected=False).values_list("user_id", flat=True)
    wanted = set(users) - {post.author_id}
    Mention.objects.filter(post=post).exclude(member_id__in=wanted).delete()
    Mention.objects.bulk_create(
        [Mention(post=post, member_id=member) for member in wanted], ignore_conflicts=True
    )


@transaction.atomic
def start_thread(
    forum: Forum,
    author,
    title: str,
    body: str,
    *,
    tags: Iterable[str] = (),
    language: str = "",
    images: Iterable = (),
) -> Thread:
    now = timezone.now()
    thread = Thread.objects.create(
        forum=forum,
        author=author,
        title=title,
        language=language or markup.detect_language(f"{title}\n{body}"),
        created_at=now,
        last_post_at=now,
    )
    if tags:
        thread.tags.set(list(tags))
    Forum.objects.filter(pk=forum.pk).update(thread_count=F("thread_count") + 1)
    _add_post(thread, author, body, None, images, now)
    return thread


@transaction.atomic
def reply(
    thread: Thread, author, body: str, *, quoted: Post | None = None, images: Iterable = ()
) -> Post:
    if quoted is not None and quoted.thread_id != thread.pk:
        quoted = None
    return _add_post(thread, author, body, quoted, images, timezone.now())


def _add_post(thread, author, body, quoted, images, now) -> Post:
    post = Post(thread=thread, author=author, body=body, quoted=quoted, created_at=now)
    _render(post)
    _screen(post)
    post.save()
    _store_mentions(post)
    save_images(post, images)
    Thread.objects.filter(pk=thread.pk).update(post_count=F("post_count") + 1, last_post_at=now)
    Forum.objects.filter(pk=thread.forum_id).update(
        post_count=F("post_count") + 1, last_post_at=now
    )
    thread.post_count += 1
    thread.last_post_at = now
    forget_pages(thread)
    notices.post_created(post)
    _announce(post, "created")
    return post


@transaction.atomic
def edit_post(post: Post, editor, body: str, *, images: Iterable = ()) -> Post:
    """Keep the old text as a revision (moderators read the history), then store the new one."""
    if body != post.body:
        mentioned = notices.mentioned_ids(post)
        PostRevision.objects.create(post=post, body=post.body, edited_by=editor)
        post.body = body
        post.edited_at = timezone.now()
        _render(post)
        _screen(post)
        post.save(update_fields=["body", "body_html", "edited_at", "hidden"])
        _store_mentions(post)
        notices.post_edited(post, mentioned)
    save_images(post, images)
    forget_pages(post.thread)
    _announce(post, "edited")
    return post


@transaction.atomic
def edit_thread(thread: Thread, title: str, language: str, tags: Iterable[str]) -> Thread:
    thread.title = title
    thread.language = language
    thread.save(update_fields=["title", "language"])
    thread.tags.set(list(tags))
    forget_pages(thread)
    live.announce(thread.pk, "state")
    return thread


@transaction.atomic
def delete_own_post(post: Post) -> None:
    """Soft delete: the post stays as "deleted by its author" so replies keep their place.

    Deleting the first post deletes the thread when nobody else has written in it.
    """
    post.deleted = True
    post.save(update_fields=["deleted"])
    thread = post.thread
    first = Post.objects.filter(thread=thread).order_by("pk").values_list("pk", flat=True).first()
    if first == post.pk and not thread.posts.exclude(author_id=post.author_id).exists():
        thread.deleted = True
        thread.save(update_fields=["deleted"])
        live.access_changed(thread.pk)
    forget_pages(thread)
    _announce(post, "deleted")


@transaction.atomic
def mark_answer(thread: Thread, post: Post | None) -> None:
    if post is not None and (post.thread_id != thread.pk or not post.is_visible):
        return
    previous = thread.answer_id
    thread.answer = post
    thread.save(update_fields=["answer"])
    notices.answer_marked(thread, post)
    forget_pages(thread)
    live.announce(thread.pk, "edited", [previous, post.pk if post else None])
