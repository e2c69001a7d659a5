"""App config for opportunities; wires its registry declarations and signal handlers."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    name = "community.opportunities"
    label = "opportunities"
    verbose_name = _("Opportunities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import declarations  # noqa: F401
