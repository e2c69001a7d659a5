"""Live threads: the `thread` stream, its events (ids only), the per-reader posts endpoint, the
catch-up after a restart, and each way of taking a reader's access away (revokes).

The socket tests run on both real set-ups, like tests/core/test_live.py: the in-memory layer
bridged by PostgreSQL NOTIFY, and Redis where REDIS_TEST_URL names a server. A NOTIFY is only
sent when its transaction commits, so those tests write for real (`committed` below builds
their small world and removes it afterwards); sockets sign in through a real session cookie, so
a log-out empties the session they re-read.
"""

from __future__ import annotations

import json
import os
import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.auth import AuthMiddlewareStack
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator

from django.conf import settings
from django.test import Client
from django.urls import reverse

from community.forums import live, moderating, posting, reactions, reading
from community.forums.models import Forum
from community.members.models import Block
from community.organisations import membership
from community.organisations.models import Membership, Organisation, Role
from core.consumers import LiveConsumer
from core.models import User
from tests.conftest import require, run_async
from tests.factories import (
    UserFactory,
    accept_current_policies,
    force_login_with_second_factor,
    give_totp,
)


@pytest.fixture(params=["postgres", "redis"])
def layer(request, settings, django_db_setup, django_db_blocker):
    if request.param == "redis":
        url = os.environ.get("REDIS_TEST_URL")
        require(bool(url), "REDIS_TEST_URL is not set: the Redis channel layer is not tested")
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {"hosts": [url], "prefix": f"test-{os.getpid()}"},
            }
        }
    channel_layers.backends = {}
    with django_db_blocker.unblock():
        yield request.param
    channel_layers.backends = {}


@pytest.fixture
def committed(layer):
    """A public forum with a thread, an organisation's private forum with a thread, and their
    readers, written for real (so that NOTIFY and on-commit sends happen), removed afterwards."""
    tag = uuid.uuid4().hex[:8]
    people = {}
    for name in ("admin", "org_member", "outsider", "moderator"):
        people[name] = UserFactory(role="Moderator" if name == "moderator" else "Member")
        accept_current_policies(people[name])
    organisation = Organisation.objects.create(name=f"Live Org {tag}", slug=f"live-{tag}")
    Membership.objects.create(organisation=organisation, user=people["admin"], role=Role.ADMIN)
    Membership.objects.create(
        organisation=organisation, user=people["org_member"], role=Role.MEMBER
    )
    public = Forum.objects.create(slug=f"pub-{tag}", name=f"Public {tag}")
    private = Forum.objects.create(
        slug=f"priv-{tag}", name=f"Private {tag}", organisation=organisation, members_only=True
    )
    thread = posting.start_thread(public, people["outsider"], "Open question", "Hello all")
    secret = posting.start_thread(private, people["org_member"], "Internal", "Members only")
    sessions = {f"as_{name}": signed_in(user) for name, user in people.items()}
    # A moderator's session reads as a moderator only once it gave the second factor.
    sessions["as_moderator_password_only"] = sessions["as_moderator"]
    sessions["as_moderator"] = Client()
    force_login_with_second_factor(sessions["as_moderator"], people["moderator"])
    try:
        yield {**people, **sessions, "organisation": organisation, "public": public,
               "private": private, "thread": thread, "secret": secret}  # fmt: skip
    finally:
        Forum.objects.filter(pk__in=[public.pk, private.pk]).delete()
        Membership.objects.filter(organisation=organisation).delete()
        organisation.delete()
        User.objects.filter(pk__in=[u.pk for u in people.values()]).delete()


def run(scenario):
    run_async(scenario)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


async def connect(client: Client | None = None) -> WebsocketCommunicator:
    headers = []
    if client is not None:
        name = settings.SESSION_COOKIE_NAME
        cookie = f"{name}={client.cookies[name].value}"
        headers.append((b"cookie", cookie.encode()))
    socket = WebsocketCommunicator(
        AuthMiddlewareStack(LiveConsumer.as_asgi()), "/ws/live/?lang=en", headers=headers
    )
    connected, _ = await socket.connect()
    assert connected
    return socket


async def follow(socket: WebsocketCommunicator, thread) -> dict:
    await socket.send_json_to({"type": "subscribe", "stream": "thread", "id": str(thread.pk)})
    return await socket.receive_json_from(timeout=5)


async def following(client: Client | None, thread) -> WebsocketCommunicator:
    socket = await connect(client)
    assert (await follow(socket, thread))["type"] == "subscribed"
    return socket


async def revoked(socket: WebsocketCommunicator, thread) -> None:
    frame = await socket.receive_json_from(timeout=5)
    assert frame["type"] == "revoked"
    assert (frame["stream"], frame["id"]) == ("thread", str(thread.pk))
    assert frame["message"] == "You can no longer follow this live stream."


async def afterwards(thread, dropped=(), kept=()) -> None:
    """The kept sockets were told nothing and still hear the thread; the dropped ones do not."""
    for socket in kept:
        if not await socket.receive_nothing(timeout=0.2):
            raise AssertionError(await socket.receive_from())
    await sync_to_async(live.announce)(thread.pk, "state")
    for socket in kept:
        frame = await socket.receive_json_from(timeout=5)
        assert frame["type"] == "event" and frame["data"]["event"] == "state"
    for socket in dropped:
        assert await socket.receive_nothing(timeout=0.3)


# --- Events -----------------------------------------------------------------------------------


def test_readers_hear_of_each_change_by_id_only_and_only_where_they_may_read(committed):
    w = committed
    thread, secret = w["thread"], w["secret"]

    async def scenario():
        anonymous = await following(None, thread)
        outsider = await connect(w["as_outsider"])
        refused = await follow(outsider, secret)
        assert (refused["type"], refused["code"]) == ("error", "forbidden")
        assert (await follow(await connect(), secret))["code"] == "forbidden"
        insider = await following(w["as_org_member"], secret)

        reply = await sync_to_async(posting.reply)(thread, w["admin"], "A reply with <b>HTML</b>")
        raw = await anonymous.receive_from(timeout=5)
        assert json.loads(raw) == {"type": "event", "stream": "thread", "id": str(thread.pk),
                                   "data": {"event": "created", "posts": [reply.pk]}}  # fmt: skip
        assert "HTML" not in raw and "<" not in raw  # ids, never a rendering
        await sync_to_async(posting.edit_post)(reply, w["admin"], "Edited text")
        await sync_to_async(reactions.toggle)(reply, w["outsider"], "thanks")
        await sync_to_async(moderating.set_post_hidden)(reply, w["moderator"], True)
        await sync_to_async(moderating.set_flag)(thread, w["moderator"], "locked", True)
        heard = [(await anonymous.receive_json_from(timeout=5))["data"] for _ in range(4)]
        assert heard == [
            {"event": "edited", "posts": [reply.pk]},
            {"event": "reacted", "posts": [reply.pk]},
            {"event": "hidden", "posts": [reply.pk]},
            {"event": "state", "posts": []},
        ]
        assert await insider.receive_nothing(timeout=0.3)  # another thread's readers hear nothing
        for socket in (anonymous, outsider, insider):
            await socket.disconnect()

    run(scenario)


def test_a_reader_who_reconnects_after_a_restart_catches_up(committed):
    w = committed
    thread = w["thread"]
    reader = w["as_org_member"]

    async def scenario():
        socket = await following(reader, thread)
        seen = await sync_to_async(posting.reply)(thread, w["admin"], "Before the restart")
        assert (await socket.receive_json_from(timeout=5))["data"]["posts"] == [seen.pk]
        await socket.disconnect()
        channel_layers.backends = {}  # the server process restarts: its layer starts empty
        missed = [
            await sync_to_async(posting.reply)(thread, w["admin"], f"While away {n}")
            for n in (1, 2)
        ]
        socket = await following(reader, thread)
        assert await socket.receive_nothing(timeout=0.3)  # events are not replayed...
        await socket.disconnect()
        return missed

    missed = run_async(scenario)
    # ...the page asks for what came after the last post it showed.
    url = reverse("forums:thread_posts", args=[thread.pk])
    data = reader.get(url, {"after": missed[0].pk - 1}).json()
    assert [p["id"] for p in data["posts"]] == [m.pk for m in missed]
    assert "While away 1" in data["posts"][0]["html"] and "While away 2" in data["posts"][1]["html"]
    assert data["new_label"] == "2 new posts" and data["more"] is False


# --- Revokes: each trigger drops the stream for the socket it concerns, not for others ------------


def test_hiding_a_thread_drops_it_for_readers_but_not_for_moderators(committed):
    w = committed

    async def scenario():
        reader = await following(w["as_admin"], w["thread"])
        moderator = await following(w["as_moderator"], w["thread"])
        await sync_to_async(moderating.set_thread_hidden)(w["thread"], w["moderator"], True)
        assert (await reader.receive_json_from(timeout=5))["data"]["event"] == "state"
        await revoked(reader, w["thread"])
        assert (await moderator.receive_json_from(timeout=5))["data"]["event"] == "state"
        await afterwards(w["thread"], dropped=[reader], kept=[moderator])
        await reader.disconnect()
        await moderator.disconnect()

    run(scenario)


def test_a_moderators_delete_from_the_queue_reaches_the_threads_open_pages(committed):
    """Deleting a reported post from the moderation queue tells the thread's readers which post
    changed (their pages fetch its "deleted" place); deleting the thread drops it for them."""
    from django.contrib.contenttypes.models import ContentType

    from community.moderation.models import ModerationAction, Report

    w = committed
    thread = w["thread"]
    reply = posting.reply(thread, w["admin"], "Buy your visa from me")
    give_totp(w["moderator"])  # the queue's guard asks for one set up, not only a session's

    def report_and_delete(target) -> None:
        key = f"forums.{target._meta.model_name}"
        report = w["as_org_member"].post(f"/en/report/{key}/{target.pk}/", {"reason": "scam"})
        assert report.status_code == 302
        content_type = ContentType.objects.get_for_model(target)
        decision = w["as_moderator"].post(
            "/en/moderation/decide/",
            {"action": "delete", "content_type": content_type.pk, "object_id": target.pk},
        )
        assert decision.status_code == 302

    async def scenario():
        anonymous = await following(None, thread)
        member = await following(w["as_admin"], thread)
        await sync_to_async(report_and_delete)(reply)
        for socket in (anonymous, member):
            frame = await socket.receive_json_from(timeout=5)
            assert frame["data"] == {"event": "deleted", "posts": [reply.pk]}
        await sync_to_async(report_and_delete)(thread)
        for socket in (anonymous, member):
            assert (await socket.receive_json_from(timeout=5))["data"]["event"] == "state"
            await revoked(socket, thread)
        await afterwards(thread, dropped=[anonymous, member])
        await anonymous.disconnect()
        await member.disconnect()

    try:
        run(scenario)
    finally:
        for target in (reply, thread):
            found = {"object_id": target.pk,
                     "content_type": ContentType.objects.get_for_model(target)}  # fmt: skip
            Report.objects.filter(**found).delete()
            ModerationAction.objects.filter(**found).delete()  # a queryset delete, for tests


def test_a_moderators_password_alone_follows_only_what_a_member_may(committed):
    """A socket of a session that did not give the second factor is a member's
    (`core.privilege`): no private forum's thread, and a thread hidden meanwhile is dropped for
    it as for members, while the same moderator's session with the code keeps it."""
    w = committed

    async def scenario():
        password_only = await connect(w["as_moderator_password_only"])
        frame = await follow(password_only, w["secret"])
        assert (frame["type"], frame["code"]) == ("error", "forbidden")
        strong = await following(w["as_moderator"], w["secret"])
        await strong.send_json_to(
            {"type": "subscribe", "stream": "thread", "id": str(w["thread"].pk)}
        )
        assert (await strong.receive_json_from(timeout=5))["type"] == "subscribed"
        assert (await follow(password_only, w["thread"]))["type"] == "subscribed"
        await sync_to_async(moderating.set_thread_hidden)(w["thread"], w["moderator"], True)
        assert (await password_only.receive_json_from(timeout=5))["data"]["event"] == "state"
        await revoked(password_only, w["thread"])
        assert (await strong.receive_json_from(timeout=5))["data"]["event"] == "state"
        await afterwards(w["thread"], dropped=[password_only], kept=[strong])
        await password_only.disconnect()
        await strong.disconnect()

    run(scenario)


def test_making_a_forum_private_drops_its_threads_for_non_members(committed):
    w = committed

    async def scenario():
        outsider = await following(w["as_outsider"], w["thread"])
        member = await following(w["as_org_member"], w["thread"])

        def make_private():
            w["public"].organisation = w["organisation"]
            w["public"].members_only = True
            w["public"].save()

        await sync_to_async(make_private)()
        await revoked(outsider, w["thread"])
        await afterwards(w["thread"], dropped=[outsider], kept=[member])
        await outsider.disconnect()
        await member.disconnect()

    run(scenario)


def test_leaving_an_organisation_drops_its_private_threads(committed):
    w = committed

    async def scenario():
        leaver = await following(w["as_org_member"], w["secret"])
        admin = await following(w["as_admin"], w["secret"])

        def leave():
            row = Membership.objects.get(organisation=w["organisation"], user=w["org_member"])
            membership.remove_member(w["organisation"], row)

        await sync_to_async(leave)()
        await revoked(leaver, w["secret"])
        await afterwards(w["secret"], dropped=[leaver], kept=[admin])
        await leaver.disconnect()
        await admin.disconnect()

    run(scenario)


def test_suspending_a_member_drops_what_only_members_may_read(committed):
    w = committed

    async def scenario():
        suspended = await following(w["as_org_member"], w["secret"])
        public_reader = await following(w["as_org_member"], w["thread"])
        admin = await following(w["as_admin"], w["secret"])

        def suspend():
            w["org_member"].is_active = False
            w["org_member"].save(update_fields=["is_active"])

        await sync_to_async(suspend)()
        await revoked(suspended, w["secret"])
        await afterwards(w["secret"], dropped=[suspended], kept=[admin])
        # What anyone may read stays followed; other members are not concerned.
        await afterwards(w["thread"], kept=[public_reader])
        for socket in (suspended, public_reader, admin):
            await socket.disconnect()

    run(scenario)


@pytest.mark.parametrize("sanction", ["suspended_until", "banned_at"])
def test_a_moderators_suspension_or_ban_drops_private_threads_from_open_sockets(
    committed, sanction
):
    """The moderators' sanctions leave `is_active` alone (`core.sanctions`): the member's open
    sockets still lose what only members may read, and a new socket from the same session is
    anyone's."""
    from datetime import timedelta

    from django.utils import timezone

    w = committed

    async def scenario():
        sanctioned = await following(w["as_org_member"], w["secret"])
        admin = await following(w["as_admin"], w["secret"])

        def sanction_them():
            setattr(w["org_member"], sanction, timezone.now() + timedelta(days=1))
            w["org_member"].save(update_fields=[sanction])

        await sync_to_async(sanction_them)()
        await revoked(sanctioned, w["secret"])
        await afterwards(w["secret"], dropped=[sanctioned], kept=[admin])
        again = await connect(w["as_org_member"])
        frame = await follow(again, w["secret"])
        assert (frame["type"], frame["code"]) == ("error", "forbidden")
        for socket in (sanctioned, admin, again):
            await socket.disconnect()

    run(scenario)


def test_logging_out_drops_private_threads_on_that_sessions_pages_only(committed):
    w = committed
    leaving, staying = w["as_org_member"], signed_in(w["org_member"])

    async def scenario():
        logged_out = await following(leaving, w["secret"])
        other_session = await following(staying, w["secret"])
        other_member = await following(w["as_admin"], w["secret"])
        await sync_to_async(leaving.logout)()
        await revoked(logged_out, w["secret"])
        await afterwards(w["secret"], dropped=[logged_out], kept=[other_session, other_member])
        for socket in (logged_out, other_session, other_member):
            await socket.disconnect()

    run(scenario)


def test_moving_a_thread_into_a_private_forum_drops_it_for_non_members(committed):
    w = committed

    async def scenario():
        outsider = await following(w["as_outsider"], w["thread"])
        member = await following(w["as_org_member"], w["thread"])
        await sync_to_async(moderating.move)(w["thread"], w["moderator"], w["private"])
        assert (await outsider.receive_json_from(timeout=5))["data"]["event"] == "state"
        await revoked(outsider, w["thread"])
        assert (await member.receive_json_from(timeout=5))["data"]["event"] == "state"
        await afterwards(w["thread"], dropped=[outsider], kept=[member])
        await outsider.disconnect()
        await member.disconnect()

    run(scenario)


# --- The posts endpoint: each reader's own rendering ------------------------------------------


def test_the_posts_endpoint_renders_for_each_reader_and_refuses_what_they_may_not_read(db, forums):
    w = forums
    thread, reply, secret = w["thread"], w["reply"], w["secret"]
    url = reverse("forums:thread_posts", args=[thread.pk])
    ids = f"{w['first'].pk},{reply.pk},{secret.posts.first().pk}"

    anonymous = w["anonymous"].get(url, {"ids": ids}).json()
    # A post of another thread (a private one) is left out.
    assert [p["id"] for p in anonymous["posts"]] == [w["first"].pk, reply.pk]
    assert "in writing" in anonymous["posts"][1]["html"]
    assert f'id="post-{reply.pk}"' in anonymous["posts"][1]["html"]

    # A protected member's name is not given to anonymous readers; members see it.
    profile = w["users"]["admin"].profile
    profile.protected = True
    profile.save()
    assert "Org Admin" not in w["anonymous"].get(url, {"ids": reply.pk}).json()["posts"][0]["html"]
    assert "Org Admin" in w["member"].get(url, {"ids": reply.pk}).json()["posts"][0]["html"]

    # A member who blocked the author sees the post collapsed; others see it plainly.
    Block.objects.create(blocker=w["users"]["member"], blocked=w["users"]["admin"])
    collapsed = w["member"].get(url, {"ids": reply.pk}).json()["posts"][0]["html"]
    assert "A post by a member you blocked" in collapsed
    plain = w["org_member"].get(url, {"ids": reply.pk}).json()["posts"][0]["html"]
    assert "A post by a member you blocked" not in plain

    # A hidden post is the placeholder, for everyone, its text gone.
    moderating.set_post_hidden(reply, w["users"]["moderator"], True)
    hidden = w["org_member"].get(url, {"ids": reply.pk}).json()["posts"][0]["html"]
    assert "This post was hidden by a moderator." in hidden and "in writing" not in hidden

    # A private thread does not exist for non-members.
    secret_url = reverse("forums:thread_posts", args=[secret.pk])
    assert w["anonymous"].get(secret_url, {"after": 0}).status_code == 404
    assert w["member"].get(secret_url, {"after": 0}).status_code == 404
    assert len(w["org_member"].get(secret_url, {"after": 0}).json()["posts"]) == 1

    # New posts after the last one seen, counted for the bar; bad numbers are just ignored.
    data = w["member"].get(url, {"after": w["first"].pk, "unseen": "0"}).json()
    assert [p["id"] for p in data["posts"]] == [reply.pk] and data["new_label"] == "1 new post"
    assert reading.last_read(w["users"]["member"], thread) < reply.pk
    w["member"].get(url, {"after": w["first"].pk, "read": "1"})  # shown at the end: now read
    assert reading.last_read(w["users"]["member"], thread) == reply.pk
    assert w["member"].get(url, {"after": "x", "ids": "a,b", "unseen": "-"}).status_code == 200


def test_a_thread_page_offers_its_live_stream_and_still_works_without_it(db, forums):
    page = forums["anonymous"].get(reverse("forums:thread", args=[forums["thread"].pk]))
    html = page.content.decode()
    assert f'data-live-stream="thread:{forums["thread"].pk}"' in html
    assert 'aria-live="polite"' in html and "forums/live.js" in html
    assert "in writing" in html  # the posts themselves are in the page
