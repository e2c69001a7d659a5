"""Views of the kernel: health check, robots.txt, policy re-acceptance and error pages."""

from __future__ import annotations

import psycopg
from psycopg_pool import PoolTimeout

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .cache_faults import redis_answers
from .forms import PolicyReacceptanceForm

HEALTH_PATIENCE = 3.0


def _database_answers() -> bool:
    pool = connection.pool if connection.settings_dict["OPTIONS"].get("pool") else None
    try:
        if pool is None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            return True
        pool.open()  # as Django does on a first connection; a no-op once open
        with pool.connection(timeout=HEALTH_PATIENCE) as conn:
            conn.execute("SELECT 1")
        return True
    except (DatabaseError, PoolTimeout, psycopg.Error):
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 otherwise: for load balancers and uptime checks.

    With Redis configured, its state is reported too. Its outage answers 200 with status
    "degraded": every server shares the one Redis, so taking servers out of a load balancer
    would not help, and pages still serve (uncached) while log-ins wait for it to return.

    It answers within HEALTH_PATIENCE seconds: a page may wait the pool's full timeout for a
    connection, but a load balancer's check gives up sooner and would see no answer at all.
    """
    report = {"status": "ok", "database": "ok"}
    if not _database_answers():
        report = {"status": "unavailable", "database": "unreachable"}
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        report["redis"] = "ok" if redis_answers(cache) else "unreachable"
        if report["redis"] != "ok" and report["status"] == "ok":
            report["status"] = "degraded"
    return JsonResponse(report, status=503 if report["database"] != "ok" else 200)


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /api/",
        *(f"Disallow: /{code}/accounts/" for code, _name in settings.LANGUAGES),
        *(f"Disallow: /{code}/private/" for code, _name in settings.LANGUAGES),
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@never_cache
@login_required
def accept_policies(request: HttpRequest) -> HttpResponse:
    """Asks a signed-in member to accept the policies whose version changed since they last did."""
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = "/"
    form = PolicyReacceptanceForm(request.POST or None, user=request.user)
    if not form.policies:
        return redirect(next_url)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect(next_url)
    return render(
        request,
        "core/accept_policies.html",
        {"form": form, "next": next_url, "noindex": True},
    )


def wagtail_admin_login(request: HttpRequest) -> HttpResponse:
    """Reached only when already signed in (see idiaspora/urls.py): go on to the admin."""
    next_url = request.GET.get("next") or "/admin/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = "/admin/"
    return redirect(next_url)


def _api_problem(request: HttpRequest, status: int) -> HttpResponse | None:
    """Under /api/v1/ errors are problem details (JSON), never the site's HTML pages."""
    from django.utils import translation

    from .api_problems import is_api_path, problem_response

    if not is_api_path(request.path):
        return None
    wanted = request.GET.get("lang", "")
    language = wanted if wanted in dict(settings.LANGUAGES) else translation.get_language()
    with translation.override(language):
        return problem_response(request, status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if (api := _api_problem(request, 400)) is not None:
        return api
    return render(request, "400.html", {"noindex": True}, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if (api := _api_problem(request, 403)) is not None:
        return api
    return render(request, "403.html", {"noindex": True}, status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid token (often an expired page): say what to do, kindly."""
    return render(request, "403.html", {"noindex": True, "expired_form": True}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if (api := _api_problem(request, 404)) is not None:
        return api
    return render(request, "404.html", {"noindex": True}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if (api := _api_problem(request, 500)) is not None:
        return api
    # No database-backed context here: the database may be what failed.
    from django.template import loader

    template = loader.get_template("500.html")
    return HttpResponse(template.render({"request": request}), status=500)
