"""Arrows point down only (see ARCHITECTURE.md): the kernel imports no project package, and the
two apps beside each other, `community` and `knowledge`, never import one another (events link
library resources through Wagtail's own page model, knowledge reads members through
`core.registries`)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

FORBIDDEN = {"idiaspora", "knowledge", "community", "search"}


def _imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_module_in_core_imports_a_project_package():
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_packages(path) & FORBIDDEN)
        for path in sorted((ROOT / "core").rglob("*.py"))
        if _imported_packages(path) & FORBIDDEN
    }
    assert offenders == {}


def _offenders(package: str, forbidden: set[str]) -> dict[str, list[str]]:
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        crossing = _imported_packages(path) & forbidden
        if crossing:
            found[str(path.relative_to(ROOT))] = sorted(crossing)
    return found


def test_no_module_in_community_imports_knowledge():
    assert list((ROOT / "community").rglob("*.py"))
    assert _offenders("community", {"knowledge"}) == {}


def test_no_module_in_knowledge_imports_community():
    assert list((ROOT / "knowledge").rglob("*.py"))
    assert _offenders("knowledge", {"community"}) == {}
