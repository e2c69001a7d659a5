"""What search indexes of the forums: one document per thread a reader could open (not hidden,
deleted or held for review), made of its title, first post and replies' text (visible posts
only), trimmed, in the thread's language.

Access: a public forum's threads are for everyone; an organisation's members-only forum's
threads only for that organisation's members (`organisation_audience`, matched against the
audiences `community/organisations/search_documents.py` provides for each reader).

Re-indexing: a thread's own save (hide, move, held → approved) goes through `search.signals`;
here a post's save (new, edited, hidden, approved) re-indexes its thread, and a forum's save
(privacy changed) re-indexes all its threads. Erasure (declarations.py) schedules its threads.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.bulk import is_bulk_loading
from core.sanitize import plain_text
from search.documents import PUBLIC, Document, organisation_audience
from search.registry import SearchAdapter, register
from search.signals import schedule
from search.tasks import index_objects

from .models import Forum, Post, Thread

DOC_TYPE = "forum_thread"
# Enough to find a thread by what was said in it without indexing a 5,000-post thread whole.
BODY_CHARS = 20_000
POSTS_INDEXED = 200


@register
class ThreadAdapter(SearchAdapter):
    doc_type = DOC_TYPE
    model = Thread
    label = _("Forum threads")
    order = 50
    localised_urls = True

    def queryset(self):
        return Thread.objects.select_related("forum")

    def document(self, obj: Thread) -> Document | None:
        if not obj.is_visible:
            return None
        forum = obj.forum
        posts = (
            Post.objects.filter(thread=obj, hidden=False, deleted=False, held=False)
            .order_by("pk")
            .values_list("body_html", flat=True)[:POSTS_INDEXED]
        )
        body, size = [], 0
        for html in posts:
            text = plain_text(html).strip()
            body.append(text)
            size += len(text) + 2
            if size >= BODY_CHARS:
                break
        if not body:
            return None  # its first post is gone: nothing to find
        audiences = [organisation_audience(forum.organisation_id)] if forum.is_private else [PUBLIC]
        with translation.override(settings.LANGUAGE_CODE):
            url = reverse("forums:thread", args=[obj.pk])
        return Document(
            key=self.key(obj.pk),
            doc_type=self.doc_type,
            object_id=str(obj.pk),
            language=obj.language,
            title=obj.title,
            body="\n\n".join(body)[:BODY_CHARS],
            url=url,
            audiences=audiences,
            countries=[str(forum.country)] if forum.country else [],
            topics=[forum.topic.slug] if forum.topic_id else [],
            date=obj.last_post_at,
            published=obj.created_at,  # a reply makes it current, not new
        )


def _post_saved(sender, instance: Post, **kwargs) -> None:
    if kwargs.get("raw") or is_bulk_loading():
        return
    schedule(DOC_TYPE, instance.thread_id)


def _forum_saved(sender, instance: Forum, created: bool = False, **kwargs) -> None:
    if created or kwargs.get("raw") or is_bulk_loading():
        return
    ids = [str(pk) for pk in Thread.objects.filter(forum=instance).values_list("pk", flat=True)]
    if ids:
        # One task for the whole forum (its privacy may have changed), after the commit.
        transaction.on_commit(lambda: index_objects.enqueue(DOC_TYPE, ids))


post_save.connect(_post_saved, sender=Post, dispatch_uid="forums_search_post_saved")
post_save.connect(_forum_saved, sender=Forum, dispatch_uid="forums_search_forum_saved")
