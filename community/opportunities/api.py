"""`/api/v1/opportunities/`: published opportunities, open ones unless `?status=closed`.

What the public may see is the listing's own answer (`listing.listed()`: published, approved or
not needing review, not hidden; `permissions.can_view` for an anonymous reader on a single one),
and the filters are the listing's (`filters.OpportunityFilters.apply`), so a partner's feed
shows what the site's listing shows. Drafts, held and hidden opportunities, their posters,
applicants and CVs are never part of the open data.

The validator of a list also counts the opportunities that have passed a deadline (or entered
the window asked for) since: a page changes when one closes even if nobody wrote anything.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from rest_framework import serializers

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, Min, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from community.organisations.models import PAGE_GROUP as ORGANISATIONS
from community.organisations.models import Organisation, unshown_in_references
from core.api import (
    PUBLIC_VIEWER,
    ApiReadView,
    Ordering,
    PagingParams,
    known,
    ordering_field,
    public_or_404,
    read_operation,
)
from core.api_taxonomy import (
    CountryRefSerializer,
    TopicRefSerializer,
    country_param,
    country_ref,
    topic_param,
    topic_refs,
)
from core.memo import ProcessMemo

from . import permissions
from .filters import LANGUAGE_MAX, SKILL_MAX, WITHIN_DAYS, OpportunityFilters
from .listing import listed
from .models import CLOSING_SOON, PAGE_GROUP, ApplyMethod, Opportunity, OpportunityType, WorkMode

ORDERINGS = {
    "deadline": Ordering("deadline", (("deadline", False), ("pk", False))),
    "-deadline": Ordering("-deadline", (("deadline", True), ("pk", True))),
    "newest": Ordering("newest", (("published_key", True), ("pk", True))),
}


def _organisation_exists(slug: str) -> bool:
    return Organisation.objects.filter(slug=slug, hidden=False).exists()


class OpportunityParams(PagingParams):
    status = serializers.ChoiceField(
        choices=["open", "closed"], required=False, default="open",
        help_text="open (default): deadline still ahead; closed: deadline passed.",
    )  # fmt: skip
    type = serializers.ChoiceField(choices=OpportunityType.values, required=False)
    country = country_param()
    topic = topic_param()
    skill = serializers.CharField(required=False, max_length=SKILL_MAX)
    language = serializers.CharField(
        required=False, max_length=LANGUAGE_MAX, help_text="A language asked for, as written."
    )
    mode = serializers.ChoiceField(choices=WorkMode.values, required=False)
    org = serializers.CharField(
        required=False, max_length=80, validators=[known(_organisation_exists)],
        help_text="An organisation's slug.",
    )  # fmt: skip
    within = serializers.ChoiceField(
        choices=[str(days) for days in WITHIN_DAYS], required=False,
        help_text="Deadline within this many days.",
    )  # fmt: skip
    verified = serializers.BooleanField(
        required=False, default=False, help_text="Only from verified organisations."
    )
    closing = serializers.BooleanField(
        required=False, default=False, help_text="Only those closing within a week."
    )
    ordering = ordering_field(ORDERINGS, "deadline")


class OrganisationRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    verified = serializers.BooleanField()


class OpportunitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    type = serializers.ChoiceField(choices=OpportunityType.values)
    type_label = serializers.CharField()
    status = serializers.ChoiceField(choices=["open", "closed"])
    organisation = OrganisationRefSerializer(allow_null=True)
    description = serializers.CharField(help_text="Sanitised HTML.")
    countries = CountryRefSerializer(many=True)
    topics = TopicRefSerializer(many=True)
    work_mode = serializers.ChoiceField(choices=WorkMode.values)
    skills = serializers.ListField(child=serializers.CharField())
    languages = serializers.ListField(child=serializers.CharField())
    deadline = serializers.DateTimeField()
    time_zone = serializers.CharField()
    start_date = serializers.DateField(allow_null=True)
    compensation = serializers.CharField(allow_blank=True)
    apply_method = serializers.ChoiceField(choices=ApplyMethod.values)
    apply_url = serializers.CharField(allow_blank=True)
    published_at = serializers.DateTimeField(allow_null=True)
    url = serializers.URLField(help_text="Its page on this site.")


def public_opportunities():
    return (
        listed()
        .select_related("organisation")
        .defer(*unshown_in_references("organisation"))
        .annotate(published_key=Coalesce("public_since", "created_at"))
    )


_SENTINEL = 918273645546372819
# The list validator's deadline counts by the tokens they were counted under: (the counts, until
# when they hold). A day at most, the default when no deadline is ahead.
_deadline_counts: ProcessMemo[tuple[str, datetime]] = ProcessMemo(
    "opportunity list deadline counts", ttl=86400.0, max_entries=64
)


_TOPIC_IDS_SQL = """
    SELECT opportunity_id, topic_id FROM {opportunity_topic} WHERE opportunity_id = ANY(%s)
"""
# Each skill once per opportunity, in the order the tags were made (then sorted by name).
_SKILLS_SQL = """
    SELECT DISTINCT i.object_id, t.name, i.tag_id FROM {tagged} i JOIN {tag} t ON t.id = i.tag_id
    WHERE i.content_type_id = %s AND i.object_id = ANY(%s) ORDER BY i.tag_id
"""


def serialize_opportunities(items: list[Opportunity], request, language: str, now) -> list[dict]:
    """Opportunities as the API shows them: two more queries (their topics' ids and their
    skills' names) whatever their number, no model instance for either."""
    if not items:
        return []
    ids = [item.pk for item in items]
    topic_ids: dict[int, list[int]] = {}
    skills: dict[int, list[str]] = {}
    # Two fixed statements (nothing for the ORM to build and compile for each page).
    topics = Opportunity.topics.through
    tagged = Opportunity.skills.through
    tables = {
        "opportunity_topic": topics._meta.db_table,
        "tagged": tagged._meta.db_table,
        "tag": tagged._meta.get_field("tag").related_model._meta.db_table,
    }
    with connection.cursor() as cursor:
        cursor.execute(_TOPIC_IDS_SQL.format(**tables), [ids])
        for item_id, topic_id in cursor.fetchall():
            topic_ids.setdefault(item_id, []).append(topic_id)
        content_type = ContentType.objects.get_for_model(Opportunity)
        cursor.execute(_SKILLS_SQL.format(**tables), [content_type.pk, ids])
        for item_id, name, _tag_id in cursor.fetchall():
            skills.setdefault(item_id, []).append(name)
    # `get_type_display()` and the countries' descriptor, once per value instead of per item.
    type_labels = {
        value: str(label) for value, label in Opportunity._meta.get_field("type").flatchoices
    }
    codes: dict[str, str] = {}

    def code_of(code: str) -> str:
        if code not in codes:
            codes[code] = Opportunity.countries.country(code).code
        return codes[code]

    # Each page's address: the absolute address of one, reversed once, with the id replaced
    # (what `build_absolute_uri(reverse(...))` gives for each: an id is digits, never quoted).
    address = request.build_absolute_uri(reverse("opportunities:detail", args=[_SENTINEL]))
    return [
        opportunity_data(
            item,
            request,
            language,
            now,
            topic_ids=topic_ids.get(item.pk, []),
            skills=skills.get(item.pk, []),
            type_label=type_labels.get(item.type, item.type),
            country_codes=[code_of(code) for code in item.__dict__["countries"] or []],
            url=address.replace(str(_SENTINEL), str(item.pk), 1),
        )
        for item in items
    ]


def opportunity_data(
    item: Opportunity,
    request,
    language: str,
    now,
    *,
    topic_ids: list[int],
    skills: list[str],
    type_label: str,
    country_codes: list[str],
    url: str,
) -> dict:
    organisation = item.organisation
    return {
        "id": item.pk,
        "title": item.title,
        "type": item.type,
        "type_label": type_label,
        "status": "closed" if item.deadline <= now else "open",
        "organisation": {
            "slug": organisation.slug,
            "name": organisation.name,
            "verified": organisation.is_verified,
        }
        if organisation is not None and not organisation.hidden
        else None,
        "description": item.description,
        "countries": [country_ref(code) for code in country_codes],
        "topics": topic_refs(topic_ids, language),
        "work_mode": item.work_mode,
        "skills": sorted(skills, key=str.casefold),
        "languages": [str(value) for value in item.languages or [] if isinstance(value, str)],
        "deadline": item.deadline.isoformat(),
        "time_zone": item.time_zone,
        "start_date": item.start_date.isoformat() if item.start_date else None,
        "compensation": item.compensation,
        "apply_method": item.apply_method,
        "apply_url": item.apply_url if item.apply_method == ApplyMethod.LINK else "",
        "published_at": item.public_since.isoformat() if item.public_since else None,
        "url": url,
    }


def _count_deadlines(now) -> tuple[str, datetime]:
    """How many listed opportunities are past each moment a search decides by, and the first
    moment one of those counts changes (the next deadline past each offset)."""
    offsets = {"closed": timedelta(0), "soon": CLOSING_SOON}
    for days in WITHIN_DAYS:
        offsets[f"d{days}"] = timedelta(days=days)
    found = listed().aggregate(
        **{
            name: Count("pk", filter=Q(deadline__lte=now + offset))
            for name, offset in offsets.items()
        },
        **{
            f"next_{name}": Min("deadline", filter=Q(deadline__gt=now + offset))
            for name, offset in offsets.items()
        },
    )
    extra = ",".join(f"{name}={found[name]}" for name in sorted(offsets))
    moments = [
        found[f"next_{name}"] - offset
        for name, offset in offsets.items()
        if found[f"next_{name}"] is not None
    ]
    return extra, min(moments, default=now + timedelta(days=1))


@read_operation(
    "opportunities_list",
    "Opportunities: jobs, volunteering, funding, mentoring, investment",
    "opportunities",
    OpportunitySerializer,
    description="Open ones by default (`status=closed` for the others), filtered as the "
    "site's listing filters.",
)
class OpportunityList(ApiReadView):
    """Published opportunities, open ones unless `status=closed`."""

    params_class = OpportunityParams
    etag_groups = (PAGE_GROUP, ORGANISATIONS)

    def etag_extra(self, request) -> str:
        # How many listed opportunities have passed each moment that decides what a search
        # shows: a deadline passing changes the answer without any write. Those counts change
        # only with a write (the validator's tokens) or when a deadline passes one of those
        # moments: until then this process gives them again without a query.
        now = timezone.now()
        key = tuple(sorted((self.group_tokens or {}).items()))
        extra, until = _deadline_counts.get(key, lambda: _count_deadlines(now))
        if now >= until:
            _deadline_counts.forget(key)
            extra, until = _deadline_counts.get(key, lambda: _count_deadlines(now))
        return extra

    def build(self, request, params: dict, **kwargs) -> dict:
        now = timezone.now()
        filters = OpportunityFilters(
            type=params.get("type", ""),
            country=params.get("country", ""),
            topic=params.get("topic", ""),
            skill=" ".join(params.get("skill", "").split()),
            language=" ".join(params.get("language", "").split()),
            mode=params.get("mode", ""),
            org=params.get("org", ""),
            within=int(params.get("within") or 0),
            verified=bool(params.get("verified")),
            closing=bool(params.get("closing")),
            closed=params.get("status") == "closed",
        )
        found = filters.apply(public_opportunities(), now)
        default = "-deadline" if filters.closed else "deadline"
        page = self.page_of(request, found, ORDERINGS[params.get("ordering") or default])
        return self.page_response(
            request,
            page,
            lambda items: serialize_opportunities(
                [item for item in items if permissions.can_view(PUBLIC_VIEWER, item)],
                request,
                self.language,
                now,
            ),
        )


@read_operation(
    "opportunities_retrieve",
    "One opportunity (open or closed)",
    "opportunities",
    OpportunitySerializer,
    path=("id", int),
)
class OpportunityDetail(ApiReadView):
    """One published opportunity, open or closed."""

    etag_groups = (PAGE_GROUP, ORGANISATIONS)

    def etag_extra(self, request) -> str:
        # Open or closed depends on the clock: the minute is part of the validator.
        return str(int(timezone.now().timestamp() // 60))

    def build(self, request, params: dict, id: int = 0, **kwargs) -> dict:
        item = public_or_404(public_opportunities(), permissions.can_view, pk=id)
        return serialize_opportunities([item], request, self.language, timezone.now())[0]
