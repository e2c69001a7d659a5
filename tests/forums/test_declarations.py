"""What forums declares into the hub: reports of threads and posts reach the moderation queue,
"Your data" exports posts and erasure removes their text, "My threads" on the dashboard, and
the demo at the issue's scale."""

from __future__ import annotations

import pytest

from community.forums.models import Forum, Post, Thread
from core.registries import personal_data

pytestmark = pytest.mark.django_db


def test_a_reported_post_reaches_the_queue_and_a_moderator_hides_it(forums):
    from community.moderation.models import Report

    reply = forums["reply"]
    response = forums["member"].post(
        f"/en/report/forums.post/{reply.pk}/", {"reason": "spam", "text": "Advert"}
    )
    assert response.status_code == 302
    report = Report.objects.get(object_id=reply.pk, reporter=forums["users"]["member"])
    queue = forums["moderator"].get("/en/moderation/").content.decode()
    assert "in writing" in queue  # the post shown in context
    forums["moderator"].post(
        "/en/moderation/decide/",
        {"content_type": report.content_type_id, "object_id": reply.pk, "action": "hide"},
    )
    reply.refresh_from_db()
    assert reply.hidden


def test_export_holds_the_posts_and_erasure_removes_their_text_but_keeps_others_replies(forums):
    user = forums["users"]["member"]
    thread = forums["thread"]
    alone = Thread.objects.create(forum=forums["public"], title="Nobody answered", author=user,
                                  language="en")  # fmt: skip
    Post.objects.create(thread=alone, author=user, body="Hello?", body_html="<p>Hello?</p>")
    exported = personal_data["forums"].export(user)
    assert {p["text"] for p in exported["posts"]} == {"Does anyone know the rules?", "Hello?"}
    personal_data["forums"].erase(user)
    assert not Thread.objects.filter(pk=alone.pk).exists()
    first = forums["first"]
    first.refresh_from_db()
    assert first.author is None and first.body == "" and first.deleted
    assert Post.objects.get(pk=forums["reply"].pk).author == forums["users"]["admin"]
    page = forums["anonymous"].get(f"/en/forums/threads/{thread.pk}/").content.decode()
    assert "Does anyone know the rules?" not in page and "in writing" in page


def test_my_threads_on_the_dashboard(forums):
    page = forums["member"].get("/en/me/").content.decode()
    assert "My threads" in page and "Dual nationality question" in page


def test_the_demo_has_forums_threads_in_four_languages_reactions_and_reports_waiting():
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import F
    from django.test import Client

    from community.forums.models import Reaction
    from community.moderation.models import Report

    forums = Forum.objects.filter(slug__in=[
        "citizenship-and-consular", "health-network-members", "senegal-diaspora"])  # fmt: skip
    assert forums.count() == 3 and Forum.objects.count() >= 8
    assert Forum.objects.get(slug="health-network-members").is_private
    threads = Thread.objects.all()
    assert threads.count() >= 60
    assert all(threads.filter(language=code).count() >= 12 for code in "en fr es ar".split())
    assert Post.objects.count() > threads.count() * 2
    assert (
        Report.objects.filter(
            content_type=ContentType.objects.get_for_model(Post), status="open"
        ).count()
        >= 2
    )
    # Reactions of every kind, on most threads, never on one's own post, shown to readers.
    reacted = threads.filter(posts__reactions__isnull=False).distinct()
    assert reacted.count() >= threads.count() * 0.9
    assert set(Reaction.objects.values_list("kind", flat=True)) == set(Reaction.Kind.values)
    assert not Reaction.objects.filter(member=F("post__author")).exists()
    shown = Thread.objects.get(title="Cheapest way to send £200 a month home?")
    reaction = Reaction.objects.filter(post__thread=shown).select_related("post").first()
    count = reaction.post.reactions.filter(kind=reaction.kind).count()
    page = Client().get(f"/en/forums/threads/{shown.pk}/").content.decode()
    label = Reaction.Kind(reaction.kind).label
    assert f'<span class="reaction">{label} {count}</span>' in page
