"""What members write declares no language: the detector names it among the site's languages,
and leaves the caller's default where the text cannot tell."""

from __future__ import annotations

import pytest

from community.forums import posting
from search.analysis import detect_language
from tests.forums.conftest import forums, make_forum  # noqa: F401  (fixture)
from tests.organisations.conftest import world  # noqa: F401  (fixture)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Transferts de fonds : comment réduire le coût des envois vers le Sénégal ?", "fr"),
        ("Programa de mentoría para jóvenes emprendedores de la diáspora", "es"),
        ("Youth mentoring programme for diaspora entrepreneurs", "en"),
        ("التحويلات المالية وتكلفتها على الأسر", "ar"),
        ("Bourse d'études", "fr"),
        ("Doble nacionalidad", "es"),
    ],
)
def test_short_member_texts_get_their_language(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["", "   ", "2026 — 42 !", "Ghana Diaspora Affairs"])
def test_texts_that_cannot_tell_keep_the_default(text):
    """A proper name or a number alone is no evidence: the caller's default stands."""
    assert detect_language(text, default="fr") == "fr"


def test_only_site_languages_are_named():
    """Portuguese or Italian text is named as the nearest site language or the default, never a
    language the site cannot show or search in."""
    assert detect_language("Programa de mentoria para jovens empreendedores") in {"es", "en"}
    assert detect_language("Il programma per i giovani della diaspora italiana") in {
        "es", "fr", "en",
    }  # fmt: skip


@pytest.mark.django_db
def test_a_thread_without_a_language_is_labelled_with_the_detected_one(forums):  # noqa: F811
    thread = posting.start_thread(
        make_forum("detection-forum"),
        forums["users"]["member"],
        "Double nationalité et droit de vote",
        "Quelqu'un sait-il comment voter depuis l'étranger pour les élections législatives ?",
    )
    assert thread.language == "fr"
