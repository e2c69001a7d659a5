"""Each post of a thread page as HTML, drawn by the template engine only when what it shows
changed: the thread page and the live endpoint (`thread_posts`) both render posts through here.

Twenty posts drawn through `forums/_post.html` were most of a signed-in thread page's time
(bench/cpu.py). A post is now two fragments, each kept in a process memo (`core.memo`) under a
key holding every value it shows, so an edit (`edited_at`), a deletion, a moderator's hide, a
hold, a new quote or image, a changed name or a reaction is a new key, never a stale entry, in
every process at once, with no invalidation to send:
- the content (`_post_content.html`: author, date, badges, quote, body, images), shared by every
  reader who sees the same name and the same blocked/answer state;
- the actions (`_post_actions.html`: reactions, quote, edit, delete, answer, report, moderators'
  buttons), keyed on each of the reader's answers (`permissions.py`) and the reaction counts
  with the reader's own, so a reader is only ever given buttons drawn for the same answers as
  theirs. The CSRF token goes into its slot on every request; it is never kept.
The article around them (unread marker, answer class) is drawn for each request.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.memo import ProcessMemo

from . import permissions
from .models import Post, Thread

_contents: ProcessMemo[str] = ProcessMemo("forum post contents", ttl=600.0, max_entries=4000)
_actions: ProcessMemo[str] = ProcessMemo("forum post actions", ttl=600.0, max_entries=4000)
CSRF_SLOT = "csrf-slot-8d41e0a9"

_ANY_ID = 987654321987654  # stands for each post's id in the links reversed once per page
_POST_LINKS = {
    "react": ("forums:react", ()),
    "edit": ("forums:edit_post", ()),
    "delete": ("forums:delete_post", ()),
    "answer": ("forums:mark_answer", ()),
    "moderate": ("forums:moderate_post", ()),
    "history": ("forums:history", ()),
    "decide": ("forums:decide_held", ()),
    "report": ("moderation:report", ("forums.post",)),
}


def _post_links(thread_id: int) -> list[tuple[str, str]]:
    """Each link a post shows, with a stand-in for its id: reversed once per page, not once
    per post and link."""
    links = [
        (key, reverse(name, args=[*first, _ANY_ID])) for key, (name, first) in _POST_LINKS.items()
    ]
    quote = reverse("forums:reply", args=[thread_id])
    return [*links, ("quote", f"{quote}?quote={_ANY_ID}")]


class _Page:
    """What every post of one page shares for one reader: asked once, not once per post."""

    def __init__(self, request, thread: Thread, can_post: bool) -> None:
        user = request.user
        self.user = user
        self.thread = thread
        self.signed_in = bool(user.is_authenticated)
        self.can_post = can_post
        self.can_mark_answer = permissions.can_mark_answer(user, thread)
        self.is_moderator = permissions.can_moderate(user)
        self.language = get_language()
        self.zone = get_current_timezone_name()
        self.token = get_token(request) if self.signed_in else None
        self._links: list[tuple[str, str]] | None = None

    def links(self, post_id: int) -> dict[str, str]:
        if self._links is None:
            self._links = _post_links(self.thread.pk)
        any_id, pk = str(_ANY_ID), str(post_id)
        return {key: url.replace(any_id, pk) for key, url in self._links}


def _content(post: Post, page: _Page, is_answer: bool) -> str:
    quoted = post.quoted if post.quoted_id else None
    images = list(post.images.all()) if post.has_images else []
    key = (
        page.language,
        page.zone,
        post.pk,
        post.created_at,
        post.edited_at,
        post.deleted,
        post.deleted_by_moderator,
        post.hidden,
        post.held,
        post.author_name,
        bool(getattr(post, "author_blocked", False)),
        is_answer,
        page.thread.language,
        quoted
        and (quoted.pk, quoted.edited_at, quoted.is_visible, getattr(post, "quoted_name", None)),
        tuple(image.pk for image in images),
    )
    context = {
        "post": post,
        "is_answer": is_answer,
        "language": page.thread.language,
        "images": images,
    }
    return _contents.get(key, lambda: render_to_string("forums/_post_content.html", context))


def _actions_of(post: Post, page: _Page, is_answer: bool) -> str:
    user, thread = page.user, page.thread
    can_edit = page.can_post and permissions.can_edit_post(user, post)
    can_delete = permissions.can_delete_post(user, post)
    can_mark = page.can_mark_answer and post.author_id != thread.author_id
    can_report = page.signed_in and post.author_id != user.pk
    counts = tuple((kind, count, mine) for kind, _label, count, mine in post.reaction_counts)
    key = (
        page.language,
        thread.pk,
        post.pk,
        post.deleted,
        post.hidden,
        post.held,
        page.signed_in,
        page.is_moderator,
        page.can_post,
        can_edit,
        can_delete,
        can_mark,
        can_report,
        is_answer,
        counts,
    )

    def draw() -> str:
        context = {
            "post": post,
            "links": page.links(post.pk),
            "reaction_counts": post.reaction_counts,
            "signed_in": page.signed_in,
            "is_moderator": page.is_moderator,
            "can_post": page.can_post,
            "can_edit": can_edit,
            "can_delete": can_delete,
            "can_mark_answer": can_mark,
            "can_report": can_report,
            "is_answer": is_answer,
            "csrf_token": CSRF_SLOT,
        }
        return render_to_string("forums/_post_actions.html", context)

    html = _actions.get(key, draw)
    return html.replace(CSRF_SLOT, page.token) if page.token else html


def render_posts(
    request, thread: Thread, posts: Iterable[Post], can_post: bool, first_unread: int | None
) -> list[SafeString]:
    """Each post's `<article>` for this reader; `_dress` in the views has set what it shows
    (`author_name`, `unread`, `reaction_counts`, `quoted_name`)."""
    page = _Page(request, thread, can_post)
    marker = conditional_escape(_("First unread post"))
    rendered = []
    for post in posts:
        is_answer = thread.answer_id == post.pk
        classes = "post" + (" unread" if post.unread else "") + (" answer" if is_answer else "")
        pk = post.pk
        head = f'<article class="{classes}" id="post-{pk}" aria-labelledby="post-{pk}-by">'
        if pk == first_unread:
            head += f'<p class="unread-marker" id="unread">{marker}</p>'
        content, actions = _content(post, page, is_answer), _actions_of(post, page, is_answer)
        html = f"{head}{content}{actions}</article>"
        rendered.append(mark_safe(html))  # noqa: S308 - parts drawn by auto-escaping templates
    return rendered
