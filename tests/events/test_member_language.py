"""Confirmations and reminders reach each member in their own language, whatever language the
organiser or the worker runs in: the e-mail's subject, its body and the link to the event page
under that language's prefix."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.conf import settings
from django.core import mail
from django.utils import timezone, translation

from community.events import registration
from community.events.models import Registration
from tests.members.conftest import make_member

from .conftest import make_event

pytestmark = pytest.mark.django_db

# language: (confirmation, in 24 hours, in one hour, the confirmation kind's label)
SAID = {
    "fr": (
        "Votre inscription à Bonds 2031 est confirmée",
        "Bonds 2031 commence dans 24 heures",
        "Bonds 2031 commence dans une heure",
        "Confirmations de vos inscriptions aux événements",
        "Rappels avant vos événements",
    ),
    "ar": (
        "تم تسجيلك في Bonds 2031",
        "موعد Bonds 2031 بعد 24 ساعة",
        "موعد Bonds 2031 بعد ساعة واحدة",
        "تأكيدات تسجيلك في الفعاليات",
        "تذكيرات قبل فعالياتك",
    ),
}
ENGLISH = ("You are registered for", "starts in", "Stop these e-mails")


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_confirmation_and_both_reminders_are_in_the_members_language(
    language, django_capture_on_commit_callbacks
):
    Registration.objects.all().delete()  # the demo's: the reminders counted are this test's
    confirmed, day, hour, confirmations, reminders = SAID[language]
    now = timezone.now()
    event = make_event(title="Bonds 2031", starts_at=now + timedelta(hours=30))
    member, _ = make_member(display_name="Reader")
    member.preferred_language = language
    member.save(update_fields=["preferred_language"])
    link = f"{settings.SITE_URL}/{language}/events/{event.pk}/"
    mail.outbox.clear()

    # The organiser's or the worker's own language must not leak into the member's e-mails.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        registration.register(event, member)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        assert registration.send_reminders(now + timedelta(hours=7)) == 1  # 23 hours before
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        assert registration.send_reminders(now + timedelta(hours=29, minutes=30)) == 1

    sent = [m for m in mail.outbox if m.to == [member.email]]
    assert [m.subject for m in sent] == [confirmed, day, hour]
    for message, label in zip(sent, (confirmations, reminders, reminders), strict=True):
        assert message.subject in message.body and link in message.body
        assert label in message.body
        assert not any(english in message.body for english in ENGLISH), message.body
        html = message.alternatives[0][0]
        assert f'lang="{language}"' in html and link in html
