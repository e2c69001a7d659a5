"""Digest e-mails as members receive them: in their language (French, Arabic), with an HTML
part whose links lead into the site in that language and whose text is escaped, one working
unsubscribe link per group, and each notification in exactly one e-mail however often the
hourly job (the `send_digests` task) runs."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import pytest

from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from community.notifications.digests import send_digests
from community.notifications.models import EmailPreference, EmailState, Notification
from community.notifications.tasks import send_digests as send_digests_task
from core.notify import notify
from tests.opportunities.conftest import make_opportunity

from .conftest import committed

pytestmark = pytest.mark.django_db

VERIFIED = "organisations.verification"
NEW_OPPORTUNITY = "opportunities.followed_organisation"
# A title a poster controls: it must reach the e-mail as text, never as markup.
TITLE = 'Nurse <script>alert("x")</script> & carer'

EXPECTED = {
    "fr": {
        "subject": "Votre résumé quotidien : 13 notifications",
        "verified": "Lagos Diaspora Forum est désormais vérifiée",
        "rejected": "Lagos Diaspora Forum n’a pas pu être vérifiée",
        "verification_group": "Décisions de vérification concernant vos organisations",
        "opportunity_group": "Nouvelles opportunités des organisations que vous suivez",
        "new": "Lagos Diaspora Forum, que vous suivez, a publié une nouvelle opportunité : ",
        "more": "et 2 autres",
        "stop": "Arrêter ces e-mails",
        "choices": "Tous vos choix de notification",
        "unsubscribe_page": "Ne plus recevoir ces e-mails ?",
    },
    "ar": {
        "subject": "ملخصك اليومي: 13 إشعارًا",
        "verified": "تم التحقق من Lagos Diaspora Forum",
        "rejected": "تعذّر التحقق من Lagos Diaspora Forum",
        "verification_group": "قرارات التحقق الخاصة بمنظماتك",
        "opportunity_group": "فرص جديدة من المنظمات التي تتابعها",
        "new": "نشرت Lagos Diaspora Forum، التي تتابعها، فرصة جديدة: ",
        "more": "واثنان آخران",
        "stop": "أوقف هذه الرسائل",
        "choices": "كل خياراتك للإشعارات",
        "unsubscribe_page": "هل تريد التوقف عن تلقي هذه الرسائل؟",
    },
}


class Links(HTMLParser):
    """Every link of an HTML part: (href, its text)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None


def _links(html: str) -> list[tuple[str, str]]:
    parser = Links()
    parser.feed(html)
    return parser.links


def _verified(world, decision: str = "approved"):
    with committed():
        return notify(
            VERIFIED, world["member"], target=world["organisation"], decision=decision,
            organisation=world["organisation"].name, reason="Missing papers.",
        )  # fmt: skip


def _new_opportunity(world, title: str):
    opportunity = make_opportunity(world["admin"], world["organisation"], title=title)
    with committed():
        notify(NEW_OPPORTUNITY, world["member"], target=opportunity, actor=world["admin"],
               title=title, organisation=world["organisation"].name)  # fmt: skip
    return opportunity


def _choose(member, **frequencies: str) -> None:
    for kind, frequency in frequencies.items():
        EmailPreference.objects.update_or_create(
            user=member, kind=kind, defaults={"frequency": frequency}
        )


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_daily_digest_reads_in_the_members_language_with_safe_html_and_unsubscribe_links(
    world, language
):
    said = EXPECTED[language]
    member = world["member"]
    member.preferred_language = language
    member.save(update_fields=["preferred_language"])
    _choose(member, **{VERIFIED: "daily", NEW_OPPORTUNITY: "daily"})
    # Twelve decisions (more than a group lists) and one opportunity with markup in its title.
    _verified(world, "rejected")
    for _ in range(11):
        _verified(world)
    opportunity = _new_opportunity(world, TITLE)
    assert mail.outbox == []  # they wait for the digest

    assert send_digests() == 1
    (digest,) = mail.outbox
    assert digest.to == [member.email]
    assert digest.subject == said["subject"]

    # The plain text part: translated groups and lines, links in the member's language.
    text = digest.body
    assert text.index(said["verification_group"]) < text.index(said["rejected"])
    assert text.index(said["opportunity_group"]) < text.index(said["new"] + TITLE)
    assert text.count(said["verified"]) == 9  # ten lines per group, then "and 2 more"
    assert said["more"] in text
    assert f"{settings.SITE_URL}/{language}/organisations/lagos-diaspora-forum/" in text
    assert f"{settings.SITE_URL}/{language}/opportunities/{opportunity.pk}/" in text
    assert "is now verified" not in text and "Stop these e-mails" not in text

    # The HTML part: the member's language and direction, the title escaped, not run.
    (html, mimetype) = digest.alternatives[0]
    assert mimetype == "text/html"
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in html
    assert f"<title>{said['subject']}</title>" in html
    assert "<script>" not in html
    assert "Nurse &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; carer" in html
    links = _links(html)
    assert all(href.startswith(f"{settings.SITE_URL}/{language}/") for href, _ in links), links
    by_text = dict((text, href) for href, text in links)
    assert by_text[said["new"] + TITLE].endswith(f"/{language}/opportunities/{opportunity.pk}/")
    assert by_text[said["rejected"]].endswith(f"/{language}/organisations/lagos-diaspora-forum/")
    assert by_text[said["choices"]].endswith(f"/{language}/notifications/preferences/")

    # One "stop these e-mails" link per group; each stops its own kind only, without log-in.
    stops = [href for href, label in links if label == said["stop"]]
    assert len(stops) == 2
    assert f"<{stops[0]}>" != digest.extra_headers["List-Unsubscribe"]  # that one stops both
    visitor = Client(enforce_csrf_checks=True)
    path = stops[0].removeprefix(settings.SITE_URL)
    page = visitor.get(path).content.decode()
    assert said["verification_group"] in page and said["opportunity_group"] not in page
    assert said["unsubscribe_page"] in page
    assert visitor.post(path).status_code == 200
    assert dict(EmailPreference.objects.filter(user=member).values_list("kind", "frequency")) == {
        VERIFIED: "never",
        NEW_OPPORTUNITY: "daily",
    }
    # Everything listed is settled as sent: the next run finds nothing to send.
    assert not Notification.objects.filter(recipient=member, email_state=EmailState.PENDING)
    assert send_digests(timezone.now() + timedelta(days=2)) == 0
    assert len(mail.outbox) == 1


def test_a_weekly_digest_goes_once_a_week_and_never_repeats_a_notification(world):
    member = world["member"]
    _choose(member, **{VERIFIED: "weekly", NEW_OPPORTUNITY: "daily"})
    _verified(world)
    _new_opportunity(world, "Data analyst")

    # The hourly job, as the worker runs it, twice: one daily and one weekly e-mail, once.
    first = send_digests_task.enqueue()
    assert first.return_value == 2
    assert send_digests_task.enqueue().return_value == 0
    assert sorted(m.subject for m in mail.outbox) == [
        "Your daily digest: 1 notification",
        "Your weekly digest: 1 notification",
    ]
    weekly = next(m for m in mail.outbox if "weekly" in m.subject)
    assert "Lagos Diaspora Forum is now verified" in weekly.body
    assert "Data analyst" not in weekly.body

    # Later in the week: a new decision waits for the next weekly digest, whatever the day.
    _verified(world, "rejected")
    now = timezone.now()
    for later in (timedelta(days=1), timedelta(days=3), timedelta(days=6, hours=-2)):
        assert send_digests(now + later) == 0
    assert len(mail.outbox) == 2
    assert send_digests(now + timedelta(days=7)) == 1
    assert send_digests(now + timedelta(days=7)) == 0
    assert send_digests(now + timedelta(days=8)) == 0
    third = mail.outbox[2]
    assert third.subject == "Your weekly digest: 1 notification"
    assert "could not be verified" in third.body and "is now verified" not in third.body

    # Across every e-mail, each notification was told exactly once.
    bodies = "".join(m.body for m in mail.outbox)
    assert bodies.count("is now verified") == 1
    assert bodies.count("could not be verified") == 1
    assert bodies.count("Data analyst") == 1
    assert set(
        Notification.objects.filter(recipient=member).values_list("email_state", flat=True)
    ) == {EmailState.SENT}
