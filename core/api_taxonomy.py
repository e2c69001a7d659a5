"""`/api/v1/topics/` and `/api/v1/countries/`: the vocabularies every other endpoint filters by.

Topics are the multilingual taxonomy (`core.topics`): one concept per slug with its label in the
requested language and in every language it has. Countries are ISO 3166 codes named in the
requested language (`core.geography`). Both are small and served whole, not paged; their ETag is
a hash of the answer.
"""

from __future__ import annotations

from collections.abc import Callable

from rest_framework import serializers
from rest_framework.exceptions import NotFound

from .api import ApiReadView, not_known, read_operation
from .geography import country_choices
from .topics import TopicConcept, all_concepts, get_concept


def topic_ref(concept: TopicConcept, language: str) -> dict:
    """A topic as other endpoints show it: its slug and its label in `language`."""
    return {"slug": concept.slug, "label": concept.in_language(language).label}


def country_ref(code: str) -> dict:
    from .geography import country_name

    return {"code": code, "name": country_name(code)}


def validate_topic_slug(value: str) -> str:
    """A serializer validator: a slug of the taxonomy, else a 400 naming the value."""
    if get_concept(value) is None:
        raise not_known(value)
    return value


def validate_country_code(value: str) -> str:
    """A serializer validator: an ISO 3166-1 alpha-2 code in upper case."""
    from .geography import country_name

    if (
        not (len(value) == 2 and value.isalpha() and value.isupper())
        or country_name(value) == value
    ):
        raise not_known(value)
    return value


def country_param(help_text: str = "An ISO 3166-1 alpha-2 code, upper case.") -> serializers.Field:
    """An optional query parameter naming a country by its code (`validate_country_code`)."""
    return serializers.CharField(
        required=False, max_length=2, validators=[validate_country_code], help_text=help_text
    )


def topic_param(
    help_text: str = "A topic slug.", validator: Callable[[str], str] = validate_topic_slug
) -> serializers.Field:
    """An optional query parameter naming a topic by its slug (`validate_topic_slug`)."""
    return serializers.CharField(
        required=False, max_length=80, validators=[validator], help_text=help_text
    )


def topic_refs(topic_ids, language: str) -> list[dict]:
    """Each concept of these `Topic` row ids once, in `language`, sorted by label."""
    from .topics import concept_of

    concepts = {}
    for topic_id in topic_ids:
        concept = concept_of(topic_id)
        if concept is not None:
            concepts[concept.slug] = concept
    return sorted(
        (topic_ref(concept, language) for concept in concepts.values()),
        key=lambda topic: topic["label"].casefold(),
    )


class TopicRefSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="Stable identifier of the concept; filter by it.")
    label = serializers.CharField(help_text="Its name in the requested language.")


class CountryRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ISO 3166-1 alpha-2 code.")
    name = serializers.CharField(help_text="Its name in the requested language.")


class TopicSerializer(serializers.Serializer):
    slug = serializers.CharField()
    label = serializers.CharField(help_text="In the requested language (English if untranslated).")
    description = serializers.CharField(allow_blank=True)
    parent = serializers.CharField(allow_null=True, help_text="The broader topic's slug.")
    labels = serializers.DictField(
        child=serializers.CharField(), help_text="Its label in each language it has, by code."
    )


class TopicListSerializer(serializers.Serializer):
    results = TopicSerializer(many=True)


class CountryListSerializer(serializers.Serializer):
    results = CountryRefSerializer(many=True)


def topic_data(concept: TopicConcept, language: str) -> dict:
    shown = concept.in_language(language)
    return {
        "slug": concept.slug,
        "label": shown.label,
        "description": shown.description,
        "parent": concept.parent_slug,
        "labels": {code: label.label for code, label in sorted(concept.labels.items())},
    }


@read_operation(
    "topics_list",
    "Every topic of the taxonomy",
    "vocabularies",
    TopicListSerializer,
    description="The multilingual topic taxonomy, sorted by label in the requested language.",
)
class TopicList(ApiReadView):
    """Every concept of the topic taxonomy, labelled in the requested language."""

    def build(self, request, params: dict, **kwargs) -> dict:
        topics = [topic_data(concept, self.language) for concept in all_concepts()]
        return {"results": sorted(topics, key=lambda topic: topic["label"].casefold())}


@read_operation("topics_retrieve", "One topic", "vocabularies", TopicSerializer, path=("slug", str))
class TopicDetail(ApiReadView):
    """One concept of the taxonomy with its label in each language."""

    def build(self, request, params: dict, slug: str = "", **kwargs) -> dict:
        concept = get_concept(slug)
        if concept is None:
            raise NotFound
        return topic_data(concept, self.language)


@read_operation(
    "countries_list",
    "Every country code, named in the requested language",
    "vocabularies",
    CountryListSerializer,
)
class CountryList(ApiReadView):
    """ISO 3166 country codes with their names in the requested language."""

    def build(self, request, params: dict, **kwargs) -> dict:
        return {"results": [{"code": code, "name": name} for code, name in country_choices()]}
