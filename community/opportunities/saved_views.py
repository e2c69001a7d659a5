"""The member's saved opportunities and saved searches: save/unsave buttons, the two lists,
saving the listing's current search and deleting one.

Every view is for a signed-in member and touches only their own rows: another member's saved
search is a 404, as if it did not exist. The buttons are plain forms that post and come back
to the page they were on, so everything works without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.saved_searches import MAX_SAVED, SearchRefused

from .filters import OpportunityFilters
from .models import Opportunity
from .saved_models import Frequency, SavedSearch
from .saving import (
    save_opportunity,
    save_search,
    unsave_opportunity,
    visible_saved,
)


def _back(request: HttpRequest, default: str) -> HttpResponse:
    candidate = request.POST.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(candidate)
    return redirect(default)


@require_POST
@login_required
def toggle_saved(request: HttpRequest, pk: int) -> HttpResponse:
    """Save (or, with `unsave`, forget) a public opportunity; any other one is a 404."""
    opportunity = Opportunity.objects.filter(pk=pk).first()
    if request.POST.get("unsave"):
        if opportunity is None:
            raise Http404(_("No such opportunity."))
        unsave_opportunity(request.user, opportunity)
        messages.success(request, _("Removed from your saved opportunities."))
    else:
        if opportunity is None or not opportunity.is_public:
            raise Http404(_("No such opportunity."))
        save_opportunity(request.user, opportunity)
        messages.success(request, _("Saved: find it under your saved opportunities."))
    return _back(request, reverse("opportunities:detail", args=[pk]))


@login_required
def saved_list(request: HttpRequest) -> HttpResponse:
    saved = [row.opportunity for row in visible_saved(request.user)]
    return render(request, "opportunities/saved.html", {"saved": saved, "noindex": True})


@login_required
def search_list(request: HttpRequest) -> HttpResponse:
    rows = []
    for search in SavedSearch.objects.filter(member=request.user):
        filters = OpportunityFilters.from_string(search.query)
        rows.append(
            {
                "search": search,
                "summary": filters.summary(),
                "broken": filters.canonical_query() != search.query,
                "url": reverse("opportunities:index")
                + (f"?{search.query}" if search.query else ""),
            }
        )
    return render(
        request,
        "opportunities/searches.html",
        {"rows": rows, "limit": MAX_SAVED, "noindex": True},
    )


@require_POST
@login_required
def search_create(request: HttpRequest) -> HttpResponse:
    """Save the listing's search as the form posted it (parsed again: only known filters)."""
    filters = OpportunityFilters.from_string(request.POST.get("query", ""))
    try:
        save_search(
            request.user,
            filters,
            request.POST.get("name", ""),
            request.POST.get("frequency", Frequency.WEEKLY),
        )
    except SearchRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("Search saved: we will e-mail you when new opportunities match it.")
        )
    return redirect("opportunities:saved_searches")


@require_POST
@login_required
def search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    search = get_object_or_404(SavedSearch, pk=pk, member=request.user)
    search.delete()
    messages.success(request, _("The saved search is deleted: it sends no more e-mails."))
    return redirect("opportunities:saved_searches")
