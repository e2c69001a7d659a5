"""A resource the community moderators took out of readers' sight, and what brings it back.

Hiding or "deleting" a reported resource (`knowledge.moderation`) unpublishes its Wagtail page
rather than removing it: the page stays in the editors' tree, with its revisions, translations
and history. This row says the page is out of sight because of moderation, not because an
editor unpublished it, and remembers the revision readers saw, which a restore publishes again.
It lives beside the page, not on it: a field of the page would be copied into every revision,
and publishing an older revision would bring back an older moderation state with it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ModeratedResource(models.Model):
    page = models.OneToOneField(
        "knowledge.ResourcePage", on_delete=models.CASCADE, related_name="moderation"
    )
    # The revision that was live when it was hidden: restored as it was, not with later drafts.
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A moderator's "delete": withdrawn for good unless an appeal or a moderator restores it;
    # the editors decide whether to delete the page itself.
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("resource hidden by moderators")
        verbose_name_plural = _("resources hidden by moderators")

    def __str__(self) -> str:
        return f"moderated resource #{self.page_id}"
