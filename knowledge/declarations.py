"""What the knowledge app declares into the kernel's registries: policies and demo content."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from wagtail.signals import page_published, page_unpublished

from core.registries import DemoLoader, PolicyDocument, demo_loaders, policy_provider

from .models import PolicyPage

POLICY_CACHE_KEY = "knowledge:current-policies"


def current_policies() -> list[PolicyDocument]:
    """The live policy of each kind, in the reader's language when translated."""
    language = translation.get_language() or "en"
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


def _forget(sender, instance, **kwargs) -> None:
    if isinstance(instance, PolicyPage):
        cache.delete_many([f"{POLICY_CACHE_KEY}:{code}" for code, _name in settings.LANGUAGES])


policy_provider.current = current_policies
page_published.connect(_forget, dispatch_uid="knowledge_policy_published")
page_unpublished.connect(_forget, dispatch_uid="knowledge_policy_unpublished")


def _load_demo(progress):
    from .demo import load

    return load(progress)


demo_loaders.register("knowledge", DemoLoader("knowledge", _load_demo, order=10))
