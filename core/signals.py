"""Signal handlers of the kernel: every change an anonymous reader would see empties the page cache.

Publishing, unpublishing and deleting a page also say so live; logging out, deactivating or
erasing an account sends its open sockets a revoke (`core.live.revoke_user`). The cache (and
any shared cache in front of the site, see `core.frontend_cache`) is emptied as well when a page
is moved or its address changes, when a view restriction on a page or a collection is added,
changed or removed, and when site settings, sites, locales or redirects change: each of these
changes what a cached page shows, or who may see it.

Site settings are found by their Wagtail base classes, so that `core` need not import the apps
that declare them. Saving or deleting a topic makes this process forget its copy of the taxonomy
(`core.topics`); any change of a page's address, a site or a locale, its language switcher
addresses (`core.templatetags.site_tags`).
"""

from __future__ import annotations

import logging
import threading

from django.apps import apps
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import CollectionViewRestriction, Locale, Page, PageViewRestriction, Site
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
    pre_page_move,
)

from .frontend_cache import page_urls, shared_urls_under, subtree_urls
from .live import SITE_GROUP, publish, revoke_user
from .models import Topic, User
from .page_cache import invalidate_groups, invalidate_pages
from .templatetags.site_tags import forget_language_links
from .topics import TOPICS_GROUP, forget_taxonomy

logger = logging.getLogger(__name__)
_moving = threading.local()


def _announce(page: Page) -> None:
    try:
        publish(
            SITE_GROUP,
            "site",
            {"event": "page_changed", "page": page.pk, "url": page.url or ""},
        )
    except Exception:  # the change is saved; a dropped live event must not undo it
        logger.exception("Could not announce the change of page %s", page.pk)


def _content_changed(sender, instance, **kwargs) -> None:
    forget_language_links()
    invalidate_pages()
    _announce(instance)


def _page_unpublished(sender, instance, **kwargs) -> None:
    forget_language_links()
    # Its address is no longer among the live pages that a purge covers: name it.
    invalidate_pages(_own_urls(instance))
    _announce(instance)


def _own_urls(page: Page) -> list[str]:
    from .frontend_cache import is_configured

    return page_urls(page) if is_configured() else []


def _page_deleting(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        invalidate_pages(_own_urls(instance))


def _page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        forget_language_links()
        invalidate_pages()


def _page_moving(sender, instance, url_path_before, url_path_after, **kwargs) -> None:
    # The old addresses are known only before the move; purge them once it is done.
    pending = getattr(_moving, "urls", None)
    if pending is None:
        pending = _moving.urls = {}
    pending[instance.pk] = subtree_urls(instance)


def _page_moved(sender, instance, **kwargs) -> None:
    forget_language_links()
    pending = getattr(_moving, "urls", {})
    invalidate_pages(pending.pop(instance.pk, []))
    _announce(instance)


def _slug_changed(sender, instance, instance_before, **kwargs) -> None:
    forget_language_links()
    invalidate_pages(shared_urls_under(instance_before, instance))


def _anything_changed(sender, **kwargs) -> None:
    forget_language_links()  # a site's host or root, a locale: where translations are
    invalidate_pages()


def _restriction_groups_changed(sender, action: str, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        invalidate_pages()


page_published.connect(_content_changed, dispatch_uid="core_page_published")
page_unpublished.connect(_page_unpublished, dispatch_uid="core_page_unpublished")
pre_delete.connect(_page_deleting, dispatch_uid="core_page_deleting")
post_delete.connect(_page_deleted, dispatch_uid="core_page_deleted")
pre_page_move.connect(_page_moving, dispatch_uid="core_page_moving")
post_page_move.connect(_page_moved, dispatch_uid="core_page_moved")
page_slug_changed.connect(_slug_changed, dispatch_uid="core_page_slug_changed")


def _whole_site_models() -> list[type]:
    """Models whose rows change what (or to whom) every cached page shows."""
    models: list[type] = [PageViewRestriction, CollectionViewRestriction, Site, Locale]
    if apps.is_installed("wagtail.contrib.redirects"):
        from wagtail.contrib.redirects.models import Redirect

        models.append(Redirect)
    # Every site setting of every app (knowledge's SiteSettings, later ones): shown on pages.
    models += [
        model
        for model in apps.get_models()
        if issubclass(model, (BaseSiteSetting, BaseGenericSetting))
    ]
    return models


for _model in _whole_site_models():
    label = _model._meta.label_lower
    post_save.connect(_anything_changed, sender=_model, dispatch_uid=f"core_saved_{label}")
    post_delete.connect(_anything_changed, sender=_model, dispatch_uid=f"core_deleted_{label}")
for _model in (PageViewRestriction, CollectionViewRestriction):
    m2m_changed.connect(
        _restriction_groups_changed,
        sender=_model.groups.through,
        dispatch_uid=f"core_groups_{_model._meta.label_lower}",
    )
# The topic taxonomy each process keeps (core.topics): forget it when an editor changes a topic.
post_save.connect(forget_taxonomy, sender=Topic, dispatch_uid="core_topic_saved")
post_delete.connect(forget_taxonomy, sender=Topic, dispatch_uid="core_topic_deleted")


def _topic_changed(sender, **kwargs) -> None:
    # Topic labels show in every API answer that lists topics: their validators must change
    # (core.api builds them from the page-cache group tokens).
    invalidate_groups(TOPICS_GROUP)


post_save.connect(_topic_changed, sender=Topic, dispatch_uid="core_topic_saved_groups")
post_delete.connect(_topic_changed, sender=Topic, dispatch_uid="core_topic_deleted_groups")


# --- Live sockets: taking someone's access away reaches their open pages ----------------------


def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None and user.pk:
        revoke_user(user.pk)


def _account_changed(sender, instance, **kwargs) -> None:
    # A deactivated, suspended or banned (the moderators' `core.sanctions`, which leave
    # `is_active` alone) or erased account: its sockets re-check what they follow.
    from .sanctions import refusal

    if (
        not instance.is_active
        or kwargs.get("signal") is post_delete
        or refusal(instance) is not None
    ):
        revoke_user(instance.pk)


user_logged_out.connect(_logged_out, dispatch_uid="core_live_logged_out")
post_save.connect(_account_changed, sender=User, dispatch_uid="core_live_account_saved")
post_delete.connect(_account_changed, sender=User, dispatch_uid="core_live_account_deleted")
