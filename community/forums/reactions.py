"""Reactions: a small fixed set (`Reaction.Kind`), one of each kind per member and post;
pressing a reaction again takes it back."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q, Value

from core.compiled_queries import CompiledQueries

from .models import Post, Reaction
from .posting import _announce, forget_pages


def toggle(post: Post, member, kind: str) -> bool:
    """Add the member's reaction of `kind`, or take it back; True when it is now there."""
    if kind not in Reaction.Kind.values:
        raise ValueError(kind)
    deleted, _rows = Reaction.objects.filter(post=post, member=member, kind=kind).delete()
    if not deleted:
        Reaction.objects.get_or_create(post=post, member=member, kind=kind)
    forget_pages(post.thread)
    _announce(post, "reacted")
    return not deleted


# The thread page's count of each post's reactions, on every view of a thread: its SQL compiled
# once per process for each number of posts a page holds (`core.compiled_queries`).
_compiled = CompiledQueries("forum reactions", max_entries=64)


def summary(posts: list[Post], member) -> None:
    """Set `post.reaction_counts` ([(kind, label, count, mine)]) on each post, in one query."""
    ids = [post.pk for post in posts]
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    mine: set[tuple[int, str]] = set()
    if ids:
        signed_in = bool(member.is_authenticated)

        def counted():
            return (
                Reaction.objects.filter(post_id__in=ids)
                .values_list("post_id", "kind")
                .annotate(
                    n=Count("id"),
                    by_me=Count("id", filter=Q(member_id=member.pk)) if signed_in else Value(0),
                )
            )

        # In the order its SQL takes them: the reader (or the 0 an anonymous one counts), the
        # page's posts.
        params = [member.pk if signed_in else 0, *ids]
        rows = _compiled.rows(("summary", signed_in, len(ids)), counted, params)
        for post_id, kind, n, by_me in rows:
            counts[post_id][kind] = n
            if by_me:
                mine.add((post_id, kind))
    for post in posts:
        post.reaction_counts = [
            (kind, label, counts[post.pk].get(kind, 0), (post.pk, kind) in mine)
            for kind, label in Reaction.Kind.choices
        ]
