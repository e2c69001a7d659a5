"""The one way any app tells a member something: `notify(kind, recipient, target, actor, **data)`.

Forums (replies, mentions), opportunities (interest received, decisions, saved searches),
organisations (verification), knowledge (submission decisions, new resources in a followed
topic) call it; none of them sends e-mail itself. The kernel imports no app, so what `notify`
needs from them comes through `core.registries.notification_hooks`:

- members declares `is_blocked(recipient, actor)`: a member the recipient blocked cannot notify
  them (nor mention them: forums call `notify`, and the block stops it here);
- the notifications app declares `store(...)`, which keeps the row and, once the transaction
  commits, e-mails it at once when the member wants that kind immediately (a background task),
  or leaves it for the daily or weekly digest; and `unread_count(recipient)` for the badge.

`notify` itself checks the kind is declared, never tells the actor about their own action, and
after storing pushes the new unread count over the member's `notifications` live stream
(`core.live.publish` to `user_group(id)`, delivered on commit; the event carries a count only).

Public API:
    notify(kind: str, recipient: User, target: Model | None = None, actor: User | None = None,
           **data) -> Notification | None
    push_unread_count(recipient: User) -> None   # after marking read elsewhere
`data` must be JSON-serialisable (ids, short strings): it is stored with the notification and
read back by the kind's `describe` / `url` under the recipient's language.

Declaring a kind (in the app's `declarations.py`; forums, for example)::

    from core.registries import NotificationKind, notification_kinds

    notification_kinds.register("forums.reply", NotificationKind(
        "forums.reply",
        gettext_lazy("Replies in threads you follow"),
        describe=lambda n: gettext("%(name)s replied in %(title)s") % n.data,
        url=lambda n: reverse("forums:post", args=[n.data["post"]]),
        default_email="daily",
        is_visible=lambda recipient, thread: thread is not None and can_read(recipient, thread),
    ))

and telling the followers of a thread, the muted ones left out::

    for member in core.follows.followers(thread):
        if not core.follows.muted_by(member, [thread.forum]):
            notify("forums.reply", member, target=thread, actor=post.author,
                   name=..., title=thread.title, post=post.pk)
"""

from __future__ import annotations

import logging
from typing import Any

from .live import publish, user_group
from .registries import notification_hooks, notification_kinds

logger = logging.getLogger(__name__)


def notify(
    kind: str, recipient: Any, target: Any = None, actor: Any = None, **data: Any
) -> Any | None:
    """Tell `recipient` about `target` (done by `actor`); returns the stored notification, or
    None when nothing was stored (the recipient is the actor, blocked the actor, is inactive,
    or no app stores notifications)."""
    if kind not in notification_kinds:
        raise LookupError(f"notify: {kind!r} is not a declared notification kind")
    if recipient is None or not recipient.is_active:
        return None
    if actor is not None and actor.pk == recipient.pk:
        return None
    if actor is not None and notification_hooks.is_blocked(recipient, actor):
        return None
    if notification_hooks.store is None:
        logger.debug("notify(%s): no app stores notifications", kind)
        return None
    notification = notification_hooks.store(
        kind=kind, recipient=recipient, target=target, actor=actor, data=data
    )
    if notification is not None:
        push_unread_count(recipient)
    return notification


def push_unread_count(recipient: Any) -> None:
    """Send the member's open pages their unread count (a number, never the content)."""
    count = notification_hooks.unread_count(recipient)
    publish(user_group(recipient.pk), "notifications", {"event": "unread", "unread": count})
