"""A member's proposal of a library resource, and where it stands in the editors' review.

The proposal itself is a draft `ResourcePage` in the chosen language's library, submitted to the
site's review workflow (`knowledge.submissions`). This record remembers who proposed it, the
file they sent (kept in `core.private_files` storage until the page is published, then moved to
a Wagtail document attached to the page), and the outcome the member sees on `/me/`: waiting,
published, or not accepted with the moderator's reason. It keeps the title and language of the
proposal, so the member still sees it if editors delete the draft.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.private_files import PrivateFileField
from core.uploads import DOCUMENT_TYPES

SUBMISSION_FILE_KIND = "resource_submission"
SUBMISSION_FILE_TYPES = DOCUMENT_TYPES
SUBMISSION_MAX_BYTES = 20 * 1024 * 1024


class SubmissionState(models.TextChoices):
    IN_REVIEW = "in_review", _("Waiting for review")
    REJECTED = "rejected", _("Not accepted")
    PUBLISHED = "published", pgettext_lazy("a proposal's status", "Published")


class ResourceSubmission(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resource_submissions"
    )
    page = models.OneToOneField(
        "knowledge.ResourcePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submission",
    )
    title = models.CharField(_("title"), max_length=255)
    language = models.CharField(_("language"), max_length=8)
    link = models.URLField(_("link"), max_length=500, blank=True)
    file = PrivateFileField(
        _("file"),
        kind=SUBMISSION_FILE_KIND,
        allowed=SUBMISSION_FILE_TYPES,
        max_bytes=SUBMISSION_MAX_BYTES,
        blank=True,
    )
    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        max_length=16, choices=SubmissionState.choices, default=SubmissionState.IN_REVIEW
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("resource submission")
        verbose_name_plural = _("resource submissions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title
