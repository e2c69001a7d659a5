"""The handbook's reading side: its numbered table of contents, chapters with previous/next and
stable heading anchors, practice boxes in the reader's language, the one-page print view, and the
chapters that cite a resource.

A chapter exists once per language it is written or translated in (pages sharing a
`translation_key`, each under its language's handbook). Every reader's handbook shows each
chapter once: the copy in the reader's language when there is one, else the original (the first
copy created) with a language badge, reached under the reader's own handbook address and served
with the library's "not yet available in your language" notice (`route_in_library`). Chapters
are numbered in the order of the default language's handbook (an editor reorders them there),
sections by the chapter's top-level headings: 1, 1.1, 1.2, 2...

Heading anchors are made from the heading block's id, which Wagtail keeps across edits and
wagtail-localize keeps across translations: a link to `#s-…` survives a reworded heading and
lands on the same section in every language.

Costs are fixed whatever the handbook's size: one query for every chapter in every language,
one for the practice boxes' resources of everything shown (plus their cover renditions), one
for the chapters citing a resource. The contents and practice boxes are the same for every reader
of a language, so signed-in readers get them from a per-process memo forgotten on any publish
(`knowledge.declarations.remembered`): a chapter then costs its routing and its own row only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models.functions import Substr
from django.http import HttpRequest
from django.template.loader import render_to_string

from wagtail.models import Page
from wagtail.url_routing import RouteResult

from .images import with_renditions
from .library import (
    Card,
    card,
    language_name,
    locale_code,
    reader_language,
    restricted,
    route_in_library,
    with_topic_ids,
)
from .models import ChapterCitation, ChapterPage, HandbookPage, ResourcePage

PRINT_SEGMENT = "print"


@dataclass
class Section:
    number: str
    title: str
    anchor: str


@dataclass
class Entry:
    """One chapter as this reader's table of contents shows it."""

    page: ChapterPage
    number: int
    url: str
    language: str | None  # its language's name when it is not the reader's
    language_code: str
    sections: list[Section] = field(default_factory=list)


def anchor(block_id: str | None, position: int) -> str:
    """A heading's stable id: from its block id (kept across edits and translations)."""
    return f"s-{block_id[:8]}" if block_id else f"s-{position}"


def _raw_blocks(page: ChapterPage) -> list[dict]:
    return list(page.body.raw_data)


def sections(page: ChapterPage, number: int) -> list[Section]:
    """The chapter's top-level headings, numbered `number.1`, `number.2`..."""
    found = []
    for position, raw in enumerate(_raw_blocks(page)):
        if raw["type"] == "heading" and raw["value"].get("level", "h2") == "h2":
            found.append(
                Section(f"{number}.{len(found) + 1}", raw["value"]["text"],
                        anchor(raw.get("id"), position))
            )  # fmt: skip
    return found


def practice_ids(pages: Iterable[ChapterPage]) -> list[int]:
    """The ids of the resources that the practice boxes of `pages` picked."""
    ids = []
    for page in pages:
        for raw in _raw_blocks(page):
            if raw["type"] == "practice" and raw["value"].get("resource"):
                ids.append(int(raw["value"]["resource"]))
    return ids


# --- Routing --------------------------------------------------------------------------------


def route_in_handbook(handbook: HandbookPage, request: HttpRequest, components: list[str],
                      default_route) -> RouteResult:  # fmt: skip
    """`<handbook>/print/` is the whole handbook on one page; chapters route like resources,
    falling back to another language's copy when the reader's has none."""
    if components == [PRINT_SEGMENT] and handbook.live:
        return RouteResult(handbook, kwargs={"print_view": True})
    result = route_in_library(handbook, request, components, default_route, model=ChapterPage)
    page, args, kwargs = result
    if isinstance(page, ChapterPage) and "reader_library" not in (kwargs or {}):
        # The chapter's own handbook, already fetched by the routing: not asked for again.
        return RouteResult(page, args=args, kwargs={**(kwargs or {}), "handbook": handbook})
    return result


# --- The table of contents -------------------------------------------------------------------


def _chapters(handbook: HandbookPage, with_body: bool) -> list[ChapterPage]:
    """Every live, unrestricted chapter of every language's copy of `handbook`: one query."""
    handbooks = Page.objects.live().filter(translation_key=handbook.translation_key).values("path")
    chapters = (
        ChapterPage.objects.live()
        .filter(depth=handbook.depth + 1)
        .annotate(parent_path=Substr("path", 1, len(handbook.path)))
        .filter(parent_path__in=handbooks)
        .exclude(restricted())
        .select_related("locale")
        .order_by("pk")
    )
    if not with_body:
        chapters = chapters.defer("body")
    return list(chapters)


def table_of_contents(handbook: HandbookPage, request: HttpRequest,
                      with_body: bool = True) -> list[Entry]:  # fmt: skip
    """Each chapter once, numbered, in the reader's language when translated (`handbook` is the
    reader's handbook), else the original."""
    by_key: dict = {}
    for chapter in _chapters(handbook, with_body):
        by_key.setdefault(chapter.translation_key, []).append(chapter)  # oldest copy first
    handbook_url = handbook.get_url(request) or "/"
    chosen = []
    for copies in by_key.values():
        original = copies[0]
        here = next((c for c in copies if c.locale_id == handbook.locale_id), None)
        default = next(
            (c for c in copies if c.locale.language_code == settings.LANGUAGE_CODE), original
        )
        # Sibling position: the last step of the path, in the default language's handbook.
        chosen.append((default.path[-Page.steplen :], default.pk, here or original, here))
    chosen.sort(key=lambda item: item[:2])
    entries = []
    for number, (_position, _pk, page, here) in enumerate(chosen, start=1):
        code = page.locale.language_code
        entries.append(
            Entry(
                page=page,
                number=number,
                url=page.get_url(request) if here else f"{handbook_url}{page.slug}/",
                language=None if here else language_name(code),
                language_code=code,
                sections=sections(page, number) if with_body else [],
            )
        )
    return entries


# --- Practice boxes --------------------------------------------------------------------------


def practice_cards(ids: list[int], request: HttpRequest, locale_id: int,
                   absolute: bool = False) -> dict[int, Card]:  # fmt: skip
    """The card each chosen resource id shows as: its live translation in the reader's locale,
    else the original, else (the original unpublished) any live copy. One query for the pages
    and one for their cover renditions; resources that are hidden are left out."""
    from .declarations import library_url

    if not ids:
        return {}
    keys = Page.objects.filter(pk__in=ids).values("translation_key")
    pages = (
        ResourcePage.objects.filter(translation_key__in=keys)
        .annotate(hidden=restricted())
        .select_related("locale", "cover_image")
        .order_by("pk")
    )
    pages = list(with_renditions(with_topic_ids(pages), "card"))
    key_of = {page.pk: page.translation_key for page in pages}
    shown: dict = {}
    for page in pages:
        if not page.live or page.hidden:
            continue
        known = shown.get(page.translation_key)
        if known is None or (page.locale_id == locale_id and known.locale_id != locale_id):
            shown[page.translation_key] = page
    library = library_url(request, reader_language()) or "/"
    cards = {}
    for cited in ids:
        page = shown.get(key_of.get(cited))
        if page is not None:
            item = card(page, request, library, locale_id)
            if absolute:
                item = Card(**{**item.__dict__, "url": request.build_absolute_uri(item.url)})
            cards[cited] = item
    return cards


def body_items(page: ChapterPage, number: int, cards: dict[int, Card]) -> list[dict]:
    """The chapter's blocks as its template draws them: headings with their anchor (and number
    for sections), practice boxes with their card, any other block as Wagtail renders it."""
    items = []
    section = 0
    for position, raw in enumerate(_raw_blocks(page)):
        kind = raw["type"]
        if kind == "heading":
            level = raw["value"].get("level", "h2")
            if level == "h2":
                section += 1
            items.append({
                "kind": "heading", "level": level, "text": raw["value"]["text"],
                "anchor": anchor(raw.get("id"), position),
                "number": f"{number}.{section}" if level == "h2" else "",
            })  # fmt: skip
        elif kind == "practice":
            resource = raw["value"].get("resource")
            found = cards.get(int(resource)) if resource else None
            if found is not None:
                items.append({"kind": "practice", "card": found, "note": raw["value"].get("note")})
        else:
            # Converting only this block's type: the practice boxes' pages are never fetched.
            items.append({"kind": "block", "block": page.body[position]})
    return items


# --- Page contexts ---------------------------------------------------------------------------


def handbook_context(handbook: HandbookPage, request: HttpRequest, print_view: bool) -> dict:
    """The table of contents; in the print view, also every chapter's full text in order.

    Both are the same for every reader of a language, so they are kept per process
    (`knowledge.declarations.remembered`) and forgotten on any publish."""
    from .declarations import remembered

    def contents() -> dict:
        entries = table_of_contents(handbook, request)
        if not print_view:
            return {"entries": entries}
        cards = practice_cards(
            practice_ids(e.page for e in entries), request, handbook.locale_id, absolute=True
        )
        # Each chapter drawn here, once, not on every view: its blocks are the same for every
        # reader of the language (nothing in them shows the reader).
        chapters = [
            {
                "entry": e,
                "body_html": render_to_string(
                    "knowledge/_chapter_body.html",
                    {"items": body_items(e.page, e.number, cards), "demote": True},
                    request,
                ),
            }
            for e in entries
        ]
        return {"entries": entries, "chapters": chapters}

    context: dict = {
        **remembered(request, ("handbook", handbook.pk, print_view), contents),
        "print_view": print_view,
    }
    if print_view:
        context["print_url"] = handbook.get_url(request)
    else:
        context["print_url"] = f"{handbook.get_url(request)}{PRINT_SEGMENT}/"
    return context


def chapter_context(chapter: ChapterPage, request: HttpRequest,
                    reader_handbook: HandbookPage | None,
                    own_handbook: HandbookPage | None = None) -> dict:  # fmt: skip
    """Number, sections, body, previous and next chapters of `chapter` for this reader:
    `reader_handbook` when the chapter is shown in another language's handbook, else its own
    (`own_handbook` when the routing passed it on)."""
    from .declarations import remembered

    handbook = reader_handbook or own_handbook or _routed_parent(chapter)
    if handbook is None:
        handbook = HandbookPage.objects.get(path=chapter.path[: -Page.steplen])
    # The contents and practice boxes are the same for every reader of a language: kept per
    # process, forgotten on any publish (`knowledge.declarations.remembered`).
    entries = remembered(
        request,
        ("chapters", handbook.pk),
        lambda: table_of_contents(handbook, request, with_body=False),
    )
    position = next(
        (i for i, e in enumerate(entries) if e.page.translation_key == chapter.translation_key),
        None,
    )
    number = position + 1 if position is not None else 0
    cards = remembered(
        request,
        ("practice", chapter.pk, chapter.latest_revision_id, handbook.locale_id),
        lambda: practice_cards(practice_ids([chapter]), request, handbook.locale_id),
    )
    return {
        "handbook": handbook,
        "handbook_url": handbook.get_url(request),
        "number": number,
        "sections": sections(chapter, number),
        "items": body_items(chapter, number, cards),
        "previous": entries[position - 1] if position else None,
        "next": entries[position + 1]
        if position is not None and position + 1 < len(entries)
        else None,
        "fallback": reader_handbook is not None,
        "page_language": language_name(locale_code(chapter)),
        "page_language_code": locale_code(chapter),
    }


def _routed_parent(chapter: ChapterPage) -> Page | None:
    """The chapter's handbook as the routing read it on the way down (`knowledge.routing`): its
    tree fields, title and address are all a chapter shows of it."""
    parent = getattr(chapter, "_cached_parent_obj", None)
    if parent is not None and parent.path == chapter.path[: -Page.steplen]:
        return parent
    return None


# --- Citations -------------------------------------------------------------------------------


def record_citations(chapter: ChapterPage) -> None:
    """Replace what `chapter` cites with what its live content cites now."""
    ids = practice_ids([chapter])
    keys = set(Page.objects.filter(pk__in=ids).values_list("translation_key", flat=True))
    ChapterCitation.objects.filter(chapter=chapter).delete()
    ChapterCitation.objects.bulk_create(
        [ChapterCitation(chapter_id=chapter.pk, resource_key=key) for key in keys]
    )


def forget_citations(chapter: ChapterPage) -> None:
    ChapterCitation.objects.filter(chapter=chapter).delete()


@dataclass(frozen=True)
class Citing:
    title: str
    url: str
    language_code: str
    language: str | None


def citing_chapters(resource: ResourcePage, request: HttpRequest) -> list[Citing]:
    """The live chapters citing any copy of `resource`, each once (the reader's copy when there
    is one, else the original under the reader's handbook): one query."""
    from .declarations import handbook_url

    cited_by = ChapterCitation.objects.filter(
        resource_key=resource.translation_key, chapter__live=True
    ).values("chapter__translation_key")
    chapters = (
        ChapterPage.objects.live()
        .filter(translation_key__in=cited_by)
        .exclude(restricted())
        .select_related("locale")
        .defer("body")
        .order_by("pk")
    )
    language = reader_language()
    chosen: dict = {}
    for chapter in chapters:
        known = chosen.get(chapter.translation_key)
        if known is None or (chapter.locale.language_code == language
                             and known.locale.language_code != language):  # fmt: skip
            chosen[chapter.translation_key] = chapter
    if not chosen:
        return []
    reader_handbook = handbook_url(request, language) or "/"
    result = []
    for chapter in chosen.values():
        code = chapter.locale.language_code
        here = code == language
        result.append(
            Citing(
                title=chapter.title,
                url=chapter.get_url(request) if here else f"{reader_handbook}{chapter.slug}/",
                language_code=code,
                language=None if here else language_name(code),
            )
        )
    return sorted(result, key=lambda c: c.title.casefold())
