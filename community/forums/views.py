"""The forums pages: index, forum, thread (keyset-paged), writing forms, reactions, answers,
the @mention lookup, and the moderators' actions.

Each view parses, asks `permissions.py`, and hands the work to `posting`, `moderating`,
`reading` or `reactions`. What a reader may not read is a 404. Anonymous pages may be served by
the page cache: they declare the content groups they show (`core.page_cache.depends_on`): the
index, one forum, one thread; writes empty exactly those.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.members.models import PAGE_GROUP as MEMBERS
from community.members.models import Block, Profile
from community.members.visibility import display_name_for
from community.moderation.actions import ActionRefused
from community.moderation.models import MODERATE_PERMISSION
from community.organisations.models import Membership
from core.compiled_queries import CompiledQueries
from core.guards import privileged
from core.page_cache import depends_on
from core.topics import TOPICS_GROUP, concept_of

from . import (
    moderating,
    notices,
    permissions,
    posting,
    reactions,
    reading,
    rendering,
    safety,
)
from .forms import (
    EditPostForm,
    MoveForm,
    ReplyForm,
    ThreadActionForm,
    ThreadForm,
    ThreadMetaForm,
)
from .models import (
    INDEX_GROUP,
    Forum,
    Post,
    PostImage,
    Reaction,
    Thread,
    forum_details_group,
    forum_group,
    thread_group,
)

POSTS_PER_PAGE = 20
HELD_MESSAGE = gettext_lazy(
    "Posted. It waits for a moderator before others can see it; nothing was lost."
)
THREADS_PER_PAGE = 30
MENTION_RESULTS = 8


def _name(user, viewer) -> str:
    """A post author's name as this reader may see it ("a former member" once erased)."""
    if user is None:
        return _("a former member")
    profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
    if profile is None:
        return user.get_short_name() or _("a member")
    return display_name_for(profile, viewer)


def _readable_forums(user) -> QuerySet[Forum]:
    forums = Forum.objects.select_related("organisation")
    if permissions.can_moderate(user):
        return forums
    public = Q(members_only=False) | Q(organisation__isnull=True)
    if not user.is_authenticated:
        return forums.filter(public)
    mine = Membership.objects.filter(user=user).values("organisation_id")
    return forums.filter(public | Q(organisation_id__in=Subquery(mine)))


def _forum_or_404(request: HttpRequest, slug: str) -> Forum:
    forum = get_object_or_404(Forum.objects.select_related("organisation"), slug=slug)
    if not permissions.can_read_forum(request.user, forum):
        raise Http404
    return forum


# The thread page's two reads, on every view of a thread by a member (never served from the page
# cache), compiled to SQL once per process: a page of posts with their authors and the posts
# they quote took longer to compile than PostgreSQL took to answer it.
_compiled = CompiledQueries("forum threads", max_entries=32)


def _thread_or_404(request: HttpRequest, pk: int) -> Thread:
    found = _compiled.rows(
        "thread",
        lambda: Thread.objects.select_related("forum__organisation", "author__profile").filter(
            pk=pk
        ),
        [pk],
    )
    if not found or not permissions.can_read_thread(request.user, found[0]):
        raise Http404
    return found[0]


def _post_or_404(request: HttpRequest, pk: int) -> Post:
    post = get_object_or_404(
        Post.objects.select_related("thread__forum__organisation", "author"), pk=pk
    )
    if not permissions.can_read_thread(request.user, post.thread):
        raise Http404
    return post


# --- Reading -------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    # Topic labels come from the taxonomy: an editor renaming one empties this page too.
    depends_on(request, INDEX_GROUP, TOPICS_GROUP)
    forums = list(_readable_forums(request.user))
    language = get_language() or "en"
    for forum in forums:
        concept = concept_of(forum.topic_id) if forum.topic_id else None
        forum.topic_label = concept.in_language(language).label if concept else ""
    is_moderator = permissions.can_moderate(request.user)
    return render(request, "forums/index.html", {"forums": forums, "is_moderator": is_moderator})


def forum(request: HttpRequest, slug: str) -> HttpResponse:
    forum = _forum_or_404(request, slug)
    # Authors' names follow their profiles (a member turning on protected mode, say).
    depends_on(request, forum_group(forum.pk), forum_details_group(forum.pk), MEMBERS)
    user = request.user
    threads = (
        forum.threads.select_related("author__profile")
        .prefetch_related(None)
        .order_by("-pinned", "-last_post_at", "-pk")
    )
    if not permissions.can_moderate(user):
        threads = threads.filter(hidden=False, deleted=False)
        # Held threads: their authors see them, marked as waiting; nobody else does.
        own = Q(author=user) if user.is_authenticated else Q(pk__in=[])
        threads = threads.filter(Q(held=False) | own)
    else:
        threads = threads.filter(deleted=False)
    if user.is_authenticated:
        newest = (
            Post.objects.filter(thread=OuterRef("pk"), held=False).order_by("-pk").values("pk")[:1]
        )
        threads = threads.annotate(last_post_id=Subquery(newest))
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    listed = list(page.object_list)
    reading.unread_flags(user, listed)
    for thread in listed:
        thread.author_name = _name(thread.author, user)
    return render(
        request,
        "forums/forum.html",
        {
            "forum": forum,
            "threads": listed,
            "page_obj": page,
            "can_start": permissions.can_start_thread(user, forum),
        },
    )


_AUTHOR_FIELDS = ("id", "first_name", "last_name", "email")
_PROFILE_FIELDS = ("id", "user_id", "display_name", "protected")
# What `_name` and the post templates read of a post, its author and their profile.
_POST_FIELDS = (
    *("id", "thread_id", "author_id", "body_html", "quoted_id", "created_at", "edited_at"),
    *("deleted", "deleted_by_moderator", "hidden", "held"),
    *(f"author__{name}" for name in _AUTHOR_FIELDS),
    *(f"author__profile__{name}" for name in _PROFILE_FIELDS),
)


def _posts_of(user, thread: Thread) -> QuerySet[Post]:
    """A thread's posts with what their rendering for `user` reads (blocked authors marked)."""
    posts = Post.objects.filter(thread=thread).select_related(
        "author__profile", "quoted__author__profile"
    )
    # Only the columns a post's rendering reads: four models of twenty-odd fields per post,
    # built and thrown away, were a third of the signed-in page's time (bench/cpu.py).
    posts = posts.only(*_POST_FIELDS, *(f"quoted__{name}" for name in _POST_FIELDS))
    # Few posts have images: say which, and fetch theirs only (`_dress`), rather than a query
    # for the images of every page of posts.
    posts = posts.annotate(has_images=Exists(PostImage.objects.filter(post=OuterRef("pk"))))
    if not permissions.can_moderate(user):
        # A held post exists only for its author (marked as waiting) and the moderators.
        own = Q(author=user) if user.is_authenticated else Q(pk__in=[])
        posts = posts.filter(Q(held=False) | own)
    if user.is_authenticated:
        blocked = Block.objects.filter(blocker=user, blocked=OuterRef("author_id"))
        posts = posts.annotate(author_blocked=Exists(blocked))
    return posts


def _dress(posts: list[Post], thread: Thread, user, last_read: int) -> None:
    """Set what `rendering.render_posts` shows of each post for this reader."""
    reactions.summary(posts, user)
    prefetch_related_objects([post for post in posts if post.has_images], "images")
    signed_in = user.is_authenticated
    for post in posts:
        post.thread = thread  # the permission questions read it: no query per post
        post.author_name = _name(post.author, user)
        post.unread = signed_in and post.pk > last_read
        if post.quoted_id and post.quoted:
            post.quoted_name = _name(post.quoted.author, user)


def _posts_around(user, thread: Thread, before: int | None, after: int | None) -> list[Post]:
    """Up to POSTS_PER_PAGE + 1 posts by id: the first after `after`, or the last before
    `before` (the very last with neither), newest first then."""
    moderator = permissions.can_moderate(user)
    signed_in = user.is_authenticated
    posts = lambda: _posts_of(user, thread)  # noqa: E731 - built only when not yet compiled
    if after is not None:
        bound, queryset = [after], lambda: posts().filter(pk__gt=after).order_by("pk")
    elif before is not None:
        bound, queryset = [before], lambda: posts().filter(pk__lt=before).order_by("-pk")
    else:
        bound, queryset = [], lambda: posts().order_by("-pk")
    # In the order `_posts_of`'s SQL takes them: its two EXISTS columns (`SELECT 1`, the second
    # with the reader), the thread, the reader's own held posts, the bound.
    params = [1, *([1, user.pk] if signed_in else []), thread.pk]
    params += [user.pk] if signed_in and not moderator else []
    key = ("posts", moderator, signed_in, after is not None, before is not None)
    return _compiled.rows(key, lambda: queryset()[: POSTS_PER_PAGE + 1], params + bound)


def _page_of_posts(request: HttpRequest, thread: Thread) -> tuple[list[Post], bool, bool]:
    """Up to POSTS_PER_PAGE posts by id (keyset): after `?after=`, before `?before=`, or the
    last page (`?page=last`); and whether there are posts before and after them."""

    def number(name: str) -> int:
        try:
            return max(0, int(request.GET.get(name, "")))
        except ValueError:
            return 0

    before, after = number("before"), number("after")
    if before or request.GET.get("page") == "last":
        rows = _posts_around(request.user, thread, before or None, None)
        has_previous = len(rows) > POSTS_PER_PAGE
        rows = rows[:POSTS_PER_PAGE][::-1]
        return rows, has_previous, bool(before)
    rows = _posts_around(request.user, thread, None, after)
    return rows[:POSTS_PER_PAGE], after > 0, len(rows) > POSTS_PER_PAGE


def thread(request: HttpRequest, pk: int) -> HttpResponse:
    depends_on(request, thread_group(pk), MEMBERS)
    thread = _thread_or_404(request, pk)
    depends_on(request, forum_details_group(thread.forum_id))
    user = request.user
    if "unread" in request.GET and user.is_authenticated:
        target = reading.first_unread_id(user, thread)
        url = reverse("forums:thread", args=[thread.pk])
        if target is None:
            return redirect(f"{url}?page=last")
        return redirect(f"{url}?after={target - 1}#post-{target}")
    posts, has_previous, has_next = _page_of_posts(request, thread)
    last_read = reading.advance(user, thread, posts[-1].pk if posts else 0)
    is_moderator = permissions.can_moderate(user)
    can_post = permissions.can_post(user, thread)
    _dress(posts, thread, user, last_read)
    first_unread = next((post.pk for post in posts if post.unread), None)
    posts_html = rendering.render_posts(request, thread, posts, can_post, first_unread)
    # Taggit's query for the thread's tags: the thread's app label and model name, then the id.
    tags = _compiled.rows(
        "tags",
        lambda: thread.tags.all(),
        [Thread._meta.app_label, Thread._meta.model_name, thread.pk],
    )
    notices.follow_states(user, [thread, *tags])  # the follow buttons' states: one query
    return render(
        request,
        "forums/thread.html",
        {
            "forum": thread.forum,
            "thread": thread,
            "posts": posts,
            "posts_html": posts_html,
            "has_previous": has_previous,
            "has_next": has_next,
            "tags": tags,
            "author_name": _name(thread.author, user),
            "can_post": can_post,
            "can_edit_thread": permissions.can_edit_thread(user, thread),
            "is_moderator": is_moderator,
            "reply_form": ReplyForm() if can_post and not has_next else None,
            "move_form": MoveForm(initial={"forum": thread.forum_id}) if is_moderator else None,
        },
    )


MAX_LIVE_IDS = 50


def thread_posts(request: HttpRequest, pk: int) -> JsonResponse:
    """The posts a live event named, rendered for this reader as the thread page would.

    `?ids=3,4` (changed posts, at most 50) or `?after=<last post id seen>` (new ones, a page at
    a time: `more` says there are others). A reader who may not read the thread gets a 404; a
    post of another thread is left out. Only ids travel over the websocket; this is where each
    reader's own view of them (names, blocks, hidden posts) comes from. `?unseen=n` counts the
    new posts the page has not shown yet, for the "new posts" bar's label; `?read=1` (the page
    shows them where the reader is looking) moves the member's read position past them.
    """
    depends_on(request, thread_group(pk), MEMBERS)
    thread = _thread_or_404(request, pk)
    depends_on(request, forum_details_group(thread.forum_id))
    user = request.user
    posts = _posts_of(user, thread)
    more = False
    wanted = [part for part in request.GET.get("ids", "").split(",") if part.strip().isdigit()]
    if wanted:
        ids = {int(part) for part in wanted[:MAX_LIVE_IDS]}
        rows = list(posts.filter(pk__in=ids).order_by("pk"))
    else:
        try:
            after = max(0, int(request.GET.get("after", "")))
        except ValueError:
            after = 0
        rows = list(posts.filter(pk__gt=after).order_by("pk")[: POSTS_PER_PAGE + 1])
        more = len(rows) > POSTS_PER_PAGE
        rows = rows[:POSTS_PER_PAGE]
        if rows and request.GET.get("read") == "1":
            reading.advance(user, thread, rows[-1].pk)  # shown at the end of the page: read
    can_post = permissions.can_post(user, thread)
    _dress(rows, thread, user, rows[-1].pk if rows else 0)
    html = rendering.render_posts(request, thread, rows, can_post, None)
    rendered = [{"id": post.pk, "html": part} for post, part in zip(rows, html, strict=True)]
    try:
        unseen = max(0, int(request.GET.get("unseen", "0")))
    except ValueError:
        unseen = 0
    unseen += 0 if wanted else len(rows)
    label = ngettext("%(count)s new post", "%(count)s new posts", unseen) % {"count": unseen}
    return JsonResponse(
        {
            "posts": rendered,
            "more": more,
            "new_label": label,
            "thread": {"locked": thread.locked, "closed": thread.closed, "can_post": can_post},
        }
    )


# --- Writing -------------------------------------------------------------------------------


def _images(form) -> list[tuple]:
    image = form.cleaned_data.get("image")
    return [(image, form.cleaned_data.get("image_description", ""))] if image else []


@login_required
def new_thread(request: HttpRequest, slug: str) -> HttpResponse:
    forum = _forum_or_404(request, slug)
    if not permissions.can_start_thread(request.user, forum):
        raise PermissionDenied
    form = ThreadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        refused = safety.refuse(request, form) if form.is_valid() else 400
        if refused is None:
            data = form.cleaned_data
            thread = posting.start_thread(
                forum, request.user, data["title"], data["body"], tags=data["tags"],
                language=data["language"], images=_images(form),
                hold=safety.must_hold(request.user),
            )  # fmt: skip
            if thread.held:
                messages.info(request, HELD_MESSAGE)
            return redirect("forums:thread", thread.pk)
        if refused == 400:
            messages.error(request, _("Nothing was posted: please correct the errors below."))
        status = refused
    return render(
        request, "forums/thread_form.html", {"form": form, "forum": forum, "noindex": True},
        status=status,
    )  # fmt: skip


def _shut(thread: Thread) -> str | None:
    """Why a visible thread takes no replies from members, if it is locked or closed."""
    if not thread.is_visible:
        return None
    if thread.locked:
        return _("This thread is locked: no new replies.")
    if thread.closed:
        return _("This thread is closed: no new replies.")
    return None


@login_required
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread_or_404(request, pk)
    if not permissions.can_post(request.user, thread):
        shut = _shut(thread)
        if shut is None:
            raise PermissionDenied
        # Closed or locked: say so, rather than a bare "access denied", and offer no form.
        return render(
            request,
            "forums/post_form.html",
            {"thread": thread, "refused": shut, "noindex": True},
            status=403,
        )
    quoted = None
    quote_id = request.POST.get("quoted") or request.GET.get("quote")
    if quote_id and str(quote_id).isdigit():
        quoted = Post.objects.filter(
            pk=int(quote_id), thread=thread, hidden=False, deleted=False, held=False
        ).first()
    initial = {"quoted": quoted.pk} if quoted else {}
    form = ReplyForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        refused = safety.refuse(request, form) if form.is_valid() else 400
        if refused is None:
            post = posting.reply(
                thread, request.user, form.cleaned_data["body"], quoted=quoted,
                images=_images(form), hold=safety.must_hold(request.user),
            )  # fmt: skip
            if post.held:
                messages.info(request, HELD_MESSAGE)
            url = reverse("forums:thread", args=[thread.pk])
            return redirect(f"{url}?page=last#post-{post.pk}")
        if refused == 400:
            messages.error(request, _("Nothing was posted: please correct the errors below."))
        status = refused
    if quoted is not None:
        quoted.author_name = _name(quoted.author, request.user)
    return render(
        request,
        "forums/post_form.html",
        {"form": form, "thread": thread, "quoted": quoted, "noindex": True},
        status=status,
    )


@login_required
def edit_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_or_404(request, pk)
    if not permissions.can_edit_post(request.user, post):
        raise PermissionDenied
    form = EditPostForm(request.POST or None, request.FILES or None, initial={"body": post.body})
    status = 200
    if request.method == "POST":
        if form.is_valid() and safety.refuse(request, form, count=False) is None:
            posting.edit_post(post, request.user, form.cleaned_data["body"], images=_images(form))
            if post.held:
                messages.info(request, HELD_MESSAGE)
            else:
                messages.success(request, _("Your post has been updated."))
            url = reverse("forums:thread", args=[post.thread_id])
            return redirect(f"{url}?after={post.pk - 1}#post-{post.pk}")
        messages.error(request, _("Nothing was saved: please correct the errors below."))
        status = 400
    return render(
        request,
        "forums/post_form.html",
        {"form": form, "thread": post.thread, "editing": post, "noindex": True},
        status=status,
    )


@login_required
def edit_thread(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread_or_404(request, pk)
    if not permissions.can_edit_thread(request.user, thread):
        raise PermissionDenied
    initial = {
        "title": thread.title,
        "language": thread.language,
        "tags": ", ".join(thread.tags.names()),
    }
    form = ThreadMetaForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            posting.edit_thread(thread, data["title"], data["language"] or thread.language,
                                data["tags"])  # fmt: skip
            if thread.held:
                messages.info(request, HELD_MESSAGE)
            else:
                messages.success(request, _("The thread has been updated."))
            return redirect("forums:thread", thread.pk)
        messages.error(request, _("Nothing was saved: please correct the errors below."))
        status = 400
    return render(
        request,
        "forums/thread_form.html",
        {"form": form, "forum": thread.forum, "thread": thread, "noindex": True},
        status=status,
    )


@require_POST
@login_required
def delete_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_or_404(request, pk)
    if not permissions.can_delete_post(request.user, post):
        raise PermissionDenied
    posting.delete_own_post(post)
    messages.success(request, _("Your post has been deleted."))
    if post.thread.deleted:
        return redirect("forums:forum", post.thread.forum.slug)
    return redirect("forums:thread", post.thread_id)


@require_POST
@login_required
def react(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_or_404(request, pk)
    kind = request.POST.get("kind", "")
    if not permissions.can_react(request.user, post) or kind not in Reaction.Kind.values:
        raise PermissionDenied
    reactions.toggle(post, request.user, kind)
    url = reverse("forums:thread", args=[post.thread_id])
    return redirect(f"{url}?after={post.pk - 1}#post-{post.pk}")


@require_POST
@login_required
def mark_answer(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_or_404(request, pk)
    if not permissions.can_mark_answer(request.user, post.thread):
        raise PermissionDenied
    chosen = None if post.thread.answer_id == post.pk else post
    posting.mark_answer(post.thread, chosen)
    return redirect("forums:thread", post.thread_id)


@login_required
def mentions(request: HttpRequest) -> JsonResponse:
    """Members whose name starts with `?q=`, for the @mention autocomplete.

    Only listed-able people: never protected or moderated profiles, inactive accounts, or
    members who blocked the one asking.
    """
    prefix = request.GET.get("q", "").strip()[:50]
    if len(prefix) < 2:
        return JsonResponse({"results": []})
    blocked_me = Block.objects.filter(blocker=OuterRef("user_id"), blocked=request.user)
    found = (
        Profile.objects.filter(protected=False, hidden_by_moderation=False, user__is_active=True)
        .filter(
            Q(display_name__istartswith=prefix)
            | Q(display_name="", user__first_name__istartswith=prefix)
        )
        .exclude(Exists(blocked_me))
        .exclude(user=request.user)
        .select_related("user")
        .order_by("display_name", "pk")[:MENTION_RESULTS]
    )
    return JsonResponse({"results": [{"id": p.pk, "name": p.name} for p in found]})


# --- Moderators ----------------------------------------------------------------------------

THREAD_ACTIONS = {
    "pin": ("pinned", True), "unpin": ("pinned", False),
    "lock": ("locked", True), "unlock": ("locked", False),
    "close": ("closed", True), "reopen": ("closed", False),
}  # fmt: skip


@require_POST
@privileged(MODERATE_PERMISSION)
def moderate_thread(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread_or_404(request, pk)
    action = request.POST.get("action", "")
    if action in THREAD_ACTIONS or action in ("hide", "unhide"):
        form = ThreadActionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The reason is too long: shorten it and try again."))
            return redirect("forums:thread", thread.pk)
        note = form.cleaned_data["note"]
        if action in THREAD_ACTIONS:
            flag, value = THREAD_ACTIONS[action]
            moderating.set_flag(thread, request.user, flag, value, note)
        else:
            try:
                moderating.hide_or_show_thread(thread, request.user, action == "hide", note)
            except ActionRefused as refusal:
                messages.error(request, str(refusal))
                return redirect("forums:thread", thread.pk)
    elif action == "move":
        form = MoveForm(request.POST)
        if not form.is_valid():
            if "note" in form.errors:
                messages.error(request, _("The reason is too long: shorten it and try again."))
            else:
                messages.error(request, _("Choose the forum to move this thread to."))
            return redirect("forums:thread", thread.pk)
        data = form.cleaned_data
        moderating.move(thread, request.user, data["forum"], data["note"])
    else:
        messages.error(request, _("Unknown action."))
        return redirect("forums:thread", thread.pk)
    messages.success(request, _("Done."))
    return redirect("forums:thread", thread.pk)


@require_POST
@privileged(MODERATE_PERMISSION)
def moderate_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_or_404(request, pk)
    url = reverse("forums:thread", args=[post.thread_id])
    back = f"{url}?after={post.pk - 1}#post-{post.pk}"
    action = request.POST.get("action", "")
    form = ThreadActionForm(request.POST)
    if action not in ("hide", "show"):
        messages.error(request, _("Unknown action."))
        return redirect(back)
    if not form.is_valid():
        messages.error(request, _("The reason is too long: shorten it and try again."))
        return redirect(back)
    hide = action == "hide"
    try:
        moderating.hide_or_show_post(post, request.user, hide, form.cleaned_data["note"])
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(back)
    messages.success(request, _("The post is hidden.") if hide else _("The post is shown again."))
    return redirect(back)


@privileged(MODERATE_PERMISSION)
def history(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_or_404(request, pk)
    post.author_name = _name(post.author, request.user)
    return render(
        request,
        "forums/history.html",
        {
            "post": post,
            "revisions": list(post.revisions.select_related("edited_by")),
            "noindex": True,
        },
    )


@privileged(MODERATE_PERMISSION)
def review(request: HttpRequest) -> HttpResponse:
    """Posts held for review (word lists, new members), oldest first, each shown in full."""
    held = list(
        Post.objects.filter(held=True, hidden=False, deleted=False)
        .select_related("thread__forum", "author__profile")
        .order_by("pk")[:100]
    )
    for post in held:
        post.author_name = _name(post.author, request.user)
    return render(request, "forums/review.html", {"held": held, "noindex": True})


@require_POST
@privileged(MODERATE_PERMISSION)
def decide_held(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(
        Post.objects.select_related("thread__forum"), pk=pk, held=True, hidden=False
    )
    decision = request.POST.get("decision")
    if decision == "approve":
        try:
            moderating.approve_held(post, request.user)
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("forums:review")
        messages.success(request, _("The post is published."))
    elif decision == "reject":
        moderating.reject_held(post, request.user)
        messages.success(request, _("The post stays hidden; its author can still see it."))
    return redirect("forums:review")
