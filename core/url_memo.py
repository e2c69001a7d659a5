"""Where each address leads, worked out once per process and language, not on every request.

Django finds a request's view by trying the URL map's patterns in order, and the site's pages
are last: Wagtail's catch-all comes after every app's patterns in four languages, so a page of
the handbook or library cost about a hundred microseconds of pattern matching before anything
else, on every view (the page cache never serves members). What an address resolves to depends
only on the URL map and, under the language prefixes, the active language, so the root
resolver keeps its answers (a bounded number: addresses with ids are endless), per resolver
object (a test's own URL map, or one rebuilt by `clear_url_caches`, starts with nothing kept).
Each request gets its own copy of the match, so nothing one request does to it reaches another.
Addresses that resolve to nothing are never kept.
"""

from __future__ import annotations

from django.urls.resolvers import RegexPattern, ResolverMatch, URLResolver
from django.utils.translation import get_language

MAX_KEPT = 4096
_resolve = URLResolver.resolve


def _is_root(resolver: URLResolver) -> bool:
    # The resolver `get_resolver` builds for a URL map: the only one on the pattern "^/".
    pattern = resolver.pattern
    return isinstance(pattern, RegexPattern) and pattern._regex == "^/"


def _copy(match: ResolverMatch) -> ResolverMatch:
    # Not copy.copy: a match refuses to be pickled, which copy would use.
    mine = object.__new__(ResolverMatch)
    mine.__dict__.update(match.__dict__)
    mine.args = tuple(match.args)
    mine.kwargs = dict(match.kwargs)
    mine.captured_kwargs = dict(match.captured_kwargs or {})
    mine.extra_kwargs = dict(match.extra_kwargs or {})
    return mine


def _kept_resolve(self: URLResolver, path):
    if not _is_root(self):
        return _resolve(self, path)
    kept = self.__dict__.get("_kept_matches")
    if kept is None:
        kept = self.__dict__["_kept_matches"] = {}
    key = (get_language(), str(path))
    match = kept.get(key)
    if match is None:
        match = _resolve(self, path)  # Resolver404 is raised, never kept
        if len(kept) >= MAX_KEPT:
            kept.clear()
        kept[key] = match
    return _copy(match)


def install() -> None:
    """Keep the root resolver's answers (called once, from CoreConfig)."""
    URLResolver.resolve = _kept_resolve
