"""What moderators do, in one place: each action changes the content or the author's account,
closes the reports, writes one `ModerationAction` row (the append-only log), tells the author
(`messaging.tell_author`) and, for the logger, one `core.audit` line.

The views call `act(...)` and `decide_appeal(...)`; forums (or any app) may call them too, e.g.
to hide a post from its own moderation tools, so its decisions land in the same log.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from core.page_cache import EVERYTHING, invalidate_groups
from core.registries import ReportableModel

from .messaging import tell_author
from .models import APPEALABLE, TOLD_WITHOUT_APPEAL, Appeal, ModerationAction, Report

audit = logging.getLogger("core.audit")
Kind = ModerationAction.Kind

# Suspensions a moderator may choose, in days.
SUSPENSION_DAYS = (1, 3, 7, 30, 90)


# What a moderator may not do to their own content: approve it (publish what was held, or
# dismiss the reports about it), put it back after another moderator hid it, or send it back.
SELF_DEALING = {Kind.APPROVE, Kind.RESTORE, Kind.SEND_BACK}


class ActionRefused(Exception):
    """The action cannot apply here (no author to warn, nothing left to hide); `str` says why."""


def _repr(target: Any) -> str:
    return Truncator(str(target)).chars(190)


def act(
    kind: str,
    *,
    moderator,
    declaration: ReportableModel,
    target: Any,
    note: str = "",
    days: int | None = None,
) -> ModerationAction:
    """Apply `kind` (approve, hide, restore, delete, warn, suspend, ban, send back) to an object,
    reported or held for review. A send back is the owning app's change, made before it calls
    this; here it is logged and its author told why, with no appeal (nothing was taken)."""
    from django.utils.translation import gettext as _

    author = declaration.author(target)
    if kind in (Kind.WARN, Kind.SUSPEND, Kind.BAN) and author is None:
        raise ActionRefused(_("This item has no member as its author to act on."))
    if kind in (Kind.SUSPEND, Kind.BAN) and author == moderator:
        raise ActionRefused(_("You cannot suspend or ban your own account."))
    if kind in SELF_DEALING and author is not None and author == moderator:
        raise ActionRefused(_("Another moderator decides on your own content."))
    if kind == Kind.SUSPEND and days not in SUSPENSION_DAYS:
        raise ActionRefused(_("Choose how long the suspension lasts."))
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(target)
    reports = Report.objects.filter(content_type=content_type, object_id=target.pk)
    decision = {"decided_by": moderator, "decided_at": now, "decision_note": note}
    reasons = list(reports.filter(status=Report.Status.OPEN).values_list("reason", flat=True))
    with transaction.atomic():
        action = ModerationAction(
            moderator=moderator,
            kind=kind,
            content_type=content_type,
            object_id=target.pk,
            object_repr=_repr(target),
            author=author,
            reason=max(set(reasons), key=reasons.count) if reasons else "",
            note=note,
        )
        if kind == Kind.APPROVE:
            reports.filter(status=Report.Status.OPEN).update(
                status=Report.Status.DISMISSED, **decision
            )
        elif kind == Kind.RESTORE:
            declaration.restore(target, moderator)
            reports.filter(status=Report.Status.HIDDEN).update(
                status=Report.Status.DISMISSED, **decision
            )
        elif kind == Kind.WARN:
            reports.filter(status=Report.Status.OPEN).update(
                status=Report.Status.DISMISSED, **decision
            )
        elif kind == Kind.SEND_BACK:
            # The owning app made it a draft again (e.g. `opportunities.lifecycle.send_back`):
            # nothing is hidden and open reports stay open, for when it comes back.
            pass
        elif kind == Kind.DELETE:
            reports.filter(status=Report.Status.OPEN).update(
                status=Report.Status.HIDDEN, **decision
            )
            if declaration.delete is not None:
                declaration.delete(target, moderator)  # the app's own delete (forums: soft)
            else:
                target.delete()
        else:  # hide, suspend, ban: the content goes out of sight as well
            if not declaration.is_hidden(target):
                declaration.hide(target, moderator)
            reports.filter(status=Report.Status.OPEN).update(
                status=Report.Status.HIDDEN, **decision
            )
            if kind == Kind.SUSPEND:
                action.until = now + timedelta(days=days or 0)
                author.suspended_until = action.until
                author.save(update_fields=["suspended_until"])
            elif kind == Kind.BAN:
                author.banned_at = now
                author.save(update_fields=["banned_at"])
        action.save()
    if kind in (Kind.SUSPEND, Kind.BAN):
        # The author's name and pages may show in cached pages: let them be rebuilt.
        invalidate_groups(EVERYTHING)
    _log(action)
    if kind in APPEALABLE:
        tell_author(author, action, appeal=True)
    elif kind in TOLD_WITHOUT_APPEAL:
        tell_author(author, action, appeal=False)
    return action


def file_appeal(action: ModerationAction, text: str) -> Appeal | None:
    """The author's one appeal; None when this action was already appealed (or cannot be)."""
    from django.db import IntegrityError

    if action.kind not in APPEALABLE:
        return None
    try:
        with transaction.atomic():
            return Appeal.objects.create(action=action, text=text)
    except IntegrityError:
        return None


def decide_appeal(
    appeal: Appeal, *, moderator, grant: bool, note: str = "", declaration=None, target=None
) -> ModerationAction:
    """Uphold or reverse the appealed action. Reversing restores hidden content through the
    reportable's `restore` hook and lifts a suspension or ban; deleted content cannot return.
    A moderator never decides on their own appeal (`ActionRefused`)."""
    from django.utils.translation import gettext as _

    original = appeal.action
    author = original.author
    if author is not None and author == moderator:
        raise ActionRefused(_("Another moderator decides on an appeal of yours."))
    now = timezone.now()
    with transaction.atomic():
        appeal.status = Appeal.Status.REVERSED if grant else Appeal.Status.UPHELD
        appeal.decided_by = moderator
        appeal.decided_at = now
        appeal.save(update_fields=["status", "decided_by", "decided_at"])
        if grant:
            if target is not None and declaration is not None and declaration.is_hidden(target):
                declaration.restore(target, moderator)
                Report.objects.filter(
                    content_type=original.content_type,
                    object_id=original.object_id,
                    status=Report.Status.HIDDEN,
                ).update(status=Report.Status.DISMISSED)
            if author is not None and original.kind == Kind.SUSPEND:
                author.suspended_until = None
                author.save(update_fields=["suspended_until"])
            if author is not None and original.kind == Kind.BAN:
                author.banned_at = None
                author.save(update_fields=["banned_at"])
        action = ModerationAction.objects.create(
            moderator=moderator,
            kind=Kind.REVERSE if grant else Kind.UPHOLD,
            content_type=original.content_type,
            object_id=original.object_id,
            object_repr=original.object_repr,
            author=author,
            reason=original.reason,
            note=note,
            reverses=original,
        )
    if grant:
        invalidate_groups(EVERYTHING)
    _log(action)
    tell_author(author, action, appeal=False)
    return action


def record(kind: str, *, moderator, author=None, note: str = "") -> ModerationAction:
    """Log an action that is not about one reported object (trust level, word lists)."""
    action = ModerationAction.objects.create(
        moderator=moderator,
        kind=kind,
        author=author,
        object_repr=_repr(author) if author is not None else "",
        note=note,
    )
    _log(action)
    return action


def record_on(
    kind: str, *, moderator, target: Any, author=None, note: str = "", detail: str = ""
) -> ModerationAction:
    """Log an action on one object that no report is about and nobody may appeal (a thread
    pinned, locked, closed or moved): who, what, on which object, when and why."""
    action = ModerationAction.objects.create(
        moderator=moderator,
        kind=kind,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        object_repr=_repr(target),
        author=author,
        note=note,
        detail=Truncator(detail).chars(300),
    )
    _log(action)
    return action


def _log(action: ModerationAction) -> None:
    model = action.content_type.model_class() if action.content_type_id else None
    audit.info(
        "moderation %s: %s #%s by user %s",
        action.kind,
        model._meta.label if model else "-",
        action.object_id,
        action.moderator_id,
    )
