"""The opportunities' panels: the member's dashboard (`/me/`: saved opportunities and saved
searches, each the latest few with a link to its full page; the member's own expressions of
interest; for posters, the applicants still waiting for an answer per opportunity they manage)
the home page's "Latest opportunities" and a country page's open opportunities (with their
counts per country for the countries index), all declared in `declarations.py`. A dashboard panel
with nothing to show returns None, and the dashboard leaves it out.

The home page is a Wagtail page and cannot import this app; it renders the registered panels
and declares their content groups to the page cache (`core.page_cache`), so a posting, closing
or hiding shows on the cached home page at once. That panel shows deadlines, so it also caps the
cached page's lifetime at the next moment one of them changes what it shows.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from community.organisations.models import Role
from core.compiled_queries import CompiledQueries
from core.country_panels import counts_by_country, page_country_code
from core.page_cache import expire_within

from .filters import OpportunityFilters
from .listing import listed, next_change
from .models import Application, ApplicationStatus, Opportunity
from .saved_models import SavedSearch
from .saving import SAVED_REVIEWS, SAVED_STATUSES, visible_saved

SHOWN = 5
# Its panels' reads, on every view of `/me/` (never served from the page cache), compiled to SQL
# once per process (`core.compiled_queries`): each took longer to compile than to answer.
_compiled = CompiledQueries("opportunities' dashboard panels", max_entries=8)


def render_saved_panel(request: HttpRequest) -> str | None:
    user = request.user
    saved = visible_saved(user)
    # The member, then the filters by name: hidden (no value), review, status.
    params = [user.pk, *(r.value for r in SAVED_REVIEWS), *(s.value for s in SAVED_STATUSES)]
    shown = [row.opportunity for row in _compiled.rows("saved", lambda: saved[:SHOWN], params)]
    if not shown:
        return None
    total = len(shown) if len(shown) < SHOWN else saved.count()
    return render_to_string(
        "opportunities/panels/saved.html", {"saved": shown, "total": total}, request
    )


def render_searches_panel(request: HttpRequest) -> str | None:
    user = request.user
    searches = _compiled.rows(
        "searches", lambda: SavedSearch.objects.filter(member=user)[:SHOWN], [user.pk]
    )
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


def render_home_panel(request: HttpRequest, page) -> str:
    """The newest open opportunities, or nothing when there are none."""
    now = timezone.now()
    latest = list(
        listed()
        .filter(deadline__gt=now)
        .select_related("organisation")
        .order_by("-created_at", "pk")[:SHOWN]
    )
    # One that closes leaves the panel and lets an older one in: both happen at its deadline.
    expire_within(request, next_change(latest, now))
    if not latest:
        return ""
    return render_to_string("opportunities/_panel.html", {"opportunities": latest}, request=request)


def render_my_applications(request: HttpRequest) -> str | None:
    user = request.user
    mine = _compiled.rows(
        "applications",
        lambda: (
            Application.objects.filter(applicant=user)
            .select_related("opportunity")
            .order_by("-created_at")
        ),
        [user.pk],
    )
    if not mine:
        return None
    return render_to_string("opportunities/panels/my_applications.html", {"rows": mine}, request)


def render_waiting_applicants(request: HttpRequest) -> str | None:
    user = request.user
    managed = (
        Opportunity.objects.filter(
            Q(poster=user)
            | Q(
                organisation__memberships__user=user,
                organisation__memberships__role=Role.ADMIN,
            )
        )
        .distinct()
        .values_list("pk", flat=True)
    )
    submitted = ApplicationStatus.SUBMITTED.value
    waiting = _compiled.rows(
        "waiting applicants",
        lambda: (
            Opportunity.objects.filter(pk__in=managed)
            .annotate(waiting=Count("applications", filter=Q(applications__status=submitted)))
            .filter(waiting__gt=0)
            .order_by("deadline", "pk")
        ),
        # In the order its SQL takes them: the count's status, the member as poster, their
        # admin role, the member as its holder, the count's status again (HAVING), the 0.
        [submitted, user.pk, Role.ADMIN.value, user.pk, submitted, 0],
    )
    if not waiting:
        return None
    return render_to_string(
        "opportunities/panels/waiting_applicants.html", {"rows": waiting}, request
    )


def render_country_panel(request: HttpRequest, page) -> str:
    """The open opportunities in a country page's country, soonest deadline first."""
    code = page_country_code(page)
    if not code:
        return ""
    now = timezone.now()
    # Codes are stored comma-separated; two letters never straddle a comma.
    found = list(
        listed()
        .filter(deadline__gt=now, countries__contains=code)
        .select_related("organisation")
        .order_by("deadline", "pk")[:SHOWN]
    )
    expire_within(request, next_change(found, now))
    if not found:
        return ""
    return render_to_string(
        "opportunities/_country_panel.html",
        {"opportunities": found, "more_url": f"{reverse('opportunities:index')}?country={code}"},
        request=request,
    )


def count_open_by_country(request: HttpRequest, codes: list[str]) -> dict[str, int]:
    """How many open opportunities each of these countries has, in one query; the cached page
    showing them is kept only until the first of them closes."""
    now = timezone.now()
    open_now = listed().filter(deadline__gt=now)
    return counts_by_country(request, open_now, codes, leaves="deadline", now=now)
