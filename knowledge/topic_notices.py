"""Telling members who follow a topic that a new resource about it was published.

Connected to Wagtail's `page_published` for `ResourcePage` (in `submission_declarations.py`):
on a page's first publication only (a later edit tells nobody), a background task finds the
followers of each of its topics (`core.follows`, a topic followed in any language) and notifies
each member once through `core.notify`. A resource that is unpublished or restricted since is
neither listed nor e-mailed (the kind's `is_visible`). Knowledge uses only `core` for this.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.follows import followers
from core.models import Topic
from core.notify import notify

KIND = "knowledge.followed_topic"


def on_published(page) -> None:
    if page.first_published_at is None or page.first_published_at != page.last_published_at:
        return
    from .tasks import tell_topic_followers

    pk = page.pk
    transaction.on_commit(lambda: tell_topic_followers.enqueue(pk))


def tell_followers(page_id: int) -> int:
    from .models import ResourcePage

    page = ResourcePage.objects.filter(pk=page_id, live=True).first()
    if page is None:
        return 0
    told: set[int] = set()
    for topic in page.topics.all():
        for member in followers(topic).exclude(pk__in=told):
            if notify(KIND, member, target=page, title=page.title, topic=topic.slug):
                told.add(member.pk)
    return len(told)


def describe(notification) -> str:
    slug = notification.data.get("topic", "")
    topic = (
        Topic.objects.filter(slug=slug, locale__language_code=get_language()).first()
        or Topic.objects.filter(slug=slug).first()
    )
    return _("A new resource about %(topic)s, a topic you follow: %(title)s") % {
        "topic": topic.label if topic else slug,
        "title": notification.data.get("title", ""),
    }


def url(notification) -> str:
    page = notification.target
    return (page.url or "/") if page is not None else "/"


def is_visible(recipient, page) -> bool:
    return page is not None and page.live and not page.get_view_restrictions().exists()
