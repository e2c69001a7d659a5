"""Lists of names (topics, countries, skills...) are joined with the separator of the reader's
language (`core.templatetags.list_tags`): the Arabic comma "، " in Arabic, ", " in English,
French and Spanish, with each item escaped as Django's `join` escapes it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from django.template import Context, Template
from django.utils import translation

LIST = Template('{% load list_tags %}{{ items|join_list }}|{{ things|join_list:"name" }}')


def _render(language: str, items, things=()) -> str:
    with translation.override(language):
        return LIST.render(Context({"items": items, "things": list(things)}))


@pytest.mark.parametrize(
    "language,joined",
    [("ar", "صحة، شباب"), ("en", "صحة, شباب"), ("fr", "صحة, شباب"), ("es", "صحة, شباب")],
)
def test_each_language_joins_a_list_with_its_own_separator(language, joined):
    assert _render(language, ["صحة", "شباب"]).split("|")[0] == joined


def test_items_are_escaped_and_an_attribute_of_each_can_be_joined():
    things = [SimpleNamespace(name="Côte d'Ivoire"), SimpleNamespace(name="<b>Mali</b>")]
    items, names = _render("ar", ["<script>", "Youth"], things).split("|")
    assert items == "&lt;script&gt;، Youth"
    assert names == "Côte d&#x27;Ivoire، &lt;b&gt;Mali&lt;/b&gt;"


def test_no_template_joins_a_list_with_a_latin_comma():
    from tests.conftest import ROOT

    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("templates", *(str(p) for p in ROOT.glob("*/templates")))
        for path in (ROOT / folder).rglob("*.html")
        if 'join:", "' in path.read_text() or "forloop.last %}, {% endif %}" in path.read_text()
    ]
    assert offenders == []
