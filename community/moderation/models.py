"""Reports: a member's word that something on the site breaks the rules, and the decision on it.

One `Report` per member and reported object (reporting again updates it), so several members'
reports of one object group together in the moderator list. The reported object is any model
declared in `core.registries.reportable_models`, by content type and id. A deleted reporter's
reports stay for the moderators, anonymised (`reporter` becomes NULL).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.registries import report_reasons

MODERATE_PERMISSION = "moderation.moderate_community"
TEXT_MAX_LENGTH = 1000


def reason_choices() -> list[tuple[str, Any]]:
    """The shared reasons, read when a form is built: forums adds its own after this app loads,
    and a migration must never freeze the list."""
    return report_reasons.choices()


class Report(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("a report's status", "Open")
        HIDDEN = "hidden", _("Acted on (hidden)")
        DISMISSED = "dismissed", _("Dismissed")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    reason = models.CharField(_("reason"), max_length=32, choices=reason_choices)
    text = models.TextField(_("details"), max_length=TEXT_MAX_LENGTH, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports_made",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            # Reporting twice updates the first report; anonymised ones (NULL) never collide.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "reporter"],
                condition=Q(reporter__isnull=False),
                name="moderation_one_report_per_member_and_object",
            )
        ]
        indexes = [models.Index(fields=["status", "content_type", "object_id"])]
        permissions = [
            (
                "moderate_community",
                _("Can moderate community content (reports, hide and restore)"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content_type.app_label}.{self.content_type.model} #{self.object_id}"
