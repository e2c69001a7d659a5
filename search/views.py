"""The search page: one query box, results in the reader's language with highlights, a
language badge and why each matched, type tabs and facets, paging, and for members a form that
saves the search (`saved_views`). Plain forms, so it all works without JavaScript. Pages
carrying a reader's free text are never cached."""

from __future__ import annotations

from dataclasses import asdict
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from .analysis import enabled_languages
from .models import AlertFrequency, SavedSiteSearch
from .queries import read_query, run
from .registry import adapters, type_labels

WHY = {
    "keyword": _("Words of your search"),
    "taxonomy": _("A topic of your search, in other languages"),
    "semantic": _("Similar meaning"),
}


def language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


def reader_url(doc_type: str, url: str, reader: str) -> str:
    """A found document's address for the reader: under their language's prefix where its
    type's addresses have one per language (`localised_urls`)."""
    if getattr(adapters.get(doc_type), "localised_urls", False):
        # Stored under the default language's prefix, which is what resolving it needs.
        with translation.override(settings.LANGUAGE_CODE):
            return translate_url(url, reader)
    return url


def present(hit, reader: str) -> dict:
    """What the template shows of a hit, in the reader's language."""
    return {
        "hit": hit,
        "url": reader_url(hit.doc_type, hit.url, reader),
        "type_label": type_labels().get(hit.doc_type, hit.doc_type),
        "language_name": language_name(hit.language),
        "other_language": hit.language != reader,
        "matched_in": language_name(hit.matched_language)
        if hit.matched_language != hit.language
        else "",
        "why": [WHY[name] for name in hit.matched_by if name in WHY],
    }


FACET_LINKS = 8  # the most frequent values offered per facet (besides those chosen)
FACET_PARAMS = ("lang", "country", "topic", "year")


def topic_label(slug: str, reader: str) -> str:
    from core.topics import get_concept

    concept = get_concept(slug)
    return concept.in_language(reader).label if concept else slug


def refine_groups(results, query, keep: list[tuple[str, str]]) -> list[dict]:
    """The facets a reader narrows the results by, as links: language (unless "only in my
    language" already chose), country, topic and year, each value with its count, the chosen
    ones (those in `keep`, the page's parameters) first and marked, each link adding or
    removing its value and keeping the rest."""
    from core.geography import country_name

    chosen = {param: [v for p, v in keep if p == param] for param in FACET_PARAMS}
    facets = results.facets
    groups = [
        ("lang", _("Language"), facets.get("language", {}), language_name),
        ("country", _("Country"), facets.get("country", {}), country_name),
        ("topic", _("Topic"), facets.get("topic", {}), lambda s: topic_label(s, query.language)),
        ("year", _("Year"), facets.get("year", {}), str),
    ]
    if dict(keep).get("mine"):
        groups = groups[1:]
    shown = []
    for param, heading, counts, name in groups:
        if param == "year":
            values = sorted(counts, reverse=True)[:FACET_LINKS]
        else:
            values = sorted(counts, key=lambda value: (-counts[value], value))[:FACET_LINKS]
        values = [*chosen[param], *(value for value in values if value not in chosen[param])]
        if not chosen[param] and (
            not values or (len(values) == 1 and counts[values[0]] >= results.total)
        ):
            continue  # one value that every result has narrows nothing
        links = []
        for value in values:
            selected = value in chosen[param]
            others = [(p, v) for p, v in keep if not (p == param and v == value)]
            if not selected:
                others.append((param, value))
            links.append(
                {
                    "label": name(value),
                    "count": counts.get(value, 0),
                    "selected": selected,
                    "query": urlencode(others),
                    "lang": value if param == "lang" else "",
                }
            )
        shown.append({"param": param, "heading": heading, "links": links})
    return shown


@never_cache
def index(request: HttpRequest) -> HttpResponse:
    query, errors = read_query(request.GET, request.user)
    results = run(query) if query.text else None
    keep = {"q": query.text}
    if request.GET.get("mine"):
        keep["mine"] = "1"
    # The chosen facet values, carried by the tabs, the pager and every facet link.
    chosen = [
        *[("lang", value) for value in query.languages if not request.GET.get("mine")],
        *[("country", value) for value in query.countries],
        *[("topic", value) for value in query.topics],
        *[("year", str(value)) for value in query.years],
    ]
    tabs = [
        {
            "value": "",
            "label": _("All"),
            "count": sum(results.facets["type"].values()) if results else 0,
            "current": not query.types,
            "query": urlencode([*keep.items(), *chosen]),
        }
    ]
    for value, label in type_labels().items():
        tabs.append(
            {
                "value": value,
                "label": label,
                "count": results.facets["type"].get(value, 0) if results else 0,
                "current": query.types == [value],
                "query": urlencode([*keep.items(), ("type", value), *chosen]),
            }
        )
    current = [*keep.items(), *(("type", value) for value in query.types[:1]), *chosen]
    pager_query = urlencode(current)
    page_obj = None
    if results and results.total:
        page_obj = {
            "number": results.page,
            "has_other_pages": results.pages > 1,
            "has_previous": results.page > 1,
            "has_next": results.page < results.pages,
            "previous_page_number": results.page - 1,
            "next_page_number": results.page + 1,
            "paginator": {"num_pages": results.pages},
        }
    saved, save_query = None, ""
    if query.text and request.user.is_authenticated:
        from .saved import canonical_of

        save_query = canonical_of(query, mine=bool(request.GET.get("mine")))
        saved = SavedSiteSearch.objects.filter(
            member=request.user, query=save_query, language=query.language
        ).first()
    language_facets = [
        {"code": code, "name": language_name(code), "count": count}
        for code in enabled_languages()
        if (count := (results.facets["language"].get(code, 0) if results else 0))
    ]
    response = render(
        request,
        "search/index.html",
        {
            "query_text": query.text,
            "errors": errors,
            "results": results,
            "items": [present(hit, query.language) for hit in results.hits] if results else [],
            "tabs": tabs,
            "language_facets": language_facets,
            "refine": refine_groups(results, query, current) if results else [],
            "mine": bool(request.GET.get("mine")),
            "current_type": query.types[0] if query.types else "",
            "page_obj": page_obj,
            "query": pager_query,
            "saved": saved,
            "save_query": save_query,
            "frequencies": AlertFrequency.choices,
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
def suggestions(request: HttpRequest) -> JsonResponse:
    """`?q=`: what the search box offers while its reader types (`search.suggestions`), as
    JSON for the page's script, in the page's language; with a sentence for screen readers.
    Bounded like the page: a long text is cut, a short one gets nothing."""
    from .suggestions import suggestions as offers_for

    offers = offers_for(request.GET.get("q", ""), request.user)
    response = JsonResponse(
        {
            "suggestions": [asdict(offer) for offer in offers],
            "status": ngettext("%(count)d suggestion", "%(count)d suggestions", len(offers))
            % {"count": len(offers)},
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response
