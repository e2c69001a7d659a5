"""`{% extends %}` with each root template's blocks found once (`core.template_blocks`): pages
draw exactly as Django draws them, through any number of levels and with `block.super`."""

from __future__ import annotations

import pytest

from django.template import engines

ENGINE = engines["django"].engine


def _template(source: str):
    return ENGINE.from_string(source)


def test_three_levels_with_super_draw_the_same_every_time():
    root = _template(
        "<h1>{% block title %}Root{% endblock %}</h1>"
        "{% if show %}{% block body %}root body{% endblock %}{% endif %}<footer>{% block foot %}"
        "root foot{% endblock %}</footer>"
    )
    middle = _template("{% extends root %}{% block body %}middle [{{ block.super }}]{% endblock %}")
    leaf = _template(
        "{% extends middle %}{% block title %}Leaf{% endblock %}"
        "{% block body %}leaf [{{ block.super }}]{% endblock %}"
    )
    from django.template import Context

    for _ in range(3):
        drawn = leaf.render(Context({"root": root, "middle": middle, "show": True}))
        assert drawn == ("<h1>Leaf</h1>leaf [middle [root body]]<footer>root foot</footer>")
        assert root.__dict__["_root_blocks"].keys() == {"title", "body", "foot"}
    assert "_root_blocks" not in middle.__dict__ or middle.__dict__["_root_blocks"] is None
    hidden = leaf.render(Context({"root": root, "middle": middle, "show": False}))
    assert hidden == "<h1>Leaf</h1><footer>root foot</footer>"


@pytest.mark.django_db
def test_the_sites_pages_still_fill_the_base_templates_blocks(client):
    page = client.get("/en/accounts/login/").content.decode()
    assert "<title>" in page and 'id="main"' in page and "Log in" in page
