"""The organisations pages: index, page, create/edit, members, invitations, verification.

Each view parses, authorises through `permissions.py`, and hands the work to the module named
after the operation (`editing`, `membership`, `verification`). The index and a page seen
anonymously are the same for every anonymous reader, so the page cache keeps them; every change
empties it. Moderators' views pass `core.guards.privileged` (permission and a second factor).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.members.models import PAGE_GROUP as MEMBERS
from community.members.views import country_options
from community.members.visibility import display_name_for
from community.moderation.actions import ActionRefused
from community.moderation.models import MODERATE_PERMISSION
from core.compiled_queries import CompiledQueries
from core.counted_pages import counted_page, page_number, with_total
from core.guards import privileged
from core.memo import ProcessMemo
from core.page_cache import depends_on
from core.private_files import private_file_url
from core.topics import concept_of, get_concept, topics_for_language

from . import permissions, verification
from .editing import approve_held, hide_held, refuse, save_organisation
from .forms import DecisionForm, InviteForm, OrganisationForm, VerificationForm
from .membership import MembershipError, accept, invite, remove_member, set_role
from .models import (
    PAGE_GROUP,
    VERIFY_PERMISSION,
    Invitation,
    Membership,
    Organisation,
    OrganisationType,
    RequestStatus,
    Role,
    Verification,
    VerificationRequest,
)

PAGE_SIZE = 20
# Each card of the index, rendered once per process for the values it shows (see `_card`): the
# cards drawn by the template engine cost more than the rest of the page together.
_cards: ProcessMemo[str] = ProcessMemo("organisation cards", ttl=600.0, max_entries=2000)
# The index everyone lands on (a page of organisations with their topics and the total) and an
# organisation's page (it, its topics, the reader's role, its members): their SQL compiled once
# per process (`core.compiled_queries`).
_compiled = CompiledQueries("organisations", max_entries=16)
# The filter form (every country, every topic) is the same for every reader of a language with
# the same filters: drawn once for them, keyed on all of them.
_filter_forms: ProcessMemo[str] = ProcessMemo(
    "organisation filter forms", ttl=600.0, max_entries=500
)


def _card(organisation: Organisation, topics: list[str], language: str) -> SafeString:
    """The index's card for `organisation`, from the memo when nothing it shows has changed.

    The key holds every value `organisations/_card.html` shows (the interface language of its
    labels and links among them), so an edit or a verification gives a new key; nothing on the
    card depends on who reads it.
    """
    key = (
        language,
        organisation.pk,
        organisation.slug,
        organisation.name,
        organisation.logo_thumbnail.name,
        organisation.verification,
        organisation.type,
        tuple(str(code) for code in organisation.countries),
        tuple(topics),
    )
    html = _cards.get(
        key,
        lambda: render_to_string(
            "organisations/_card.html", {"organisation": organisation, "topics": topics}
        ),
    )
    return mark_safe(html)  # noqa: S308 - rendered by the auto-escaping template above


def topic_labels(organisation: Organisation) -> list[str]:
    """The organisation's topics in the reader's language (each concept once)."""
    language = get_language() or "en"
    labels = {}
    # Read with the organisation by the index's landing page, else its prefetched topics.
    ids = getattr(organisation, "topic_ids", None)
    for topic_id in ids if ids is not None else (topic.pk for topic in organisation.topics.all()):
        concept = concept_of(topic_id)
        if concept:
            labels[concept.slug] = concept.in_language(language).label
    return sorted(labels.values(), key=str.casefold)


def _filter_form(filters: dict, query: str, language: str) -> SafeString:
    """The index's filter form for these filters, from the memo when unchanged."""
    topics = topics_for_language()
    key = (
        language,
        tuple(sorted(filters.items())),
        query,
        tuple((topic.slug, topic.label) for topic in topics),
    )

    def draw() -> str:
        context = {
            "types": OrganisationType.choices,
            "topics": topics,
            "country_options": country_options(filters["country"]),
            "filters": filters,
            "query": query,
        }
        return render_to_string("organisations/_filter_form.html", context)

    return mark_safe(_filter_forms.get(key, draw))  # noqa: S308 - auto-escaping template


def _visible_or_404(request: HttpRequest, slug: str) -> Organisation:
    """The organisation if the reader may see it, read with its topic ids and the reader's
    role in it (`permissions.remember_role`): one statement, compiled once per process."""
    user = request.user
    signed_in = user.is_authenticated

    def queryset():
        through = Organisation.topics.through.objects.filter(organisation_id=OuterRef("pk"))
        found = Organisation.objects.filter(slug=slug).annotate(
            topic_ids=ArraySubquery(through.values("topic_id"))
        )
        if signed_in:
            roles = Membership.objects.filter(organisation_id=OuterRef("pk"), user_id=user.pk)
            found = found.annotate(reader_role=Subquery(roles.values("role")[:1]))
        return found[:1]

    # In the order its SQL takes them: the reader (for their role), the slug.
    found = _compiled.rows(("page", signed_in), queryset, [*([user.pk] if signed_in else []), slug])
    organisation = found[0] if found else None
    if organisation is not None and signed_in:
        permissions.remember_role(user, organisation, organisation.reader_role)
    if organisation is None or not permissions.can_view(request.user, organisation):
        raise Http404(_("No such organisation."))
    return organisation


def _admin_or_404(request: HttpRequest, slug: str) -> Organisation:
    organisation = _visible_or_404(request, slug)
    if not permissions.can_edit(request.user, organisation):
        # Not a 404: the organisation is public; only this action is not theirs.
        raise PermissionDenied
    return organisation


def index(request: HttpRequest) -> HttpResponse:
    depends_on(request, PAGE_GROUP)
    organisations = Organisation.objects.filter(hidden=False).prefetch_related("topics")
    kind = request.GET.get("type", "")
    country = request.GET.get("country", "").upper()[:2]
    topic = request.GET.get("topic", "")[:80]
    verified = request.GET.get("verified", "") == "1"
    filtered = False
    if kind in OrganisationType.values:
        organisations, filtered = organisations.filter(type=kind), True
    if country.isalpha() and len(country) == 2:
        organisations, filtered = organisations.filter(countries__contains=country), True
    if topic and get_concept(topic):
        organisations, filtered = organisations.filter(topics__slug=topic).distinct(), True
    if verified:
        organisations, filtered = organisations.filter(verification=Verification.VERIFIED), True
    page = None if filtered else _landing_page(request.GET.get("page", ""))
    if page is None:
        page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    language = get_language() or "en"
    cards = [_card(org, topic_labels(org), language) for org in page]
    query = request.GET.copy()
    query.pop("page", None)
    filters = {"type": kind, "country": country, "topic": topic, "verified": verified}
    return render(
        request,
        "organisations/index.html",
        {
            "page_obj": page,
            "cards": cards,
            "filter_form": _filter_form(filters, query.urlencode(), language),
            "filters": filters,
            "query": query.urlencode(),
        },
    )


def _landing_page(number: str) -> Page | None:
    """The page `number` of the unfiltered index; None past its end (the paginator then shows
    the last page, as for any other search)."""
    wanted = page_number(number)
    start = (wanted - 1) * PAGE_SIZE
    through = Organisation.topics.through.objects

    def page_of():
        listed = Organisation.objects.filter(hidden=False).annotate(
            topic_ids=ArraySubquery(
                through.filter(organisation_id=OuterRef("pk")).values("topic_id")
            ),
        )
        return with_total(listed)[start : start + PAGE_SIZE]

    rows = _compiled.rows(("landing", start), page_of, [])
    return counted_page(rows, wanted, PAGE_SIZE)


def _member_list(request: HttpRequest, organisation: Organisation) -> list[dict]:
    # A moderator's password alone does not reveal members at risk: without the second factor
    # the session holds no moderator permission (`core.privilege`). Their own organisation's
    # admins (a membership, not a privilege) already know who its members are.
    show_protected = permissions.can_see_protected_members(request.user, organisation)
    shown = []
    memberships = _compiled.rows(
        "members",
        lambda: (
            Membership.objects.filter(organisation_id=organisation.pk)
            .select_related("user", "user__profile")
            .order_by("-role", "joined_at")
        ),
        [organisation.pk],
    )
    for membership in memberships:
        user = membership.user
        profile = getattr(user, "profile", None)
        if not user.is_active:
            continue
        if profile is not None and profile.protected and not show_protected:
            continue
        shown.append(
            {
                "membership": membership,
                "name": display_name_for(profile, request.user)
                if profile
                else user.get_full_name(),
                "profile": profile,
                "protected": bool(profile and profile.protected),
            }
        )
    return shown


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Its member list shows members' names, which their profiles' protected mode hides.
    depends_on(request, PAGE_GROUP, MEMBERS)
    organisation = _visible_or_404(request, slug)
    user = request.user
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "topics": topic_labels(organisation),
            "members": _member_list(request, organisation),
            "is_admin": permissions.is_admin(user, organisation),
            "show_contact": permissions.can_see_contact(user, organisation),
        },
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = OrganisationForm(request.POST, request.FILES)
        refused = refuse(request, form, creating=True) if form.is_valid() else None
        if form.is_valid() and refused is None:
            organisation = save_organisation(form, creator=request.user)
            messages.success(request, _("The organisation has been created."))
            _say_if_held(request, organisation)
            return redirect("organisations:detail", organisation.slug)
        if refused != 429:
            messages.error(request, _("Nothing was saved: please correct the errors below."))
        return render(
            request,
            "organisations/form.html",
            {"form": form, "noindex": True},
            status=refused or 200,
        )
    form = OrganisationForm()
    return render(request, "organisations/form.html", {"form": form, "noindex": True})


def _say_if_held(request: HttpRequest, organisation: Organisation) -> None:
    if organisation.held:
        messages.info(
            request,
            _(
                "It is held for review: a moderator checks it before anyone else sees it. "
                "Nothing was lost, and you can keep editing it meanwhile."
            ),
        )


@login_required
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _admin_or_404(request, slug)
    if request.method == "POST":
        form = OrganisationForm(request.POST, request.FILES, instance=organisation)
        if form.is_valid() and refuse(request, form, creating=False) is None:
            was_verified = organisation.verification
            organisation = save_organisation(form, editor=request.user)
            messages.success(request, _("The organisation has been saved."))
            _say_if_held(request, organisation)
            if was_verified == Verification.VERIFIED and not organisation.is_verified:
                messages.warning(
                    request,
                    _(
                        "Its name or type changed, so a moderator will check its verification "
                        "again."
                    ),
                )
            return redirect("organisations:detail", organisation.slug)
        messages.error(request, _("Nothing was saved: please correct the errors below."))
        organisation.refresh_from_db()
    else:
        form = OrganisationForm(instance=organisation)
    return render(
        request,
        "organisations/form.html",
        {"form": form, "organisation": organisation, "noindex": True},
    )


@login_required
def members(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _admin_or_404(request, slug)
    invite_form = InviteForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "invite":
            invite_form = InviteForm(request.POST)
            if invite_form.is_valid():
                invite(organisation, invite_form.cleaned_data["email"], request.user)
                # The same sentence whether or not the address has an account.
                messages.success(
                    request,
                    _(
                        "If this address belongs to a member, they will find the invitation "
                        "in their e-mail and on their invitations page."
                    ),
                )
                return redirect("organisations:members", organisation.slug)
        elif action in ("remove", "role"):
            membership = get_object_or_404(
                Membership, pk=request.POST.get("membership", 0), organisation=organisation
            )
            try:
                if action == "remove":
                    remove_member(organisation, membership)
                    messages.success(request, _("The member has been removed."))
                else:
                    set_role(organisation, membership, request.POST.get("role", ""))
                    messages.success(request, _("The role has been changed."))
            except MembershipError as refused:
                messages.error(request, str(refused))
            return redirect("organisations:members", organisation.slug)
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": organisation,
            "memberships": organisation.memberships.select_related("user", "user__profile"),
            "roles": Role.choices,
            "invite_form": invite_form,
            "noindex": True,
        },
    )


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        invitation = get_object_or_404(
            Invitation, pk=request.POST.get("invitation", 0), user=request.user
        )
        if request.POST.get("action") == "accept":
            accept(invitation)
            messages.success(request, _("You have joined the organisation."))
            return redirect("organisations:detail", invitation.organisation.slug)
        invitation.delete()
        messages.success(request, _("The invitation has been declined."))
        return redirect("organisations:invitations")
    pending = Invitation.objects.filter(user=request.user).select_related("organisation")
    return render(
        request, "organisations/invitations.html", {"invitations": pending, "noindex": True}
    )


@login_required
def request_verification(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _admin_or_404(request, slug)
    if request.method == "POST" and organisation.verification not in (
        Verification.PENDING,
        Verification.VERIFIED,
    ):
        form = VerificationForm(request.POST, request.FILES)
        if form.is_valid():
            verification.request_verification(organisation, form, request.user)
            messages.success(request, _("Thank you: a moderator will check the evidence."))
            return redirect("organisations:detail", organisation.slug)
        messages.error(request, _("Nothing was saved: please correct the errors below."))
    else:
        form = VerificationForm()
    history = [
        {"request": item, "document_url": private_file_url(item.document) if item.document else ""}
        for item in organisation.verification_requests.order_by("-created_at")
    ]
    return render(
        request,
        "organisations/verify.html",
        {"organisation": organisation, "form": form, "history": history, "noindex": True},
    )


@privileged(VERIFY_PERMISSION)
def queue(request: HttpRequest) -> HttpResponse:
    pending = VerificationRequest.objects.filter(status=RequestStatus.PENDING).select_related(
        "organisation"
    )
    items = [
        {"request": item, "document_url": private_file_url(item.document) if item.document else ""}
        for item in pending
    ]
    return render(
        request,
        "organisations/queue.html",
        {"items": items, "form": DecisionForm(), "noindex": True},
    )


@require_POST
@privileged(VERIFY_PERMISSION)
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(VerificationRequest, pk=pk, status=RequestStatus.PENDING)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was decided: a rejection needs a reason."))
        return redirect("organisations:queue")
    if form.cleaned_data["decision"] == "approve":
        verification.approve(item, request.user)
        messages.success(request, _("%(name)s is verified.") % {"name": item.organisation.name})
    else:
        verification.reject(item, request.user, form.cleaned_data["reason"].strip())
        messages.success(
            request, _("The request of %(name)s was rejected.") % {"name": item.organisation.name}
        )
    return redirect("organisations:queue")


# --- Organisations held for review (core.trust), for community moderators ----------------------


@privileged(MODERATE_PERMISSION)
def held(request: HttpRequest) -> HttpResponse:
    """New members' organisations and word-list matches, waiting for a moderator's look."""
    waiting = Organisation.objects.filter(held=True).order_by("created_at", "pk")
    return render(request, "organisations/held.html", {"held": waiting, "noindex": True})


@require_POST
@privileged(MODERATE_PERMISSION)
def decide_held(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk, held=True)
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            approve_held(organisation, request.user)
            messages.success(request, _("%(name)s is now visible.") % {"name": organisation.name})
        elif decision == "hide":
            hide_held(organisation, request.user, request.POST.get("note", "")[:1000])
            messages.success(
                request,
                _("%(name)s stays hidden; its administrator may appeal once.")
                % {"name": organisation.name},
            )
        else:
            messages.error(request, _("Choose whether to approve or hide it."))
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("organisations:held")
