"""Telling the author of moderated content what happened, and how to appeal.

Everything the moderation app says to an author goes through `tell_author`, which sends a
`moderation.decision` notification through `core.notify` (declared in `declarations.py`): the
notification centre shows its line, and the e-mail (immediately by default) carries the same
text as before, in the author's language, with the appeal link. The text is built when shown or
sent (`describe`, `details`), under the recipient's language, from the stored action.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.notify import notify

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
    "send_back": (
        gettext_noop("The moderators sent your content back to you"),
        gettext_noop(
            "The moderators sent “%(object)s” back to you as a draft: nobody else can see it "
            "now. Change what their note asks, then publish it again; it will be checked again "
            "before others see it."
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


DECISION = "moderation.decision"


def _action_of(notification):
    from .models import ModerationAction

    return ModerationAction.objects.filter(pk=notification.data.get("action")).first()


def _appeal_url(notification) -> str:
    token = notification.data.get("appeal")
    if not token:
        return ""
    return settings.SITE_URL + reverse("moderation:appeal", kwargs={"token": token})


def describe(notification) -> str:
    """The notification's line and the e-mail's subject, in the active (recipient's) language."""
    kind = notification.data.get("decision", "")
    return _(_MESSAGES[kind][0]) if kind in _MESSAGES else ""


def details(notification) -> str:
    """What the author is told (the e-mail's body), with the appeal link when they may appeal."""
    action = _action_of(notification)
    if action is None or action.kind not in _MESSAGES:
        return ""
    until = (
        formats.date_format(timezone.localtime(action.until), "DATETIME_FORMAT")
        if action.until
        else ""
    )
    text = _(_MESSAGES[action.kind][1]) % {"object": action.object_repr, "until": until}
    if action.note and action.kind != "uphold":
        text += "\n\n" + _("The moderators' note: %(note)s") % {"note": action.note}
    url = _appeal_url(notification)
    if url:
        text += "\n\n" + _(
            "If you think this is a mistake, you may appeal once, within 30 days: %(url)s"
        ) % {"url": url}
    return text


def _object_url(notification) -> str:
    """The page of the object the action was about, when it still exists and has one."""
    from core.registries import reportable_models

    action = _action_of(notification)
    if action is None or action.content_type_id is None:
        return ""
    model = action.content_type.model_class()
    declaration = reportable_models.get(model._meta.label) if model else None
    target = model._default_manager.filter(pk=action.object_id).first() if model else None
    if declaration is None or target is None:
        return ""
    return declaration.url(target) or ""


def url(notification) -> str:
    """Where the notification leads: the appeal form while an appeal is open to the author; for
    content sent back to its author, that content, to change it; else the notification centre."""
    if notification.data.get("decision") == "send_back":
        return _object_url(notification) or reverse("notifications:index")
    return _appeal_url(notification) or reverse("notifications:index")


def tell_author(author, action, *, appeal: bool) -> None:
    """Tell `author` about `action` (a `ModerationAction`) through `core.notify`: in the
    notification centre and, by default at once, by e-mail in their language; with `appeal`, it
    carries the link to the one appeal they may make.

    A suspended or banned member still gets the e-mail (bans set `banned_at`, never
    `is_active`, which is what `notify` skips). The moderator is not passed as the actor: a
    member who blocked a moderator must still hear the moderators' decisions.
    """
    if author is None or action.kind not in _MESSAGES:
        return
    data = {"action": action.pk, "decision": action.kind}
    if appeal:
        data["appeal"] = appeal_token(action)
    notify(DECISION, author, **data)
