"""What the knowledge app declares into the kernel's registries: policies, demo content, and
resources as reportable content (`reportable_models`, hooks in `knowledge.moderation`).

It also keeps the library's images resized ahead of readers (`knowledge.images`), knows the
address of each language's library, handbook, country profiles and courses for the
`library:index`, `handbook:index`, `countries:index` and `courses:index` URL names, and keeps
the index of the resources each handbook chapter cites (`knowledge.handbook`).

It also answers what every page's shell shows from knowledge's data (the current policies, the
footer's operator name). Those are read on every signed-in page, so each process memoizes them
(`core.memo`): the signal handlers below forget them when a policy is published, unpublished,
moved or deleted, or the site settings change; other processes re-read them within the memo's
lifetime.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils import translation

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from core.memo import ProcessMemo
from core.models import Topic
from core.page_cache import invalidate_pages
from core.registries import DemoLoader, PolicyDocument, demo_loaders, policy_provider

from .models import (
    ChapterPage,
    CountriesIndexPage,
    CoursesIndexPage,
    HandbookPage,
    LibraryPage,
    PolicyPage,
    ResourceAttachment,
    ResourcePage,
    SiteSettings,
)

T = TypeVar("T")

POLICY_CACHE_KEY = "knowledge:current-policies"
policies_memo: ProcessMemo[list[PolicyDocument]] = ProcessMemo("current policies")
operator_memo: ProcessMemo[str] = ProcessMemo("site operator")
library_memo: ProcessMemo[str | None] = ProcessMemo("library addresses")
handbook_memo: ProcessMemo[str | None] = ProcessMemo("handbook addresses")
countries_memo: ProcessMemo[str | None] = ProcessMemo("country profiles addresses")
courses_memo: ProcessMemo[str | None] = ProcessMemo("courses addresses")
# The home page's knowledge blocks (latest resources, handbook, countries), see knowledge.home.
home_memo: ProcessMemo = ProcessMemo("home page blocks")
# The library's listings (facets, cards, pager) by language and canonical filters, see
# knowledge.library.listing_html: forgotten with the home page's blocks, on the same changes.
listing_memo: ProcessMemo = ProcessMemo("library listings", max_entries=500)
# The free tags live resources carry (slug to name), see knowledge.library.known_tags.
tags_memo: ProcessMemo[dict[str, str]] = ProcessMemo("library tags")
# What a resource page shows of other pages (related resources, citing chapters, translations,
# topics), by resource and reader's library, see knowledge.library.resource_context.
resource_memo: ProcessMemo = ProcessMemo("resource page surroundings", max_entries=5000)
# What the handbook's chapters and print view, a course's pages and a country page show of other
# pages (tables of contents, practice boxes, outlines, a country's resources), by page, reader's
# language and host, see `remembered`: forgotten with the library's listings, on the same changes.
pages_memo: ProcessMemo = ProcessMemo("knowledge page surroundings", max_entries=5000)


def _forget_content() -> None:
    """Forget what shows other pages (the home page's blocks, the library's listings, what a
    resource page lists around it): any publish, move or deletion may change it."""
    home_memo.clear()
    listing_memo.clear()
    tags_memo.clear()
    resource_memo.clear()
    pages_memo.clear()


def remembered(request: HttpRequest, key: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, kept per process under `key` (with the scheme, host and reader's language) for
    signed-in readers, who the page cache never serves. The render that fills the page cache
    reads afresh: a copy remembered elsewhere never reaches the shared cache. The value is
    shared by every request with that key: callers never change it."""
    if getattr(request, "_cache_update_cache", False):
        return compute()
    language = translation.get_language() or settings.LANGUAGE_CODE
    return pages_memo.get((request.scheme, request.get_host(), language, *key), compute)


def current_policies() -> list[PolicyDocument]:
    """The live policy of each kind, in the reader's language when translated."""
    language = translation.get_language() or "en"
    return policies_memo.get(language, lambda: _current_policies(language))


def _current_policies(language: str) -> list[PolicyDocument]:
    key = f"{POLICY_CACHE_KEY}:{language}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    by_kind: dict[str, PolicyPage] = {}
    pages = PolicyPage.objects.live().select_related("locale").order_by("locale_id", "pk")
    for page in pages:
        known = by_kind.get(page.kind)
        # Prefer the reader's translation; the version is the one of the original (any copy).
        if known is None or page.locale.language_code == language:
            by_kind[page.kind] = page
    policies = [
        PolicyDocument(kind=p.kind, title=p.title, version=p.version, url=p.url or "")
        for p in sorted(by_kind.values(), key=lambda p: list(PolicyPage.Kind.values).index(p.kind))
    ]
    cache.set(key, policies, 300)
    return policies


def site_operator_name(request: HttpRequest) -> str:
    """Who runs the site that `request` reached (its settings), for every page's footer."""
    try:
        host = request.get_host()
    except DisallowedHost:
        # The 400 page drawn for a refused Host header: asking again would turn it into a 500.
        return ""
    return operator_memo.get(host, lambda: _site_operator_name(request))


def _site_operator_name(request: HttpRequest) -> str:
    site = Site.find_for_request(request)
    return SiteSettings.for_site(site).organisation_name if site else ""


def library_url(request: HttpRequest, language: str) -> str | None:
    """The path of the live library in `language`, else of the default language's, or None."""
    return library_memo.get(language, lambda: _index_url(LibraryPage, request, language))


def countries_url(request: HttpRequest, language: str) -> str | None:
    """The path of the live country profiles in `language`, else of the default language's."""
    return countries_memo.get(language, lambda: _index_url(CountriesIndexPage, request, language))


def courses_url(request: HttpRequest, language: str) -> str | None:
    """The path of the live courses index in `language`, else of the default language's."""
    return courses_memo.get(language, lambda: _index_url(CoursesIndexPage, request, language))


def _index_url(model, request: HttpRequest, language: str) -> str | None:
    pages = model.objects.live().public().select_related("locale")
    by_language = {page.locale.language_code: page for page in pages.order_by("pk")}
    page = by_language.get(language) or by_language.get(settings.LANGUAGE_CODE)
    return page.get_url(request) if page else None


def handbook_url(request: HttpRequest, language: str) -> str | None:
    """The path of the live handbook in `language`, else of the default language's, or None."""
    return handbook_memo.get(language, lambda: _handbook_url(request, language))


def _handbook_url(request: HttpRequest, language: str) -> str | None:
    handbooks = HandbookPage.objects.live().public().select_related("locale")
    by_language = {page.locale.language_code: page for page in handbooks.order_by("pk")}
    page = by_language.get(language) or by_language.get(settings.LANGUAGE_CODE)
    return page.get_url(request) if page else None


def _forget(sender, instance, **kwargs) -> None:
    # Any page may be one the home page lists (a resource, the handbook, a chapter, a country).
    _forget_content()
    if isinstance(instance, PolicyPage):
        _forget_policies()
    if isinstance(instance, LibraryPage):
        library_memo.clear()
    if isinstance(instance, HandbookPage):
        handbook_memo.clear()
    if isinstance(instance, CountriesIndexPage):
        countries_memo.clear()
    if isinstance(instance, CoursesIndexPage):
        courses_memo.clear()


def _chapter_published(sender, instance, **kwargs) -> None:
    from .handbook import record_citations

    record_citations(instance.specific)


def _chapter_unpublished(sender, instance, **kwargs) -> None:
    from .handbook import forget_citations

    forget_citations(instance)


def _forget_home(sender, instance=None, **kwargs) -> None:
    if sender is PageViewRestriction or isinstance(instance, Page):
        _forget_content()


def _resource_published(sender, instance, **kwargs) -> None:
    from .images import make_renditions_for

    # Synchronously, and only what the worker has not made yet: the first reader follows.
    page = instance.specific
    make_renditions_for(
        [page.cover_image]
        + [block.value["image"] for block in page.body if block.block_type == "image"]
    )


def _image_saved(sender, instance, created, **kwargs) -> None:
    from django.db import transaction

    # A cover replaced or refocused: the listings showing it are drawn again.
    _forget_content()
    from .tasks import make_image_renditions

    transaction.on_commit(lambda: make_image_renditions.enqueue(instance.pk))


def _document_saved(sender, instance, created, **kwargs) -> None:
    # An attached document's title shows on its resource's page and in the open-data API,
    # whose validators are the page cache's tokens: a renamed one changes both.
    if not created and ResourceAttachment.objects.filter(document_id=instance.pk).exists():
        invalidate_pages()


def _forget_policies(**kwargs) -> None:
    # A move or a new slug anywhere above a policy changes its URL: forget on any page's.
    policies_memo.clear()
    _forget_content()
    library_memo.clear()
    handbook_memo.clear()
    countries_memo.clear()
    courses_memo.clear()
    cache.delete_many([f"{POLICY_CACHE_KEY}:{code}" for code, _name in settings.LANGUAGES])


def _forget_operator(sender, **kwargs) -> None:
    operator_memo.clear()
    if sender is Site:  # a site's root or host decides the policies' URLs too
        _forget_policies()


policy_provider.current = current_policies
page_published.connect(_forget, dispatch_uid="knowledge_policy_published")
page_unpublished.connect(_forget, dispatch_uid="knowledge_policy_unpublished")
post_delete.connect(_forget, sender=PolicyPage, dispatch_uid="knowledge_policy_deleted")
post_delete.connect(_forget, sender=LibraryPage, dispatch_uid="knowledge_library_deleted")
post_delete.connect(_forget, sender=HandbookPage, dispatch_uid="knowledge_handbook_deleted")
page_published.connect(
    _chapter_published, sender=ChapterPage, dispatch_uid="knowledge_chapter_citations"
)
page_unpublished.connect(
    _chapter_unpublished, sender=ChapterPage, dispatch_uid="knowledge_chapter_uncited"
)
post_delete.connect(_forget, sender=CountriesIndexPage, dispatch_uid="knowledge_countries_deleted")
post_delete.connect(_forget, sender=CoursesIndexPage, dispatch_uid="knowledge_courses_deleted")
post_delete.connect(_forget_home, dispatch_uid="knowledge_home_page_deleted")
for _event in (post_save, post_delete):
    # A view restriction hides a page (and what is under it) from the home page's blocks.
    _event.connect(_forget_home, sender=PageViewRestriction,
                   dispatch_uid=f"knowledge_home_restriction_{_event}")  # fmt: skip
page_published.connect(
    _resource_published, sender=ResourcePage, dispatch_uid="knowledge_resource_renditions"
)
post_save.connect(_image_saved, sender=get_image_model(), dispatch_uid="knowledge_image_saved")
post_delete.connect(
    lambda **kwargs: _forget_content(),
    sender=get_image_model(),
    dispatch_uid="knowledge_image_deleted",
    weak=False,
)
for _event in (post_save, post_delete):
    # The facets and cards name topics in the reader's language.
    _event.connect(lambda **kwargs: _forget_content(), sender=Topic, weak=False,
                   dispatch_uid=f"knowledge_listing_topic_{_event}")  # fmt: skip
post_save.connect(
    _document_saved, sender=get_document_model(), dispatch_uid="knowledge_document_saved"
)
# Deleting a document removes it from the pages it was attached to (rare: always forget).
post_delete.connect(
    lambda **kwargs: invalidate_pages(),
    sender=get_document_model(),
    dispatch_uid="knowledge_document_deleted",
    weak=False,
)
post_page_move.connect(_forget_policies, dispatch_uid="knowledge_policy_moved")
page_slug_changed.connect(_forget_policies, dispatch_uid="knowledge_policy_slug")
for _model in (SiteSettings, Site):
    post_save.connect(_forget_operator, sender=_model, dispatch_uid=f"knowledge_operator_{_model}")
    post_delete.connect(
        _forget_operator, sender=_model, dispatch_uid=f"knowledge_operator_d_{_model}"
    )


def _load_demo(progress):
    from .demo import load

    return load(progress)


demo_loaders.register("knowledge", DemoLoader("knowledge", _load_demo, order=10))

# Members' proposals of resources (their file kind, /me/ panel, personal data and signals), the
# courses (members' progress and certificates in "Your data", the "My courses" panel) and the
# webhook event partners may subscribe to, a resource published.
from . import course_declarations, submission_declarations, webhook_events  # noqa: E402, F401

# --- Moderation: resources may be reported (knowledge.moderation) -------------------------------


def _declare_reportable() -> None:
    from core.registries import ReportableModel, reportable_models

    from . import moderation

    reportable_models.register(
        "knowledge.ResourcePage",
        ReportableModel(
            "knowledge.ResourcePage",
            author=moderation.author,
            url=moderation.url,
            hide=moderation.hide,
            restore=moderation.restore,
            is_hidden=moderation.is_hidden,
            show=moderation.show,
            can_view=moderation.can_view,
            delete=moderation.withdraw,
        ),
    )
    # An editor who publishes a hidden resource again decides for it.
    page_published.connect(
        moderation.forget_on_publish,
        sender=ResourcePage,
        dispatch_uid="knowledge_moderated_resource",
    )


_declare_reportable()
