"""Who may do what with an event: the one set of answers every view asks.

Organisers are the admins of the event's organisation (organisations' own answer), or, for the
site's own events, holders of `events.manage_site_events`. They edit, cancel, see and export the
attendee list. The join link is for organisers and confirmed attendees only (never the waiting
list); the recording and materials too, once the event has ended. Hidden events (moderation) are
a 404 to all but their organisers and moderators.
"""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from community.moderation.models import MODERATE_PERMISSION
from community.organisations import permissions as org_permissions
from community.organisations.models import Membership, Organisation, Role
from core.compiled_queries import CompiledQueries

from .models import MANAGE_SITE_EVENTS, Event, Registration, RegistrationStatus


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def is_moderator(user) -> bool:
    return _signed_in(user) and user.has_perm(MODERATE_PERMISSION)


def can_organise_site_events(user) -> bool:
    return _signed_in(user) and user.has_perm(MANAGE_SITE_EVENTS)


# Asked on every signed-in view of the events listing ("Organise an event"): its SQL compiled
# once per process (`core.compiled_queries`).
_compiled = CompiledQueries("event organisers", max_entries=2)


def organisations_for(user) -> list[Organisation]:
    """The visible organisations `user` may organise events for (those they administer)."""
    if not _signed_in(user):
        return []
    return _compiled.rows(
        "administered",
        lambda: Organisation.objects.filter(
            memberships__user=user, memberships__role=Role.ADMIN, hidden=False
        ).order_by("name"),
        # In the order its SQL takes them: the filters by name (role, then member).
        [Role.ADMIN.value, user.pk],
    )


def can_create(user) -> bool:
    return can_organise_site_events(user) or bool(organisations_for(user))


def can_create_for(user, organisation: Organisation | None) -> bool:
    """None means a site event."""
    if organisation is None:
        return can_organise_site_events(user)
    return _signed_in(user) and org_permissions.is_admin(user, organisation)


def can_manage(user, event: Event) -> bool:
    """Edit, cancel, see and export the attendees."""
    if not _signed_in(user):
        return False
    if event.organisation_id is None:
        return can_organise_site_events(user)
    return org_permissions.is_admin(user, event.organisation)


def can_view(user, event: Event) -> bool:
    return not event.hidden or can_manage(user, event) or is_moderator(user)


def registration_of(user, event: Event) -> Registration | None:
    """The member's live registration (confirmed or waitlisted), cached on the event."""
    if not _signed_in(user):
        return None
    cache = event.__dict__.setdefault("_registrations", {})
    if user.pk not in cache:
        cache[user.pk] = (
            event.registrations.filter(member_id=user.pk)
            .exclude(status=RegistrationStatus.CANCELLED)
            .first()
        )
    return cache[user.pk]


def with_answers_for(queryset: QuerySet[Event], user) -> QuerySet[Event]:
    """The events with what the answers here would ask the database about `user` (their role in
    the organising organisation, their live registration) read in the same query; call
    `remember_answers_for` on each event read to put them where those answers look."""
    if not _signed_in(user):
        return queryset
    live = Registration.objects.filter(event_id=OuterRef("pk"), member_id=user.pk).exclude(
        status=RegistrationStatus.CANCELLED
    )
    role = Membership.objects.filter(organisation_id=OuterRef("organisation_id"), user_id=user.pk)
    return queryset.annotate(
        reader_role=Subquery(role.values("role")[:1]),
        reader_registration_id=Subquery(live.values("pk")[:1]),
        reader_registration_status=Subquery(live.values("status")[:1]),
    )


def remember_answers_for(event: Event, user) -> None:
    """Keep what `with_answers_for` read with `event`, for `can_manage` and `registration_of`.
    The registration kept holds its id and status only: for pages that show it, never to
    change it (views that change one read it whole, without these answers)."""
    if not _signed_in(user) or not hasattr(event, "reader_registration_status"):
        return
    if event.organisation is not None:
        org_permissions.remember_role(user, event.organisation, event.reader_role)
    found = None
    if event.reader_registration_id is not None:
        found = Registration(
            pk=event.reader_registration_id,
            event=event,
            member_id=user.pk,
            status=event.reader_registration_status,
        )
    event.__dict__.setdefault("_registrations", {})[user.pk] = found


def is_attendee(user, event: Event) -> bool:
    found = registration_of(user, event)
    return found is not None and found.status == RegistrationStatus.CONFIRMED


def can_see_join_link(user, event: Event) -> bool:
    if event.is_cancelled:
        return can_manage(user, event)
    return can_manage(user, event) or is_attendee(user, event)


def can_see_follow_up(user, event: Event) -> bool:
    """The recording and the materials: organisers always, attendees once it has ended."""
    return can_manage(user, event) or (event.is_past() and is_attendee(user, event))


def can_register(user, event: Event) -> bool:
    return _signed_in(user) and can_view(user, event) and event.registration_open()
