"""Telling the author of moderated content what happened, and how to appeal.

Everything the moderation app says to an author goes through `tell_author`, so the lead can
switch it to `core.notify` (in-site notification plus e-mail) in this one place when that lands.
For now it is an e-mail in the author's language (`User.preferred_language`).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

APPEAL_SALT = "moderation-appeal"
# An appeal link works for this long; a member who waited longer has moved on.
APPEAL_MAX_AGE = 60 * 60 * 24 * 30

_MESSAGES = {
    "hide": (
        gettext_noop("Your content was hidden by the moderators"),
        gettext_noop("The moderators hid “%(object)s”: only you and they can see it now."),
    ),
    "delete": (
        gettext_noop("Your content was removed by the moderators"),
        gettext_noop("The moderators removed “%(object)s”."),
    ),
    "warn": (
        gettext_noop("A warning from the moderators"),
        gettext_noop(
            "The moderators looked at “%(object)s” and ask you to follow the community rules. "
            "Nothing was removed this time."
        ),
    ),
    "suspend": (
        gettext_noop("Your account is suspended"),
        gettext_noop(
            "The moderators suspended your account until %(until)s after looking at "
            "“%(object)s”. You cannot sign in until then."
        ),
    ),
    "ban": (
        gettext_noop("Your account is banned"),
        gettext_noop(
            "The moderators banned your account after looking at “%(object)s”. "
            "You can no longer sign in."
        ),
    ),
    "reverse": (
        gettext_noop("Your appeal was granted"),
        gettext_noop(
            "The moderators looked at your appeal again and reversed their decision on "
            "“%(object)s”."
        ),
    ),
    "uphold": (
        gettext_noop("Your appeal was refused"),
        gettext_noop(
            "The moderators looked at your appeal and kept their decision on “%(object)s”. "
            "This decision is final."
        ),
    ),
}


def appeal_token(action) -> str:
    return signing.dumps(action.pk, salt=APPEAL_SALT)


def action_for_token(token: str):
    """The action an appeal link points at, or None when the link is forged or too old."""
    from .models import ModerationAction

    try:
        pk = signing.loads(token, salt=APPEAL_SALT, max_age=APPEAL_MAX_AGE)
    except signing.BadSignature:
        return None
    return ModerationAction.objects.filter(pk=pk).first()


def tell_author(author, action, *, appeal: bool) -> None:
    """Tell `author` about `action` (a `ModerationAction`) in their language; with `appeal`, the
    message carries the link to the one appeal they may make."""
    if author is None or not author.email or action.kind not in _MESSAGES:
        return
    subject, body = _MESSAGES[action.kind]
    language = author.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        until = (
            formats.date_format(timezone.localtime(action.until), "DATETIME_FORMAT")
            if action.until
            else ""
        )
        text = _(body) % {"object": action.object_repr, "until": until}
        if action.note and action.kind != "uphold":
            text += "\n\n" + _("The moderators' note: %(note)s") % {"note": action.note}
        if appeal:
            url = settings.SITE_URL + reverse(
                "moderation:appeal", kwargs={"token": appeal_token(action)}
            )
            text += "\n\n" + _(
                "If you think this is a mistake, you may appeal once, within 30 days: %(url)s"
            ) % {"url": url}
        send_mail(_(subject), text, None, [author.email])
