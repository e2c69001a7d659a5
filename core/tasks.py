"""Background tasks of the kernel, run by the worker (`manage.py worker`)."""

from __future__ import annotations

from django_tasks import task

from django.core.management import call_command


@task()
def publish_scheduled() -> None:
    """Wagtail's scheduled publishing and expiry; its signals invalidate cached pages."""
    call_command("publish_scheduled", verbosity=0)
