"""The notification centre, e-mail preferences (with follows and mutes), unsubscribe links and
the follow / unfollow buttons.

Every view works without JavaScript (plain forms that redirect back). A member only ever reaches
their own notifications: anyone else's is a 404, as if it did not exist. The unsubscribe link
needs no log-in: its signed token is the authority (`tokens.py`); a GET shows one button, so a
mail scanner that follows links does not unsubscribe anyone, while the POST that mail clients
send for `List-Unsubscribe-Post` (RFC 8058, no cookies) unsubscribes at once.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core import follows
from core.models import Topic
from core.registries import notification_kinds
from core.topics import concept_of, topics_for_language

from . import centre as reading
from .delivery import frequencies_for, line, set_frequency
from .models import Frequency, Notification
from .tokens import read_token


@login_required
def centre(request: HttpRequest) -> HttpResponse:
    try:
        before = int(request.GET.get("before", "") or 0)
    except ValueError:
        before = 0
    items, next_before = reading.page(request.user, before or None)
    return render(
        request,
        "notifications/index.html",
        {"items": items, "next_before": next_before, "paged": bool(before), "noindex": True},
    )


@login_required
@require_POST
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification.recipient = request.user
    reading.mark_read(notification)
    if notification.kind not in notification_kinds:
        return redirect("notifications:index")
    url = line(notification)["url"]
    if url.startswith(settings.SITE_URL):
        url = url[len(settings.SITE_URL) :] or "/"
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect("notifications:index")
    return redirect(url)


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    reading.mark_all_read(request.user)
    messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications:index")


def _follow_rows(user) -> list[dict]:
    rows = list(follows.follows_of(user))
    by_type: dict[int, list[int]] = {}
    for row in rows:
        by_type.setdefault(row.target_type_id, []).append(row.target_id)
    targets = {}
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        for obj in model._default_manager.filter(pk__in=ids):
            targets[(type_id, obj.pk)] = obj
    shown = []
    for row in rows:
        target = targets.get((row.target_type_id, row.target_id))
        if target is None or not follows.can_follow(user, target):
            continue
        url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
        shown.append(
            {
                "row": row,
                "target": target,
                "url": url,
                "model": target._meta.label_lower,
                "what": target._meta.verbose_name,
            }
        )
    return shown


def _followed_topic_slugs(user) -> set[str]:
    topic_type = ContentType.objects.get_for_model(Topic)
    rows = follows.follows_of(user).filter(target_type=topic_type, state="follow")
    return {concept.slug for row in rows if (concept := concept_of(row.target_id)) is not None}


def _save_topics(request: HttpRequest) -> None:
    """Follow the ticked topics and stop following the others (mutes are left as they are)."""
    wanted = set(request.POST.getlist("topics"))
    followed = _followed_topic_slugs(request.user)
    for label in topics_for_language():
        topic = Topic.objects.filter(pk=label.id).first()
        if topic is None:
            continue
        if label.slug in wanted and label.slug not in followed:
            follows.follow(request.user, topic)
        elif label.slug not in wanted and label.slug in followed:
            follows.unfollow(request.user, topic)
    messages.success(request, _("The topics you follow are saved."))


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    kinds = sorted(notification_kinds, key=lambda kind: str(kind.label))
    current = frequencies_for(request.user)
    errors = False
    if request.method == "POST" and "save_topics" in request.POST:
        _save_topics(request)
        return redirect("notifications:preferences")
    if request.method == "POST":
        valid = set(Frequency.values)
        for kind in kinds:
            chosen = request.POST.get(f"kind-{kind.key}")
            if chosen is None:
                continue
            if chosen not in valid:
                errors = True
                continue
            current[kind.key] = chosen
        if not errors:
            for kind in kinds:
                set_frequency(request.user, kind.key, current[kind.key])
            messages.success(request, _("Your notification choices are saved."))
            return redirect("notifications:preferences")
        messages.error(request, _("Choose how often for each kind of notification."))
    return render(
        request,
        "notifications/preferences.html",
        {
            "rows": [{"kind": kind, "frequency": current[kind.key]} for kind in kinds],
            "frequencies": Frequency.choices,
            "follows": [row for row in _follow_rows(request.user) if row["model"] != "core.topic"],
            "topics": topics_for_language(),
            "followed_topics": _followed_topic_slugs(request.user),
            "noindex": True,
        },
    )


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
def follow_toggle(request: HttpRequest) -> HttpResponse:
    label = request.POST.get("model", "").lower()
    if label not in follows.followable_models:
        raise Http404
    try:
        model = apps.get_model(label)
        pk = int(request.POST.get("pk", ""))
    except (LookupError, ValueError):
        raise Http404 from None
    target = get_object_or_404(model, pk=pk)
    if not follows.can_follow(request.user, target):
        raise Http404
    action = request.POST.get("action")
    if action == "follow":
        follows.follow(request.user, target)
        messages.success(request, _("You now follow %(name)s.") % {"name": target})
    elif action == "mute":
        follows.mute(request.user, target)
        messages.success(request, _("You will not hear about %(name)s.") % {"name": target})
    elif action == "unfollow":
        follows.unfollow(request.user, target)
        messages.success(request, _("You no longer follow %(name)s.") % {"name": target})
    else:
        raise Http404
    return redirect(_safe_next(request, reverse("notifications:preferences")))


@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = read_token(token)
    if found is None:
        return render(
            request,
            "notifications/unsubscribe.html",
            {"invalid": True, "noindex": True},
            status=400,
        )
    user, kinds = found
    kinds = [kind for kind in kinds if kind in notification_kinds]
    labels = [notification_kinds[kind].label for kind in kinds]
    if request.method == "POST":
        for kind in kinds:
            set_frequency(user, kind, Frequency.NEVER)
        return render(
            request,
            "notifications/unsubscribe.html",
            {"done": True, "labels": labels, "noindex": True},
        )
    return render(request, "notifications/unsubscribe.html", {"labels": labels, "noindex": True})
