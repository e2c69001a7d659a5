"""The site's URL map with one trivial view in front, the baseline every page is measured against.

The trivial view goes through the same middleware as a page (page cache, sessions, locale, CSP)
but renders nothing and reads no content, so a page's requests/s divided by its requests/s shows
what the page itself costs. The site's error handlers are re-exported so errors look the same.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from idiaspora import urls as site_urls


def trivial(request: HttpRequest) -> HttpResponse:
    """A tiny fixed answer: the cheapest response the middleware stack can give."""
    return HttpResponse("ok", content_type="text/plain")


handler400 = site_urls.handler400
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500

urlpatterns = [
    path("bench/trivial/", trivial, name="bench_trivial"),
    *site_urls.urlpatterns,
]
