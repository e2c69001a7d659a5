"""Pages read with their total (`core.counted_pages`): the same page, count and page count as
Django's paginator, and nothing past the end."""

from __future__ import annotations

import pytest

from django.core.paginator import Paginator

from wagtail.models import Page

from core.counted_pages import counted_page, page_number, with_total

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("number", [1, 2, 3])
def test_a_counted_page_is_the_paginators_page(number):
    pages = Page.objects.order_by("pk")
    size = max(1, pages.count() // 2 - 1)
    start = (number - 1) * size
    counted = counted_page(list(with_total(pages)[start : start + size]), number, size)
    expected = Paginator(pages, size).get_page(number)
    assert [p.pk for p in counted] == [p.pk for p in expected]
    assert counted.paginator.count == expected.paginator.count
    assert counted.paginator.num_pages == expected.paginator.num_pages
    assert counted.has_next() == expected.has_next()


def test_past_the_end_is_left_to_the_paginator_and_bad_numbers_are_the_first_page():
    assert counted_page([], 9, 10) is None
    assert counted_page([], 1, 10).paginator.count == 0
    assert [page_number(value) for value in ("3", "0", "-2", "x", "")] == [3, 1, 1, 1, 1]
