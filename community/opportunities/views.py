"""The opportunities pages: listing, page, create/edit, close/extend, moderators' queue, and
expressions of interest (apply on the page, the managers' private list of applicants, their
shortlist/decline, the applicant's withdrawal).

Each view parses, authorises through `permissions.py`, and hands state changes to `lifecycle`.
Anonymous pages may be served by the page cache: they depend on the opportunities' and
organisations' content groups (a write to either shows at once, see `core.page_cache`), and are
kept no longer than the next deadline or "closing soon" moment that changes what they show.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Min, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.members.views import country_options
from community.members.zones import reader_zone_name
from community.moderation.models import MODERATE_PERMISSION
from community.organisations.models import PAGE_GROUP as ORGANISATIONS
from community.organisations.models import Organisation, Role
from core import trust
from core.compiled_queries import CompiledQueries
from core.counted_pages import counted_page, page_number, with_total
from core.guards import privileged
from core.memo import ProcessMemo
from core.page_cache import declared_groups, depends_on, expire_within, group_versions
from core.private_files import private_file_url
from core.topics import concept_of, topics_for_language
from core.trust import posting_limit_message

from . import applications, lifecycle, permissions
from .feeds import feed_links
from .filters import WITHIN_DAYS, OpportunityFilters
from .forms import ApplicationForm, DecisionForm, ExtendForm, OpportunityForm
from .listing import LISTED_REVIEWS, listed, next_change, next_listing_change
from .models import (
    PAGE_GROUP,
    Application,
    ApplicationStatus,
    Frequency,
    Opportunity,
    OpportunityType,
    Review,
    Status,
    WorkMode,
)
from .saving import saved_ids, with_saved

PAGE_SIZE = 20
# Each card of the listing, rendered once per process for the values it shows (see `_card`):
# twenty cards drawn by the template engine cost more than the rest of the page together.
_cards: ProcessMemo[str] = ProcessMemo("opportunity cards", ttl=600.0, max_entries=2000)
# The filter form (a select of every country, every topic, the organisations with openings) is
# the same for every reader of a language with the same filters and choices: drawn once for
# them, keyed on all of them.
_filter_forms: ProcessMemo[str] = ProcessMemo(
    "opportunity filter forms", ttl=600.0, max_entries=500
)
# A card's save button, drawn once per opportunity and state (it holds nothing of the reader).
_save_buttons: ProcessMemo[str] = ProcessMemo(
    "opportunity save buttons", ttl=600.0, max_entries=4000
)


def _topic_labels(topic_ids: Iterable[int], language: str) -> list[str]:
    """The labels, in `language`, of the concepts these topic rows (of any locale) stand for."""
    labels = {}
    for topic_id in topic_ids:
        concept = concept_of(topic_id)
        if concept:
            labels[concept.slug] = concept.in_language(language).label
    return sorted(labels.values(), key=str.casefold)


def _card(
    opportunity: Opportunity, topics: list[str], language: str, now: datetime, zone: str
) -> SafeString:
    """The listing card's body for `opportunity`, from the memo when nothing it shows changed.

    The key holds every value `opportunities/_card_body.html` shows (the phase at `now`, the
    organisation's name and badge, the interface language of the labels, dates and links, the
    reader's own time zone beside the deadline), so an edit, a verification or a deadline passing
    gives a new key. Nothing else in it depends on who reads it: the save button, with its
    per-session token, is drawn around it by the listing template.
    """
    organisation = opportunity.organisation
    key = (
        language,
        opportunity.pk,
        opportunity.title,
        opportunity.type,
        opportunity.work_mode,
        opportunity.phase(now),
        opportunity.deadline,
        opportunity.time_zone,
        tuple(str(code) for code in opportunity.countries),
        tuple(topics),
        organisation
        and (organisation.slug, organisation.name, organisation.verification, organisation.type),
        zone,
    )
    html = _cards.get(
        key,
        lambda: render_to_string(
            "opportunities/_card_body.html",
            {"opportunity": opportunity, "topics": topics, "reader_zone": zone},
        ),
    )
    return mark_safe(html)  # noqa: S308 - rendered by the auto-escaping template above


def _filter_form(context: dict, language: str) -> SafeString:
    """The listing's filter form for these filters and choices, from the memo when unchanged."""
    key = (
        language,
        tuple(sorted((name, str(value)) for name, value in context["filters"].items())),
        context["query"],
        tuple(context["organisations"]),
        tuple((topic.slug, topic.label) for topic in context["topics"]),
    )

    def draw() -> str:
        form_context = {
            **context,
            "country_options": country_options(context["filters"]["country"]),
        }
        return render_to_string("opportunities/_filter_form.html", form_context)

    return mark_safe(_filter_forms.get(key, draw))  # noqa: S308 - rendered by the auto-escaping template


def _card_html(
    opportunity: Opportunity, body: SafeString, saved: bool, language: str, signed_in: bool
) -> SafeString:
    """One card of the listing (`opportunities/_card.html`), with a member's save button.

    The button carries no token and no way back: it submits the listing's one shared form
    (`#save-opportunity` in `opportunities/index.html`, holding both) to this opportunity's
    address, so twenty cards do not repeat them.
    """
    button = ""
    if signed_in and opportunity.is_public:
        key = (language, opportunity.pk, opportunity.title, saved)
        button = _save_buttons.get(
            key,
            lambda: render_to_string(
                "opportunities/_listing_save_button.html",
                {"opportunity": opportunity, "is_saved": saved},
            ),
        )
    html = f'<li class="member-card opportunity-card"><div>{body}{button}</div></li>'
    return mark_safe(html)  # noqa: S308 - both parts rendered by auto-escaping templates


# The opportunity page's reads, on every view of it and every action on it, compiled to SQL once
# per process (`core.compiled_queries`): each took longer to compile than to answer.
_compiled = CompiledQueries("opportunity pages", max_entries=4)


def _visible_or_404(request: HttpRequest, pk: int) -> Opportunity:
    found = _compiled.rows(
        "opportunity",
        lambda: Opportunity.objects.select_related("organisation").filter(pk=pk)[:1],
        [pk],
    )
    opportunity = found[0] if found else None
    if opportunity is None or not permissions.can_view(request.user, opportunity):
        raise Http404(_("No such opportunity."))
    return opportunity


def _editable_or_403(request: HttpRequest, pk: int) -> Opportunity:
    opportunity = _visible_or_404(request, pk)
    if not permissions.can_edit(request.user, opportunity):
        raise PermissionDenied
    return opportunity


def _canonical_listing_query(request: HttpRequest, filters: OpportunityFilters) -> str:
    query = filters.canonical_query()
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        query = f"{query}&page={int(page)}" if query else f"page={int(page)}"
    return query


def index(request: HttpRequest) -> HttpResponse:
    from django.utils.translation import get_language

    filters = OpportunityFilters.from_query(request.GET)
    canonical = _canonical_listing_query(request, filters)
    if request.META.get("QUERY_STRING", "") != canonical:
        # One address per search: the filter form's empty fields, unknown or bad parameters and
        # another order all land on the same page (and the same page-cache entry).
        url = reverse("opportunities:index")
        return redirect(f"{url}?{canonical}" if canonical else url)
    depends_on(request, PAGE_GROUP, ORGANISATIONS)
    now = timezone.now()
    found = filters.apply(listed(), now)
    signed_in = request.user.is_authenticated
    # The listing everyone lands on, unfiltered: its SQL compiled once per process.
    landing = now if filters == OpportunityFilters() else None
    page = _listing_page(
        found, request.GET.get("page", ""), request.user if signed_in else None, landing
    )
    language = get_language() or "en"
    zone = reader_zone_name(request)
    cards = []
    for item in page:
        saved = getattr(item, "is_saved", False)
        body = _card(item, _topic_labels(item.topic_ids, language), language, now, zone)
        html = _card_html(item, body, saved, language, signed_in)
        cards.append({"opportunity": item, "body": body, "saved": saved, "html": html})
    form_context = {
        "types": OpportunityType.choices,
        "modes": WorkMode.choices,
        "windows": WITHIN_DAYS,
        "topics": topics_for_language(),
        "organisations": _organisations_with_openings(request, now),
        "filters": filters.context(),
        "query": filters.canonical_query(),
    }
    response = render(
        request,
        "opportunities/index.html",
        {
            **form_context,
            "filter_form": _filter_form(form_context, language),
            "page_obj": page,
            "cards": cards,
            "summary": filters.summary(),
            "feeds": feed_links(filters.type, filters.country),
            "frequencies": Frequency.choices,
            "can_post": permissions.can_post(request.user),
            "is_moderator": permissions.is_moderator(request.user),
        },
    )
    if getattr(request, "_cache_update_cache", False):
        # Any filter or page of the listing changes when one listed opportunity changes phase.
        # Only a copy the page cache keeps needs that moment: never a member's (one query).
        expire_within(response, next_listing_change(now))
    return response


def _listing_page(
    found: QuerySet[Opportunity], number: str, member, landing: datetime | None = None
) -> Page:
    """The page `number` of `found`, each opportunity with its `topic_ids` (and `is_saved` for a
    `member`), read together with the total count in one query. `landing` (the moment `found`
    was narrowed at) says `found` is the unfiltered listing, whose SQL is compiled once per
    process.

    The total comes with the rows (`core.counted_pages`). A search narrowed through a
    many-to-many (topic, skill) is made DISTINCT, which the window would count before removing
    duplicates; that one, and a page past the end, are counted apart as Django does.
    """

    def shown(found: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
        # Cards show neither description: the longest columns stay in the database.
        found = (
            found.select_related("organisation")
            .defer("description", "organisation__description")
            .annotate(
                topic_ids=ArraySubquery(
                    Opportunity.topics.through.objects.filter(opportunity_id=OuterRef("pk")).values(
                        "topic_id"
                    )
                )
            )
        )
        return with_saved(found, member) if member is not None else found

    wanted = page_number(number)
    start = (wanted - 1) * PAGE_SIZE

    def page_of() -> QuerySet[Opportunity]:
        return with_total(shown(found))[start : start + PAGE_SIZE]

    if landing is not None:
        # In the order its SQL takes them: the saved mark's `SELECT 1` and the member, then
        # `listed()`'s filters by name (review, status) and the deadline.
        params = [1, member.pk] if member is not None else []
        params += [*(review.value for review in LISTED_REVIEWS), Status.PUBLISHED.value, landing]
        rows = _compiled.rows(("listing", member is not None, start), page_of, params)
    elif found.query.distinct:
        return Paginator(shown(found), PAGE_SIZE).get_page(wanted)
    else:
        rows = list(page_of())
    return counted_page(rows, wanted, PAGE_SIZE) or Paginator(shown(found), PAGE_SIZE).get_page(
        wanted
    )


# The filter's organisations are one join over every listed opportunity, the same for every
# reader: kept per process for the page-cache tokens of both groups it shows (every write to an
# opportunity or organisation changes them, whichever process makes it), and only until the first
# of their openings closes (an organisation may then leave the list).
_organisation_choices: ProcessMemo[tuple[list[tuple[str, str]], datetime | None]] = ProcessMemo(
    "opportunity filter organisations", ttl=600.0, max_entries=50
)


def _organisations_with_openings(request: HttpRequest, now: datetime) -> list[tuple[str, str]]:
    """(slug, name) of visible organisations with an open public opportunity, for the filter."""

    def read() -> tuple[list[tuple[str, str]], datetime | None]:
        rows = list(
            Organisation.objects.filter(
                hidden=False,
                opportunities__in=listed().filter(deadline__gt=now),
            )
            .values_list("slug", "name")
            .annotate(closes=Min("opportunities__deadline"))
            .order_by("name", "slug")
        )
        first_close = min((closes for _slug, _name, closes in rows), default=None)
        return [(slug, name) for slug, name, _closes in rows], first_close

    known = declared_groups(request) or {}
    tokens = {group: known.get(group) for group in (PAGE_GROUP, ORGANISATIONS)}
    missing = [group for group, token in tokens.items() if token is None]
    if missing:
        tokens.update(group_versions(missing))
    key = (tokens[PAGE_GROUP], tokens[ORGANISATIONS])
    if None in key:
        # The cache holding the tokens is unreachable: nothing tells when a memo would be stale.
        return read()[0]
    choices, first_close = _organisation_choices.get(key, read)
    if first_close is not None and first_close <= now:
        _organisation_choices.forget(key)
        choices, first_close = _organisation_choices.get(key, read)
    return choices


def _detail_context(
    request: HttpRequest, opportunity: Opportunity, apply_form: ApplicationForm | None = None
) -> dict:
    from django.utils.translation import get_language

    user = request.user
    context = {
        "opportunity": opportunity,
        "phase": opportunity.phase(),
        "topics": _topic_labels(
            [topic.pk for topic in opportunity.topics.all()], get_language() or "en"
        ),
        "can_edit": permissions.can_edit(user, opportunity),
        "is_saved": bool(saved_ids(user, [opportunity])) if user.is_authenticated else False,
        "noindex": opportunity.is_closed or not opportunity.is_public,
        "extend_form": ExtendForm(zone=opportunity.zone),
    }
    if not opportunity.takes_applications:
        return context
    context["can_manage_applications"] = permissions.can_manage_applications(user, opportunity)
    if context["can_manage_applications"]:
        context["applicant_count"] = opportunity.applications.exclude(
            status=ApplicationStatus.WITHDRAWN
        ).count()
    elif user.is_authenticated:
        mine = _compiled.rows(
            "my application",
            lambda: Application.objects.filter(applicant=user, opportunity=opportunity).order_by(
                "pk"
            )[:1],
            [user.pk, opportunity.pk],
        )
        for application in mine:
            application.opportunity = opportunity  # as the related manager would set it
        context["my_application"] = mine[0] if mine else None
        if context["my_application"] is None:
            context["apply_refusal"] = applications.refusal(user, opportunity)
            if context["apply_refusal"] is None:
                context["apply_form"] = apply_form or ApplicationForm()
    return context


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    depends_on(request, PAGE_GROUP, ORGANISATIONS)
    opportunity = _visible_or_404(request, pk)
    response = render(request, "opportunities/detail.html", _detail_context(request, opportunity))
    expire_within(response, next_change([opportunity], timezone.now()))
    return response


def _administered(user) -> list[Organisation]:
    return list(
        Organisation.objects.filter(
            memberships__user=user, memberships__role=Role.ADMIN, hidden=False
        ).order_by("name")
    )


def _after_save(request: HttpRequest, opportunity: Opportunity) -> None:
    if request.POST.get("publish") and opportunity.status == Status.DRAFT:
        lifecycle.publish(opportunity)
    if opportunity.review == Review.HELD:
        messages.info(
            request,
            _("Saved. It is held for review: a moderator checks it before anyone else sees it."),
        )
    else:
        messages.success(request, _("The opportunity has been saved."))


@login_required
def create(request: HttpRequest) -> HttpResponse:
    organisations = _administered(request.user)
    if request.method == "POST":
        # Refused before the form: posting for an organisation one does not administer.
        wanted = request.POST.get("organisation", "")
        if wanted and not any(str(org.pk) == wanted for org in organisations):
            raise PermissionDenied
        form = OpportunityForm(request.POST, organisations=organisations)
        if form.is_valid():
            if not permissions.can_post_for(request.user, form.cleaned_data["organisation"]):
                raise PermissionDenied
            # The member's trust level sets how many they may post an hour (core.trust).
            if not trust.allows_post(request.user, "opportunities"):
                messages.error(request, posting_limit_message())
                return render(
                    request,
                    "opportunities/form.html",
                    {"form": form, "noindex": True},
                    status=429,
                )
            form.instance.poster = request.user
            opportunity = form.save()
            _after_save(request, opportunity)
            return redirect("opportunities:detail", opportunity.pk)
        messages.error(request, _("Nothing was saved: please correct the errors below."))
    else:
        form = OpportunityForm(organisations=organisations)
    return render(request, "opportunities/form.html", {"form": form, "noindex": True})


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _editable_or_403(request, pk)
    if request.method == "POST":
        form = OpportunityForm(request.POST, instance=opportunity)
        if form.is_valid():
            with transaction.atomic():
                opportunity = form.save()
                # A published one whose new text matches the word lists goes back to review.
                lifecycle.hold_if_screened(opportunity)
            _after_save(request, opportunity)
            return redirect("opportunities:detail", opportunity.pk)
        messages.error(request, _("Nothing was saved: please correct the errors below."))
        opportunity.refresh_from_db()
    else:
        form = OpportunityForm(instance=opportunity)
    return render(
        request,
        "opportunities/form.html",
        {"form": form, "opportunity": opportunity, "noindex": True},
    )


@require_POST
@login_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _editable_or_403(request, pk)
    lifecycle.close_now(opportunity)
    messages.success(request, _("The opportunity is closed."))
    return redirect("opportunities:detail", opportunity.pk)


@require_POST
@login_required
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _editable_or_403(request, pk)
    form = ExtendForm(request.POST, zone=opportunity.zone)
    if form.is_valid():
        lifecycle.extend(opportunity, form.cleaned_data["deadline_local"])
        messages.success(request, _("The deadline has been changed."))
    else:
        messages.error(request, _("Nothing was changed: the deadline must be in the future."))
    return redirect("opportunities:detail", opportunity.pk)


def _queue_page(
    request: HttpRequest, bound: DecisionForm | None = None, bound_pk: int | None = None
) -> HttpResponse:
    held = list(
        Opportunity.objects.filter(review=Review.HELD, status=Status.PUBLISHED, hidden=False)
        .select_related("organisation", "poster")
        .order_by("created_at")
    )
    for opportunity in held:
        opportunity.can_decide = permissions.can_decide_review(request.user, opportunity)
        opportunity.decision_form = (
            bound
            if bound is not None and opportunity.pk == bound_pk
            else DecisionForm(opportunity_id=opportunity.pk)
        )
    return render(
        request,
        "opportunities/queue.html",
        {"held": held, "noindex": True},
        status=400 if bound is not None else 200,
    )


@privileged(MODERATE_PERMISSION)
def queue(request: HttpRequest) -> HttpResponse:
    return _queue_page(request)


@require_POST
@privileged(MODERATE_PERMISSION)
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve, send back (with a note) or hide a held opportunity: each through `lifecycle`,
    which logs it with the moderation app and tells the poster."""
    opportunity = get_object_or_404(
        Opportunity.objects.select_related("organisation", "poster"),
        pk=pk,
        review=Review.HELD,
        hidden=False,
    )
    if not permissions.can_decide_review(request.user, opportunity):
        raise PermissionDenied
    form = DecisionForm(request.POST, opportunity_id=opportunity.pk)
    if not form.is_valid():
        messages.error(request, _("Nothing was saved: please correct the errors below."))
        return _queue_page(request, form, opportunity.pk)
    decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
    if decision == DecisionForm.APPROVE:
        lifecycle.approve_held(opportunity, request.user)
        messages.success(request, _("The opportunity is published."))
    elif decision == DecisionForm.SEND_BACK:
        lifecycle.send_back(opportunity, request.user, note)
        messages.success(request, _("The opportunity went back to its poster as a draft."))
    else:
        lifecycle.hide_held(opportunity, request.user, note)
        messages.success(request, _("The opportunity is hidden; its poster may appeal once."))
    return redirect("opportunities:queue")


def mine(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    owned = Opportunity.objects.filter(
        Q(poster=request.user)
        | Q(
            organisation__memberships__user=request.user,
            organisation__memberships__role=Role.ADMIN,
        )
    ).distinct()
    return render(request, "opportunities/mine.html", {"owned": owned, "noindex": True})


# --- Expressions of interest -------------------------------------------------------------------


@require_POST
@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _visible_or_404(request, pk)
    form = ApplicationForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            applications.apply(opportunity, request.user, form)
        except applications.Refused as refused:
            messages.error(request, refused.message)
            return redirect("opportunities:detail", opportunity.pk)
        messages.success(
            request,
            _("Your expression of interest has been sent. Follow it on your dashboard."),
        )
        return redirect("opportunities:detail", opportunity.pk)
    messages.error(request, _("Nothing was sent: please correct the errors below."))
    context = _detail_context(request, opportunity, apply_form=form)
    return render(request, "opportunities/detail.html", context, status=400)


def _managed_application_or_404(request: HttpRequest, application_pk: int) -> Application:
    application = (
        Application.objects.select_related("opportunity__organisation", "applicant")
        .filter(pk=application_pk)
        .first()
    )
    if application is None or not permissions.can_manage_applications(
        request.user, application.opportunity
    ):
        raise Http404(_("No such expression of interest."))
    return application


@login_required
def applicants(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _visible_or_404(request, pk)
    if not permissions.can_manage_applications(request.user, opportunity):
        raise PermissionDenied
    found = opportunity.applications.select_related("applicant__profile").order_by(
        "created_at", "pk"
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "application": item,
            "name": applications.applicant_name(item, request.user),
            "cv_url": private_file_url(item.cv) if item.cv else None,
        }
        for item in page
    ]
    return render(
        request,
        "opportunities/applicants.html",
        {"opportunity": opportunity, "rows": rows, "page_obj": page, "noindex": True},
    )


@require_POST
@login_required
def decide_application(request: HttpRequest, application_pk: int) -> HttpResponse:
    application = _managed_application_or_404(request, application_pk)
    try:
        applications.decide(application, request.POST.get("status", ""))
    except applications.Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The applicant has been told by e-mail."))
    return redirect("opportunities:applicants", application.opportunity_id)


@require_POST
@login_required
def withdraw_application(request: HttpRequest, application_pk: int) -> HttpResponse:
    application = Application.objects.filter(pk=application_pk, applicant=request.user).first()
    if application is None:
        raise Http404(_("No such expression of interest."))
    applications.withdraw(application)
    messages.success(request, _("You have withdrawn your expression of interest."))
    return redirect("members:dashboard")
