"""What the kernel itself declares into the registries: its live streams and periodic jobs."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from .live import SITE_GROUP, user_group
from .registries import (
    DemoLoader,
    LiveStream,
    NavigationEntry,
    PeriodicJob,
    demo_loaders,
    live_streams,
    navigation,
    periodic_jobs,
)


def _notifications_group(user, object_id):
    # A member follows only their own notifications; anonymous visitors have none.
    if user is None or not user.is_authenticated:
        return None
    return user_group(user.pk)


def _site_group(user, object_id):
    return SITE_GROUP


live_streams.register("notifications", LiveStream("notifications", _notifications_group))
live_streams.register("site", LiveStream("site", _site_group))

periodic_jobs.register(
    "publish_scheduled",
    PeriodicJob("publish_scheduled", "core.tasks.publish_scheduled", timedelta(minutes=1)),
)
periodic_jobs.register(
    "forget_finished_tasks",
    PeriodicJob("forget_finished_tasks", "core.tasks.forget_finished_tasks", timedelta(minutes=10)),
)

# The main navigation of the design; later issues register the URL names they serve. An entry
# whose URL name does not resolve yet is shown as plain text, never as a broken link.
for order, (key, label) in enumerate(
    [
        ("library", _("Library")),
        ("handbook", _("Handbook")),
        ("opportunities", _("Opportunities")),
        ("organisations", _("Organisations")),
        ("members", _("Members")),
        ("forums", _("Forums")),
        ("search", _("Search")),
    ]
):
    navigation.register(key, NavigationEntry(key, label, f"{key}:index", order))


def _load_demo_accounts(progress):
    from .demo import load_accounts

    return load_accounts(progress)


# After the knowledge loader, so the policies the demo accounts accept exist.
demo_loaders.register("accounts", DemoLoader("accounts", _load_demo_accounts, order=20))
