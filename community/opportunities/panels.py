"""The opportunities panels of the member's dashboard (`/me/`): saved opportunities and saved
searches, declared in `declarations.py`. Each shows the latest few and links to its full page;
an empty one is left out of the dashboard.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from .filters import OpportunityFilters
from .saved_models import SavedSearch
from .saving import visible_saved

SHOWN = 5


def render_saved_panel(request: HttpRequest) -> str | None:
    saved = visible_saved(request.user)
    shown = [row.opportunity for row in saved[:SHOWN]]
    if not shown:
        return None
    total = len(shown) if len(shown) < SHOWN else saved.count()
    return render_to_string(
        "opportunities/panels/saved.html", {"saved": shown, "total": total}, request
    )


def render_searches_panel(request: HttpRequest) -> str | None:
    searches = list(SavedSearch.objects.filter(member=request.user)[:SHOWN])
    if not searches:
        return None
    rows = [
        {
            "title": search.name or OpportunityFilters.from_string(search.query).summary(),
            "frequency": search.get_frequency_display(),
            "url": reverse("opportunities:index") + (f"?{search.query}" if search.query else ""),
        }
        for search in searches
    ]
    return render_to_string("opportunities/panels/searches.html", {"rows": rows}, request)
