"""Wagtail content: the home page and policies now; library, handbook, countries, courses next."""
