"""Django's LocaleMiddleware, except that it never redirects an API address.

On a 404 Django retries a path without a language prefix under the default language's prefix,
and Wagtail's catch-all accepts any such path: `/api/v1/resources/<unknown id>/` would become
a redirect to an HTML page. Under `/api/v1/` a 404 stays the problem details answer it is.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils.cache import patch_vary_headers

from .api import PUBLIC_API_PREFIX


class ApiAwareLocaleMiddleware(LocaleMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.path_info.startswith(PUBLIC_API_PREFIX):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
            return response
        return super().process_response(request, response)
