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


class ModerationAction(models.Model):
    """One moderator's action, in an append-only log: rows are created, never changed or deleted
    (`save` refuses an update, `delete` refuses outright; the admin shows none of them as
    editable). A reversal after an appeal is a new row, pointing at the one it reverses."""

    class Kind(models.TextChoices):
        APPROVE = "approve", _("Approved (reports dismissed)")
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Restored")
        DELETE = "delete", _("Deleted")
        WARN = "warn", _("Warned the author")
        SUSPEND = "suspend", _("Suspended the author")
        BAN = "ban", _("Banned the author")
        UPHOLD = "uphold", _("Appeal refused (upheld)")
        REVERSE = "reverse", _("Appeal granted (reversed)")
        TRUST = "trust", _("Trust level set")
        WORDS = "words", _("Word list changed")
        PIN = "pin", _("Pinned the thread")
        UNPIN = "unpin", _("Unpinned the thread")
        LOCK = "lock", _("Locked the thread")
        UNLOCK = "unlock", _("Unlocked the thread")
        CLOSE = "close", _("Closed the thread")
        REOPEN = "reopen", _("Reopened the thread")
        MOVE = "move", _("Moved the thread")
        SEND_BACK = "send_back", _("Sent back to its poster as a draft")

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(_("action"), max_length=16, choices=Kind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    # What the object was, so the log still reads after it is deleted.
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    # What changed, beyond the kind of action (a move: from which forum to which).
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_actions_received",
    )
    reason = models.CharField(_("reason"), max_length=32, blank=True)
    note = models.TextField(_("note"), max_length=TEXT_MAX_LENGTH, blank=True)
    until = models.DateTimeField(_("until"), null=True, blank=True)
    reverses = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_repr}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("The moderation log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The moderation log is append-only.")

    @property
    def reason_label(self) -> str:
        """The reason as the log's reader reads it: a report reason's label in their language
        (the key stays what is stored, so a relabelled reason keeps its meaning)."""
        return dict(reason_choices()).get(self.reason, self.reason)

    @property
    def appealable(self) -> bool:
        return self.kind in APPEALABLE


APPEALABLE = {
    ModerationAction.Kind.HIDE,
    ModerationAction.Kind.DELETE,
    ModerationAction.Kind.WARN,
    ModerationAction.Kind.SUSPEND,
    ModerationAction.Kind.BAN,
}


# Actions the author is told of without an appeal: nothing was taken from them, and they can
# answer by changing their content (a held opportunity sent back as a draft, with a note).
TOLD_WITHOUT_APPEAL = {ModerationAction.Kind.SEND_BACK}


class Appeal(models.Model):
    """The author's one appeal against one action (the one-to-one makes a second impossible)."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("an appeal's status", "Open")
        UPHELD = "upheld", _("Upheld")
        REVERSED = "reversed", _("Reversed")

    action = models.OneToOneField(ModerationAction, on_delete=models.PROTECT, related_name="appeal")
    text = models.TextField(_("your appeal"), max_length=TEXT_MAX_LENGTH)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"appeal of {self.action}"


class WordList(models.Model):
    """One language's terms that hold content for review (`core.screening`), one per line."""

    language = models.CharField(_("language"), max_length=8, unique=True)
    terms = models.TextField(_("terms"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("word list")
        verbose_name_plural = _("word lists")

    def __str__(self) -> str:
        return self.language

    @property
    def term_list(self) -> list[str]:
        return [line.strip() for line in self.terms.splitlines() if line.strip()]
