"""The forums index: forums in the order editors gave them, each with its description, and the
topic or country a forum is about, named in the reader's language."""

from __future__ import annotations

import pytest

from core.topics import all_concepts
from tests.forums.conftest import make_forum

pytestmark = pytest.mark.django_db


def _translated_concept():
    """A topic of the seeded taxonomy with a label in each of the site's languages."""
    return next(c for c in all_concepts() if {"en", "fr", "es", "ar"} <= set(c.labels))


def test_forums_are_listed_in_their_configured_order_with_their_description(forums):
    make_forum("test-third", name="Aaa listed third", order=3, description="Third's words")
    make_forum("test-first", name="Zzz listed first", order=1, description="First's words")
    make_forum("test-second", name="Mmm listed second", order=2)
    page = forums["anonymous"].get("/en/forums/").content.decode()
    names = ["Zzz listed first", "Mmm listed second", "Aaa listed third"]
    assert sorted(names, key=page.index) == names
    # Each description sits in its own forum's row.
    first = page[page.index("Zzz listed first") : page.index("Mmm listed second")]
    third = page[page.index("Aaa listed third") :]
    assert "First&#x27;s words" in first and "Third&#x27;s words" not in first
    assert "Third&#x27;s words" in third.split("</tr>", 1)[0]


@pytest.mark.parametrize(
    "language, country, topic_prefix, country_prefix",
    [
        ("en", "Senegal", "Topic: ", "Country: "),
        ("fr", "Sénégal", "Thème : ", "Pays : "),
        ("es", "Senegal", "Tema: ", "País: "),
        ("ar", "السنغال", "الموضوع: ", "البلد: "),
    ],
)
def test_a_forum_about_a_topic_and_a_country_names_both_in_the_readers_language(
    forums, language, country, topic_prefix, country_prefix
):
    concept = _translated_concept()
    make_forum(
        "test-senegal-forum",
        name="Senegal diaspora",
        topic_id=concept.labels["en"].id,
        country="SN",
    )
    page = forums["anonymous"].get(f"/{language}/forums/").content.decode()
    row = page[page.index("Senegal diaspora") :].split("</tr>", 1)[0]
    label = concept.in_language(language).label
    assert f"<span>{topic_prefix}{label}</span>" in row
    assert f"<span>{country_prefix}{country}</span>" in row
    if language != "en":
        assert concept.labels["en"].label not in row  # the reader's label, not the English one


def test_renaming_a_topic_shows_on_the_next_anonymous_load_of_the_index(forums):
    from core.models import Topic

    concept = _translated_concept()
    make_forum("test-topic-forum", name="Topic forum", topic_id=concept.labels["en"].id)
    anonymous = forums["anonymous"]
    anonymous.get("/en/forums/")
    assert "Age" in anonymous.get("/en/forums/").headers  # served from the cache
    Topic.objects.filter(pk=concept.labels["en"].id).update(label="Renamed topic")
    Topic.objects.get(pk=concept.labels["en"].id).save()  # as an editor's save
    assert "<span>Topic: Renamed topic</span>" in anonymous.get("/en/forums/").content.decode()
