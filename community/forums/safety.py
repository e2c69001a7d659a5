"""The trust level's limits on forum posts, checked by the view (and later the websocket
consumer) before `posting` stores anything: posts per hour, links per post, images, and whether
a new member's post waits for a moderator.

Everything comes from `core.trust` so forums and opportunities answer members the same way.
What goes over a limit is refused with a translated message and the form keeps what was typed:
a form error (400) for links and images, the posting-limit message (429) for the hourly count,
which is counted only for a post that is otherwise ready to go.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from core import trust

SCOPE = "forums-post"


def must_hold(user) -> bool:
    """A new member's posts wait for a moderator until one is approved (`core.trust`)."""
    return trust.limits_for(user).hold_for_review


def refuse(request: HttpRequest, form: forms.Form, *, count: bool = True) -> int | None:
    """The status to answer with when the member's level refuses this (valid) form, after
    adding the reason to the form or the page; None when it may be posted. `count`: a new post
    uses one of the hour's allowance (an edit does not)."""
    limits = trust.limits_for(request.user)
    body = form.cleaned_data.get("body", "")
    if trust.count_links(body) > limits.links_per_post:
        form.add_error("body", trust.links_error(limits))
    if form.cleaned_data.get("image") and not limits.images_allowed:
        form.add_error(
            "image",
            _(
                "New members cannot add images yet. Post your message without the image; you "
                "can add images once you have taken part a little longer."
            ),
        )
    if form.errors:
        return 400
    if count and not trust.allows_post(request.user, SCOPE):
        messages.error(request, trust.posting_limit_message())
        return 429
    return None
