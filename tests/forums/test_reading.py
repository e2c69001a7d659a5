"""Reading at scale and from the cache: keyset pages of a 5,000-post thread cost the same
queries wherever they start, unread markers and "jump to first unread", the anonymous page
cache emptied for exactly the thread and forum that changed, and the signed-in query budget."""

from __future__ import annotations

import re

import pytest

from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.forums import posting
from community.forums.models import Post, Thread

pytestmark = pytest.mark.django_db
QUERY_BUDGET = 12


def _queries(client, url: str) -> tuple[str, int]:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(captured.captured_queries)


def _listing(client, url: str) -> str:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return "\n".join(q["sql"][:200] for q in captured.captured_queries)


def _shown_ids(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article class="post[^"]*" id="post-(\d+)"', page)]


def test_a_5000_post_thread_pages_by_id_at_a_constant_cost_and_jumps_to_the_first_unread(forums):
    thread, author = forums["thread"], forums["users"]["admin"]
    now = timezone.now()
    Post.objects.bulk_create(
        [Post(thread=thread, author=author, body=f"Reply {n}", body_html=f"<p>Reply {n}</p>",
              created_at=now) for n in range(5000)]
    )  # fmt: skip
    Thread.objects.filter(pk=thread.pk).update(post_count=5002)
    ids = list(thread.posts.order_by("pk").values_list("pk", flat=True))
    member = forums["member"]
    url = f"/en/forums/threads/{thread.pk}/"
    first, first_cost = _queries(member, url)
    assert _shown_ids(first) == ids[:20]
    deep, deep_cost = _queries(member, f"{url}?after={ids[4000]}")
    assert _shown_ids(deep) == ids[4001:4021]
    last, last_cost = _queries(member, f"{url}?page=last")
    assert _shown_ids(last) == ids[-20:]
    earlier, earlier_cost = _queries(member, f"{url}?before={ids[-20]}")
    assert _shown_ids(earlier) == ids[-40:-20]
    assert first_cost == deep_cost == last_cost == earlier_cost <= QUERY_BUDGET, _listing(
        member, url
    )
    with CaptureQueriesContext(connection) as captured:
        member.get(f"{url}?after={ids[4000]}")
    assert not any("OFFSET" in q["sql"] for q in captured.captured_queries)
    # The member read up to the end: new replies are unread, and the jump lands on the first.
    other = forums["org_member"]
    posting.reply(thread, forums["users"]["org_member"], "Something new")
    newest = posting.reply(thread, forums["users"]["org_member"], "Something newer")
    jump = member.get(f"{url}?unread")
    assert jump.status_code == 302 and jump["Location"].endswith(f"#post-{newest.pk - 1}")
    page = member.get(jump["Location"]).content.decode()
    assert "First unread post" in page and "Something new" in page
    forum_page = other.get(f"/en/forums/{forums['public'].slug}/").content.decode()
    assert "Unread" in forum_page  # never opened by this member


def _is_hit(response) -> bool:
    return "Age" in response.headers


def test_a_reply_or_a_hide_shows_on_the_next_anonymous_load_and_leaves_other_pages_cached(forums):
    caches["pages"].clear()
    anonymous = forums["anonymous"]
    thread = forums["thread"]
    other = posting.start_thread(forums["public"], forums["users"]["admin"], "Other", "Quiet")
    elsewhere = posting.start_thread(
        _other_forum(), forums["users"]["admin"], "Elsewhere thread", "Unrelated"
    )
    pages = [
        f"/en/forums/threads/{thread.pk}/",
        f"/en/forums/{forums['public'].slug}/",
        f"/en/forums/threads/{other.pk}/",
        f"/en/forums/threads/{elsewhere.pk}/",
        f"/en/forums/{elsewhere.forum.slug}/",
    ]
    for url in pages:
        anonymous.get(url)
        assert _is_hit(anonymous.get(url)), url
    response = forums["org_member"].post(f"{pages[0]}reply/", {"body": "Fresh reply here"})
    assert response.status_code == 302
    fresh = anonymous.get(pages[0])
    assert not _is_hit(fresh) and "Fresh reply here" in fresh.content.decode()
    listing = anonymous.get(pages[1])
    assert not _is_hit(listing) and "3 posts" in listing.content.decode()
    for url in pages[2:]:
        assert _is_hit(anonymous.get(url)), url
    reply = Post.objects.get(body="Fresh reply here")
    forums["moderator"].post(f"/en/forums/posts/{reply.pk}/moderate/", {"action": "hide"})
    assert "Fresh reply here" not in anonymous.get(pages[0]).content.decode()
    assert _is_hit(anonymous.get(pages[3]))
    # A member who turns on protected mode is "a member" to anonymous readers at once.
    assert "Org Admin" in anonymous.get(pages[0]).content.decode()
    profile = forums["users"]["admin"].profile
    profile.protected = True
    profile.save()
    assert "Org Admin" not in anonymous.get(pages[0]).content.decode()


def _other_forum():
    from tests.forums.conftest import make_forum

    return make_forum("test-elsewhere-forum")


def test_the_thread_page_and_forum_index_stay_within_the_signed_in_query_budget(forums):
    from community.forums import reactions
    from community.members.models import Block

    member, user = forums["member"], forums["users"]["member"]
    thread = forums["thread"]
    url = f"/en/forums/threads/{thread.pk}/"
    _page, few = _queries(member, url)
    for n in range(25):
        post = posting.reply(thread, forums["users"]["admin" if n % 2 else "org_member"],
                             f"Budget reply {n}", quoted=forums["reply"])  # fmt: skip
        reactions.toggle(post, user, "like")
    Block.objects.create(blocker=user, blocked=forums["users"]["org_member"])
    page, many = _queries(member, url)
    assert "Budget reply 17" in page and "A post by a member you blocked" in page
    assert many == few <= QUERY_BUDGET
    # First view light on a slow phone: the page and its own styles and script, no images.
    from pathlib import Path

    static = Path(__file__).resolve().parents[2] / "community/forums/static/forums"
    own = sum((static / name).stat().st_size for name in ("forums.css", "mentions.js"))
    site = (Path(__file__).resolve().parents[2] / "static/css/site.css").stat().st_size
    assert len(page.encode()) + own + site <= 60_000
    index, index_cost = _queries(member, "/en/forums/")
    assert forums["public"].name in index and index_cost <= QUERY_BUDGET
    forum_page, forum_cost = _queries(member, f"/en/forums/{forums['public'].slug}/")
    assert "Dual nationality question" in forum_page and forum_cost <= QUERY_BUDGET


def test_every_readers_thread_reads_are_compiled_once_and_show_what_changed(forums):
    # `core.compiled_queries` keeps a shape only when the values the view passes match the
    # ORM's: a shape that stopped matching would silently fall back to compiling every time.
    from community.forums import views

    thread = forums["thread"]
    url = f"/en/forums/threads/{thread.pk}/"
    first = forums["first"].pk
    views._compiled.clear()
    for reader in ("anonymous", "member", "moderator"):
        client = forums[reader]
        for query in ("", "?page=last", f"?before={first + 5}", f"?after={first}"):
            assert client.get(url + query).status_code == 200
    assert views._compiled._plans and all(views._compiled._plans.values())
    from community.forums import reactions

    assert reactions._compiled._plans and all(reactions._compiled._plans.values())
    from community.forums import notices

    assert notices._compiled._plans and all(notices._compiled._plans.values())
    posting.reply(thread, forums["users"]["admin"], "Posted after the plans were kept.")
    assert "Posted after the plans were kept." in forums["member"].get(url).content.decode()
    Post.objects.filter(pk=forums["reply"].pk).update(hidden=True)
    page = forums["member"].get(url + "?page=last").content.decode()
    assert "Ask the consulate" not in page and "This post was hidden by a moderator." in page
