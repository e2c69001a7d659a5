"""`/api/v1/forums/`, `/api/v1/threads/` and a thread's posts: the public discussions.

The open data holds what an anonymous reader of the site reads, decided by `permissions`
(`can_read_forum`, `can_read_thread`) for that reader: an organisation's members-only forum and
its threads do not exist here for anyone; hidden, deleted and held threads and posts never
appear (a moderator's view of them stays on the site). Authors are named as the site names them
for an anonymous reader ("a member" for a protected one, `views._name`).
"""

from __future__ import annotations

from rest_framework import serializers

from django.db.models import Q
from django.urls import reverse

from community.members.models import PAGE_GROUP as MEMBERS
from core.api import (
    PUBLIC_VIEWER,
    ApiReadView,
    Ordering,
    PagingParams,
    known,
    ordering_field,
    public_or_404,
    read_operation,
)
from core.api_taxonomy import (
    CountryRefSerializer,
    TopicRefSerializer,
    country_ref,
    topic_param,
    topic_refs,
)

from . import permissions
from .models import INDEX_GROUP, Forum, Language, Post, Thread
from .views import _name as author_name

THREAD_ORDERINGS = {
    "active": Ordering("active", (("last_post_at", True), ("pk", True))),
    "newest": Ordering("newest", (("created_at", True), ("pk", True))),
}
POST_ORDERING = Ordering("oldest", (("pk", False),))


def public_forums():
    """Forums an anonymous reader may read (the rule itself: `permissions.can_read_forum`)."""
    return Forum.objects.exclude(members_only=True, organisation__isnull=False).select_related(
        "organisation", "topic"
    )


def visible_threads():
    return Thread.objects.filter(
        hidden=False, deleted=False, held=False, forum__in=public_forums()
    ).select_related("forum__organisation", "author__profile")


class ForumOrganisationSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class ForumSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    topic = TopicRefSerializer(allow_null=True)
    country = CountryRefSerializer(allow_null=True)
    organisation = ForumOrganisationSerializer(allow_null=True)
    thread_count = serializers.IntegerField()
    post_count = serializers.IntegerField()
    last_post_at = serializers.DateTimeField(allow_null=True)
    url = serializers.URLField()


class ForumListSerializer(serializers.Serializer):
    results = ForumSerializer(many=True)


class ThreadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    forum = serializers.CharField(help_text="The forum's slug.")
    title = serializers.CharField()
    language = serializers.ChoiceField(choices=Language.values)
    author = serializers.CharField(help_text="As the site names them to the public.")
    tags = serializers.ListField(child=serializers.CharField())
    pinned = serializers.BooleanField()
    locked = serializers.BooleanField()
    closed = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    last_post_at = serializers.DateTimeField()
    url = serializers.URLField()


class PostSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.CharField()
    body_html = serializers.CharField(help_text="Sanitised HTML, as the site shows it.")
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    is_answer = serializers.BooleanField(help_text="Marked by the thread's author as the answer.")


def forum_data(forum: Forum, request, language: str) -> dict:
    organisation = forum.organisation
    return {
        "slug": forum.slug,
        "name": forum.name,
        "description": forum.description,
        "topic": (topic_refs([forum.topic_id], language) or [None])[0] if forum.topic_id else None,
        "country": country_ref(forum.country.code) if forum.country else None,
        "organisation": {"slug": organisation.slug, "name": organisation.name}
        if organisation is not None and not organisation.hidden
        else None,
        "thread_count": forum.thread_count,
        "post_count": forum.post_count,
        "last_post_at": forum.last_post_at.isoformat() if forum.last_post_at else None,
        "url": request.build_absolute_uri(forum.get_absolute_url()),
    }


def thread_data(thread: Thread, request) -> dict:
    return {
        "id": thread.pk,
        "forum": thread.forum.slug,
        "title": thread.title,
        "language": thread.language,
        "author": str(author_name(thread.author, PUBLIC_VIEWER)),
        "tags": sorted((tag.name for tag in thread.tags.all()), key=str.casefold),
        "pinned": thread.pinned,
        "locked": thread.locked,
        "closed": thread.closed,
        "created_at": thread.created_at.isoformat(),
        "last_post_at": thread.last_post_at.isoformat(),
        "url": request.build_absolute_uri(reverse("forums:thread", args=[thread.pk])),
    }


@read_operation("forums_list", "The public forums", "forums", ForumListSerializer)
class ForumList(ApiReadView):
    """Forums everyone may read (no members-only forum)."""

    etag_groups = (INDEX_GROUP,)

    def build(self, request, params: dict, **kwargs) -> dict:
        forums = public_forums().order_by("order", "name", "pk")
        return {
            "results": [
                forum_data(forum, request, self.language)
                for forum in forums
                if permissions.can_read_forum(PUBLIC_VIEWER, forum)
            ]
        }


@read_operation(
    "forums_retrieve", "One public forum", "forums", ForumSerializer, path=("slug", str)
)
class ForumDetail(ApiReadView):
    """One forum everyone may read."""

    etag_groups = (INDEX_GROUP,)

    def build(self, request, params: dict, slug: str = "", **kwargs) -> dict:
        forum = public_or_404(public_forums(), permissions.can_read_forum, slug=slug)
        return forum_data(forum, request, self.language)


class ThreadParams(PagingParams):
    forum = serializers.SlugField(
        required=False,
        max_length=80,
        validators=[known(lambda slug: public_forums().filter(slug=slug).exists())],
        help_text="A forum's slug.",
    )
    language = serializers.ChoiceField(choices=Language.values, required=False)
    topic = topic_param("Threads of forums about this topic.")
    tag = serializers.CharField(required=False, max_length=100)
    ordering = ordering_field(THREAD_ORDERINGS, "active")


@read_operation("threads_list", "Threads of the public forums", "forums", ThreadSerializer)
class ThreadList(ApiReadView):
    """Visible threads of the public forums."""

    params_class = ThreadParams
    etag_groups = (INDEX_GROUP, MEMBERS)

    def build(self, request, params: dict, **kwargs) -> dict:
        threads = visible_threads().prefetch_related("tags")
        if params.get("forum"):
            threads = threads.filter(forum__slug=params["forum"])
        if params.get("language"):
            threads = threads.filter(language=params["language"])
        if params.get("topic"):
            threads = threads.filter(forum__topic__slug=params["topic"])
        if params.get("tag"):
            threads = threads.filter(tags__name__iexact=params["tag"]).distinct()
        page = self.page_of(request, threads, THREAD_ORDERINGS[params.get("ordering") or "active"])
        return self.page_response(
            request,
            page,
            lambda items: [
                thread_data(item, request)
                for item in items
                if permissions.can_read_thread(PUBLIC_VIEWER, item)
            ],
        )


def _public_thread(pk: int) -> Thread:
    return public_or_404(visible_threads(), permissions.can_read_thread, pk=pk)


@read_operation(
    "threads_retrieve", "One public thread", "forums", ThreadSerializer, path=("id", int)
)
class ThreadDetail(ApiReadView):
    """One visible thread of a public forum."""

    etag_groups = (INDEX_GROUP, MEMBERS)

    def build(self, request, params: dict, id: int = 0, **kwargs) -> dict:
        return thread_data(_public_thread(id), request)


@read_operation(
    "threads_posts_list",
    "The visible posts of a public thread, oldest first",
    "forums",
    PostSerializer,
    path=("id", int),
)
class PostList(ApiReadView):
    """The visible posts of a public thread, oldest first."""

    paged = True
    etag_groups = (INDEX_GROUP, MEMBERS)

    def build(self, request, params: dict, id: int = 0, **kwargs) -> dict:
        thread = _public_thread(id)
        posts = Post.objects.filter(thread=thread).filter(
            Q(hidden=False) & Q(deleted=False) & Q(held=False)
        )
        page = self.page_of(request, posts.select_related("author__profile"), POST_ORDERING)
        return self.page_response(
            request,
            page,
            lambda items: [
                {
                    "id": post.pk,
                    "author": str(author_name(post.author, PUBLIC_VIEWER)),
                    "body_html": post.body_html,
                    "created_at": post.created_at.isoformat(),
                    "edited_at": post.edited_at.isoformat() if post.edited_at else None,
                    "is_answer": post.pk == thread.answer_id,
                }
                for post in items
                if post.is_visible
            ],
        )
