"""The hook where moderation's trust levels and word lists will look at a post before it shows.

`posting.py` calls `screen(post)` for every new or edited post, once the text is rendered and
before it is saved. It returns nothing and holds nothing today; the moderation slice replaces the
body (e.g. mark the post held for review, count the member's posts per hour) without touching
the posting code.
"""

from __future__ import annotations

from .models import Post


def screen(post: Post) -> None:
    """Look at `post` before it is saved; today every post passes."""
    return None
