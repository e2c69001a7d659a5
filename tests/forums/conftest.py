"""Forums, threads and every kind of reader for the forums tests.

Builds on the organisations' `world` (an organisation with its admin and member, a plain
member, a moderator signed in with and without a second factor)."""

from __future__ import annotations

import pytest

from community.forums import posting
from community.forums.models import Forum
from tests.organisations.conftest import client_for, world  # noqa: F401  (fixture)


def make_forum(slug: str, organisation=None, **fields) -> Forum:
    return Forum.objects.create(
        slug=slug,
        name=fields.pop("name", slug.replace("-", " ").title()),
        organisation=organisation,
        members_only=organisation is not None,
        **fields,
    )


@pytest.fixture
def forums(world):  # noqa: F811
    """A public forum with a thread by the plain member (and a reply by the org admin), and the
    organisation's members-only forum with a thread by its member."""
    users = world["users"]
    public = make_forum("test-public-forum")
    private = make_forum("test-private-forum", world["organisation"])
    thread = posting.start_thread(
        public, users["member"], "Dual nationality question", "Does anyone know the rules?"
    )
    reply = posting.reply(thread, users["admin"], "Ask the consulate **in writing**.")
    secret = posting.start_thread(
        private, users["org_member"], "Mission roster", "Internal planning for March."
    )
    return {
        **world,
        "public": public,
        "private": private,
        "thread": thread,
        "first": thread.posts.order_by("pk").first(),
        "reply": reply,
        "secret": secret,
    }


__all__ = ["client_for", "make_forum"]
