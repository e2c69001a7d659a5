"""Members writing to each other through the platform, without either address being revealed.

A member open to something (mentoring, investing...) can be written to by signed-in members:
the message is relayed by e-mail in the recipient's language, from the platform's address; the
sender's address is given (as Reply-To) only if they ask. Who may write to whom is decided only
in `refusal()`; the limits use `core.ratelimit` and the `ContactLog` (which never keeps the body).
A block is never revealed: a blocked sender gets the same answer as for a member who turned
contact off.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.ratelimit import hit

from .models import Block, ContactLog, OpenTo, Profile

MESSAGE_MAX_LENGTH = 2000
PER_HOUR, PER_DAY, PER_RECIPIENT_PER_DAY = 5, 20, 3
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


class Refused(Exception):
    """Why a message may not be sent; `message` is translated for the sender."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ContactForm(forms.Form):
    subject = forms.ChoiceField(label=gettext_lazy("Subject"), widget=forms.RadioSelect)
    message = forms.CharField(
        label=gettext_lazy("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
    )
    share_email = forms.BooleanField(
        label=gettext_lazy("Share my e-mail address so they can reply"), required=False
    )

    def __init__(self, *args, recipient: Profile, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Formatted here, per request: `%` on a lazy string would translate it once, at import.
        self.fields["message"].help_text = _("Plain text only, up to %(count)s characters.") % {
            "count": MESSAGE_MAX_LENGTH
        }
        self.fields["subject"].choices = [
            (value, label) for value, label in OpenTo.choices if value in recipient.open_to
        ]

    def clean_message(self) -> str:
        text = self.cleaned_data["message"]
        if _MARKUP.search(text):
            raise forms.ValidationError(
                _("Please write plain text: HTML tags are not allowed."), code="markup"
            )
        return text


def can_be_contacted(profile: Profile) -> bool:
    """Whether the profile offers contact at all (what the profile page's link depends on)."""
    return bool(profile.open_to) and profile.contact_allowed and profile.user.is_active


def refusal(sender, recipient: Profile) -> str | None:
    """Why `sender` may not write to `recipient` (translated), or None. Existence is checked by
    the view (404) before this; a block answers as "cannot be contacted" so it is not revealed."""
    if sender.pk == recipient.user_id:
        return _("You cannot send a message to yourself.")
    if not can_be_contacted(recipient) or (
        Block.objects.filter(blocker_id=recipient.user_id, blocked_id=sender.pk).exists()
    ):
        return _("This member cannot be contacted.")
    return None


def _over_limits(sender, recipient: Profile) -> str | None:
    since = timezone.now() - timedelta(days=1)
    if (
        ContactLog.objects.filter(
            sender=sender, recipient_id=recipient.user_id, sent_at__gte=since
        ).count()
        >= PER_RECIPIENT_PER_DAY
    ):
        return _("You have written to this member several times today: please wait for a reply.")
    if not hit("contact-hour", str(sender.pk), PER_HOUR, 3600):
        return _("You have sent many messages this hour: please try again later.")
    if not hit("contact-day", str(sender.pk), PER_DAY, 86400):
        return _("You have sent many messages today: please try again tomorrow.")
    return None


def send(request, sender, recipient: Profile, data: dict) -> None:
    """Relay one message, or raise Refused. Only the fact of it is logged, never the body."""
    reason = refusal(sender, recipient) or _over_limits(sender, recipient)
    if reason:
        raise Refused(reason)
    sender_profile = Profile.for_user(sender)
    to_user = recipient.user
    language = to_user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "sender_name": sender_profile.name,
            "sender_url": settings.SITE_URL + reverse("members:profile", args=[sender_profile.pk]),
            "block_url": settings.SITE_URL + reverse("members:block", args=[sender_profile.pk]),
            "subject_label": OpenTo(data["subject"]).label,
            "message": data["message"],
            "shared": data.get("share_email"),
            "recipient_name": recipient.name,
        }
        subject = _("%(name)s wrote to you on Diaspora Hub about %(subject)s") % {
            "name": sender_profile.name,
            "subject": str(context["subject_label"]).lower(),
        }
        body = render_to_string("members/email/contact.txt", context)
    mail = EmailMessage(
        subject=subject.replace("\n", " "),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to_user.email],
        reply_to=[sender.email] if data.get("share_email") else None,
    )
    mail.send()
    ContactLog.objects.create(sender=sender, recipient=to_user, subject=data["subject"])
