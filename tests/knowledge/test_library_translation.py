"""Translating a resource with wagtail-localize: its text is offered segment by segment, its
facts (type, topics, countries, regions, date) follow the original."""

from __future__ import annotations

import uuid

import pytest

from wagtail.models import Locale
from wagtail_localize.models import StringSegment, TranslationSource

from knowledge.models import ResourcePage

from .conftest import make_resource

pytestmark = pytest.mark.django_db


def _items(values):
    return [{"type": "item", "value": value, "id": str(uuid.uuid4())} for value in values]


def test_every_text_is_a_segment_and_facts_stay_synchronised(libraries):
    body = [
        {"type": "paragraph", "value": "<p>Opening words</p>"},
        {"type": "key_figures",
         "value": {"figures": _items([{"figure": "4.2m", "label": "emigrants"}])}},
        {"type": "table", "value": {"caption": "Costs", "header_row": True,
                                    "rows": _items([{"cells": _items(["Corridor", "Cost"])}])}},
        {"type": "quote", "value": {"quote": "Trust first", "attribution": "A mayor"}},
    ]  # fmt: skip
    page = make_resource(
        libraries["en"], "Original", slug="original", topics=("youth",), countries=("SN",),
        regions=("west_central_africa",), body=body, publisher="Agency",
    )  # fmt: skip
    source, _created = TranslationSource.get_or_create_from_instance(page)
    texts = {segment.string.data for segment in StringSegment.objects.filter(source=source)}
    assert {"Original", "Opening words", "4.2m", "emigrants", "Costs", "Corridor", "Cost",
            "Trust first", "A mayor"} <= texts  # fmt: skip
    source.create_or_update_translation(
        Locale.objects.get(language_code="fr"), publish=True, fallback=True
    )
    french = ResourcePage.objects.get(
        translation_key=page.translation_key, locale__language_code="fr"
    )
    assert [t.slug for t in french.topics.all()] == ["youth"]
    assert [c.code for c in french.countries] == ["SN"]
    assert french.regions == ["west_central_africa"]
    assert french.resource_type == page.resource_type
    assert french.publication_date == page.publication_date
