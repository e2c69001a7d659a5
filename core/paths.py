"""The request's path made safe to write into a link on the same site.

`GET //evil.example/` reaches the 404 page with `request.path == "//evil.example/"`, and a
browser reads `//evil.example/` (or `/\\evil.example/`, or one with a tab inside) in an `href`
as a link to another host. Every link built from the request's path (language switcher,
canonical link, og:url) goes through `local_path` or `local_url`, which always return a path on
this site.
"""

from __future__ import annotations

from django.utils.encoding import escape_uri_path, iri_to_uri


def local_path(path: str) -> str:
    """A decoded path (`request.path`) as a link on this site: encoded, one leading slash."""
    # Encoding turns backslashes, tabs and newlines (which browsers read as slashes or drop)
    # into %5C, %09, %0A; only literal slashes can then start a network-path reference.
    return _one_leading_slash(escape_uri_path(path))


def local_url(url: str) -> str:
    """An already encoded path (from `reverse`, `translate_url`) as a link on this site."""
    return _one_leading_slash(iri_to_uri(url))


def _one_leading_slash(path: str) -> str:
    return "/" + path.lstrip("/")
