"""The kernel imports no project package: arrows point down only (see ARCHITECTURE.md)."""

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
