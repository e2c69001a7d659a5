"""Template tags for the site shell that read knowledge's data: who operates the site.

`base.html` shows the operator in every page's footer. Wagtail's `settings` context variable
would look the site and its settings up on every request (two queries on each signed-in page);
this tag reads them once per process and host (see `knowledge.declarations`).
"""

from __future__ import annotations

from django import template

from knowledge.declarations import site_operator_name

register = template.Library()


@register.simple_tag(takes_context=True)
def site_operator(context: template.Context) -> str:
    """The organisation that runs the site this request reached, or an empty string."""
    request = context.get("request")
    return site_operator_name(request) if request is not None else ""
