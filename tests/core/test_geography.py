"""Countries and languages are named in the reader's language."""

from django.utils import translation

from core.geography import country_choices, country_name, language_choices


def test_countries_are_named_in_the_active_language():
    with translation.override("fr"):
        assert country_name("DE") == "Allemagne"
        assert ("SN", "Sénégal") in country_choices()
    with translation.override("es"):
        assert country_name("DE") == "Alemania"
    with translation.override("ar"):
        assert country_name("MA") != "Morocco"


def test_languages_include_those_diasporas_speak_and_are_translated():
    codes = dict(language_choices())
    assert {"so", "ti", "am", "wo", "ar", "fr"} <= codes.keys()
    with translation.override("fr"):
        assert dict(language_choices())["de"] == "Allemand"
    assert all(len(code) == 2 for code in codes)
