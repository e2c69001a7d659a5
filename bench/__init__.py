"""Benchmarks of the running platform: scripts that print figures, never tests that assert them.

They live outside `tests/` so pytest never collects them; `make bench` runs `bench/pages.py`.
"""
