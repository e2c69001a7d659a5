"""Views of the courses outside Wagtail's page tree: the named address of the courses index and
the certificate pages, which anyone with the code may open to verify a certificate.

A certificate page is never stored in a cache: its holder may withdraw their consent to show
their name at any time, and the next reader must see that at once.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from .course_progress import Certificate
from .courses import certificate_context
from .declarations import courses_url
from .library import reader_language
from .views import _serve_or_redirect


def courses_index(request: HttpRequest) -> HttpResponse:
    """The live courses index in the reader's language."""
    url = courses_url(request, reader_language())
    if url is None:
        raise Http404(_("No course has been published yet."))
    return _serve_or_redirect(request, url)


def certificate(request: HttpRequest, code: str, printable: bool = False) -> HttpResponse:
    """A certificate, found by its verification code (any case, spaces around it ignored)."""
    issued = (
        Certificate.objects.select_related("enrolment__member")
        .filter(code=code.strip().upper())
        .first()
    )
    if issued is None:
        raise Http404(_("No certificate has this verification code."))
    template = "knowledge/certificate_print.html" if printable else "knowledge/certificate.html"
    response = render(request, template, certificate_context(issued, request))
    patch_cache_control(response, private=True, no_cache=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    return response
