"""The listing's filters, parsed once: the listing page, saved searches and their alerts share it.

`OpportunityFilters.from_query(request.GET)` reads only the parameters it knows, validates and
normalises each (an unknown or malformed value is dropped, never an error), `.apply(qs, now)`
narrows a queryset of public opportunities, `.canonical_query()` writes the known parameters back
in one fixed order (the listing redirects any other spelling there, so the anonymous page cache
holds one entry per distinct search, and a saved search stores this string), and `.summary()`
says in words what the search is about ("Jobs in Morocco about Remittances").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta

from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from community.organisations.models import Organisation, Verification
from core.geography import country_name
from core.templatetags.list_tags import list_separator
from core.topics import get_concept

from .models import CLOSING_SOON, OpportunityType, WorkMode

# Deadline windows offered by the listing, in days; anything else is ignored.
WITHIN_DAYS = (7, 30, 90)
SKILL_MAX = 60
LANGUAGE_MAX = 40

# A saved search's title starts with what it looks for, named in the plural.
TYPE_PLURALS = {
    OpportunityType.JOB: pgettext_lazy("saved search", "Jobs"),
    OpportunityType.VOLUNTEERING: pgettext_lazy("saved search", "Volunteering"),
    OpportunityType.FUNDING: pgettext_lazy("saved search", "Funding calls"),
    OpportunityType.MENTORING: pgettext_lazy("saved search", "Mentoring"),
    OpportunityType.INVESTMENT: pgettext_lazy("saved search", "Investment"),
    OpportunityType.FELLOWSHIP: pgettext_lazy("saved search", "Fellowships and training"),
}
ALL_OPPORTUNITIES = gettext_lazy("All opportunities")


def _words(value: str, limit: int) -> str:
    """Printable text, whitespace collapsed, cut to `limit` characters: "  Data   analysis " is
    one skill, and a NUL (which PostgreSQL refuses in a string) is dropped."""
    printable = "".join(char for char in value if char.isprintable() or char.isspace())
    return " ".join(printable.split())[:limit]


@dataclass(frozen=True)
class OpportunityFilters:
    """One search of the listing. Field order is the canonical order of the query string."""

    type: str = ""
    country: str = ""
    topic: str = ""
    skill: str = ""
    language: str = ""
    mode: str = ""
    org: str = ""
    within: int = 0
    verified: bool = False
    closing: bool = False
    closed: bool = False

    @classmethod
    def from_query(cls, query: QueryDict) -> OpportunityFilters:
        """The known parameters of `query`, each kept only when valid."""
        kind = query.get("type", "")
        country = query.get("country", "").strip().upper()
        topic = query.get("topic", "")[:80]
        mode = query.get("mode", "")
        org = query.get("org", "")[:80]
        within = query.get("within", "")
        return cls(
            type=kind if kind in OpportunityType.values else "",
            country=country
            if len(country) == 2 and country.isascii() and country.isalpha()
            else "",
            topic=topic if topic and get_concept(topic) else "",
            skill=_words(query.get("skill", ""), SKILL_MAX),
            language=_words(query.get("language", ""), LANGUAGE_MAX),
            mode=mode if mode in WorkMode.values else "",
            org=org if org and Organisation.objects.filter(slug=org, hidden=False).exists() else "",
            within=int(within) if within in {str(days) for days in WITHIN_DAYS} else 0,
            verified=query.get("verified", "") == "1",
            closing=query.get("closing", "") == "1",
            closed=query.get("status", "") == "closed",
        )

    @classmethod
    def from_string(cls, query_string: str) -> OpportunityFilters:
        return cls.from_query(QueryDict(query_string))

    def is_empty(self) -> bool:
        return self == OpportunityFilters()

    def canonical_query(self) -> str:
        """The set filters as a query string, always in the same order, without empty ones."""
        query = QueryDict(mutable=True)
        for field in fields(self):
            value = getattr(self, field.name)
            if not value:
                continue
            if field.name == "closed":
                query["status"] = "closed"
            elif isinstance(value, bool):
                query[field.name] = "1"
            else:
                query[field.name] = str(value)
        return query.urlencode()

    def apply(self, found: QuerySet, now: datetime) -> QuerySet:
        """`found` narrowed to this search; open ones unless `closed`, then the latest first."""
        if self.closed:
            found = found.filter(deadline__lte=now).order_by("-deadline", "pk")
        else:
            found = found.filter(deadline__gt=now)
        if self.closing:
            found = found.filter(deadline__gt=now, deadline__lte=now + CLOSING_SOON)
        if self.within:
            found = found.filter(deadline__gt=now, deadline__lte=now + timedelta(days=self.within))
        if self.type:
            found = found.filter(type=self.type)
        if self.mode:
            found = found.filter(work_mode=self.mode)
        if self.country:
            # Codes are stored comma-separated; two letters never straddle a comma.
            found = found.filter(countries__contains=self.country)
        if self.topic:
            found = found.filter(topics__slug=self.topic).distinct()
        if self.skill:
            found = found.filter(skills__name__iexact=self.skill).distinct()
        if self.language:
            # Languages are the poster's free text ("French", "french "): compared folded.
            found = found.filter(
                RawSQL(
                    "EXISTS (SELECT 1 FROM jsonb_array_elements_text("
                    "CASE WHEN jsonb_typeof(opportunities_opportunity.languages) = 'array' "
                    "THEN opportunities_opportunity.languages ELSE '[]'::jsonb END) AS spoken "
                    "WHERE lower(btrim(spoken)) = lower(%s))",
                    [self.language],
                    output_field=BooleanField(),
                )
            )
        if self.org:
            found = found.filter(organisation__slug=self.org)
        if self.verified:
            found = found.filter(organisation__verification=Verification.VERIFIED)
        return found

    def summary(self) -> str:
        """The search in words, in the active language: "Jobs in Morocco about Remittances"."""
        words = [str(TYPE_PLURALS.get(self.type, ALL_OPPORTUNITIES))]
        if self.country:
            words.append(_("in %(country)s") % {"country": country_name(self.country)})
        if self.topic:
            concept = get_concept(self.topic)
            if concept is not None:
                label = concept.in_language(get_language() or "en").label
                words.append(_("about %(topic)s") % {"topic": label})
        if self.skill:
            words.append(_("needing %(skill)s") % {"skill": self.skill})
        if self.language:
            words.append(_("in the language %(language)s") % {"language": self.language})
        extras = []
        if self.mode:
            extras.append(str(WorkMode(self.mode).label).lower())
        if self.org:
            organisation = Organisation.objects.filter(slug=self.org).first()
            if organisation is not None:
                extras.append(_("from %(organisation)s") % {"organisation": organisation.name})
        if self.within:
            extras.append(_("closing within %(days)s days") % {"days": self.within})
        if self.closing:
            extras.append(_("closing soon"))
        if self.verified:
            extras.append(_("verified organisations only"))
        if self.closed:
            extras.append(_("closed"))
        return list_separator().join([" ".join(words), *extras])

    def context(self) -> dict:
        """What the filter form shows as chosen (the template's `filters`)."""
        return asdict(self)
