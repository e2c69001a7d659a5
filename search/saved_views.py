"""A member's saved searches of the site: saving the search page's search, the list, changing
how often one e-mails, deleting one.

Every view is for a signed-in member and touches only their own rows: another member's saved
search is a 404, as if it did not exist. They are plain forms that post and come back, so all
of it works without JavaScript. Pages that show what a member searched for are never cached.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.saved_searches import MAX_SAVED, SearchRefused

from .models import AlertFrequency, SavedSiteSearch
from .saved import describe, save_search, search_url


@never_cache
@login_required
def saved_list(request: HttpRequest) -> HttpResponse:
    rows = [describe(search) for search in SavedSiteSearch.objects.filter(member=request.user)]
    response = render(
        request,
        "search/saved.html",
        {
            "rows": rows,
            "limit": MAX_SAVED,
            "frequencies": AlertFrequency.choices,
            "noindex": True,
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def saved_create(request: HttpRequest) -> HttpResponse:
    """Save the search the page posted (its query string, read again as the page reads it)."""
    params = QueryDict(request.POST.get("query", "")[:2000])
    try:
        search = save_search(
            request.user,
            params,
            get_language(),
            name=request.POST.get("name", ""),
            frequency=request.POST.get("frequency", ""),
        )
    except SearchRefused as refusal:
        messages.error(request, str(refusal))
        if params.get("q"):
            return redirect(f"{reverse('search:index')}?{params.urlencode()}")
        return redirect("search:saved")
    if search.frequency == AlertFrequency.NEVER:
        messages.success(request, _("Search saved: find it under your saved searches."))
    else:
        messages.success(request, _("Search saved: we will e-mail you when new results match it."))
    return redirect(search_url(search))


@require_POST
@login_required
def saved_update(request: HttpRequest, pk: int) -> HttpResponse:
    search = get_object_or_404(SavedSiteSearch, pk=pk, member=request.user)
    frequency = request.POST.get("frequency", "")
    if frequency not in AlertFrequency.values:
        messages.error(request, _("Choose how often to e-mail you among the choices given."))
        return redirect("search:saved")
    search.frequency = frequency
    search.save(update_fields=["frequency"])
    messages.success(
        request,
        _("“%(search)s” will now e-mail you: %(frequency)s.")
        % {"search": describe(search)["title"], "frequency": search.get_frequency_display()},
    )
    return redirect("search:saved")


@require_POST
@login_required
def saved_delete(request: HttpRequest, pk: int) -> HttpResponse:
    search = get_object_or_404(SavedSiteSearch, pk=pk, member=request.user)
    search.delete()
    messages.success(request, _("The saved search is deleted: it sends no more e-mails."))
    return redirect("search:saved")
