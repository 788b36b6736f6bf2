"""Django's own refusals, which no API view sees, in the APIs' one error shape.

A URL that matches no route, and a body over Django's upload limits
(``DATA_UPLOAD_MAX_MEMORY_SIZE``, ``DATA_UPLOAD_MAX_NUMBER_FIELDS``: a
``SuspiciousOperation`` raised while the body is read), are answered by the URL
conf's ``handler404`` and ``handler400``: under ``/api/`` as JSON ``{"detail": ...}``,
like every other API error (tenants.api_base), elsewhere with Django's pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

API_PREFIX = "/api/"
NOT_FOUND = "Tidak ditemukan. / Not found."
UNREADABLE = "Permintaan tidak dapat dibaca (terlalu besar atau terlalu banyak isian). / The request could not be read (too large, or too many fields)."


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": NOT_FOUND}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": UNREADABLE}, status=400)
    return defaults.bad_request(request, exception)
