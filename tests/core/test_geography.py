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


def test_every_country_is_named_as_django_alone_would_however_often_it_is_listed(monkeypatch):
    """Countries with an older name (Russia, Palestine, the Bahamas) were named "" in English
    once django-countries had looked for their older name: the translation memo remembered the
    empty answer that lookup gets for a moment. Each cache starts empty here, and the names are
    those Django's own gettext, without the memo, gives."""
    import gettext

    from django_countries import countries

    from django.utils.translation import trans_real

    from core import geography

    def fresh_caches() -> None:
        monkeypatch.setattr(countries, "_iter_cache", {}, raising=False)
        monkeypatch.setattr(geography, "_choices", {})
        monkeypatch.setattr(geography, "_names", {})

    languages = ("en", "fr", "es", "ar")
    for language in languages:
        trans_real.translation(language).__dict__.pop("_remembered", None)
    listed = {}
    for language in languages:
        with translation.override(language):
            for _ in range(2):  # the second time from what the memo remembered
                fresh_caches()
                listed[language] = dict(country_choices())
                assert all(listed[language].values())
            assert country_name("RU") == listed[language]["RU"]
    with monkeypatch.context() as plain:
        plain.setattr(trans_real.DjangoTranslation, "gettext", gettext.GNUTranslations.gettext)
        for language in languages:
            with translation.override(language):
                fresh_caches()
                assert dict(country_choices()) == listed[language]
    assert listed["en"]["PS"] == "Palestine" and listed["en"]["MK"] == "North Macedonia"
