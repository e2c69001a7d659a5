"""Members writing in the forums: start a thread, reply (perhaps quoting), edit, delete their own.

Each operation is one function the view calls (and the websocket consumer will call), which
renders the Markdown, stores mentions, keeps the thread's and forum's counters, and empties the
anonymous page cache of just that thread, its forum and the index. `_screen(post)` holds a
post for review when the word lists match; the view adds the trust level's hold (`hold=True`,
from `safety.must_hold`) and refuses what goes over the level's limits before calling here. A
held post is stored but counted, announced and notified only once a moderator approves it
(`publish_held`). `_announce(post, event)` is the live slice's hook.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from community.members.models import Profile
from core.page_cache import invalidate_groups
from core.screening import screen
from search.analysis import detect_language

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
    """Moderation's look at a new or edited post, rendered but not yet saved: hold it for review
    (`post.held`) when the moderators' word lists match, never drop it.

    A thread's first post is screened with its title. The text's own language (the thread's)
    is checked first, then every list (`core.screening`). A post already held (a new member's,
    decided by the view through `safety.must_hold`) stays held; an edit of a published post
    that now matches goes back to the moderators.
    """
    thread = post.thread
    text = post.body
    if post.pk is None and thread.post_count == 0:
        text = f"{thread.title}\n{text}"
    if screen(text, thread.language or "en"):
        post.held = True


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
    hold: bool = False,
) -> Thread:
    """`hold`: the author's trust level holds their posts for review (`safety.must_hold`)."""
    now = timezone.now()
    thread = Thread.objects.create(
        forum=forum,
        author=author,
        title=title,
        language=language or detect_language(f"{title}\n{body}"),
        created_at=now,
        last_post_at=now,
    )
    if tags:
        thread.tags.set(list(tags))
    post = _add_post(thread, author, body, None, images, now, hold)
    if post.held:
        # The whole thread waits with its first post; the forum counts it once approved.
        thread.held = True
        thread.save(update_fields=["held"])
    else:
        Forum.objects.filter(pk=forum.pk).update(thread_count=F("thread_count") + 1)
    return thread


@transaction.atomic
def reply(
    thread: Thread,
    author,
    body: str,
    *,
    quoted: Post | None = None,
    images: Iterable = (),
    hold: bool = False,
) -> Post:
    if quoted is not None and quoted.thread_id != thread.pk:
        quoted = None
    return _add_post(thread, author, body, quoted, images, timezone.now(), hold)


def _add_post(thread, author, body, quoted, images, now, hold=False) -> Post:
    post = Post(thread=thread, author=author, body=body, quoted=quoted, created_at=now, held=hold)
    _render(post)
    _screen(post)
    post.save()
    _store_mentions(post)
    save_images(post, images)
    if post.held:
        # Nobody but its author and the moderators sees it: no counters, no cached page to
        # empty, nobody told. `publish_held` does all of that once a moderator approves it.
        return post
    publish_counts(thread, now)
    notices.post_created(post)
    _announce(post, "created")
    return post


def publish_counts(thread: Thread, now) -> None:
    """Count a post now readable in its thread and forum, and empty their cached pages."""
    Thread.objects.filter(pk=thread.pk).update(post_count=F("post_count") + 1, last_post_at=now)
    Forum.objects.filter(pk=thread.forum_id).update(
        post_count=F("post_count") + 1, last_post_at=now
    )
    thread.post_count += 1
    thread.last_post_at = now
    forget_pages(thread)


@transaction.atomic
def publish_held(post: Post) -> None:
    """A moderator approved a held post: it becomes readable (its thread too, when it was the
    first post), is counted, and only then are its readers told and its live event sent.

    A post held by an edit (of its text, or of its thread's title) was published and counted
    before: it is shown again and announced as edited, nobody is told twice. A held post cannot
    be edited by its author, so `edited_at` says which case this is."""
    thread = post.thread
    first_time = post.edited_at is None
    post.held = False
    post.save(update_fields=["held"])
    if thread.held:
        thread.held = False
        thread.save(update_fields=["held"])
        if first_time:
            Forum.objects.filter(pk=thread.forum_id).update(thread_count=F("thread_count") + 1)
    if not first_time:
        forget_pages(thread)
        _announce(post, "edited")
        return
    publish_counts(thread, timezone.now())
    notices.post_created(post)
    _announce(post, "created")


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
        post.save(update_fields=["body", "body_html", "edited_at", "held"])
        _store_mentions(post)
        notices.post_edited(post, mentioned)
    save_images(post, images)
    forget_pages(post.thread)
    _announce(post, "edited")
    return post


@transaction.atomic
def edit_thread(thread: Thread, title: str, language: str, tags: Iterable[str]) -> Thread:
    """A new title matching the word lists holds the thread with its first post for review."""
    thread.title = title
    thread.language = language
    if screen(title, language or "en"):
        first = Post.objects.filter(thread=thread).order_by("pk").first()
        if first is not None:
            thread.held = True
            first.held = True
            first.edited_at = first.edited_at or timezone.now()  # published before: see above
            first.save(update_fields=["held", "edited_at"])
    thread.save(update_fields=["title", "language", "held"])
    thread.tags.set(list(tags))
    forget_pages(thread)
    live.announce(thread.pk, "state")
    return thread


@transaction.atomic
def delete_own_post(post: Post) -> None:
    """Soft delete: the post stays as "deleted by its author" so replies keep their place.

    Deleting the first post deletes the thread when nobody else has written in it.
    """
    delete_post(post)


@transaction.atomic
def delete_post(post: Post, *, by_moderator: bool = False) -> None:
    """A soft delete, by its author or (`by_moderator`) from the moderation queue: the post keeps
    its place (and its count) as "deleted", so replies keep their order and meaning; its text
    leaves the page, search (its save re-indexes the thread) and the live readers' pages.

    Deleting the first post deletes the thread when nobody else has written in it."""
    if post.deleted:
        return
    post.deleted = True
    post.deleted_by_moderator = by_moderator
    post.save(update_fields=["deleted", "deleted_by_moderator"])
    thread = post.thread
    first = Post.objects.filter(thread=thread).order_by("pk").values_list("pk", flat=True).first()
    if first == post.pk and not thread.posts.exclude(author_id=post.author_id).exists():
        delete_thread(thread)
    forget_pages(thread)
    _announce(post, "deleted")


@transaction.atomic
def delete_thread(thread: Thread) -> None:
    """A soft delete of a whole thread: it leaves its forum's listing and counts, search (its
    save re-indexes it, as nothing) and every open page (their sockets ask again and drop it)."""
    if thread.deleted:
        return
    thread.deleted = True
    thread.save(update_fields=["deleted"])
    if not thread.held:  # a held thread was never counted (`publish_held`)
        posts = Thread.objects.filter(pk=thread.pk).values_list("post_count", flat=True).get()
        Forum.objects.filter(pk=thread.forum_id).update(
            thread_count=F("thread_count") - 1, post_count=F("post_count") - posts
        )
    forget_pages(thread)
    live.announce(thread.pk, "state")
    live.access_changed(thread.pk)


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
