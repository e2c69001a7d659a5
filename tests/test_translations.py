"""Every catalogue is complete and its committed .mo matches its .po.

A fresh machine has no gettext tools, so the compiled catalogues are committed: this test is
what stops a new string from shipping untranslated, or a .po edit from never reaching readers.
"""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = (
    sorted(ROOT.glob("*/locale/*/LC_MESSAGES/django.po"))
    + sorted(ROOT.glob("community/*/locale/*/LC_MESSAGES/django.po"))
    + sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po"))
)


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (list) and flags."""
    entries, entry, field = [], None, None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, field = None, None
            continue
        entry = entry if entry is not None else {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, tuple):
                entry["msgstr"][field[1]] += value
            else:
                entry[field] += value
        else:
            keyword, _, value = line.partition(" ")
            value = ast.literal_eval(value)
            if keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if "[" in keyword else 0
                entry["msgstr"][index] = value
                field = ("msgstr", index)
            else:
                entry[keyword] = value
                field = keyword
    return entries


def test_there_are_catalogues_for_french_spanish_and_arabic_in_each_place():
    # <place>/locale/<lang>/LC_MESSAGES/django.po
    places = {(str(p.relative_to(ROOT).parents[3]), p.parts[-3]) for p in CATALOGUES}
    for folder in ("core", "knowledge", "community/members", "."):
        assert {(folder, lang) for lang in ("fr", "es", "ar")} <= places


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete_and_compiled(po):
    entries = [e for e in parse_po(po) if e["msgid"]]
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not untranslated, f"untranslated in {po}: {untranslated}"
    assert not fuzzy, f"fuzzy in {po}: {fuzzy}"

    with po.with_suffix(".mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    for entry in entries:
        key = entry["msgid"]
        if "msgctxt" in entry:
            key = f"{entry['msgctxt']}\x04{key}"
        if "msgid_plural" in entry:
            assert catalogue._catalog.get((key, 0)) == entry["msgstr"][0], f"stale .mo: {key}"
        else:
            assert catalogue._catalog.get(key) == entry["msgstr"][0], f"stale .mo for {key!r}"
