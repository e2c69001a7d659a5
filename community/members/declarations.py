"""What members declares into the kernel: its demo loader; and the page-cache signal handlers.

The navigation entry `members` (declared by core) becomes a link once `members:index`
resolves, which mounting `urls.py` does. Any write to a profile outside `editing.save_profile`
(the Django admin, an import, the demo) still empties the anonymous page cache.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from core.guards import register_privileged_permission
from core.page_cache import invalidate_pages
from core.registries import DemoLoader, demo_loaders

from .models import Profile
from .visibility import PROTECTED_PERMISSION


def _forget_pages(sender, **kwargs) -> None:
    invalidate_pages()


def _forget_profile(sender, instance: Profile, **kwargs) -> None:
    # A deleted account's photo must not stay reachable at its old address.
    names = [f.name for f in (instance.avatar, instance.avatar_thumbnail) if f]
    storage = Profile._meta.get_field("avatar").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    invalidate_pages()


post_save.connect(_forget_pages, sender=Profile, dispatch_uid="members_profile_saved")
post_delete.connect(_forget_profile, sender=Profile, dispatch_uid="members_profile_deleted")

# Opening a protected profile is moderation: its holders must use a second factor.
register_privileged_permission(PROTECTED_PERMISSION)


def _load_demo(progress):
    from .demo import load

    return load(progress)


# After the accounts (20): the demo accounts get profiles too.
demo_loaders.register("members", DemoLoader("members", _load_demo, order=30))
