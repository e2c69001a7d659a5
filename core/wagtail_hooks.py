"""Wagtail hooks of the kernel: what the page cache may keep, and where administrators find
the pages `core` serves them.

A shared cache (Varnish, a CDN) may keep a response only if `core.frontend_cache` can purge it:
the addresses of a live Wagtail page (its URL and the paths its type declares in
`get_cached_paths`). A search result, a form, a password prompt or a sub-route of a page are
none of these, so they are marked for no one.

The two-factor approvals page (`core.approvals`) lives on the site, behind the same guard as
every privileged page; the admin's Settings menu links to it for those who may use it.

Editors keep the topic taxonomy (`core.models.Topic`) as a translatable snippet: Wagtail's
locale switcher lists each language, wagtail-localize translates a topic, and the parent chooser
offers only main topics in the topic's own language, so the two-level rule is visible before
it is enforced.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.http import HttpRequest
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .approvals import APPROVE_PERMISSION
from .frontend_cache import is_configured
from .models import Topic


@hooks.register("on_serve_page")
def note_purgeable_paths(next_serve_page):
    def serve(page, request, args, kwargs):
        url = page.get_url(request) if is_configured() else None
        if url:
            base = urlsplit(url).path
            base = base if base.endswith("/") else f"{base}/"
            request.purgeable_paths = {base + path.lstrip("/") for path in page.get_cached_paths()}
        return next_serve_page(page, request, args, kwargs)

    return serve


class ApprovalsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(APPROVE_PERMISSION)


@hooks.register("register_settings_menu_item")
def register_approvals_menu_item() -> MenuItem:
    return ApprovalsMenuItem(
        _("Two-factor approvals"),
        reverse_lazy("totp_approvals"),
        name="two-factor-approvals",
        icon_name="key",
        order=610,
    )


class TopicForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "parent" in self.fields:
            # A short list of main topics beats a chooser that offers every topic in every
            # language, most of which the two-level rule would refuse.
            self.fields["parent"].widget = forms.Select()
            parents = Topic.objects.filter(parent__isnull=True)
            if self.instance.locale_id is not None:
                parents = parents.filter(locale_id=self.instance.locale_id)
            if self.instance.pk is not None:
                parents = parents.exclude(pk=self.instance.pk)
            self.fields["parent"].queryset = parents.order_by("label")


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["label", "parent", "slug"]
    search_fields = ["label", "synonyms", "description", "slug"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldPanel("label"),
            FieldPanel("slug"),
            FieldPanel("parent"),
            FieldPanel("description"),
            FieldPanel("synonyms"),
        ],
        base_form_class=TopicForm,
    )


register_snippet(TopicViewSet)
