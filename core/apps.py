"""App config for the kernel: wires signal handlers and the foundation's own registrations."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import declarations, enrolment, signals, site_lookups, site_paths  # noqa: F401

        site_paths.install()
        site_lookups.install()
