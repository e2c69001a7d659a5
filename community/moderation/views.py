"""Reporting (members) and the moderator list with its decisions (moderators, second factor).

A member reports an object of a model declared in `core.registries.reportable_models`, through a
plain form that works without JavaScript; anything they may not see answers 404, exactly as its
own page would. Moderators see open reports grouped by object, each object shown in context by
its declaration, and hide, restore or dismiss; each decision is recorded on the reports and in
the `core.audit` log. Nobody but moderators ever sees who reported.
"""

from __future__ import annotations

import logging
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import ratelimit
from core.guards import privileged
from core.registries import ReportableModel, reportable_models

from .forms import DecisionForm, ReportForm
from .models import MODERATE_PERMISSION, Report

audit = logging.getLogger("core.audit")

# Reports a member may send per hour: enough for a real problem, too few to flood moderators.
REPORT_LIMIT = 10
REPORT_WINDOW = 3600
GROUPS_PER_PAGE = 20


def _declaration(model_key: str) -> tuple[ReportableModel, type]:
    """The declaration for a "app_label.model" key from a URL; 404 when it is not reportable."""
    try:
        model = apps.get_model(model_key)
    except (LookupError, ValueError):
        raise Http404 from None
    declaration = reportable_models.get(model._meta.label)
    if declaration is None:
        raise Http404
    return declaration, model


@login_required
def report(request: HttpRequest, model_key: str, pk: int) -> HttpResponse:
    """The report form for one object, and its submission (POST)."""
    declaration, model = _declaration(model_key)
    target = model._default_manager.filter(pk=pk).first()
    if target is None or not declaration.visible_to(request.user, target):
        # Exactly what its own page says: nothing here, for what this member may not see.
        raise Http404(_("Nothing to report here."))
    content_type = ContentType.objects.get_for_model(model)
    existing = Report.objects.filter(
        content_type=content_type, object_id=target.pk, reporter=request.user
    ).first()
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST, instance=existing)
        if not ratelimit.hit(
            "moderation-report", str(request.user.pk), REPORT_LIMIT, REPORT_WINDOW
        ):
            messages.error(
                request,
                _("You have sent many reports in a short time. Please try again in an hour."),
            )
            status = 429
        elif form.is_valid():
            _save_report(form, content_type, target, request.user)
            messages.success(
                request,
                _("Thank you. Your report has reached the moderators, who will look at it."),
            )
            return redirect(declaration.url(target) or "/")
        else:
            status = 400
    else:
        form = ReportForm(instance=existing)
    return render(
        request,
        "moderation/report.html",
        {
            "form": form,
            "target": target,
            "target_url": declaration.url(target),
            "updating": existing is not None,
            "noindex": True,
        },
        status=status,
    )


def _save_report(form: ReportForm, content_type: ContentType, target: Any, reporter) -> Report:
    """Save a new report, or update this member's earlier one and put it back in the queue."""
    now = timezone.now()
    item = form.save(commit=False)
    item.content_type = content_type
    item.object_id = target.pk
    item.reporter = reporter
    item.updated_at = now
    # A report sent again after a decision is news for the moderators: it is open again.
    item.status = Report.Status.OPEN
    item.decided_by = None
    item.decided_at = None
    item.decision_note = ""
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        # Two submissions at once: the other one created the row; update it instead.
        item.pk = Report.objects.get(
            content_type=content_type, object_id=target.pk, reporter=reporter
        ).pk
        item.save(force_update=True)
    return item


@privileged(MODERATE_PERMISSION)
def queue(request: HttpRequest) -> HttpResponse:
    """Reports grouped by object: the open ones, or (`?status=hidden`) what was hidden."""
    showing = request.GET.get("status")
    status = Report.Status.HIDDEN if showing == "hidden" else Report.Status.OPEN
    groups = (
        Report.objects.filter(status=status)
        .values("content_type", "object_id")
        .annotate(count=Count("pk"), latest=Max("updated_at"))
        .order_by("-count", "-latest", "content_type", "object_id")
    )
    page = Paginator(groups, GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    keys = [(group["content_type"], group["object_id"]) for group in page]
    reports: dict[tuple[int, int], list[Report]] = {key: [] for key in keys}
    if keys:
        rows = (
            Report.objects.filter(status=status, object_id__in={pk for _ct, pk in keys})
            .select_related("reporter", "content_type")
            .order_by("created_at")
        )
        for row in rows:
            key = (row.content_type_id, row.object_id)
            if key in reports:
                reports[key].append(row)
    items = [_group(request, ct_id, pk, reports[(ct_id, pk)]) for ct_id, pk in keys]
    return render(
        request,
        "moderation/queue.html",
        {
            "page_obj": page,
            "items": items,
            "showing_hidden": status == Report.Status.HIDDEN,
            "noindex": True,
        },
    )


def _group(request: HttpRequest, content_type_id: int, pk: int, rows: list[Report]) -> dict:
    """One reported object as the moderator list shows it, with its reports."""
    content_type = ContentType.objects.get_for_id(content_type_id)
    model = content_type.model_class()
    declaration = reportable_models.get(model._meta.label) if model else None
    target = model._default_manager.filter(pk=pk).first() if model else None
    item: dict[str, Any] = {
        "content_type": content_type,
        "object_id": pk,
        "reports": rows,
        "target": target,
        "kind": model._meta.verbose_name if model else content_type.model,
    }
    if target is not None and declaration is not None:
        author = declaration.author(target)
        item.update(
            html=declaration.render(request, target),
            url=declaration.url(target),
            author=author,
            hidden=declaration.is_hidden(target),
        )
    return item


@require_POST
@privileged(MODERATE_PERMISSION)
def decide(request: HttpRequest) -> HttpResponse:
    """Hide, restore or dismiss: acts on every report of one object, and logs who did it."""
    form = DecisionForm(request.POST)
    back = reverse("moderation:queue")
    if not form.is_valid():
        messages.error(
            request,
            _("That decision could not be recorded: %(errors)s")
            % {"errors": " ".join(str(e) for errors in form.errors.values() for e in errors)},
        )
        return redirect(back)
    action = form.cleaned_data["action"]
    content_type = ContentType.objects.filter(pk=form.cleaned_data["content_type"]).first()
    model = content_type.model_class() if content_type else None
    declaration = reportable_models.get(model._meta.label) if model else None
    if declaration is None:
        raise Http404
    pk = form.cleaned_data["object_id"]
    target = model._default_manager.filter(pk=pk).first()
    reports = Report.objects.filter(content_type=content_type, object_id=pk)
    moderator = request.user
    now = timezone.now()
    decision = {
        "decided_by": moderator,
        "decided_at": now,
        "decision_note": form.cleaned_data["note"],
    }
    with transaction.atomic():
        if action == "hide":
            if target is None:
                raise Http404
            declaration.hide(target, moderator)
            count = reports.filter(status=Report.Status.OPEN).update(
                status=Report.Status.HIDDEN, **decision
            )
            message = _("Hidden. Only its author and the moderators can see it now.")
        elif action == "restore":
            if target is None:
                raise Http404
            declaration.restore(target, moderator)
            # Put back: the reports were not borne out after all.
            count = reports.filter(status=Report.Status.HIDDEN).update(
                status=Report.Status.DISMISSED, **decision
            )
            message = _("Restored. Everyone who could see it before sees it again.")
        else:
            count = reports.filter(status=Report.Status.OPEN).update(
                status=Report.Status.DISMISSED, **decision
            )
            message = _("Reports dismissed. Nothing was hidden.")
    audit.info(
        "moderation %s: %s #%s by user %s (%d report(s))",
        action,
        model._meta.label,
        pk,
        moderator.pk,
        count,
    )
    messages.success(request, message)
    return redirect(back)
