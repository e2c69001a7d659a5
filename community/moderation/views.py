"""Reporting (members), the moderator pages (moderators, second factor) and appeals (authors).

A member reports an object of a model declared in `core.registries.reportable_models`, through a
plain form that works without JavaScript; anything they may not see answers 404, exactly as its
own page would. Moderators see open reports grouped by object, each object shown in context by
its declaration, and open appeals; they approve, hide, restore, delete, warn, suspend or ban
(`actions.act`), every action landing in the append-only `ModerationAction` log (the log page
filters it) and in the `core.audit` logger. Nobody but moderators ever sees who reported.

The author is told through `messaging.tell_author` and may appeal once, from the link it
carries (no log-in needed: a banned member cannot sign in). Every moderator view is behind
`core.guards.privileged("moderation.moderate_community")`: the permission plus a second factor.

Hook points for apps built later:
- forums declares `reportable_models` entries for threads and posts (hide/restore/is_hidden),
  and gets the whole queue, every action, the log and appeals for them with no change here;
- forums may call `actions.act(...)` from its own tools, so its decisions join the same log;
- `messaging.tell_author` is the one place to switch to `core.notify`;
- word lists come to every app through `core.screening.screen`, trust through `core.trust`.
"""

from __future__ import annotations

import logging
from typing import Any

from django.apps import apps
from django.conf import settings
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
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from core import ratelimit, trust
from core.guards import privileged
from core.registries import ReportableModel, reportable_models

from .actions import SUSPENSION_DAYS, ActionRefused, act, decide_appeal, file_appeal, record
from .forms import (
    AppealDecisionForm,
    AppealForm,
    DecisionForm,
    LogFilterForm,
    ReportForm,
    TrustForm,
    WordListForm,
)
from .messaging import action_for_token
from .models import MODERATE_PERMISSION, Appeal, ModerationAction, Report, WordList
from .screening_lists import clear as screening_cache_clear

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
    appeals = [
        _appeal_item(request, item)
        for item in Appeal.objects.filter(status=Appeal.Status.OPEN)
        .select_related("action__moderator", "action__author", "action__content_type")
        .order_by("created_at")[:GROUPS_PER_PAGE]
    ]
    return render(
        request,
        "moderation/queue.html",
        {
            "page_obj": page,
            "items": items,
            "appeals": appeals,
            "suspension_days": SUSPENSION_DAYS,
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


_DONE = {
    "approve": gettext_noop("Approved: the reports were dismissed and nothing was hidden."),
    "hide": gettext_noop("Hidden. Only its author and the moderators can see it now."),
    "restore": gettext_noop("Restored. Everyone who could see it before sees it again."),
    "delete": gettext_noop("Deleted. The author was told and may appeal once."),
    "warn": gettext_noop("The author was warned."),
    "suspend": gettext_noop(
        "The author is suspended and signed out everywhere; the content is hidden."
    ),
    "ban": gettext_noop("The author is banned and signed out everywhere; the content is hidden."),
}


def _appeal_item(request: HttpRequest, item: Appeal) -> dict:
    """An open appeal with the appealed content in context, when it still exists."""
    action = item.action
    model = action.content_type.model_class() if action.content_type_id else None
    declaration = reportable_models.get(model._meta.label) if model else None
    target = model._default_manager.filter(pk=action.object_id).first() if declaration else None
    return {
        "appeal": item,
        "action": action,
        "html": declaration.render(request, target) if target is not None else "",
    }


@require_POST
@privileged(MODERATE_PERMISSION)
def decide(request: HttpRequest) -> HttpResponse:
    """Approve, hide, restore, delete, warn, suspend or ban: acts on one reported object and all
    its reports, writes the log and tells the author."""
    form = DecisionForm(request.POST)
    back = reverse("moderation:queue")
    if not form.is_valid():
        messages.error(
            request,
            _("That decision could not be recorded: %(errors)s")
            % {"errors": " ".join(str(e) for errors in form.errors.values() for e in errors)},
        )
        return redirect(back)
    kind = form.cleaned_data["action"]
    kind = "approve" if kind == "dismiss" else kind
    content_type = ContentType.objects.filter(pk=form.cleaned_data["content_type"]).first()
    model = content_type.model_class() if content_type else None
    declaration = reportable_models.get(model._meta.label) if model else None
    if declaration is None:
        raise Http404
    target = model._default_manager.filter(pk=form.cleaned_data["object_id"]).first()
    if target is None:
        raise Http404
    try:
        act(
            kind,
            moderator=request.user,
            declaration=declaration,
            target=target,
            note=form.cleaned_data["note"],
            days=form.cleaned_data.get("days"),
        )
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(back)
    messages.success(request, _(_DONE[kind]))
    return redirect(back)


def appeal(request: HttpRequest, token: str) -> HttpResponse:
    """The author's one appeal, from the link in the message they received. It needs no log-in:
    a suspended or banned member cannot sign in, and must still be able to appeal."""
    action = action_for_token(token)
    if action is None or not action.appealable:
        raise Http404(_("This appeal link is not valid or has expired."))
    existing = Appeal.objects.filter(action=action).first()
    status = 200
    form = AppealForm()
    if existing is None and request.method == "POST":
        form = AppealForm(request.POST)
        if not ratelimit.hit("moderation-appeal", str(action.pk), 5, 3600):
            messages.error(request, _("Too many attempts. Please try again in an hour."))
            status = 429
        elif form.is_valid():
            if file_appeal(action, form.cleaned_data["text"]) is not None:
                messages.success(
                    request,
                    _("Your appeal has reached the moderators. They will answer by e-mail."),
                )
                return redirect(request.path)
            existing = Appeal.objects.filter(action=action).first()
        else:
            status = 400
    if existing is not None and request.method == "POST":
        status = 409
    return render(
        request,
        "moderation/appeal.html",
        {"action": action, "form": form, "existing": existing, "noindex": True},
        status=status,
    )


@require_POST
@privileged(MODERATE_PERMISSION)
def decide_appeal_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A moderator upholds or reverses the appealed action."""
    item = (
        Appeal.objects.filter(pk=pk, status=Appeal.Status.OPEN)
        .select_related("action__content_type", "action__author")
        .first()
    )
    if item is None:
        raise Http404
    form = AppealDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That decision could not be recorded. Please choose again."))
        return redirect("moderation:queue")
    original = item.action
    model = original.content_type.model_class() if original.content_type_id else None
    declaration = reportable_models.get(model._meta.label) if model else None
    target = model._default_manager.filter(pk=original.object_id).first() if declaration else None
    grant = form.cleaned_data["decision"] == "reverse"
    # A delete that keeps what it took out of sight (a withdrawn resource) is restored; one that
    # took it away (a row gone, a forum post deleted in place) is not.
    restorable = target is not None and declaration.is_hidden(target)
    try:
        decide_appeal(
            item,
            moderator=request.user,
            grant=grant,
            note=form.cleaned_data["note"],
            declaration=declaration,
            target=target,
        )
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("moderation:queue")
    if grant and original.kind == ModerationAction.Kind.DELETE and not restorable:
        messages.warning(
            request,
            _("Appeal granted. Deleted content cannot come back: the author may post it again."),
        )
    elif grant:
        messages.success(request, _("Appeal granted: the decision is reversed."))
    else:
        messages.success(request, _("Appeal refused: the decision stands."))
    return redirect("moderation:queue")


LOG_PER_PAGE = 50


@privileged(MODERATE_PERMISSION)
def log(request: HttpRequest) -> HttpResponse:
    """The moderation log, newest first, filtered by action, moderator or author."""
    form = LogFilterForm(request.GET or None)
    rows = ModerationAction.objects.select_related("moderator", "author", "content_type")
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            rows = rows.filter(kind=data["kind"])
        if data["moderator"]:
            rows = rows.filter(moderator__email__iexact=data["moderator"])
        if data["author"]:
            rows = rows.filter(author__email__iexact=data["author"])
    page = Paginator(rows, LOG_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "moderation/log.html",
        {"form": form, "page_obj": page, "query": query.urlencode(), "noindex": True},
    )


@privileged(MODERATE_PERMISSION)
def word_lists(request: HttpRequest) -> HttpResponse:
    """The word lists that hold content for review, one per language."""
    languages = settings.LANGUAGES
    wanted = request.POST.get("language") if request.method == "POST" else None
    forms_by_language = []
    status = 200
    for code, name in languages:
        instance = WordList.objects.filter(language=code).first() or WordList(language=code)
        if wanted == code:
            form = WordListForm(request.POST, instance=instance, prefix=code)
            if form.is_valid():
                item = form.save(commit=False)
                item.updated_at = timezone.now()
                item.save()
                screening_cache_clear()
                record(
                    ModerationAction.Kind.WORDS,
                    moderator=request.user,
                    note=f"{code}: {len(item.term_list)}",
                )
                messages.success(request, _("The word list is saved."))
                return redirect("moderation:words")
            status = 400
        else:
            form = WordListForm(instance=instance, prefix=code)
        forms_by_language.append((code, name, form))
    return render(
        request,
        "moderation/words.html",
        {"forms": forms_by_language, "noindex": True},
        status=status,
    )


@privileged(MODERATE_PERMISSION)
def trust_level(request: HttpRequest) -> HttpResponse:
    """Set a member's trust level by hand, or give it back to what participation earns."""
    from django.contrib.auth import get_user_model

    status = 200
    member = None
    if request.method == "POST":
        form = TrustForm(request.POST)
        if form.is_valid():
            member = get_user_model().objects.lookalike_of(form.cleaned_data["email"])
            if member is None:
                form.add_error("email", _("No member has this e-mail address."))
            else:
                member.trust_level = form.cleaned_data["level"]
                member.save(update_fields=["trust_level"])
                record(
                    ModerationAction.Kind.TRUST,
                    moderator=request.user,
                    author=member,
                    note=f"{member.trust_level} {form.cleaned_data['note']}".strip(),
                )
                messages.success(
                    request,
                    _("Trust level saved: this member is now at level %(level)s.")
                    % {"level": trust.level_for(member)},
                )
                return redirect("moderation:trust")
        status = 400
    else:
        form = TrustForm(request.GET or None) if request.GET.get("email") else TrustForm()
    return render(request, "moderation/trust.html", {"form": form, "noindex": True}, status=status)
