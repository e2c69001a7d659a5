"""Opportunities as a CSV or JSON Lines file, filtered like the listing.

`/<lang>/opportunities/export.csv` and `export.jsonl` take the listing's own parameters and run
them through the listing's own code: `OpportunityFilters` narrows `listing.listed()` (published,
approved or not needing review, not hidden: the same rows for every reader, signed in or not),
open ones by default and the closed ones with `status=closed`, exactly as the page shows them.
Where the listing quietly drops an unknown or malformed parameter and redirects, a download
answers 400 naming it: a partner's script should not receive the whole list when it asked for
a filter that does not exist.

Rows come from a server-side cursor (`.iterator(chunk_size=...)`, topics and skills as arrays
in the same query) and go out as they are written (`core.exports.download`): memory stays flat
on 100,000 rows (`bench/exports.py`). `COLUMNS` says what each column means; the page
`opportunities:export` shows it to readers and the README repeats it. Codes (`type`, `phase`,
`work_mode`) stay the same in every language; `type_label` is in the language of the address.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taggit.models import TaggedItem

from core.exports import (
    BadExportQuery,
    columns_response,
    export_links,
    export_response,
    text_paragraphs,
)

from .filters import OpportunityFilters
from .listing import listed
from .models import Opportunity, OpportunityType

CHUNK = 1000
PARAMETERS = ("type", "country", "topic", "skill", "language", "mode", "org", "within",
              "verified", "closing", "status")  # fmt: skip
# (column, meaning), in the order of the file.
COLUMNS = (
    ("id", gettext_lazy("The opportunity's number on this site.")),
    ("url", gettext_lazy("Its page on this site.")),
    ("title", gettext_lazy("Its title, as the poster wrote it.")),
    ("type", gettext_lazy("job, volunteering, funding, mentoring, investment or fellowship.")),
    ("type_label", gettext_lazy("The type in the language of the download's address.")),
    (
        "phase",
        gettext_lazy(
            "open, closing_soon (the deadline is less than seven days away) or closed, at the "
            "moment of the download."
        ),
    ),
    (
        "organisation",
        gettext_lazy(
            "The organisation that posted it; empty when a member posted it in their own name."
        ),
    ),
    ("organisation_verified", gettext_lazy("true when a moderator verified that organisation.")),
    ("organisation_url", gettext_lazy("The organisation's page on this site.")),
    (
        "countries",
        gettext_lazy(
            "ISO 3166-1 alpha-2 codes of the countries it concerns (a list: a JSON array, or "
            "separated by ; in CSV)."
        ),
    ),
    ("topics", gettext_lazy("Slugs of its topics in the site's taxonomy (a list).")),
    ("work_mode", gettext_lazy("remote, on_site or hybrid.")),
    ("skills", gettext_lazy("The skills it asks for (a list).")),
    ("languages", gettext_lazy("The languages it asks for, as the poster wrote them (a list).")),
    (
        "deadline",
        gettext_lazy("The deadline, ISO 8601, in the poster's time zone with its offset."),
    ),
    ("deadline_utc", gettext_lazy("The same moment in UTC.")),
    ("time_zone", gettext_lazy("The poster's time zone (IANA name).")),
    ("start_date", gettext_lazy("When it starts, YYYY-MM-DD, or empty.")),
    ("compensation", gettext_lazy("Pay or funding, as the poster wrote it.")),
    (
        "apply_method",
        gettext_lazy(
            "link (apply on the poster's site, at apply_url) or on_site (send an expression of "
            "interest on this site)."
        ),
    ),
    ("apply_url", gettext_lazy("Where to apply, when the poster gave an address.")),
    (
        "description",
        gettext_lazy("The description as plain text, paragraphs separated by a blank line."),
    ),
    ("published", gettext_lazy("When it became public (ISO 8601, UTC).")),
    ("updated", gettext_lazy("When it last changed (ISO 8601, UTC): compare it to sync.")),
)
# The parameters whose value the filters keep only when it is valid (the others are free text).
CHECKED = {"type": "type", "country": "country", "topic": "topic", "mode": "mode", "org": "org",
           "within": "within"}  # fmt: skip
FLAGS = {"verified": "1", "closing": "1", "status": "closed"}


def export_filters(request: HttpRequest) -> OpportunityFilters:
    """The listing's filters of this request, every given one checked (`page` is ignored, as
    a file has no pages; an empty value means "any", as in the listing's form)."""
    filters = OpportunityFilters.from_query(request.GET)
    problems = []
    for name, raws in request.GET.lists():
        given = [raw for raw in raws if raw.strip()]
        if name == "page":
            continue
        if name not in PARAMETERS:
            problems.append(_("“%(name)s” is not a filter of the listing") % {"name": name})
        elif len(given) > 1:
            problems.append(_("“%(name)s” is given more than once") % {"name": name})
        elif not given:
            continue
        elif name in FLAGS and given[0] != FLAGS[name]:
            problems.append(_("%(name)s can only be %(value)s")
                            % {"name": name, "value": FLAGS[name]})  # fmt: skip
        elif name in CHECKED and not getattr(filters, CHECKED[name]):
            problems.append(_("“%(value)s” is not a valid %(name)s")
                            % {"value": given[0], "name": name})  # fmt: skip
    if problems:
        raise BadExportQuery("; ".join(problems))
    return filters


def matching(filters: OpportunityFilters, now) -> QuerySet[Opportunity]:
    """What the listing shows for `filters`, in its order, with topics and skills as arrays."""
    through = Opportunity.topics.through
    topics = through.objects.filter(opportunity_id=OuterRef("pk")).order_by("topic__slug")
    skills = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Opportunity), object_id=OuterRef("pk")
    ).order_by("tag__name")
    return (
        filters.apply(listed(), now)
        .select_related("organisation")
        .annotate(
            topic_slugs=ArraySubquery(topics.values("topic__slug")),
            skill_names=ArraySubquery(skills.values("tag__name")),
        )
    )


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


class _Addresses:
    """Absolute addresses of opportunities and organisations, each URL pattern reversed once
    (reversing per row costs more than the rest of the row)."""

    def __init__(self, request: HttpRequest) -> None:
        detail = request.build_absolute_uri(reverse("opportunities:detail", args=[1]))
        self.opportunity = detail.removesuffix("1/")
        self.organisations: dict[str, str] = {}
        self.request = request

    def of(self, item: Opportunity) -> str:
        return f"{self.opportunity}{item.pk}/"

    def of_organisation(self, slug: str) -> str:
        if slug not in self.organisations:
            url = reverse("organisations:detail", args=[slug])
            self.organisations[slug] = self.request.build_absolute_uri(url)
        return self.organisations[slug]


def row(item: Opportunity, addresses: _Addresses, now) -> dict:
    organisation = item.organisation
    visible_organisation = organisation is not None and not organisation.hidden
    languages = item.languages if isinstance(item.languages, list) else []
    return {
        "id": item.pk,
        "url": addresses.of(item),
        "title": item.title,
        "type": item.type,
        "type_label": str(OpportunityType(item.type).label)
        if item.type in OpportunityType.values
        else item.type,
        "phase": item.phase(now),
        "organisation": organisation.name if organisation else "",
        "organisation_verified": bool(organisation and organisation.is_verified),
        "organisation_url": addresses.of_organisation(organisation.slug)
        if visible_organisation
        else "",
        "countries": [str(code) for code in item.countries],
        "topics": list(item.topic_slugs or []),
        "work_mode": item.work_mode,
        "skills": list(item.skill_names or []),
        "languages": [str(language) for language in languages],
        "deadline": _iso(item.local_deadline),
        "deadline_utc": _iso(item.deadline.astimezone(UTC)),
        "time_zone": item.time_zone,
        "start_date": _iso(item.start_date),
        "compensation": item.compensation,
        "apply_method": item.apply_method,
        "apply_url": item.apply_url,
        "description": "\n\n".join(text_paragraphs(item.description)),
        "published": _iso(item.public_since),
        "updated": _iso(item.updated_at),
    }


def rows(filters: OpportunityFilters, request: HttpRequest) -> Iterator[dict]:
    now = timezone.now()
    addresses = _Addresses(request)
    for item in matching(filters, now).iterator(chunk_size=CHUNK):
        yield row(item, addresses, now)


def export(request: HttpRequest, kind: str) -> HttpResponse:
    """`opportunities:export_csv` / `opportunities:export_jsonl`: the filtered listing."""
    return export_response(
        request, kind, "opportunities", COLUMNS, lambda: rows(export_filters(request), request)
    )


def export_csv(request: HttpRequest) -> HttpResponse:
    return export(request, "csv")


def export_jsonl(request: HttpRequest) -> HttpResponse:
    return export(request, "jsonl")


def columns_page(request: HttpRequest) -> HttpResponse:
    """`opportunities:export`: what each column of the download means."""
    filters = OpportunityFilters.from_query(request.GET)
    return columns_response(
        request,
        {
            "title": _("Download opportunities"),
            "intro": _(
                "The opportunities of the listing as a CSV or JSON Lines file, with the "
                "listing's filters: open ones unless you ask for the closed ones. Drafts, "
                "opportunities held for review and hidden ones are never in it."
            ),
            "columns": COLUMNS,
            "downloads": export_links("opportunities", filters.canonical_query()),
            "listing_url": reverse("opportunities:index"),
            "listing_label": _("Back to the opportunities"),
        },
    )
