"""The members pages: the directory, a profile, the member's own profile form, their dashboard
(`/me/`, built only from `core.registries.dashboard_panels`) and the set-up after sign-up.

Each view authorises through `visibility.py` and shows only what it returns. The directory and
a profile seen anonymously are the same for every anonymous reader, so the page cache may keep
them (`editing.save_profile` empties it); signed-in readers are never served from it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.compiled_queries import CompiledQueries
from core.counted_pages import counted_page, page_number, with_total
from core.geography import country_choices
from core.guards import privileged_access_response, second_factor_would_open
from core.memo import ProcessMemo
from core.page_cache import depends_on
from core.registries import dashboard_panels_for
from core.topics import get_concept, topics_for_language

from . import contact as contact_rules
from . import onboarding
from .editing import save_profile
from .forms import ProfileForm
from .models import (
    DEFAULT_VISIBILITY,
    PAGE_GROUP,
    Block,
    ContactLog,
    Profile,
    Sector,
    Visibility,
)
from .panels import field_label
from .visibility import (
    PROTECTED_PERMISSION,
    can_view_profile,
    directory_profiles,
    display_name_for,
    filter_by_visible,
    visible_fields,
    with_skill_names,
    with_topic_ids,
)

PAGE_SIZE = 24
# The filter's country options, rendered once per interface language: about 250 options twice
# per page cost more than the rest of the directory when drawn by the template engine.
_country_options_by_locale: dict[str, str] = {}
# Each directory card, rendered once per process for exactly what it shows (see `_card`): the
# cards drawn by the template engine cost more than the rest of the directory.
_cards: ProcessMemo[str] = ProcessMemo("directory cards", ttl=600.0, max_entries=2000)
# The filter form (two selects of every country, the sectors, the topics) is the same for every
# reader of a language with the same filters: drawn once for them, keyed on all of them.
_filter_forms: ProcessMemo[str] = ProcessMemo("directory filter forms", ttl=600.0, max_entries=500)


def _frozen(value: Any) -> Any:
    """`value` as a hashable memo key part: lists, tuples and dicts become nested tuples."""
    if isinstance(value, dict):
        return tuple(sorted((str(key), _frozen(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(_frozen(item) for item in value)
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


def _card(profile: Profile, fields: dict, language: str) -> SafeString:
    """The directory card for `profile` showing `fields` (what this reader may see).

    The key is the card's whole content (the fields it shows, the language of its labels and
    links), never the reader: two readers share a card only when it shows both the same thing,
    and a field made private, an edit or an erased profile is a different key, never a stale
    card.
    """
    # Every field the reader may see, whatever the template shows of it today: a field added to
    # the card later can never be served from a card rendered for a reader who may see more.
    key = (language, profile.pk, _frozen(fields))
    html = _cards.get(
        key,
        lambda: render_to_string("members/_card.html", {"profile": profile, "fields": fields}),
    )
    return mark_safe(html)  # noqa: S308 - rendered by the auto-escaping template above


def country_options(selected: str) -> str:
    """`<option>`s for every country, named in the reader's language, `selected` marked."""
    locale = get_language() or "en"
    options = _country_options_by_locale.get(locale)
    if options is None:
        options = _country_options_by_locale[locale] = format_html_join(
            "", '<option value="{}">{}</option>', country_choices()
        )
    if selected:
        options = options.replace(f'value="{selected}">', f'value="{selected}" selected>', 1)
    return mark_safe(options)  # noqa: S308 - built by format_html_join, codes are two letters


def _filter_form(filters: dict[str, str], query: str, language: str) -> SafeString:
    """The directory's filter form for these filters, from the memo when unchanged."""
    topics = topics_for_language()
    key = (
        language,
        tuple(sorted(filters.items())),
        query,
        tuple((topic.slug, topic.label) for topic in topics),
    )

    def draw() -> str:
        context = {
            "filters": filters,
            "query": query,
            "origin_options": country_options(filters["origin"]),
            "residence_options": country_options(filters["residence"]),
            "sectors": Sector.choices,
            "topics": topics,
        }
        return render_to_string("members/_filter_form.html", context)

    return mark_safe(_filter_forms.get(key, draw))  # noqa: S308 - auto-escaping template


def index(request: HttpRequest) -> HttpResponse:
    """The directory: opted-in, unprotected members, filtered only on fields the viewer sees."""
    viewer = request.user
    depends_on(request, PAGE_GROUP)
    profiles = directory_profiles(viewer)
    skill = " ".join(request.GET.get("skill", "").split())[:60]
    origin = request.GET.get("origin", "").upper()[:2]
    residence = request.GET.get("residence", "").upper()[:2]
    sector = request.GET.get("sector", "")
    sector = sector if sector in Sector.values else ""
    topic = request.GET.get("topic", "")[:80]
    topic = topic if get_concept(topic) else ""
    if skill:
        profiles = filter_by_visible(profiles, viewer, "skills", Q(skills__name__iexact=skill))
    if origin.isalpha() and len(origin) == 2:
        # Codes are stored comma-separated; two letters never straddle a comma.
        profiles = filter_by_visible(
            profiles, viewer, "countries_of_origin", Q(countries_of_origin__contains=origin)
        )
    if residence.isalpha() and len(residence) == 2:
        profiles = filter_by_visible(
            profiles, viewer, "country_of_residence", Q(country_of_residence=residence)
        )
    if sector:
        profiles = filter_by_visible(profiles, viewer, "sectors", Q(sectors__contains=[sector]))
    if topic:
        # Any language's row of the concept matches: they share the slug.
        profiles = filter_by_visible(profiles, viewer, "topics", Q(topics__slug=topic))
    if skill or topic:
        profiles = profiles.distinct()
    filtered = bool(skill or origin or residence or sector or topic)
    page = None if filtered else _landing_page(request.GET.get("page", ""))
    if page is None:
        page = Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page"))
        shown = with_topic_ids(with_skill_names(page))
    else:
        shown = list(page)  # their skills and topics were read with them
    language = get_language() or "en"
    cards = [_card(profile, visible_fields(profile, viewer), language) for profile in shown]
    query = request.GET.copy()
    query.pop("page", None)
    filters = {
        "skill": skill,
        "origin": origin,
        "residence": residence,
        "sector": sector,
        "topic": topic,
    }
    return render(
        request,
        "members/index.html",
        {
            "page_obj": page,
            "cards": cards,
            "filter_form": _filter_form(filters, query.urlencode(), language),
            "filters": filters,
            "query": query.urlencode(),
            # A list of people: never in a search engine, whatever each member chose.
            "noindex": True,
        },
    )


# The directory everyone lands on, unfiltered: a page of members with their skills, topics and
# the total in one query, its SQL compiled once per process (`core.compiled_queries`).
_compiled = CompiledQueries("members directory", max_entries=16)


def _landing_page(number: str) -> Page | None:
    """The page `number` of the unfiltered directory; None past its end (the paginator then
    shows the last page, as for any other search)."""
    from django.contrib.contenttypes.models import ContentType

    from taggit.models import TaggedItem

    wanted = page_number(number)
    start = (wanted - 1) * PAGE_SIZE
    profile_type = ContentType.objects.get_for_model(Profile).pk

    def page_of():
        skills = TaggedItem.objects.filter(content_type_id=profile_type, object_id=OuterRef("pk"))
        topics = Profile.topics.through.objects.filter(profile_id=OuterRef("pk"))
        listed = directory_profiles(None).annotate(
            skill_names=ArraySubquery(skills.values("tag__name")),
            topic_ids=ArraySubquery(topics.values("topic_id")),
        )
        return with_total(listed)[start : start + PAGE_SIZE]

    rows = _compiled.rows(("landing", start), page_of, [profile_type])
    return counted_page(rows, wanted, PAGE_SIZE)


def profile(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's profile; a 404 for anyone who may not see it (protected, deactivated)."""
    depends_on(request, PAGE_GROUP)
    found = Profile.objects.select_related("user").filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such member."))
    if not can_view_profile(request.user, found):
        # A moderator whose session has not given its second factor reads as a member
        # (`core.privilege`): asked for the code rather than told there is nobody.
        prompt = second_factor_would_open(request, lambda user: can_view_profile(user, found))
        if prompt is not None:
            return prompt
        raise Http404(_("No such member."))
    with_topic_ids(with_skill_names([found]))
    is_self = request.user.is_authenticated and request.user.pk == found.user_id
    if (found.protected or found.hidden_by_moderation) and not is_self:
        # A moderator opening a protected (or hidden) profile is privileged work: a second factor
        # first, so that a stolen moderator password alone does not reveal a member at risk.
        guard = privileged_access_response(request, PROTECTED_PERMISSION)
        if guard is not None:
            return guard
    return render(
        request,
        "members/profile.html",
        {
            "member": found,
            "fields": visible_fields(found, request.user),
            "is_self": is_self,
            "report_url": _report_url(request, found, is_self),
            "contact_url": (
                reverse("members:contact", args=[found.pk])
                if not is_self
                and not (found.protected or found.hidden_by_moderation)
                and contact_rules.can_be_contacted(found)
                else None
            ),
            "blocked": (
                request.user.is_authenticated
                and not is_self
                and Block.objects.filter(blocker=request.user, blocked_id=found.user_id).exists()
            ),
            # Profiles are about people: never in a search engine's index, whatever their fields.
            "noindex": True,
        },
    )


def _report_url(request: HttpRequest, found: Profile, is_self: bool) -> str | None:
    """Where a signed-in member reports this profile; None for its owner, anonymous readers, or
    when moderation is not installed."""
    if is_self or not request.user.is_authenticated:
        return None
    try:
        return reverse("moderation:report", args=["members.profile", found.pk])
    except NoReverseMatch:
        return None


@login_required
def edit(request: HttpRequest) -> HttpResponse:
    """The signed-in member's own profile: there is no id to change, so no one else's to edit."""
    own = Profile.for_user(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=own)
        if form.is_valid():
            saved = save_profile(form)
            messages.success(request, _("Your profile has been saved."))
            return redirect(reverse("members:profile", args=[saved.pk]))
        messages.error(request, _("Your profile was not saved: please correct the errors below."))
    else:
        form = ProfileForm(instance=own)
    return render(request, "members/edit.html", {"form": form, "member": own, "noindex": True})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """`/me/`: the panels apps declared in `core.registries.dashboard_panels`, and nothing else.

    Members' own panels are declared like any other app's (`panels.py`), so knowledge, forums
    and events add theirs without touching this view; a panel with nothing to show is left out.
    """
    return render(
        request,
        "members/dashboard.html",
        {"panels": dashboard_panels_for(request), "noindex": True},
    )


def _pending_profile(request: HttpRequest) -> Profile | None:
    found = Profile.objects.filter(user=request.user).first()
    return found if onboarding.is_pending(found) else None


@login_required
def onboarding_resume(request: HttpRequest) -> HttpResponse:
    """The set-up at the step the member reached; the dashboard once it is finished or skipped."""
    pending = _pending_profile(request)
    if pending is None:
        return redirect("members:dashboard")
    return redirect(
        onboarding.step_url(min(max(pending.onboarding_step, 1), onboarding.STEP_COUNT))
    )


@login_required
def onboarding_step(request: HttpRequest, number: int) -> HttpResponse:
    """One step of the set-up: the profile form's fields for it, saved as the full form saves."""
    current = onboarding.step(number)
    pending = _pending_profile(request)
    if pending is None:  # finished or skipped: never shown again
        return redirect("members:dashboard")
    if current is None:
        raise Http404(_("No such step."))
    if request.method == "POST":
        if "skip" in request.POST:
            onboarding.skip(pending)
            messages.info(
                request,
                _("You can complete your profile at any time: your dashboard shows what is left."),
            )
            return redirect("members:dashboard")
        form = onboarding.step_form(number, pending, request.POST)
        if form.is_valid():
            onboarding.remember_step_reached(form.instance, number)
            save_profile(form)
            if number >= onboarding.STEP_COUNT:
                messages.success(request, _("Your profile is set up. Welcome!"))
                return redirect("members:dashboard")
            return redirect(onboarding.step_url(number + 1))
        messages.error(request, _("This step was not saved: please correct the errors below."))
    else:
        form = onboarding.step_form(number, pending)
    return render(
        request,
        "members/onboarding.html",
        {
            "form": form,
            "step": current,
            "steps": onboarding.STEPS,
            "step_count": onboarding.STEP_COUNT,
            "previous_url": onboarding.step_url(number - 1) if number > 1 else None,
            "defaults": _default_audiences(),
            "noindex": True,
        },
    )


def _default_audiences() -> list[dict]:
    """Which fields start visible to whom, for the last step's explanation of the safe defaults."""
    return [
        {
            "label": label,
            "fields": [field_label(f) for f, value in DEFAULT_VISIBILITY.items() if value == key],
        }
        for key, label in Visibility.choices
    ]


def _visible_profile_or_404(request: HttpRequest, pk: int) -> Profile:
    """The profile if the page exists for this reader; a protected or hidden one does not leak."""
    found = Profile.objects.select_related("user").filter(pk=pk).first()
    # No second-factor prompt here, unlike the profile page: with the code, a moderator is
    # still refused these pages for a protected or hidden profile (below).
    if found is None or not can_view_profile(request.user, found):
        raise Http404(_("No such member."))
    is_self = request.user.pk == found.user_id
    if (found.protected or found.hidden_by_moderation) and not is_self:
        # Even a moderator who may open it does not write to a member at risk from here.
        raise Http404(_("No such member."))
    return found


@login_required
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    """Write to a member through the platform: the message goes by e-mail, no address is shown."""
    recipient = _visible_profile_or_404(request, pk)
    name = display_name_for(recipient, request.user)
    reason = contact_rules.refusal(request.user, recipient)
    form = None
    status = 200
    if reason is None:
        form = contact_rules.ContactForm(request.POST or None, recipient=recipient)
        if request.method == "POST" and form.is_valid():
            try:
                contact_rules.send(request, request.user, recipient, form.cleaned_data)
            except contact_rules.Refused as refused:
                messages.error(request, refused.message)
                status = 429
            else:
                messages.success(request, _("Your message has been sent."))
                return redirect(reverse("members:profile", args=[recipient.pk]))
        elif request.method == "POST":
            messages.error(
                request, _("Your message was not sent: please correct the errors below.")
            )
    else:
        status = 403
    return render(
        request,
        "members/contact.html",
        {"member": recipient, "name": name, "form": form, "reason": reason, "noindex": True},
        status=status,
    )


@login_required
def block(request: HttpRequest, pk: int) -> HttpResponse:
    """Block (or, with `unblock` posted, unblock) the member whose profile this is.

    A GET (the link in a contact e-mail) shows a confirmation; only a POST changes anything.
    """
    found = Profile.objects.select_related("user").filter(pk=pk).first()
    if found is None or found.user_id == request.user.pk:
        raise Http404(_("No such member."))
    blocked = Block.objects.filter(blocker=request.user, blocked_id=found.user_id).exists()
    # A protected or hidden member exists here only for whoever they wrote to (the link in the
    # e-mail) or already blocked: guessing ids must not reveal a name.
    if not (
        blocked
        or can_view_profile(request.user, found)
        or ContactLog.objects.filter(sender_id=found.user_id, recipient=request.user).exists()
    ):
        raise Http404(_("No such member."))
    name = display_name_for(found, request.user)
    if request.method == "POST":
        if "unblock" in request.POST:
            Block.objects.filter(blocker=request.user, blocked_id=found.user_id).delete()
            messages.success(request, _("You have unblocked this member."))
        else:
            Block.objects.get_or_create(blocker=request.user, blocked_id=found.user_id)
            messages.success(
                request, _("You have blocked this member: they can no longer write to you.")
            )
        if can_view_profile(request.user, found):
            return redirect(reverse("members:profile", args=[found.pk]))
        return redirect("members:dashboard")
    return render(
        request,
        "members/block.html",
        {"member": found, "name": name, "blocked": blocked, "noindex": True},
    )
