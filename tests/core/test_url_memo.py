"""Addresses resolved once per process and language (`core.url_memo`): the same match as
Django's, each language's prefix its own, unknown addresses never kept, and each request its
own copy of the match."""

from __future__ import annotations

import pytest

from django.urls import Resolver404, get_resolver
from django.urls.resolvers import URLResolver
from django.utils import translation

from core import url_memo


def _django_resolve(path: str):
    return url_memo._resolve(get_resolver(), path)


@pytest.mark.parametrize(
    ("language", "path"),
    [("en", "/en/privacy/"), ("en", "/en/forums/threads/67/"), ("fr", "/fr/me/"),
     ("ar", "/api/v1/resources/")],
)  # fmt: skip
def test_a_kept_match_is_the_one_django_finds(language, path):
    with translation.override(language):
        for _ in range(2):
            kept = get_resolver().resolve(path)
            expected = _django_resolve(path)
            assert (kept.func, kept.args, kept.kwargs, kept.url_name, kept.route) == (
                expected.func, expected.args, expected.kwargs, expected.url_name, expected.route
            )  # fmt: skip


def test_the_language_prefix_is_matched_for_the_active_language_only():
    with translation.override("en"):
        get_resolver().resolve("/en/me/")
    with translation.override("fr"), pytest.raises(Resolver404):
        get_resolver().resolve("/en/me/")


def test_unknown_addresses_are_never_kept_and_each_request_has_its_own_copy():
    resolver = get_resolver()
    with translation.override("en"):
        with pytest.raises(Resolver404):
            resolver.resolve("/no-such-place/at-all/")
        assert all(path != "/no-such-place/at-all/" for _l, path in resolver._kept_matches)
        first = resolver.resolve("/en/forums/threads/67/")
        first.kwargs["pk"] = 1
        assert resolver.resolve("/en/forums/threads/67/").kwargs["pk"] == 67


def test_only_the_root_resolver_keeps_answers_and_it_keeps_a_bounded_number(monkeypatch):
    monkeypatch.setattr(url_memo, "MAX_KEPT", 3)
    resolver = URLResolver(get_resolver().pattern, get_resolver().urlconf_name)
    with translation.override("en"):
        for n in range(10):
            resolver.resolve(f"/en/forums/threads/{n + 1}/")
    assert 1 <= len(resolver._kept_matches) <= 3
    nested = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver))
    assert not url_memo._is_root(nested)
