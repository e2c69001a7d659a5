"""Views of the knowledge app outside Wagtail's page tree: the library's and the handbook's
named addresses."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from wagtail.views import serve

from .declarations import handbook_url, library_url
from .library import reader_language


def library_index(request: HttpRequest) -> HttpResponse:
    """The live library in the reader's language: served here when it lives at this very
    address (the usual `/<language>/library/`), else a redirect to wherever it lives."""
    url = library_url(request, reader_language())
    if url is None:
        raise Http404(_("The library has not been set up yet."))
    if url == request.path:
        prefix = f"/{reader_language()}/"
        return serve(request, request.path.removeprefix(prefix))
    return redirect(url)


def handbook_index(request: HttpRequest) -> HttpResponse:
    """The live handbook in the reader's language, as `library_index` does for the library."""
    url = handbook_url(request, reader_language())
    if url is None:
        raise Http404(_("The handbook has not been set up yet."))
    if url == request.path:
        prefix = f"/{reader_language()}/"
        return serve(request, request.path.removeprefix(prefix))
    return redirect(url)
