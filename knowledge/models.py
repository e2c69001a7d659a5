"""Page types of the foundation: the home page, the policy pages, and site-wide settings.

`BasePage` holds what every page shares (search description and sharing image come from
Wagtail; `noindex` hides a page from search engines), so each page type declares only its own.
"""

from __future__ import annotations

from django.db import models
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from core.page_cache import depends_on
from core.registries import page_panels


class BasePage(Page):
    noindex = models.BooleanField(
        _("hide from search engines"),
        default=False,
        help_text=_("Adds noindex so that search engines do not list this page."),
    )
    promote_panels = [*Page.promote_panels, FieldPanel("noindex")]

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        # Wagtail's access check reads these before serve(); keep that one result (a queryset
        # caches what it fetched) so serve() can reuse it instead of asking again.
        if not hasattr(self, "_view_restrictions"):
            self._view_restrictions = super().get_view_restrictions()
        return self._view_restrictions

    def serve(self, request, *args, **kwargs):
        # A page behind a view restriction (members only, password, groups) is private: never
        # indexed, never stored in a shared cache.
        self.is_private = bool(self.get_view_restrictions())
        # Its own content is emptied from the page cache by every publish (invalidate_pages);
        # pages that render community panels add those panels' groups.
        depends_on(request)
        response = super().serve(request, *args, **kwargs)
        if self.is_private:
            patch_cache_control(response, private=True, no_store=True)
        return response

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["noindex"] = self.noindex or getattr(self, "is_private", False)
        return context


class HomePage(BasePage):
    """The front page: an introduction now; later issues add the latest content below it."""

    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("tagline"), FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Later issues (latest resources, opportunities, threads) declare panels in core's
        # registry; the home page renders them in order without importing their apps.
        context["panels"] = render_panels(request, self, "home")
        return context


def render_panels(request, page: Page, page_type: str) -> list[str]:
    """The panels declared for `page_type`, in order; the cached page depends on their groups."""
    rendered = []
    for panel in sorted(page_panels, key=lambda p: p.order):
        if panel.page_type == page_type:
            depends_on(request, *panel.groups)  # before the panel reads its data
            rendered.append(panel.render(request, page))
    return rendered


class PolicyPage(BasePage):
    """Terms of use, privacy notice or code of conduct. Raising the version asks members again."""

    class Kind(models.TextChoices):
        TERMS = "terms", _("Terms of use")
        PRIVACY = "privacy", _("Privacy notice")
        CONDUCT = "conduct", _("Code of conduct")

    kind = models.CharField(_("policy"), max_length=16, choices=Kind.choices)
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        help_text=_("Raise it for a change members must accept again; keep it for a typo fix."),
    )
    body = RichTextField(_("text"))

    content_panels = [*Page.content_panels, FieldPanel("kind"), FieldPanel("version"),
                      FieldPanel("body")]  # fmt: skip
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["knowledge.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("policy page")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """What an installing organisation changes about its site without a developer."""

    contact_email = models.EmailField(_("contact email"), blank=True)
    organisation_name = models.CharField(
        _("operated by"), max_length=200, blank=True,
        help_text=_("The ministry, office or federation that runs this site."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("site settings")
