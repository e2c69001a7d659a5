"""Every catalogue is complete and its committed .mo matches its .po.

A fresh machine has no gettext tools, so the compiled catalogues are committed: this test is
what stops a new string from shipping untranslated, or a .po edit from never reaching readers.
"""

from __future__ import annotations

import ast
import gettext
import re
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


# --- Every string marked for translation has one -------------------------------------------------

# Where the project's own marked strings live (tests, the benches and migrations are not shown).
SOURCE_FOLDERS = ("core", "knowledge", "community", "search", "idiaspora")
_TRANSLATION_FUNCTIONS = {
    "gettext": ("msgid",), "gettext_lazy": ("msgid",), "gettext_noop": ("msgid",),
    "pgettext": ("context", "msgid"), "pgettext_lazy": ("context", "msgid"),
    "ngettext": ("msgid", "plural"), "ngettext_lazy": ("msgid", "plural"),
    "npgettext": ("context", "msgid", "plural"), "npgettext_lazy": ("context", "msgid", "plural"),
}  # fmt: skip
_TEMPLATIZED_CALL = re.compile(r"\b(n?p?gettext)\(")


def _marked(call: ast.Call, function: str) -> tuple[str | None, str] | None:
    """(context, msgid) of a call to one of Django's translation functions with literal text."""
    roles = _TRANSLATION_FUNCTIONS[function]
    values = dict(zip(roles, call.args, strict=False))
    if not all(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in values.values()):
        return None  # a variable: whoever marked its values is checked where they are
    if "msgid" not in values:
        return None
    context = values.get("context")
    return (context.value if context else None), values["msgid"].value


def _python_strings(path: Path) -> set[tuple[str | None, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # Local names of django.utils.translation's functions (`gettext_lazy as _`, ...).
    names = {
        alias.asname or alias.name: alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in _TRANSLATION_FUNCTIONS
    }
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            function = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if function in names or function in _TRANSLATION_FUNCTIONS:
                marked = _marked(node, names.get(function, function))
                if marked:
                    found.add(marked)
    return found


def _template_strings(path: Path) -> set[tuple[str | None, str]]:
    """What `makemessages` would extract: Django's own templatize, then its gettext calls."""
    from django.utils.translation.template import templatize

    code = templatize(path.read_text(encoding="utf-8"), str(path))
    found = set()
    for match in _TEMPLATIZED_CALL.finditer(code):
        end = match.end()
        while (end := code.find(")", end)) >= 0:
            try:
                call = ast.parse(code[match.start() : end + 1], mode="eval").body
            except SyntaxError:
                end += 1
                continue
            marked = _marked(call, match.group(1))
            if marked:
                found.add(marked)
            break
    return found


def _marked_strings() -> dict[tuple[str | None, str], str]:
    """Every literal string the project marks for translation, with one place it is marked."""
    strings: dict[tuple[str | None, str], str] = {}
    for folder in SOURCE_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                for key in _python_strings(path):
                    strings.setdefault(key, str(path.relative_to(ROOT)))
    templates = sorted((ROOT / "templates").rglob("*")) + sorted(ROOT.glob("*/**/templates/**/*"))
    for path in templates:
        if path.suffix in (".html", ".txt") and ".venv" not in path.parts:
            for key in _template_strings(path):
                strings.setdefault(key, str(path.relative_to(ROOT)))
    return strings


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_every_marked_string_reaches_readers_translated(language):
    # A string marked in a template but never added to a catalogue passes the test above and
    # still shows in English: this asks the catalogues Django merges at run time for each one.
    from django.utils.translation import trans_real

    catalogue = trans_real.translation(language)._catalog
    strings = _marked_strings()
    assert len(strings) > 1000  # the extraction found the project's strings
    missing = sorted(
        f"{where}: {msgid!r}"
        for (context, msgid), where in strings.items()
        if msgid
        and (f"{context}\x04{msgid}" if context else msgid) not in catalogue
        and ((f"{context}\x04{msgid}" if context else msgid), 0) not in catalogue
    )
    assert not missing, f"{len(missing)} strings shown untranslated in {language}:\n" + "\n".join(
        missing
    )
