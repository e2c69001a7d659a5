"""Translations remembered per language and process (`core.translations`): the same answers as
the catalogs', each language its own, and never more than a bounded number of messages."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext, pgettext, trans_real

from core import translations


def test_each_language_answers_from_its_own_catalog_again_and_again():
    for _ in range(2):  # the second time from what was remembered
        with translation.override("fr"):
            assert gettext("Log in") == "Se connecter"
            assert gettext("No such message in any catalog") == "No such message in any catalog"
        with translation.override("ar"):
            assert gettext("Log in") != "Log in"
        with translation.override("en"):
            assert gettext("Log in") == "Log in"
    french = trans_real.translation("fr")
    assert french._remembered["Log in"] == "Se connecter"
    assert "Log in" in trans_real.translation("ar")._remembered


def test_contextual_messages_are_kept_apart_from_plain_ones():
    with translation.override("fr"):
        plain = gettext("May")
        assert pgettext("abbrev. month", "May") == "mai"
        assert gettext("May") == plain


def test_at_most_a_bounded_number_of_messages_is_remembered(monkeypatch):
    monkeypatch.setattr(translations, "MAX_REMEMBERED", 3)
    with translation.override("es"):
        spanish = trans_real.translation("es")
        spanish.__dict__.pop("_remembered", None)
        for n in range(10):
            assert gettext(f"Typed by someone {n}") == f"Typed by someone {n}"
        assert len(spanish._remembered) == 3
        spanish.__dict__.pop("_remembered", None)
