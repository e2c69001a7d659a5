"""Demo moderation: the seed word lists, a few open reports, one appeal and some log entries.

Nothing visible is hidden or deleted, so every other app's demo reads as before; the moderator
account (moderator@example.org) finds reports, an appeal against a warning and a log to filter.
Idempotent: reports are one per member and object, and the log entries are made once.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from community.members.models import Profile
from core.models import User

from .models import Appeal, ModerationAction, Report, WordList
from .screening_lists import clear

WORDS = {
    "en": ["send a registration fee", "guaranteed visa", "pay to apply", "wire the deposit"],
    "fr": ["frais d'inscription à envoyer", "visa garanti", "payer pour postuler"],
    "es": ["enviar una cuota de inscripción", "visa garantizada", "pagar para postular"],
    "ar": ["رسوم التسجيل", "تأشيرة مضمونة", "ادفع للتقديم"],
}
DEMO_NOTE = "Demo: first warning, see the conduct policy."


def _members(count: int) -> list[User]:
    return list(User.objects.filter(email__endswith="@members.example.org").order_by("pk")[:count])


def load(progress: Callable[[str], None]) -> str:
    for language, terms in WORDS.items():
        item, _created = WordList.objects.get_or_create(language=language)
        if not item.terms:
            item.terms = "\n".join(terms)
            item.save()
    clear()
    people = _members(8)
    moderator = User.objects.filter(email="moderator@example.org").first()
    if len(people) < 8:
        return "moderation: no demo members, no reports"
    profile_type = ContentType.objects.get_for_model(Profile)
    # By name, not import: moderation may use members, not another community app's internals.
    Opportunity = apps.get_model("opportunities", "Opportunity")
    opportunity_type = ContentType.objects.get_for_model(Opportunity)
    reported_profiles = list(Profile.objects.filter(user__in=people[:2]).order_by("pk"))
    opportunity = Opportunity.objects.order_by("pk").first()
    reports = [
        (profile_type, reported_profiles[0].pk, people[3], "spam", "Same message to everyone."),
        (profile_type, reported_profiles[0].pk, people[4], "scam", "Asked me for a fee."),
        (profile_type, reported_profiles[1].pk, people[5], "impersonation", ""),
    ]
    if opportunity is not None:
        reports.append((opportunity_type, opportunity.pk, people[6], "off_topic", ""))
    for content_type, pk, reporter, reason, text in reports:
        Report.objects.get_or_create(
            content_type=content_type,
            object_id=pk,
            reporter=reporter,
            defaults={"reason": reason, "text": text},
        )
    if moderator and not ModerationAction.objects.filter(note=DEMO_NOTE).exists():
        warned = Profile.objects.filter(user=people[7]).first()
        if warned is not None:
            ModerationAction.objects.create(
                moderator=moderator,
                kind=ModerationAction.Kind.APPROVE,
                content_type=profile_type,
                object_id=warned.pk,
                object_repr=str(warned),
                author=warned.user,
                reason="off_topic",
            )
            warning = ModerationAction.objects.create(
                moderator=moderator,
                kind=ModerationAction.Kind.WARN,
                content_type=profile_type,
                object_id=warned.pk,
                object_repr=str(warned),
                author=warned.user,
                reason="spam",
                note=DEMO_NOTE,
            )
            Appeal.objects.create(
                action=warning,
                text="The links in my bio are my own projects, not advertising.",
            )
    return f"moderation: {Report.objects.filter(status='open').count()} open reports"
