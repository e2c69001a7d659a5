"""App config for search: finds every app's `search_documents` module and wires re-indexing."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from . import checks, declarations, signals  # noqa: F401

        autodiscover_modules("search_documents")
        signals.connect_adapters()
