"""The topic taxonomy: seeded in four languages, two levels, found by any word in any language,
kept by editors in the Wagtail admin."""

from __future__ import annotations

import importlib
import re

import pytest

from django.apps import apps
from django.core.exceptions import ValidationError

from wagtail.models import Locale

from core.models import Topic
from core.topics import (
    find_topic,
    get_concept,
    normalise_term,
    topic_tree,
    topics_for_language,
    topics_in_text,
)
from tests.factories import UserFactory, accept_current_policies, sign_in_with_second_factor

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "fr", "es", "ar")
ARABIC = re.compile("[\u0600-\u06ff]")


def test_every_database_has_twenty_and_more_concepts_in_four_languages_with_synonyms():
    slugs = set(Topic.objects.values_list("slug", flat=True))
    assert len(slugs) >= 20
    for slug in slugs:
        rows = {row.locale.language_code: row for row in Topic.objects.filter(slug=slug)}
        assert set(rows) == set(LANGUAGES), slug
        assert len({row.translation_key for row in rows.values()}) == 1, slug
        for language, row in rows.items():
            assert row.label and row.description, (slug, language)
            assert len(row.synonym_list) >= 3, (slug, language)
        assert ARABIC.search(rows["ar"].label), slug
        assert rows["fr"].label != rows["es"].label or slug == "health"


def test_the_seeded_taxonomy_has_two_levels_with_the_parents_translations():
    remittances = Topic.objects.get(slug="remittances", locale__language_code="fr")
    assert remittances.parent.slug == "finance-and-investment"
    assert remittances.parent.locale_id == remittances.locale_id
    assert not Topic.objects.filter(parent__parent__isnull=False).exists()


def test_no_word_of_the_taxonomy_names_two_concepts():
    owner: dict[str, str] = {}
    for row in Topic.objects.all():
        for term in [row.label, *row.synonym_list]:
            key = normalise_term(term)
            assert owner.setdefault(key, row.slug) == row.slug, (term, owner[key], row.slug)


def test_a_topic_cannot_go_under_a_topic_that_already_has_a_parent():
    en = Locale.objects.get(language_code="en")
    child = Topic.objects.get(slug="remittances", locale=en)
    grandchild = Topic(slug="hawala", label="Hawala", locale=en, parent=child)
    with pytest.raises(ValidationError) as refused:
        grandchild.full_clean()
    assert "two levels at most" in str(refused.value.message_dict["parent"])


def test_a_main_topic_with_topics_under_it_cannot_go_under_another():
    en = Locale.objects.get(language_code="en")
    finance = Topic.objects.get(slug="finance-and-investment", locale=en)
    finance.parent = Topic.objects.get(slug="skills-and-knowledge", locale=en)
    with pytest.raises(ValidationError) as refused:
        finance.full_clean()
    assert "cannot go under another" in str(refused.value.message_dict["parent"])


def test_a_new_concept_cannot_take_another_concepts_slug():
    fr = Locale.objects.get(language_code="fr")
    with pytest.raises(ValidationError) as refused:
        Topic(slug="remittances", label="Hawala", locale=fr).full_clean()
    assert "slug" in refused.value.message_dict


def test_a_french_synonym_finds_the_concept_whose_english_label_differs():
    concept = find_topic("envois de fonds")
    assert concept is not None and concept.slug == "remittances"
    assert concept.in_language("en").label == "Remittances"
    assert concept.in_language("ar").label == "التحويلات المالية"
    assert "remesas" in [normalise_term(term) for term in concept.all_terms()]


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("ENVOIS DE FONDS", "remittances"),
        ("reconnaissance des diplomes", "recognition-of-qualifications"),
        ("Educacion financiera", "financial-literacy"),
        ("transferts d’argent", "remittances"),
        ("women’s economic empowerment", "womens-entrepreneurship"),
        ("الإستثمار في الوطن", "diaspora-investment"),
        ("الْحَوَالَات", "remittances"),
    ],
)
def test_lookup_ignores_case_accents_punctuation_and_arabic_spelling_variants(typed, slug):
    concept = find_topic(typed)
    assert concept is not None and concept.slug == slug


def test_words_of_a_query_name_the_concepts_it_is_about_in_any_language():
    found = [concept.slug for concept in topics_in_text("Bonos de la diáspora y remesas en 2025")]
    assert found == ["diaspora-bonds", "remittances"]
    assert find_topic("hawala") is None


def test_each_concept_is_listed_once_in_the_readers_language_or_else_in_english():
    en = Locale.objects.get(language_code="en")
    Topic.objects.create(slug="hawala", label="Hawala", locale=en, synonyms="informal transfers")
    arabic = topics_for_language("ar")
    assert len(arabic) == len(set(Topic.objects.values_list("slug", flat=True)))
    by_slug = {label.slug: label for label in arabic}
    assert by_slug["youth"].label == "الشباب" and by_slug["youth"].language == "ar"
    assert by_slug["hawala"].label == "Hawala" and by_slug["hawala"].language == "en"
    assert by_slug["youth"].id == Topic.objects.get(slug="youth", locale__language_code="ar").pk


def test_the_tree_shows_main_topics_with_theirs_under_them_in_the_readers_language():
    tree = {branch.topic.slug: branch for branch in topic_tree("fr-ca")}
    finance = tree["finance-and-investment"]
    assert finance.topic.label == "Finance et investissement"
    assert "Transferts de fonds" in [child.label for child in finance.children]
    assert "remittances" not in tree
    assert tree["crisis-response"].children == []


def test_the_taxonomy_is_read_once_per_process_and_forgotten_when_an_editor_saves(
    django_assert_num_queries,
):
    topics_for_language("es")
    with django_assert_num_queries(0):
        topics_for_language("es")
        find_topic("remesas")
    row = Topic.objects.get(slug="remittances", locale__language_code="es")
    row.synonyms += "\nmandar plata"
    row.save()
    assert find_topic("Mandar plata").slug == "remittances"


def test_the_sorted_topic_list_is_kept_per_language_and_follows_a_renamed_topic():
    spanish = topics_for_language("es")
    assert topics_for_language("es") == spanish  # kept, not re-sorted
    topics_for_language("es").clear()  # a caller changing its copy changes no one else's
    assert topics_for_language("es") == spanish
    row = Topic.objects.get(slug="remittances", locale__language_code="es")
    row.label = "Aaa remesas"
    row.save()
    renamed = topics_for_language("es")
    assert renamed[0].slug == "remittances" and renamed[0].label == "Aaa remesas"
    english = topics_for_language("en")
    assert next(t for t in english if t.slug == "remittances").label != "Aaa remesas"


def test_a_translation_copied_from_the_original_sits_under_the_translated_parent():
    en = Locale.objects.get(language_code="en")
    fr = Locale.objects.get(language_code="fr")
    finance = Topic.objects.get(slug="finance-and-investment", locale=en)
    hawala = Topic.objects.create(slug="hawala", label="Hawala", locale=en, parent=finance)
    copy = hawala.copy_for_translation(fr)
    copy.label = "Hawala (fr)"
    copy.save()
    assert copy.parent == finance.get_translation(fr)


def test_a_new_slug_is_shared_by_every_translation_of_the_concept():
    row = Topic.objects.get(slug="youth", locale__language_code="en")
    row.slug = "young-people"
    row.save()
    assert set(
        Topic.objects.filter(translation_key=row.translation_key).values_list("slug", flat=True)
    ) == {"young-people"}
    assert get_concept("young-people").in_language("ar").label == "الشباب"


def test_seeding_again_restores_what_is_missing_and_keeps_what_editors_changed():
    seed = importlib.import_module("core.migrations.0005_seed_topic_taxonomy")
    edited = Topic.objects.get(slug="health", locale__language_code="fr")
    edited.label = "Santé et soins"
    edited.save()
    Topic.objects.filter(locale__language_code="es", parent__isnull=False).delete()
    Topic.objects.filter(locale__language_code="es").delete()
    count = Topic.objects.filter(locale__language_code="en").count()
    seed.seed_topics(apps, None)
    assert Topic.objects.filter(locale__language_code="es").count() == count
    assert Topic.objects.get(slug="health", locale__language_code="fr").label == "Santé et soins"
    remesas = Topic.objects.get(slug="remittances", locale__language_code="es")
    assert remesas.parent.label == "Finanzas e inversión"


@pytest.fixture
def editor(client):
    user = UserFactory(role="Editor")
    accept_current_policies(user)
    sign_in_with_second_factor(client, user)
    return user


def test_an_editor_finds_the_topics_in_the_admin_in_each_language(client, editor):
    french = Locale.objects.get(language_code="fr")
    page = client.get(f"/admin/snippets/core/topic/?locale={french.language_code}")
    assert page.status_code == 200
    listing = page.content.decode()
    assert "Associations de la diaspora" in listing and "Diaspora associations" not in listing
    found = client.get("/admin/snippets/core/topic/?locale=en&q=dual+nationality").content
    assert b"Dual citizenship and voting" in found


def test_an_editor_adds_a_topic_and_is_refused_a_third_level(client, editor):
    en = Locale.objects.get(language_code="en")
    finance = Topic.objects.get(slug="finance-and-investment", locale=en)
    remittances = Topic.objects.get(slug="remittances", locale=en)
    form = {
        "label": "Hawala",
        "slug": "hawala",
        "description": "",
        "synonyms": "informal value transfer",
    }
    refused = client.post(
        "/admin/snippets/core/topic/add/?locale=en", {**form, "parent": remittances.pk}
    )
    assert refused.status_code == 200
    assert not Topic.objects.filter(slug="hawala").exists()
    created = client.post(
        "/admin/snippets/core/topic/add/?locale=en", {**form, "parent": finance.pk}
    )
    assert created.status_code == 302
    assert Topic.objects.get(slug="hawala", locale=en).parent == finance
    assert find_topic("informal value transfer").slug == "hawala"


def test_wagtail_localize_translates_a_topic_under_its_translated_parent_with_the_same_slug():
    from wagtail_localize.models import Translation, TranslationSource

    en = Locale.objects.get(language_code="en")
    fr = Locale.objects.get(language_code="fr")
    finance = Topic.objects.get(slug="finance-and-investment", locale=en)
    hawala = Topic.objects.create(slug="hawala", label="Hawala", locale=en, parent=finance)
    source, _created = TranslationSource.get_or_create_from_instance(hawala)
    Translation.objects.create(source=source, target_locale=fr).save_target(publish=True)
    french = hawala.get_translation(fr)
    assert french.slug == "hawala"
    assert french.parent.label == "Finance et investissement"


def test_the_parent_chooser_offers_only_main_topics_in_the_topics_language(client, editor):
    youth = Topic.objects.get(slug="youth", locale__language_code="fr")
    page = client.get(f"/admin/snippets/core/topic/edit/{youth.pk}/").content.decode()
    chooser = page.split('name="parent"', 1)[1].split("</select>", 1)[0]
    assert "Inclusion et bien-être" in chooser and "Finance et investissement" in chooser
    assert "Finance and investment" not in chooser
    assert "Transferts de fonds" not in chooser
