"""App config for the kernel: wires signal handlers and the foundation's own registrations."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import (  # noqa: F401
            declarations,
            enrolment,
            permissions_backend,
            signals,
            site_lookups,
            site_paths,
            template_blocks,
            translations,
            url_memo,
        )

        permissions_backend.install()
        site_paths.install()
        site_lookups.install()
        template_blocks.install()
        translations.install()
        url_memo.install()
