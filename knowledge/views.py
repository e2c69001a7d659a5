"""Views of the knowledge app outside Wagtail's page tree: the named addresses of the library,
the handbook and the country profiles, which Wagtail serves at whatever address their editors
gave them."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from wagtail.views import serve

from .declarations import countries_url, handbook_url, library_url
from .library import reader_language


def _serve_or_redirect(request: HttpRequest, url: str) -> HttpResponse:
    """Served here when the page lives at this very address (the usual one), else a redirect
    to wherever it lives."""
    if url == request.path:
        prefix = f"/{reader_language()}/"
        return serve(request, request.path.removeprefix(prefix))
    return redirect(url)


def library_index(request: HttpRequest) -> HttpResponse:
    """The live library in the reader's language."""
    url = library_url(request, reader_language())
    if url is None:
        raise Http404(_("The library has not been set up yet."))
    return _serve_or_redirect(request, url)


def handbook_index(request: HttpRequest) -> HttpResponse:
    """The live handbook in the reader's language."""
    url = handbook_url(request, reader_language())
    if url is None:
        raise Http404(_("The handbook has not been set up yet."))
    return _serve_or_redirect(request, url)


def countries_index(request: HttpRequest) -> HttpResponse:
    """The live country profiles in the reader's language."""
    url = countries_url(request, reader_language())
    if url is None:
        raise Http404(_("No country profile has been published yet."))
    return _serve_or_redirect(request, url)
