"""What members are told and how they want to hear it.

A `Notification` is stored by `core.notify.notify` (through the store this app declares) for
one recipient: its kind (a key of `core.registries.notification_kinds`), what it is about (a
generic target), who did it, a little JSON data the kind's `describe` reads, when it was read,
and the e-mail bookkeeping: `email_state` goes from pending to sent (in an immediate e-mail or
a digest, at `emailed_at`) or skipped (the member wants none, or the target was hidden) exactly
once, under a row lock, so nothing is ever e-mailed twice.

`EmailPreference` holds a member's choice for one kind (absent: the kind's default);
`DigestLog` when each digest last went to a member, so a daily digest leaves at most daily.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    NEVER = "never", _("Never")


class EmailState(models.TextChoices):
    PENDING = "pending", _("Not e-mailed yet")
    SENT = "sent", _("E-mailed")
    SKIPPED = "skipped", _("Not e-mailed")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=80)
    target_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.CASCADE
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(
        max_length=8, choices=EmailState.choices, default=EmailState.PENDING
    )
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The badge's count and the centre's pages.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notif_unread"
            ),
            models.Index(fields=["recipient", "-id"], name="notif_recipient_latest"),
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(email_state="pending"),
                name="notif_email_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class EmailPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    kind = models.CharField(max_length=80)
    frequency = models.CharField(max_length=12, choices=Frequency.choices)

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notifications_pref_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} {self.frequency}"


class DigestLog(models.Model):
    """When a member's last daily and weekly digests left (the row is locked while sending)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_log"
    )
    daily_sent_at = models.DateTimeField(null=True, blank=True)
    weekly_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"digests of {self.user_id}"
