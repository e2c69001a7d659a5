"""The knowledge app's routes: the multilingual sitemap (Wagtail serves the pages themselves)."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from .sitemaps import MultilingualSitemap

urlpatterns = [
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": MultilingualSitemap}}, name="sitemap"),
]
