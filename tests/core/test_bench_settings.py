"""The benchmark's settings keep every storage production has (they replace only static files)."""

from __future__ import annotations

import importlib


def test_the_bench_settings_keep_every_storage_of_the_base_settings():
    base = importlib.import_module("idiaspora.settings.base")
    bench = importlib.import_module("bench.settings")
    assert set(base.STORAGES) <= set(bench.STORAGES)
    assert bench.STORAGES["private"] == base.STORAGES["private"]
