"""Page types: the home page, the policy pages, the resource library, and site-wide settings.

`BasePage` holds what every page shares (search description and sharing image come from
Wagtail; `noindex` hides a page from search engines), so each page type declares only its own.
The library (`LibraryPage` → `ResourcePage`) keeps its listing, facets and fallback routing in
`knowledge.library`, and the country profiles (`CountriesIndexPage` → `CountryPage`) theirs in
`knowledge.countries`, so that this module stays the schema.
"""

from __future__ import annotations

from django_countries.fields import CountryField

from django import forms
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core.page_cache import depends_on
from core.panel_cache import render_panels as render_kept_panels
from core.registries import page_panels

from .blocks import ResourceBodyBlock
from .forms import ResourcePageForm


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
            from .routing import view_restrictions

            self._view_restrictions = view_restrictions(self)
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
    """The front page: the site's introduction and mission, a search box, the latest resources,
    the handbook, featured country profiles, then the panels other apps declare."""

    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    mission = models.TextField(
        _("mission statement"),
        max_length=600,
        blank=True,
        help_text=_("Two or three sentences on why this site exists and whom it serves."),
    )

    content_panels = [*Page.content_panels, FieldPanel("tagline"), FieldPanel("intro"),
                      FieldPanel("mission")]  # fmt: skip
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("mission")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        from .routing import route_from_home

        # The pages along the path in one query instead of two per level (knowledge.routing).
        if not path_components:
            return super().route(request, path_components)
        return route_from_home(self, request, path_components)

    def get_context(self, request, *args, **kwargs):
        from .home import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context(request, self.locale_id))
        # Community apps (opportunities, organisations, later threads) declare panels in core's
        # registry; the home page renders them in order without importing their apps.
        context["panels"] = render_panels(request, self, "home")
        return context


def render_panels(request, page: Page, page_type: str) -> list[str]:
    """The panels declared for `page_type`, in order; the cached page depends on their groups.
    Those that say what they vary on are kept per process (`core.panel_cache`)."""
    panels = [panel for panel in sorted(page_panels, key=lambda p: p.order)
              if panel.page_type == page_type]  # fmt: skip
    return render_kept_panels(request, page, panels)


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


class ResourceType(models.TextChoices):
    TOOLKIT = "toolkit", _("Toolkit")
    CASE_STUDY = "case_study", _("Case study")
    POLICY = "policy", _("Policy")
    REPORT = "report", _("Report")
    TRAINING_MATERIAL = "training_material", _("Training material")
    DATASET = "dataset", _("Dataset")
    VIDEO = "video", _("Video")
    NEWS = "news", _("News")


class Region(models.TextChoices):
    """World regions as IOM's regional offices group them: a fixed list editors pick from (the
    country list alone cannot say that a resource is about "West and Central Africa")."""

    WEST_CENTRAL_AFRICA = "west_central_africa", _("West and Central Africa")
    EAST_HORN_AFRICA = "east_horn_africa", _("East and Horn of Africa")
    SOUTHERN_AFRICA = "southern_africa", _("Southern Africa")
    MIDDLE_EAST_NORTH_AFRICA = "middle_east_north_africa", _("Middle East and North Africa")
    ASIA_PACIFIC = "asia_pacific", _("Asia and the Pacific")
    EUROPE_CENTRAL_ASIA = "europe_central_asia", _("Europe and Central Asia")
    LATIN_AMERICA_CARIBBEAN = "latin_america_caribbean", _("Latin America and the Caribbean")
    NORTH_AMERICA = "north_america", _("North America")


def default_language_topics() -> dict:
    """Resources are tagged with a concept's row in the default language: the concept (its slug)
    is what filters match, and editors then see each concept once, not once per language."""
    return {"locale__language_code": settings.LANGUAGE_CODE}


class LibraryPage(BasePage):
    """The resource library of one language: lists every resource once, with facets."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["knowledge.HomePage"]
    subpage_types = ["knowledge.ResourcePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("library")

    # A live child of that slug is served as Wagtail would; only a missing one falls back.
    routes_children_by_slug = True

    def route(self, request, path_components):
        from .library import route_in_library

        return route_in_library(self, request, path_components, super().route)

    def serve(self, request, *args, **kwargs):
        from .library import mark_cacheability

        return mark_cacheability(request, super().serve(request, *args, **kwargs))

    def get_context(self, request, *args, **kwargs):
        from .library import listing_html

        context = super().get_context(request, *args, **kwargs)
        context["filters"], context["listing"] = listing_html(self, request)
        return context


class ResourceTag(TaggedItemBase):
    """Free tags of a resource (django-taggit through a modelcluster key, as Wagtail needs)."""

    content_object = ParentalKey(
        "knowledge.ResourcePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ResourcePage(BasePage):
    """One toolkit, case study, policy, report... in one language (its Wagtail locale)."""

    # The page shows its cover: read with the page when routed (knowledge.routing).
    route_select_related = ("cover_image",)

    summary = models.TextField(_("summary"), max_length=1000)
    body = StreamField(ResourceBodyBlock(), verbose_name=_("body"), blank=True)
    resource_type = models.CharField(
        _("type"), max_length=32, choices=ResourceType.choices, db_index=True
    )
    topics = ParentalManyToManyField(
        "core.Topic",
        verbose_name=_("topics"),
        blank=True,
        related_name="resources",
        limit_choices_to=default_language_topics,
    )
    countries = CountryField(_("countries"), multiple=True, blank=True)
    regions = ArrayField(
        models.CharField(max_length=32, choices=Region.choices),
        verbose_name=_("regions"),
        default=list,
        blank=True,
    )
    publication_date = models.DateField(_("publication date"), null=True, blank=True)
    publisher = models.CharField(
        _("publisher"),
        max_length=255,
        blank=True,
        help_text=_("The organisation that published or wrote it, as it writes its name."),
    )
    source_url = models.URLField(_("source address"), max_length=500, blank=True, db_index=True)
    # The publisher's own identifier, set by `import_resources`: a re-run finds the resource by
    # it (or by `source_url` when it is empty) and updates it instead of adding a copy.
    external_id = models.CharField(
        _("publisher's identifier"),
        max_length=255,
        blank=True,
        db_index=True,
        help_text=_("Set by bulk imports: the identifier the publisher gives this resource."),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = ClusterTaggableManager(through=ResourceTag, blank=True, verbose_name=_("tags"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("resource_type"),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("countries"),
                FieldPanel("regions"),
                FieldPanel("publication_date"),
                FieldPanel("publisher"),
                FieldPanel("source_url"),
                FieldPanel("external_id"),
                FieldPanel("tags"),
            ],
            heading=_("About this resource"),
        ),
        InlinePanel("attachments", label=_("Attached documents")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("publisher"),
        index.FilterField("resource_type"),
    ]
    # What a translator translates; the facts about the resource stay the original's.
    override_translatable_fields = [
        TranslatableField("summary"),
        TranslatableField("body"),
        SynchronizedField("resource_type"),
        SynchronizedField("topics"),
        SynchronizedField("countries"),
        SynchronizedField("regions"),
        SynchronizedField("publication_date"),
        SynchronizedField("publisher", overridable=True),
        SynchronizedField("source_url", overridable=True),
        SynchronizedField("external_id", overridable=True),
        SynchronizedField("cover_image", overridable=True),
    ]
    parent_page_types = ["knowledge.LibraryPage"]
    subpage_types: list[str] = []
    base_form_class = ResourcePageForm

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def serve(self, request, *args, **kwargs):
        from .library import mark_cacheability

        # A query string (tracking tags...) would store one more copy of the same page.
        return mark_cacheability(request, super().serve(request, *args, **kwargs))

    def get_context(self, request, *args, **kwargs):
        from .library import resource_context

        context = super().get_context(request, *args, **kwargs)
        context.update(resource_context(self, request, kwargs.get("reader_library")))
        return context


class ResourceAttachment(Orderable):
    """A document (PDF, spreadsheet...) offered for download beside the resource's text."""

    page = ParentalKey(ResourcePage, related_name="attachments", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    label = models.CharField(
        _("link text"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to use the document's title."),
    )

    panels = [FieldPanel("document"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        verbose_name = _("attached document")
        verbose_name_plural = _("attached documents")


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


# The handbook's page types, members' proposals of resources (knowledge.submissions) and the
# courses (knowledge.courses: their pages, then what members do in them) live in their own
# modules; Django finds models through this one.
from .course_models import CoursePage, CoursesIndexPage, LessonPage, ModulePage  # noqa: E402, F401
from .course_progress import Certificate, Enrolment, LessonCompletion, QuizResult  # noqa: E402, F401
from .handbook_models import ChapterCitation, ChapterPage, HandbookPage  # noqa: E402, F401
from .moderation_models import ModeratedResource  # noqa: E402, F401
from .submission_models import ResourceSubmission, SubmissionState  # noqa: E402, F401

# --- Country profiles ---------------------------------------------------------------------------


class CountriesIndexPage(BasePage):
    """The country profiles of one language, each country once, with what the site holds on it."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["knowledge.HomePage"]
    subpage_types = ["knowledge.CountryPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("country profiles")
        verbose_name_plural = _("country profiles")

    # A live child of that slug is served as Wagtail would; only a missing one falls back to
    # the profile of that slug in another language (as a library's resources do).
    routes_children_by_slug = True

    def route(self, request, path_components):
        from .library import route_in_library

        return route_in_library(self, request, path_components, super().route, model=CountryPage)

    def serve(self, request, *args, **kwargs):
        from .library import mark_cacheability

        # A query string (tracking tags...) would store one more copy of the same page.
        return mark_cacheability(request, super().serve(request, *args, **kwargs))

    def get_context(self, request, *args, **kwargs):
        from .countries import index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(index_context(self, request))
        return context


class CountryPage(BasePage):
    """One country's profile: the editors' text, then the library's resources about the country
    and the community panels declared for `page_type="country"` (keyed by its ISO code)."""

    country = CountryField(_("country"))
    intro = models.TextField(
        _("introduction"),
        max_length=600,
        blank=True,
        help_text=_("One or two sentences, also shown in the list of countries."),
    )
    body = StreamField(
        ResourceBodyBlock(),
        verbose_name=_("profile"),
        blank=True,
        help_text=_("Diaspora institutions, policies and contacts."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("country"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    override_translatable_fields = [
        SynchronizedField("country"),
        TranslatableField("intro"),
        TranslatableField("body"),
    ]
    parent_page_types = ["knowledge.CountriesIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("country profile")
        verbose_name_plural = _("country profiles")

    def clean(self) -> None:
        super().clean()
        # One profile per country in each language's tree: a second one would split what
        # readers find and make the index list the country twice.
        if self.country and self.locale_id:
            others = CountryPage.objects.filter(country=self.country, locale_id=self.locale_id)
            if self.pk:
                others = others.exclude(pk=self.pk)
            if others.exists():
                raise ValidationError(
                    {"country": _("This country already has a profile in this language.")}
                )

    def serve(self, request, *args, **kwargs):
        from .library import mark_cacheability

        return mark_cacheability(request, super().serve(request, *args, **kwargs))

    def get_context(self, request, *args, **kwargs):
        from .countries import country_context

        context = super().get_context(request, *args, **kwargs)
        # `reader_library`: the reader's own countries index, when this profile (in another
        # language) is served at its address for want of a translation.
        context.update(country_context(self, request, kwargs.get("reader_library")))
        return context


# The open-data API names this set of values once in its schema (SPECTACULAR_SETTINGS).
RESOURCE_TYPE_VALUES = ResourceType.values
