"""Template tags of the site shell: the language switcher that keeps the current page."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from core.paths import local_path, local_url

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict[str, object]]:
    """The current page in each language: a Wagtail page's own translation when it has one."""
    request = context["request"]
    page = context.get("page")
    translations: dict[str, str] = {}
    if page is not None and hasattr(page, "get_translations"):
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translation.locale.language_code] = translation.get_url(request)
    current = get_language()
    # The path only: the query string is the reader's own (a search, a filter), and a path that
    # starts with `//` would make every link below point to another host.
    path = local_path(request.path)
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        url = translations.get(code) or local_url(translate_url(path, code))
        links.append(
            {"code": code, "name": info["name_local"], "url": url, "current": code == current}
        )
    return links


@register.simple_tag
def current_policy_links():
    """The current policies (terms, privacy, conduct) for the footer, in the reader's language."""
    from core.registries import current_policies

    return current_policies()
