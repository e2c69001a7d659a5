"""What forums declares into the kernel: moderation (threads and posts are reportable), "Your
data" (export and erasure of a member's posts), the dashboard's "My threads", the home page's
"Active threads" panel, the demo loader, page-cache signals for forums changed in the admin, and
the live `thread` stream (with a revoke when a forum changes who may read it).

Notifications: the kinds forums sends (`notices.py`: mentions, replies, new threads, answers),
and threads and forums as things a member may follow or mute (only when they may read them).

The navigation entry `forums` (declared by core) becomes a link once `forums:index` resolves.

Erasure deletes what the person wrote and keeps only the place it held: each post's text,
images, edit history and mentions go, the post stays as "deleted" with no author, so the
replies of others keep their order and meaning; a thread nobody else wrote in goes entirely.
Why not keep posts anonymised, as many forums do: a post's text says where someone lives, who
they are, what they fled; with the name removed it still points at them (for members in
protected mode most of all), and the right to erasure covers it. Others' replies stay: they
are their authors' data, not this person's.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from core.compiled_queries import CompiledQueries
from core.follows import register_followable
from core.page_cache import invalidate_groups
from core.registries import (
    DashboardPanel,
    DemoLoader,
    LiveStream,
    PagePanel,
    PersonalData,
    ReportableModel,
    TrustContribution,
    dashboard_panels,
    demo_loaders,
    live_streams,
    notification_kinds,
    page_panels,
    personal_data,
    reportable_models,
    trust_contributions,
)
from search.signals import schedule

from . import live, moderating, notices, permissions
from .models import (
    INDEX_GROUP,
    Forum,
    Mention,
    Post,
    PostImage,
    PostRevision,
    Thread,
    forum_details_group,
    forum_group,
)
from .search_documents import DOC_TYPE


def _forum_changed(sender, instance: Forum, **kwargs) -> None:
    invalidate_groups(INDEX_GROUP, forum_group(instance.pk), forum_details_group(instance.pk))


post_save.connect(_forum_changed, sender=Forum, dispatch_uid="forum_saved")
post_delete.connect(_forum_changed, sender=Forum, dispatch_uid="forum_deleted")


# --- Live threads ------------------------------------------------------------------------------

live_streams.register(live.STREAM, LiveStream(live.STREAM, live.group_for))


def _forum_saving(sender, instance: Forum, **kwargs) -> None:
    # Remember who could read it, to tell after the save whether that changed.
    old = Forum.objects.filter(pk=instance.pk).values("members_only", "organisation_id").first()
    instance._readers_before = (old["members_only"], old["organisation_id"]) if old else None


def _forum_saved_access(sender, instance: Forum, created: bool, **kwargs) -> None:
    before = getattr(instance, "_readers_before", None)
    if not created and before != (instance.members_only, instance.organisation_id):
        live.forum_access_changed()


def _forum_deleted_access(sender, instance: Forum, **kwargs) -> None:
    live.forum_access_changed()  # its threads went with it


pre_save.connect(_forum_saving, sender=Forum, dispatch_uid="forum_live_saving")
post_save.connect(_forum_saved_access, sender=Forum, dispatch_uid="forum_live_saved")
post_delete.connect(_forum_deleted_access, sender=Forum, dispatch_uid="forum_live_deleted")


# --- Moderation ------------------------------------------------------------------------------


def _thread_url(thread: Thread) -> str:
    return reverse("forums:thread", args=[thread.pk])


def _post_url(post: Post) -> str:
    return f"{_thread_url(post.thread)}?after={post.pk - 1}#post-{post.pk}"


def _show_thread(request, thread: Thread) -> str:
    first = thread.posts.order_by("pk").first()
    return format_html(
        '<p><a href="{}">{}</a> · {}</p><div dir="auto">{}</div>',
        _thread_url(thread),
        thread.title,
        thread.forum.name,
        first.body_html if first else "",  # stored sanitised
    )


def _show_post(request, post: Post) -> str:
    return format_html(
        '<p><a href="{}">{}</a></p><div dir="auto">{}</div>',
        _post_url(post),
        post.thread.title,
        post.body_html,  # stored sanitised
    )


reportable_models.register(
    "forums.Thread",
    ReportableModel(
        "forums.Thread",
        author=lambda thread: thread.author,
        url=_thread_url,
        hide=lambda thread, moderator: moderating.set_thread_hidden(thread, moderator, True),
        restore=lambda thread, moderator: moderating.set_thread_hidden(thread, moderator, False),
        is_hidden=lambda thread: thread.hidden,
        show=_show_thread,
        can_view=lambda user, thread: (
            thread.is_visible and permissions.can_read_thread(user, thread)
        ),
        delete=moderating.delete_thread,
    ),
)
reportable_models.register(
    "forums.Post",
    ReportableModel(
        "forums.Post",
        author=lambda post: post.author,
        url=_post_url,
        hide=lambda post, moderator: moderating.set_post_hidden(post, moderator, True),
        restore=lambda post, moderator: moderating.set_post_hidden(post, moderator, False),
        is_hidden=lambda post: post.hidden,
        show=_show_post,
        can_view=lambda user, post: (
            post.is_visible and permissions.can_read_thread(user, post.thread)
        ),
        delete=moderating.delete_post,
    ),
)


# --- Trust (core.trust) ----------------------------------------------------------------------


def _approved_posts(user) -> int:
    """Posts others can read: approved (or never held), not hidden, not deleted."""
    return Post.objects.filter(author=user, held=False, hidden=False, deleted=False).count()


trust_contributions.register("forums", TrustContribution("forums", _approved_posts))


# --- Your data -------------------------------------------------------------------------------


def _export(user) -> dict[str, Any]:
    posts = Post.objects.filter(author=user).select_related("thread__forum").order_by("pk")
    return {
        "threads_started": [
            {"title": t.title, "forum": t.forum.name, "language": t.language,
             "created_at": t.created_at.isoformat()}
            for t in Thread.objects.filter(author=user).select_related("forum").order_by("pk")
        ],
        "posts": [
            {"thread": p.thread.title, "forum": p.thread.forum.name, "text": p.body,
             "created_at": p.created_at.isoformat(),
             "edited_at": p.edited_at.isoformat() if p.edited_at else None,
             "deleted_by_you": p.deleted and not p.deleted_by_moderator,
             "deleted_by_moderators": p.deleted_by_moderator, "hidden_by_moderators": p.hidden}
            for p in posts
        ],
    }  # fmt: skip


def _files(user) -> list[tuple[str, Any]]:
    return [
        (f"post-{image.post_id}-{image.image.name.rsplit('/', 1)[-1]}", image.image)
        for image in PostImage.objects.filter(post__author=user)
    ]


def _erase(user) -> None:
    from .posting import forget_pages

    alone = Thread.objects.filter(author=user).exclude(
        pk__in=Post.objects.exclude(author=user).values("thread_id")
    )
    for thread in list(alone.select_related("forum")):
        forget_pages(thread)
        thread.delete()
    posts = Post.objects.filter(author=user)
    for image in PostImage.objects.filter(post__in=posts):
        image.image.delete(save=False)
        image.thumbnail.delete(save=False)
    PostImage.objects.filter(post__in=posts).delete()
    PostRevision.objects.filter(post__in=posts).delete()
    Mention.objects.filter(post__in=posts).delete()
    for thread in Thread.objects.filter(pk__in=posts.values("thread_id")).distinct():
        forget_pages(thread)
    touched = list(posts.values_list("thread_id", flat=True).distinct())
    posts.update(author=None, body="", body_html="", deleted=True)
    for pk in touched:  # their text leaves search too
        schedule(DOC_TYPE, pk)
    Thread.objects.filter(author=user).update(author=None)


personal_data.register(
    "forums",
    PersonalData(
        "forums",
        gettext_lazy("Your forum posts"),
        export=_export,
        erase=_erase,
        files=_files,
        order=60,
    ),
)


# --- Dashboard -------------------------------------------------------------------------------


# The dashboard panel's read, on every view of `/me/`, compiled to SQL once per process.
_compiled = CompiledQueries("forums' dashboard panel", max_entries=2)


def _my_threads(request) -> str | None:
    user = request.user
    threads = _compiled.rows(
        "my threads",
        lambda: (
            Thread.objects.filter(author=user, deleted=False)
            .select_related("forum")
            .order_by("-last_post_at")[:5]
        ),
        [user.pk],
    )
    if not threads:
        return None
    return render_to_string("forums/_my_threads.html", {"threads": threads}, request)


dashboard_panels.register(
    "forums_my_threads",
    DashboardPanel(
        "forums_my_threads",
        gettext_lazy("My threads"),
        _my_threads,
        order=60,
        is_visible=lambda user: bool(user.is_authenticated),
    ),
)


# --- Home page ----------------------------------------------------------------------------------

HOME_THREADS = 5


def _active_threads(request, page) -> str:
    """The threads of public forums with the latest replies, or nothing when there are none.
    The same for every reader (a members-only forum's threads never show, nor authors' names),
    so the panel is kept per process; every thread change empties INDEX_GROUP
    (`posting.forget_pages`), as does a forum's (`_forum_changed`)."""
    threads = list(
        Thread.objects.filter(hidden=False, deleted=False, held=False)
        .exclude(forum__members_only=True, forum__organisation__isnull=False)
        .select_related("forum")
        .only("pk", "title", "post_count", "forum__name")
        .order_by("-last_post_at", "-pk")[:HOME_THREADS]
    )
    if not threads:
        return ""
    return render_to_string("forums/_home_panel.html", {"threads": threads}, request)


# After opportunities (30), events (35) and organisations (40).
page_panels.register(
    "forums_home",
    PagePanel(
        "forums_home",
        "home",
        _active_threads,
        order=45,
        groups=(INDEX_GROUP,),
        varies_on=lambda request: (),
    ),
)


def _load_demo(progress):
    from .demo import load

    return load(progress)


# After organisations (40) and opportunities (50): a private forum belongs to a demo organisation.
demo_loaders.register("forums", DemoLoader("forums", _load_demo, order=60))


# --- Notifications and follows ---------------------------------------------------------------

for _kind in notices.KINDS:
    notification_kinds.register(_kind.key, _kind)

register_followable("forums.thread", permissions.can_read_thread)
register_followable("forums.forum", permissions.can_read_forum)
