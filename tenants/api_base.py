"""What every API endpoint builds on: the tenant choke point, staff permissions and
one shape for errors.

A tenant's data is reachable only while its schema is selected, which the
routing middleware does from the host name. Endpoints derive from
``TenantScopedAPIView``/``TenantScopedViewSet``: on a host without a tenant (the
operator's domain) they answer 404 before any query. ``permission_required``
checks the staff member's roles within that tenant (on top of
``IsVerifiedStaff``: a session counts only once its TOTP code is confirmed).

Errors have one shape, ``{"detail": ..., "errors": {field: message}}``, and the
services' refusals (tenants.errors) become the same status on every endpoint:
InvalidInput 400, NotAllowed 403, ContentGone 410, TooManyAttempts 429.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from tenants.accounts.permissions import Permission
from tenants.accounts.staff_sessions import IsVerifiedStaff
from tenants.errors import ContentGone, InvalidInput, NotAllowed, TooManyAttempts

INVALID = "Permintaan belum dapat diproses. / The request has problems."
GONE = "Isi ini sudah dimusnahkan. / This content was destroyed."


def require_tenant(request: Request) -> None:
    if getattr(request, "tenant", None) is None:
        raise Http404("Not found on this host.")


class TenantScopedAPIView(APIView):
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        require_tenant(request)
        super().initial(request, *args, **kwargs)


class TenantScopedViewSet(viewsets.GenericViewSet):
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        require_tenant(request)
        super().initial(request, *args, **kwargs)


def permission_required(permission: Permission) -> type[permissions.BasePermission]:
    """Staff of this tenant, signed in with both factors, whose roles allow ``permission``."""

    class PermissionRequired(IsVerifiedStaff):
        def has_permission(self, request: Request, view: Any) -> bool:
            if not super().has_permission(request, view):
                return False
            self.message = str(NotAllowed(permission.name, permission.roles))  # type: ignore[assignment]
            return permission.allows(request.user)

    return PermissionRequired


def invalid_response(errors: dict[str, Any]) -> Response:
    return Response({"detail": INVALID, "errors": errors}, status=status.HTTP_400_BAD_REQUEST)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, knowing the services' refusals; every error answer has ``detail``."""
    if isinstance(exc, InvalidInput):
        return invalid_response(exc.errors)
    if isinstance(exc, TooManyAttempts):
        response = Response(
            {
                "detail": f"Terlalu banyak percobaan; coba lagi dalam {exc.retry_after} detik. / Too many attempts."
            },
            status=status.HTTP_429_TOO_MANY_REQUESTS,
        )
        response["Retry-After"] = str(exc.retry_after)
        return response
    if isinstance(exc, ContentGone):
        return Response({"detail": GONE}, status=status.HTTP_410_GONE)
    if isinstance(exc, NotAllowed):
        exc = exceptions.PermissionDenied(str(exc))
    handled = drf_exception_handler(exc, context)
    if handled is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        handled.data = {"detail": INVALID, "errors": flat_errors(exc.detail)}
    return handled


def flat_errors(detail: Any, prefix: str = "") -> dict[str, str]:
    """A serializer's nested errors as ``{"field": "message", "who.0.name": ...}``: the same
    shape as a service's InvalidInput, whichever of the two refused the input."""
    if isinstance(detail, dict):
        flat: dict[str, str] = {}
        for name, inner in detail.items():
            key = "body" if name == "non_field_errors" and not prefix else f"{prefix}{name}"
            flat.update(flat_errors(inner, f"{key}."))
        return flat
    if isinstance(detail, list) and detail and all(isinstance(item, (dict, list)) for item in detail):
        flat = {}
        for index, inner in enumerate(detail):
            flat.update(flat_errors(inner, f"{prefix}{index}."))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix.rstrip(".") or "body": " ".join(str(message) for message in messages)}


class NoStoreAPIResponses:
    """Every API answer (under /api/, on every host) is ``Cache-Control: no-store``: many
    carry decrypted content (a reporter's mailbox, a staff member's case), and marking all
    of them is simpler and safer than remembering which."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            add_never_cache_headers(response)
        return response
