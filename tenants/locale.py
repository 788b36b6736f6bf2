"""Language per request: the reporter's explicit choice, else the tenant's default.

Unlike Django's LocaleMiddleware this ignores Accept-Language: an Indonesian
portal opens in Bahasa Indonesia even on a phone set to English, and the
switch in the header changes it (stored in the language cookie).
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

SUPPORTED = {code for code, _ in settings.LANGUAGES}


class TenantLocaleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        tenant = getattr(request, "tenant", None)
        language = (
            chosen if chosen in SUPPORTED else (tenant.default_language if tenant else settings.LANGUAGE_CODE)
        )
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
