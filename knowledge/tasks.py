"""Background work of the knowledge app, run by the worker."""

from __future__ import annotations

from django_tasks import task


@task()
def make_image_renditions(image_id: int) -> bool:
    """Resize a newly saved image for the library (see `knowledge.images`); False if it is gone."""
    from wagtail.images import get_image_model

    from .images import make_renditions

    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return False
    make_renditions(image)
    return True


@task()
def index_resources(page_ids: list[int]) -> int:
    """Add resources made or changed by a bulk import to Wagtail's search index, in one call per
    backend (Wagtail indexes a single saved page in a task too); how many were indexed."""
    from wagtail.search.backends import get_search_backends

    from .models import ResourcePage

    pages = list(ResourcePage.objects.filter(pk__in=page_ids))
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(ResourcePage, pages)
    return len(pages)


@task()
def tell_topic_followers(page_id: int) -> int:
    """Notify the followers of a newly published resource's topics (`knowledge.topic_notices`)."""
    from .topic_notices import tell_followers

    return tell_followers(page_id)
