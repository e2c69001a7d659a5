"""Background tasks of the kernel, run by the worker (`manage.py worker`)."""

from __future__ import annotations

from django_tasks import task

from django.core.management import call_command


@task()
def publish_scheduled() -> None:
    """Wagtail's scheduled publishing and expiry; its signals invalidate cached pages."""
    call_command("publish_scheduled", verbosity=0)


@task()
def purge_frontend_cache(stale_urls: list[str]) -> int:
    """Purge the shared caches in front of the site (Varnish, a CDN) after a change."""
    from .frontend_cache import purge_site

    return purge_site(stale_urls)
