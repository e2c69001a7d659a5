"""Wagtail page URLs for many pages at once, as `Page.get_full_url(request)` gives them.

A listing of fifty resources with their translations asks Wagtail for a hundred URLs or more;
each `get_full_url` filters the site root paths, activates the page's language, reverses
`wagtail_serve` and deactivates it again: a fifth of an API list's time. `PageUrls` does the same
per page with the work that does not depend on the page done once per language: the site root
paths are read once (Wagtail's own per-request copy) and the reversed prefix of each language is
kept. It needs only a page's `url_path`, so rows read with `.values()` (no model instance, whose
construction costs as much again) get their URL too.

What it returns is what Wagtail returns, byte for byte: the same root path chosen (the first
site root path the page is under, in Wagtail's order), the same language (the active one when it
is a variant of the site root's), the same percent-encoding as Django's `reverse`. Anything out
of the ordinary (a page under several sites, a path `wagtail_serve` would not reverse) is handed
to Wagtail itself. Pages of a model that overrides `get_url_parts` must not be given to it.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import RFC3986_SUBDELIMS

from wagtail.coreutils import WAGTAIL_APPEND_SLASH, get_supported_content_language_variant
from wagtail.models import Page, Site

# What `wagtail_serve` accepts after the language prefix (wagtail.urls: `^((?:[\w\-]+/)*)$`).
_SERVABLE = re.compile(r"(?:[\w\-]+/)*")
_SAFE = RFC3986_SUBDELIMS + "/~:@"
_UNROUTABLE = object()


class PageUrls:
    """Full URLs of pages for one request: `PageUrls(request).full_url(url_path)`."""

    def __init__(self, request=None) -> None:
        self.request = request
        # Wagtail's own per-request copy (`Page._get_site_root_paths`), shared with it; without
        # a request (Django's sitemap view gives none) each site's own root URL is used, as
        # Wagtail does.
        try:
            self._root_paths = request._wagtail_cached_site_root_paths
        except AttributeError:
            self._root_paths = Site.get_site_root_paths()
            if request is not None:
                request._wagtail_cached_site_root_paths = self._root_paths
        self._prefixes: dict[str | None, str | object] = {}
        self._i18n = getattr(settings, "WAGTAIL_I18N_ENABLED", False)
        # Without the slash Wagtail strips it from each path: left to Wagtail.
        self._usable = WAGTAIL_APPEND_SLASH
        self._active = translation.get_language()
        try:
            self._active_variant = get_supported_content_language_variant(self._active)
        except LookupError:
            self._active_variant = None

    def full_url(self, url_path: str) -> str | None:
        """The page's full URL, None when it is not routable (as `Page.get_full_url`)."""
        possible = [srp for srp in self._root_paths if url_path.startswith(srp.root_path)]
        if not possible:
            return None
        if not self._usable or len({srp.site_id for srp in possible}) > 1:
            return self._wagtails(url_path)  # under several sites: Wagtail picks one
        _site_id, root_path, root_url, language_code = possible[0]
        if not self._i18n:
            language_code = None
        elif self._active_variant is not None and self._active_variant == language_code:
            language_code = self._active
        subpath = url_path[len(root_path) :]
        prefix = self._prefix(language_code)
        if prefix is _UNROUTABLE or not _SERVABLE.fullmatch(subpath):
            return self._wagtails(url_path)
        return root_url + prefix + quote(subpath, safe=_SAFE)

    def _prefix(self, language_code: str | None) -> str | object:
        """`wagtail_serve` reversed for the site root itself, in `language_code`."""
        if language_code not in self._prefixes:
            try:
                if language_code is None:
                    self._prefixes[None] = reverse("wagtail_serve", args=("",))
                else:
                    with translation.override(language_code):
                        self._prefixes[language_code] = reverse("wagtail_serve", args=("",))
            except NoReverseMatch:
                self._prefixes[language_code] = _UNROUTABLE
        return self._prefixes[language_code]

    def _wagtails(self, url_path: str) -> str | None:
        return Page(url_path=url_path).get_full_url(self.request)
