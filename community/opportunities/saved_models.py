"""What a member keeps of the opportunities listing: saved opportunities and saved searches.

A module of its own (re-exported by `models.py`, so Django registers the models) to keep them
apart from the opportunity's own lifecycle. A saved search stores the listing's canonical query
string (`filters.OpportunityFilters.canonical_query`), never a translated text: its title is
worked out in the reader's language each time, and the alert job parses it again each run.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SavedOpportunity(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_opportunities"
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.CASCADE, related_name="saved_by"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("saved opportunity")
        verbose_name_plural = _("saved opportunities")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "opportunity"], name="saved_opportunity_once_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} saved {self.opportunity_id}"


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class SavedSearch(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    query = models.CharField(_("search"), max_length=500)
    name = models.CharField(_("name"), max_length=100, blank=True)
    frequency = models.CharField(
        _("how often"), max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    # Opportunities that became public up to this moment have been considered for this search.
    last_notified_at = models.DateTimeField(default=timezone.now, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["member", "query"], name="saved_search_once_per_member")
        ]

    def __str__(self) -> str:
        return self.name or self.query or "*"
