"""Following and muting things, for any app: threads, forums, tags, organisations, topics.

Apps ask `followers(target)` who wants news of something and call `core.notify.notify` for each;
pages call `follow` / `unfollow` / `mute` / `is_following` for their buttons. The kernel stores a
generic `Follow` row (content type + id) so it imports no app. A topic is one concept across
languages: following its French row follows the concept, so a resource tagged with the English
row reaches a member who followed it in French.

Public API (used by forums, opportunities, knowledge, notifications):
- `follow(user, target) -> Follow`, `mute(user, target) -> Follow`, `unfollow(user, target)`;
- `is_following(user, target) -> bool`, `is_muted(user, target) -> bool`,
  `state_of(user, target) -> "follow" | "mute" | None` (one query for a button's both states);
- `followers(target) -> QuerySet[User]`: active members following it, muted ones left out;
- `follows_of(user) -> QuerySet[Follow]`: a member's follows and mutes, newest first.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from .models import Follow, Topic, User


def _keys(target: Any) -> tuple[ContentType, Any]:
    """The content type and the ids that stand for `target` (every translation of a topic, as a
    subquery, so asking about a topic costs one query like any other target)."""
    if isinstance(target, Topic):
        ids = Topic.objects.filter(translation_key=target.translation_key).values("pk")
        return ContentType.objects.get_for_model(Topic), ids
    return ContentType.objects.get_for_model(target), [target.pk]


def _set(user: User, target: Any, state: str) -> Follow:
    target_type, ids = _keys(target)
    # One row per concept: a state chosen on any translation replaces the others.
    existing = Follow.objects.filter(user=user, target_type=target_type, target_id__in=ids)
    existing.exclude(target_id=target.pk).delete()
    row, _ = Follow.objects.update_or_create(
        user=user, target_type=target_type, target_id=target.pk, defaults={"state": state}
    )
    return row


def follow(user: User, target: Any) -> Follow:
    """`user` hears about `target` from now on (un-muting it if they had muted it)."""
    return _set(user, target, Follow.State.FOLLOW)


def mute(user: User, target: Any) -> Follow:
    """`user` never hears about `target`, even when they follow something that contains it."""
    return _set(user, target, Follow.State.MUTE)


def unfollow(user: User, target: Any) -> None:
    """Forget whatever `user` chose about `target` (following or muting)."""
    target_type, ids = _keys(target)
    Follow.objects.filter(user=user, target_type=target_type, target_id__in=ids).delete()


def _state(user: Any, target: Any) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    target_type, ids = _keys(target)
    return (
        Follow.objects.filter(user=user, target_type=target_type, target_id__in=ids)
        .values_list("state", flat=True)
        .first()
    )


def state_of(user: Any, target: Any) -> str | None:
    """ "follow", "mute" or None: what `user` chose about `target`, in one query."""
    return _state(user, target)


def is_following(user: Any, target: Any) -> bool:
    return _state(user, target) == Follow.State.FOLLOW


def is_muted(user: Any, target: Any) -> bool:
    return _state(user, target) == Follow.State.MUTE


def followers(target: Any) -> QuerySet[User]:
    """Active members who follow `target`; those who muted it are left out."""
    target_type, ids = _keys(target)
    return User.objects.filter(
        is_active=True,
        follows__target_type=target_type,
        follows__target_id__in=ids,
        follows__state=Follow.State.FOLLOW,
    ).distinct()


def muted_by(user: User, targets: list[Any]) -> bool:
    """Whether `user` muted any of `targets` (a thread and its forum, say)."""
    condition = Q()
    for target in targets:
        target_type, ids = _keys(target)
        condition |= Q(target_type=target_type, target_id__in=ids)
    if not condition:
        return False
    return Follow.objects.filter(condition, user=user, state=Follow.State.MUTE).exists()


def follows_of(user: User) -> QuerySet[Follow]:
    """What `user` follows or muted, newest first, with the content type at hand."""
    return Follow.objects.filter(user=user).select_related("target_type").order_by("-created_at")


# --- What may be followed -------------------------------------------------------------------------
# "app_label.modelname" -> can_follow(user, obj): whether this member may see it, so follow it.
# Apps declare their followable models (forums: "forums.thread", "forums.forum"); the follow
# buttons refuse anything else with a 404, and anything the member may not see.
followable_models: dict[str, Any] = {}


def register_followable(label: str, can_follow: Any = None) -> None:
    """Let members follow objects of the model `label` ("app_label.modelname")."""
    followable_models[label.lower()] = can_follow or (lambda user, obj: True)


def can_follow(user: Any, obj: Any) -> bool:
    check = followable_models.get(obj._meta.label_lower)
    return bool(user.is_authenticated and check is not None and check(user, obj))


register_followable("core.topic")
register_followable("taggit.tag")
