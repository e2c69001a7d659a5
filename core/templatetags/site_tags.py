"""Template tags of the site shell: the language switcher that keeps the current page.

Every page shows the switcher, signed-in pages included, which the page cache never serves: its
addresses (a Wagtail page's translations, or the same path under each language prefix) are the
same for every reader, so each process keeps them per page, site and path in a
`core.memo.ProcessMemo`. `core.signals` forgets them at once in the process where a page is
published, unpublished, moved, renamed or deleted, or a site or locale changes; other processes
read them again within `LINKS_TTL` seconds.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from wagtail.models import Site

from core.memo import ProcessMemo
from core.paths import local_path, local_url

register = template.Library()

LINKS_TTL = 30.0
# Keyed on the path too (any address can reach a page), so the number of keys is bounded.
_links: ProcessMemo[dict[str, str]] = ProcessMemo(
    "language switcher", ttl=LINKS_TTL, max_entries=5000
)


def forget_language_links(**kwargs) -> None:
    """Drop this process's switcher addresses: connected to every change of a page's address."""
    _links.clear()


def _addresses(request, page, path: str) -> dict[str, str]:
    """The address of the current page (or path) in each language, by language code."""
    translations: dict[str, str] = {}
    if page is not None and hasattr(page, "get_translations"):
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translation.locale.language_code] = translation.get_url(request)
    return {
        code: translations.get(code) or local_url(translate_url(path, code))
        for code, _name in settings.LANGUAGES
    }


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict[str, object]]:
    """The current page in each language: a Wagtail page's own translation when it has one."""
    request = context["request"]
    page = context.get("page")
    current = get_language()
    # The path only: the query string is the reader's own (a search, a filter), and a path that
    # starts with `//` would make every link below point to another host.
    path = local_path(request.path)
    # A page's translation URLs depend on the site the request reached (Wagtail found it to
    # serve the page, and keeps it on the request); other addresses on the path alone.
    if page is not None and hasattr(page, "get_translations"):
        site = Site.find_for_request(request)
        key = (page.pk, site.pk if site else None, path)
    else:
        key = (None, None, path)
    addresses = _links.get(key, lambda: _addresses(request, page, path))
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": addresses[code],
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]


@register.simple_tag
def current_policy_links():
    """The current policies (terms, privacy, conduct) for the footer, in the reader's language."""
    from core.registries import current_policies

    return current_policies()
