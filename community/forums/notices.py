"""Telling members what happened in the forums: mentions, replies to their posts, replies in
threads they follow, new threads in forums and tags they follow, and their reply chosen as the
answer.

`posting.py` calls `post_created` right after a post is stored and `post_edited` after an edit
(for mentions added by the edit only); nothing here runs inside `posting._announce`, which the
live slice owns. Each call waits for the commit (`transaction.on_commit`), so a rolled-back post
tells nobody, then a background task (`tasks.tell_about_post`) does the fan-out: a thread with
thousands of followers never slows the reply down.

Each recipient hears once per post, for the strongest reason (mention > reply to your post,
quoted or in your thread > followed thread or forum or tag). Nobody hears about their own post,
nor from a member they blocked (`core.notify` checks), nor about a thread, forum or tag they
muted, nor about a thread they cannot read (members-only forums). Every kind's target is the
post, and its `is_visible` asks `permissions.py` again when the notification is listed or
e-mailed, so a post hidden or a forum left since then never leaks through the notification
centre or a digest.

Starting or replying to a thread follows it (unless the member muted it), so the conversation
comes back to them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import follows
from core.compiled_queries import CompiledQueries
from core.models import Follow, User
from core.notify import notify
from core.registries import NotificationKind

from . import permissions
from .models import Mention, Post, Thread

MENTION = "forums.mention"
REPLY_TO_YOU = "forums.reply_to_you"
REPLY = "forums.reply"
NEW_THREAD = "forums.new_thread"
ANSWER = "forums.answer"


# --- Sending ---------------------------------------------------------------------------------


def post_created(post: Post) -> None:
    """Called by posting right after a post (a thread's first post, or a reply) is stored."""
    # Follow unless the member already chose (following, or muted: a mute is kept): one query
    # for someone who writes in the thread again.
    if post.author_id is not None and follows.state_of(post.author, post.thread) is None:
        follows.follow(post.author, post.thread)
    _later(post.pk, None)


def mentioned_ids(post: Post) -> set[int]:
    """Who the post mentions now: posting asks before an edit, to tell only the new ones."""
    if post.pk is None:
        return set()
    return set(Mention.objects.filter(post=post).values_list("member_id", flat=True))


def post_edited(post: Post, mentioned_before: set[int]) -> None:
    """Called by posting after an edit: members newly mentioned by it are told, nobody else."""
    added = mentioned_ids(post) - set(mentioned_before)
    if added:
        _later(post.pk, sorted(added))


def answer_marked(thread: Thread, post: Post | None) -> None:
    """Called by posting when a thread's author picks an answer: its author hears of it."""
    if post is None or post.author_id is None or post.author_id == thread.author_id:
        return
    pk = post.pk
    transaction.on_commit(lambda: _tell_answer(pk))


def _later(post_id: int, only_mentions: list[int] | None) -> None:
    from .tasks import tell_about_post

    transaction.on_commit(lambda: tell_about_post.enqueue(post_id, only_mentions))


def _readable(post: Post) -> Post | None:
    post = (
        Post.objects.select_related("thread__forum__organisation", "author__profile", "quoted")
        .filter(pk=post if isinstance(post, int) else post.pk)
        .first()
    )
    if post is None or not post.is_visible or not post.thread.is_visible:
        return None  # held for review, or hidden / deleted before the task ran
    return post


def _tell_answer(post_id: int) -> None:
    post = _readable(post_id)
    if post is None or post.thread.answer_id != post.pk:
        return
    if _muted(post, [post.author_id]) or not permissions.can_read_thread(post.author, post.thread):
        return
    notify(ANSWER, post.author, target=post, actor=post.thread.author, **_data(post))


def tell(post_id: int, only_mentions: list[int] | None = None) -> int:
    """Notify everyone who should hear of this post (the task's body); returns how many were
    told. `only_mentions`: after an edit, just these newly mentioned members."""
    post = _readable(post_id)
    if post is None:
        return 0
    thread = post.thread
    reasons: dict[int, str] = {}  # member id -> kind; the first reason given wins

    def add(ids, kind: str) -> None:
        for member_id in ids:
            reasons.setdefault(member_id, kind)

    if only_mentions is not None:
        add(Mention.objects.filter(post=post, member_id__in=only_mentions)
            .values_list("member_id", flat=True), MENTION)  # fmt: skip
    else:
        add(Mention.objects.filter(post=post).values_list("member_id", flat=True), MENTION)
        if post.quoted_id and post.quoted and post.quoted.author_id:
            add([post.quoted.author_id], REPLY_TO_YOU)
        if Post.objects.filter(thread=thread, pk__lt=post.pk).exists():
            # A reply in your thread answers your first post: you hear of it unless you muted it.
            if thread.author_id:
                add([thread.author_id], REPLY_TO_YOU)
            add(follows.followers(thread).values_list("pk", flat=True), REPLY)
        else:
            add(follows.followers(thread.forum).values_list("pk", flat=True), NEW_THREAD)
            for tag in thread.tags.all():
                add(follows.followers(tag).values_list("pk", flat=True), NEW_THREAD)
    reasons.pop(post.author_id, None)
    if not reasons:
        return 0
    muted = _muted(post, list(reasons))
    members = User.objects.filter(pk__in=[pk for pk in reasons if pk not in muted], is_active=True)
    data = _data(post)
    told = 0
    for member in members:
        if thread.forum.is_private and not permissions.can_read_thread(member, thread):
            continue
        if notify(reasons[member.pk], member, target=post, actor=post.author, **data):
            told += 1
    return told


def _muted(post: Post, member_ids: list[int]) -> set[int]:
    """Which of these members muted the post's thread, its forum or one of its tags: one query."""
    thread = post.thread
    condition = Q(target_type=ContentType.objects.get_for_model(Thread), target_id=thread.pk) | Q(
        target_type=ContentType.objects.get_for_model(thread.forum), target_id=thread.forum_id
    )
    tag_ids = [tag.pk for tag in thread.tags.all()]
    if tag_ids:
        tag_type = ContentType.objects.get_for_model(thread.tags.model)
        condition |= Q(target_type=tag_type, target_id__in=tag_ids)
    return set(
        Follow.objects.filter(
            condition, user_id__in=member_ids, state=Follow.State.MUTE
        ).values_list("user_id", flat=True)
    )


def _data(post: Post) -> dict[str, Any]:
    author = post.author
    profile = getattr(author, "profile", None) if author is not None else None
    name = profile.name if profile is not None else (author.get_short_name() if author else "")
    return {
        "name": name,
        "title": post.thread.title,
        "forum": post.thread.forum.name,
        "thread": post.thread_id,
        "post": post.pk,
    }


# --- Reading (the kinds' describe / url / is_visible) ----------------------------------------


def _who(notification) -> str:
    # The name is kept with the notification; once the author erased their account the
    # notifications app forgets the actor, and the name goes with it.
    if notification.actor_id is None:
        return _("a former member")
    return notification.data.get("name") or _("a member")


def _fields(notification) -> dict[str, str]:
    return {
        "name": _who(notification),
        "title": notification.data.get("title", ""),
        "forum": notification.data.get("forum", ""),
    }


def url(notification) -> str:
    thread, post = notification.data.get("thread"), notification.data.get("post")
    if not thread or not post:
        return reverse("forums:index")
    return f"{reverse('forums:thread', args=[thread])}?after={post - 1}#post-{post}"


def is_visible(recipient, post) -> bool:
    """Still there for this reader: not hidden or deleted, in a thread and forum they may read."""
    return (
        post is not None
        and post.is_visible
        and post.thread.is_visible
        and permissions.can_read_thread(recipient, post.thread)
    )


KINDS = [
    NotificationKind(
        MENTION,
        gettext_lazy("Mentions of you in the forums"),
        describe=lambda n: _("%(name)s mentioned you in %(title)s") % _fields(n),
        url=url,
        default_email="immediately",
        is_visible=is_visible,
    ),
    NotificationKind(
        REPLY_TO_YOU,
        gettext_lazy("Replies to your forum posts"),
        describe=lambda n: _("%(name)s replied to your post in %(title)s") % _fields(n),
        url=url,
        default_email="daily",
        is_visible=is_visible,
    ),
    NotificationKind(
        REPLY,
        gettext_lazy("Replies in threads you follow"),
        describe=lambda n: _("%(name)s replied in %(title)s") % _fields(n),
        url=url,
        default_email="daily",
        is_visible=is_visible,
    ),
    NotificationKind(
        NEW_THREAD,
        gettext_lazy("New threads in forums and tags you follow"),
        describe=lambda n: _("%(name)s started a thread in %(forum)s: %(title)s") % _fields(n),
        url=url,
        default_email="daily",
        is_visible=is_visible,
    ),
    NotificationKind(
        ANSWER,
        gettext_lazy("Your reply chosen as the answer"),
        describe=lambda n: _("Your reply in %(title)s was marked as the answer") % _fields(n),
        url=url,
        default_email="daily",
        is_visible=is_visible,
    ),
]


# --- Follow buttons --------------------------------------------------------------------------


# The follow buttons' states, on every signed-in view of a thread (the thread and each of its
# tags): their SQL compiled once per process for each number of targets.
_compiled = CompiledQueries("follow buttons", max_entries=32)


def follow_states(user, targets: list[Any]) -> None:
    """Set `follow_state` ("follow", "mute" or "") on each target for the follow buttons, in one
    query for all of them (a thread and its tags), none for an anonymous reader."""
    for target in targets:
        target.follow_state = ""
    if not targets or user is None or not user.is_authenticated:
        return
    types = [ContentType.objects.get_for_model(target).pk for target in targets]

    def states():
        condition = Q()
        for target, type_id in zip(targets, types, strict=True):
            condition |= Q(target_type_id=type_id, target_id=target.pk)
        return Follow.objects.filter(condition, user=user).values_list(
            "target_type_id", "target_id", "state"
        )

    # In the order its SQL takes them: each target's id and type (by name), then the member.
    params = [value for target, type_id in zip(targets, types, strict=True)
              for value in (target.pk, type_id)] + [user.pk]  # fmt: skip
    found = {
        (type_id, target_id): state
        for type_id, target_id, state in _compiled.rows(("states", len(targets)), states, params)
    }
    for target in targets:
        key = (ContentType.objects.get_for_model(target).pk, target.pk)
        target.follow_state = found.get(key, "")
