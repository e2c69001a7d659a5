"""Template tags for the header's unread badge and the follow buttons shown on other apps' pages
(`{% load notification_tags %}`: `{% unread_notifications as count %}`, `{% follow_button obj %}`).

`{% follow_button obj mute=True %}` adds a Mute button (and Unmute once muted);
`state="follow"|"mute"|""` passes a state the page already knows (forums read a thread's and its
tags' states in one query), so the button asks nothing more.

Other apps' templates use them without their Python importing this app."""

from __future__ import annotations

from typing import Any

from django import template

from core import follows

from ..centre import unread_for_request

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> int:
    request = context.get("request")
    return unread_for_request(request) if request is not None else 0


@register.inclusion_tag("notifications/_follow_button.html", takes_context=True)
def follow_button(
    context: template.Context, target: Any, mute: bool = False, state: str | None = None
) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    shown = user is not None and user.is_authenticated and follows.can_follow(user, target)
    if shown and state is None:
        state = follows.state_of(user, target)
    return {
        "shown": shown,
        "target": target,
        "model": target._meta.label_lower,
        "following": shown and state == "follow",
        "muted": shown and state == "mute",
        "mute": mute,
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }
