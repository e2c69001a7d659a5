"""Template tags of the site shell: the language switcher that keeps the current page, and the
shell's fragments kept per process.

Every page shows the switcher, signed-in pages included, which the page cache never serves: its
addresses (a Wagtail page's translations, or the same path under each language prefix) are the
same for every reader, so each process keeps them per page, site and path in a
`core.memo.ProcessMemo`. `core.signals` forgets them at once in the process where a page is
published, unpublished, moved, renamed or deleted, or a site or locale changes; other processes
read them again within `LINKS_TTL` seconds.

`{% kept "name" value ... %}...{% endkept %}` draws what it encloses once per process for each
interface language and set of `value`s, then serves that HTML: the main menu, the language
switcher and the footer are the same for every reader who shares them, and signed-in pages
(never served from the page cache) drew them on every view. What it encloses must show nothing
but those values, constant text and translations: never a `{% block %}` (a page overriding it
would get another page's drawing), a CSRF token, the reader's name or a live count.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.template.defaulttags import CsrfTokenNode
from django.template.loader_tags import BlockNode
from django.urls import translate_url
from django.utils.safestring import SafeString
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


FRAGMENTS_TTL = 3600.0
# Keyed on what each fragment shows (the page's address among them): bounded.
_fragments: ProcessMemo[SafeString] = ProcessMemo(
    "shell fragments", ttl=FRAGMENTS_TTL, max_entries=5000
)


def _frozen(value: object) -> object:
    """`value` as a dictionary key: lists and dicts as tuples (lazy text compares as the text it
    gives in the active language, which is part of every key). Anything else unhashable raises
    TypeError, and the fragment is drawn without being kept."""
    try:
        hash(value)
    except TypeError:
        if isinstance(value, list | tuple):
            return tuple(map(_frozen, value))
        if isinstance(value, dict):
            return tuple((key, _frozen(item)) for key, item in value.items())
        raise
    return value


class KeptNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str, vary_on: list) -> None:
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context: template.Context) -> str:
        try:
            key = (self.name, get_language(), *(_frozen(v.resolve(context)) for v in self.vary_on))
        except TypeError:
            return self.nodelist.render(context)
        return _fragments.get(key, lambda: SafeString(self.nodelist.render(context)))


@register.tag
def kept(parser, token) -> KeptNode:
    """`{% kept "name" value ... %}...{% endkept %}`: see this module's docstring."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError("{% kept %} needs a quoted name first")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode) or nodelist.get_nodes_by_type(CsrfTokenNode):
        raise template.TemplateSyntaxError("{% kept %} may hold no {% block %} or {% csrf_token %}")
    return KeptNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]])
