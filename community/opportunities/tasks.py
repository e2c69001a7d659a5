"""Background tasks of opportunities (declared in periodic_jobs): archive long-closed ones,
send the saved-search alerts, and tell partners' webhooks about the ones that just closed."""

from __future__ import annotations

from django_tasks import task


@task()
def archive_closed_opportunities() -> int:
    from .lifecycle import archive_closed

    return archive_closed()


@task()
def send_saved_search_alerts() -> int:
    from .alerts import send_alerts

    return send_alerts()


@task()
def tell_organisation_followers(opportunity_id: int) -> int:
    """Notify the followers of an opportunity's organisation that it is now public."""
    from .lifecycle import tell_followers

    return tell_followers(opportunity_id)


@task()
def announce_closed_opportunities() -> int:
    """Tell partners' webhooks about opportunities whose deadline just passed."""
    from .webhook_events import announce_closed

    return announce_closed()
