"""The open-data API's two middleware: a locale middleware that never redirects an API
address, and the conditional GET's early 304.

`ApiAwareLocaleMiddleware`: on a 404 Django retries a path without a language prefix under the
default language's prefix, and Wagtail's catch-all accepts any such path:
`/api/v1/resources/<unknown id>/` would become a redirect to an HTML page. Under `/api/v1/` a
404 stays the problem details answer it is.

`ConditionalApiMiddleware`: under ASGI, Django runs the middleware from the first one that can
run asynchronously (django-csp's, Wagtail's redirects) onwards in the event loop, so a request
that reaches a view goes from the worker thread to the loop and back again, through four more
thread hops (each of those middleware's steps and the view). A client polling an unchanged list
is answered here, right after the page-cache fetch, as a page-cache hit is. The middleware
between the two (messages, framing, allauth's, the admin's and the policies' gates) have nothing
to do for an anonymous API read but cost a hundred Python calls each way (a 304 took 1,621 calls
below them, 1,521 here); the headers they and the skipped policy middleware would have added
(`X-Frame-Options`, the content security policy) are added here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers

from .api import PUBLIC_API_PREFIX, ApiReadView
from .middleware import add_settings_policy


class ApiAwareLocaleMiddleware(LocaleMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.path_info.startswith(PUBLIC_API_PREFIX):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
            return response
        return super().process_response(request, response)


class ConditionalApiMiddleware:
    """Answers an anonymous conditional GET to an unchanged read endpoint before the view layer
    (`ApiReadView.not_modified_early`); every other request goes on untouched. It stands right
    after the page-cache fetch, among the synchronous middleware: what the ones after it would
    add to a 304 (`X-Frame-Options`, the content security policy) it adds itself, so that the
    304 carries the headers the view's own 304 does."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self._framing = XFrameOptionsMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        meta = request.META
        if (
            request.method in ("GET", "HEAD")
            and request.path_info.startswith(PUBLIC_API_PREFIX)
            and ("HTTP_IF_NONE_MATCH" in meta or "HTTP_IF_MODIFIED_SINCE" in meta)
        ):
            answer = self._not_modified(request)
            if answer is not None:
                add_settings_policy(request, answer)
                return self._framing.process_response(request, answer)
        return self.get_response(request)

    @staticmethod
    def _not_modified(request: HttpRequest) -> HttpResponseBase | None:
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return None
        view_class = getattr(match.func, "view_class", None)
        if not (isinstance(view_class, type) and issubclass(view_class, ApiReadView)):
            return None
        initkwargs = getattr(match.func, "view_initkwargs", {})
        return view_class.not_modified_early(request, initkwargs, match.args, match.kwargs)
