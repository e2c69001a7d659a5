"""Background work of the forums, run by the worker: telling members about a new post (the
fan-out to a thread's or forum's followers can be long; the reply itself never waits for it)."""

from __future__ import annotations

from django_tasks import task


@task()
def tell_about_post(post_id: int, only_mentions: list[int] | None = None) -> int:
    from .notices import tell

    return tell(post_id, only_mentions)
