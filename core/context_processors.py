"""Template context every page needs: language direction, main navigation, canonical URL."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language_bidi

from .paths import local_path
from .registries import navigation


def _navigation() -> list[dict[str, object]]:
    entries = []
    for entry in sorted(navigation, key=lambda e: e.order):
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            url = None
        entries.append({"key": entry.key, "label": entry.label, "url": url})
    return entries


def site_context(request: HttpRequest) -> dict[str, object]:
    return {
        "LANGUAGE_BIDI": get_language_bidi(),
        "main_navigation": _navigation(),
        "SITE_URL": settings.SITE_URL,
        "canonical_url": settings.SITE_URL + local_path(request.path),
    }
