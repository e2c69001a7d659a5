"""`manage.py evaluate_search <dataset>`: the same as `search_eval`, by data-set name."""

from .search_eval import Command as SearchEvalCommand


class Command(SearchEvalCommand):
    pass
