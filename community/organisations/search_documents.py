"""What search indexes of organisations: every one not hidden by moderation (a hidden one is a
404 to all but its admins and moderators, so it is not found either).

It also provides the organisation audiences of each reader (`search.access.audience_providers`):
content only an organisation's members may read (its members-only forum) is indexed for
`organisation_audience(pk)`, and each member of it is in that audience."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from search.access import audience_providers
from search.analysis import detect_language
from search.documents import PUBLIC, Document, organisation_audience
from search.registry import SearchAdapter, register

from .models import Membership, Organisation


def member_audiences(user) -> list[str]:
    """The organisations the reader belongs to (any role), as search audiences."""
    ids = Membership.objects.filter(user_id=user.pk).values_list("organisation_id", flat=True)
    return [organisation_audience(pk) for pk in ids]


if member_audiences not in audience_providers:
    audience_providers.append(member_audiences)


@register
class OrganisationAdapter(SearchAdapter):
    doc_type = "organisation"
    model = Organisation
    label = _("Organisations")
    order = 40
    localised_urls = True

    def queryset(self):
        return Organisation.objects.prefetch_related("topics")

    def document(self, obj: Organisation) -> Document | None:
        if obj.hidden:
            return None
        with translation.override(settings.LANGUAGE_CODE):
            url = reverse("organisations:detail", args=[obj.slug])
        return Document(
            key=self.key(obj.pk),
            doc_type=self.doc_type,
            object_id=str(obj.pk),
            language=detect_language(f"{obj.name} {obj.description}"),
            title=obj.name,
            body=obj.description,
            url=url,
            audiences=[PUBLIC],
            countries=[str(code) for code in obj.countries],
            topics=[topic.slug for topic in obj.topics.all()],
            date=obj.created_at,
        )
