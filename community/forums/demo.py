"""Demo forums: ten forums (one private to the Senegalese Diaspora Health Network), 66 threads
in English, French, Spanish and Arabic with replies, reactions, read positions, and two reports
waiting in the moderation queue.

Idempotent: forums are found by slug and updated; threads are created only when the demo forums
have none yet. Everything is written with bulk_create (a few dozen queries in all): the test
template database loads the demo.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from taggit.models import Tag, TaggedItem

from community.organisations.models import Organisation
from core.emails import canonical_email
from core.models import Topic, User
from core.page_cache import invalidate_groups

from . import markup
from .demo_content import FORUMS, THREADS
from .models import INDEX_GROUP, Forum, Post, Reaction, Thread

KINDS = [kind for kind, _label in Reaction.Kind.choices]


def _users() -> dict[str, User]:
    locals_ = {t[2] for t in THREADS} | {a for t in THREADS for a, _text in t[5]}
    wanted = {canonical_email(f"{local}@members.example.org"): local for local in locals_}
    return {
        wanted[user.email_canonical]: user
        for user in User.objects.filter(email_canonical__in=list(wanted))
    }


def _forums() -> dict[str, Forum]:
    topics = {t.slug: t for t in Topic.objects.filter(locale__language_code="en")}
    organisations = {o.slug: o for o in Organisation.objects.all()}
    forums = {}
    for slug, name, description, order, topic, country, organisation in FORUMS:
        forum, _created = Forum.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "order": order,
                "topic": topics.get(topic),
                "country": country,
                "organisation": organisations.get(organisation) if organisation else None,
                "members_only": bool(organisation),
            },
        )
        forums[slug] = forum
    return forums


@transaction.atomic
def load(progress: Callable[[str], None]) -> str:
    forums = _forums()
    if Thread.objects.filter(forum__in=forums.values()).exists():
        return f"{len(forums)} forums (threads already there)"
    users = _users()
    now = timezone.now()
    threads, openings = [], []
    for n, (slug, language, author, title, body, replies) in enumerate(THREADS):
        started = now - timedelta(days=60 - (n * 53) % 58, hours=n % 11)
        last = started + timedelta(hours=5 * len(replies))
        threads.append(
            Thread(
                forum=forums[slug], title=title, author=users.get(author), language=language,
                created_at=started, last_post_at=last, post_count=1 + len(replies),
                pinned=n in (0, 18), locked=n == 12,
            )
        )  # fmt: skip
        openings.append((body, replies, started))
    Thread.objects.bulk_create(threads)
    posts = []
    for thread, (body, replies, started) in zip(threads, openings, strict=True):
        posts.append(
            Post(thread=thread, author=thread.author, body=body, body_html=markup.render(body),
                 created_at=started)
        )  # fmt: skip
        for k, (author, text) in enumerate(replies, 1):
            posts.append(
                Post(thread=thread, author=users.get(author), body=text,
                     body_html=markup.render(text), created_at=started + timedelta(hours=5 * k))
            )  # fmt: skip
    Post.objects.bulk_create(posts)
    _tag(threads)
    # The first reply of some questions is marked as their answer.
    firsts = {}
    for post in posts:
        firsts.setdefault(post.thread_id, []).append(post)
    answered = [t for n, t in enumerate(threads) if n % 4 == 1 and len(firsts[t.pk]) > 1]
    for thread in answered:
        thread.answer = firsts[thread.pk][1]
    Thread.objects.bulk_update(answered, ["answer"])
    people = list(users.values())
    reactions = [
        Reaction(post=post, member=people[(i * 7 + j) % len(people)], kind=KINDS[(i + j) % 4])
        for i, post in enumerate(posts)
        for j in range(i % 4)
        if people[(i * 7 + j) % len(people)].pk != post.author_id
    ]
    Reaction.objects.bulk_create(reactions, ignore_conflicts=True)
    for forum in forums.values():
        mine = [t for t in threads if t.forum_id == forum.pk]
        forum.thread_count = len(mine)
        forum.post_count = sum(t.post_count for t in mine)
        forum.last_post_at = max((t.last_post_at for t in mine), default=None)
    Forum.objects.bulk_update(forums.values(), ["thread_count", "post_count", "last_post_at"])
    _reports(posts, users)
    invalidate_groups(INDEX_GROUP)
    progress(f"forums: {len(threads)} threads, {len(posts)} posts")
    return f"{len(forums)} forums, {len(threads)} threads, {len(posts)} posts"


def _tag(threads: list[Thread]) -> None:
    names = {thread.pk: thread.forum.slug.split("-")[0] for thread in threads}
    tags = {}
    for name in set(names.values()):
        tags[name], _created = Tag.objects.get_or_create(
            name=name, defaults={"slug": slugify(name)}
        )
    content_type = ContentType.objects.get_for_model(Thread)
    TaggedItem.objects.bulk_create(
        [TaggedItem(tag=tags[name], content_type=content_type, object_id=pk)
         for pk, name in names.items()]
    )  # fmt: skip


def _reports(posts: list[Post], users: dict[str, User]) -> None:
    """Two reports waiting in the moderators' queue, from members who read those posts."""
    from community.moderation.models import Report

    content_type = ContentType.objects.get_for_model(Post)
    replies = [post for post in posts if post.author_id and post.thread.forum.members_only is False]
    chosen = [(replies[5], "spam", "Looks like an advert for a transfer service."),
              (replies[40], "off_topic", "Not about this thread's question.")]  # fmt: skip
    reporters = [users.get("lucia"), users.get("karim")]
    Report.objects.bulk_create(
        [Report(content_type=content_type, object_id=post.pk, reason=reason, text=text,
                reporter=reporter)
         for (post, reason, text), reporter in zip(chosen, reporters, strict=True)
         if reporter is not None and reporter.pk != post.author_id]
    )  # fmt: skip
