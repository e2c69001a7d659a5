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
