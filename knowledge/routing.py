"""Routing from a home page to the page a URL names in one query for the path, not one per level.

Wagtail routes `/en/library/some-resource/` by asking each page down the path for its child of
that slug, then for the child's specific row: two queries a level, on every request that shows a
page (the page cache never serves signed-in readers). Every page's `url_path` is its parent's
plus its slug, so the pages along the path can be read at once, by their `url_path`s under the
home page; each one whose type routes its children as Wagtail does (`Page.route` unchanged, or
`routes_children_by_slug` declared) hands over to its live child without being asked. The first
page that routes otherwise (the handbook's print view, a library's fallback to another language), or
the last page found, gets the rest of the path through its own `route`, so drafts, 404s, view
restrictions and each type's own routing stay exactly Wagtail's.

The same query says whether each page on the path is under a view restriction (its own, an
ancestor's, or one of an alias's original): for the page served when none is, its restrictions
are known to be none, and Wagtail's access check and `BasePage.serve` ask nothing more.
"""

from __future__ import annotations

from functools import cache

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import HttpRequest

from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult

from core.compiled_queries import CompiledQueries


def routes_children_by_slug(page_class: type[Page] | None) -> bool:
    """Whether `page_class` routes `<its url>/<slug>/...` to its child of that slug, as Wagtail
    does, so that the routing may skip asking it. The declaration must sit on the class that
    defines `route`: a subclass routing otherwise does not inherit it."""
    if page_class is None:
        return False
    owner = next(klass for klass in page_class.__mro__ if "route" in klass.__dict__)
    return page_class.route is Page.route or owner.__dict__.get("routes_children_by_slug", False)


def route_from_home(home: Page, request: HttpRequest, components: list[str]) -> RouteResult:
    """The route of `components` below `home`, as `Page.route` would give it."""
    url_paths = [
        home.url_path + "/".join(components[: n + 1]) + "/" for n in range(len(components))
    ]
    found = {page.url_path: page for page in _pages_on_path(home, url_paths)}
    current, depth = home, 0
    while depth < len(components):
        child = found.get(url_paths[depth])
        if child is None:
            # Its parent's own route decides (a library looks for another language's copy),
            # told that no child has that slug so that it need not ask again.
            current.absent_child_slug = components[depth]
            break
        if not child.live:
            # A draft: its parent decides too (Wagtail's 404, or a library's fallback).
            break
        # Treebeard's get_parent reads this instead of asking again, as in Wagtail's route.
        child._cached_parent_obj = current
        current, depth = child, depth + 1
        if not routes_children_by_slug(current.specific_class):
            break
    if current is home:
        return Page.route(home, request, components)
    rest = components[depth:]
    if not rest:
        return _known_unrestricted(_specific(current).route(request, rest), current)
    # A page routing the rest of the path reads only its tree fields (path, depth, locale,
    # translation key), which the path's query gave: its own row is read only if it serves
    # itself (the handbook's print view).
    router = current.specific_deferred
    page, args, kwargs = router.route(request, rest)
    if page is router:
        page = _specific(current)
    return _known_unrestricted(RouteResult(page, args=args, kwargs=kwargs), current)


# Their SQL compiled once per process (`core.compiled_queries`): compiling a page row's forty-odd
# columns cost more CPU than PostgreSQL spends answering, on every signed-in page view.
_compiled = CompiledQueries("routing")


def _pages_on_path(home: Page, url_paths: list[str]) -> list[Page]:
    """The pages at `url_paths` below `home`, each saying whether it is view-restricted."""

    def queryset() -> QuerySet[Page]:
        return Page.objects.filter(
            url_path__in=url_paths, path__startswith=home.path, depth__gt=home.depth
        ).annotate(view_restricted=_restricted())

    # In the order the SQL takes them (the filters sorted by name); checked when first compiled.
    params = [home.depth, f"{connection.ops.prep_for_like_query(home.path)}%", *url_paths]
    return _compiled.rows(("path", len(url_paths)), queryset, params)


@cache
def _restricted_sql() -> str:
    """Whether the page row is under a view restriction: its own or an ancestor's, or one on
    the original of an alias on its path (as `view_restrictions` finds them)."""
    page = Page._meta.db_table
    restriction = PageViewRestriction._meta.db_table
    return (
        f"EXISTS (SELECT 1 FROM {restriction} r JOIN {page} rp ON rp.id = r.page_id "  # noqa: S608
        f'WHERE LEFT("{page}".path, LENGTH(rp.path)) = rp.path) '
        f"OR EXISTS (SELECT 1 FROM {restriction} r JOIN {page} a ON a.alias_of_id = r.page_id "
        f'WHERE LEFT("{page}".path, LENGTH(a.path)) = a.path)'
    )


def _restricted() -> RawSQL:
    sql = _restricted_sql()
    return RawSQL(sql, (), output_field=BooleanField())  # noqa: S611 - no value in it


def _known_unrestricted(route: RouteResult, found: Page) -> RouteResult:
    """`route`, its page told that it has no view restriction when the path's query said so."""
    page = route.page
    if page.pk == found.pk and getattr(found, "view_restricted", None) is False:
        page._view_restrictions = PageViewRestriction.objects.none()
    return route


def _specific(page: Page) -> Page:
    """`page.specific`, with the relations its type declares in `route_select_related` (a
    resource's cover, say) read in the same query rather than one more each."""
    page_class = page.specific_class
    related = route_select_related(page_class)
    if not related:
        if page_class is None or isinstance(page, page_class):
            return page.specific
        return _specific_row(page, page_class)
    manager = page_class._default_manager
    found = _compiled.rows(
        ("specific", page_class, related),
        lambda: manager.select_related(*related).filter(id=page.id),
        [page.id],
    )
    if len(found) != 1:
        return manager.select_related(*related).get(id=page.id)  # as `.get` would say it
    specific = found[0]
    specific._cached_parent_obj = page._cached_parent_obj
    return specific


def _specific_row(page: Page, page_class: type[Page]) -> Page:
    """`page.specific` (Wagtail's `get_specific`) with its SQL compiled once per process."""
    manager = page_class._default_manager
    found = _compiled.rows(("specific", page_class), lambda: manager.filter(id=page.id), [page.id])
    if len(found) != 1:
        # As `.get` would say it (none, or more than one).
        return manager.get(id=page.id)
    specific = found[0]
    # As Wagtail's get_specific: what the generic row carries (its parent, annotations) too.
    for name, value in page.__dict__.items():
        specific.__dict__.setdefault(name, value)
    page.__dict__["specific"] = specific
    return specific


def route_select_related(model: type[Page]) -> tuple[str, ...]:
    """The relations `model`'s page shows and reads with its row (`route_select_related`)."""
    return getattr(model, "route_select_related", ())


def view_restrictions(page: Page) -> QuerySet[PageViewRestriction]:
    """The restrictions on `page` and its ancestors in one query (Wagtail's takes two: the
    ancestors, then their restrictions). Like Wagtail's, an alias on the path is restricted as
    its original is; its own restrictions, which Wagtail ignores, count too, which only ever
    hides more."""
    step = page.steplen
    paths = [page.path[:end] for end in range(step, len(page.path) + 1, step)]
    originals = Page.objects.filter(path__in=paths, alias_of__isnull=False).values("alias_of_id")
    return PageViewRestriction.objects.filter(Q(page__path__in=paths) | Q(page_id__in=originals))
