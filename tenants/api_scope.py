"""The one choke point every tenant API endpoint goes through.

A tenant's data is reachable only while its schema is selected, which the
routing middleware does from the host name. Endpoints derive from
``TenantScopedAPIView``/``TenantScopedViewSet``: on a host without a tenant (the
operator's domain) they answer 404 before any query, and ``RoleRequired``
checks the staff member's roles within that tenant (on top of
``IsVerifiedStaff``: a session counts only once its TOTP code is confirmed).
"""

from typing import Any

from django.http import Http404
from rest_framework import permissions, viewsets
from rest_framework.request import Request
from rest_framework.views import APIView

from casework.staff_auth import IsVerifiedStaff


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


def role_required(*roles: str) -> type[permissions.BasePermission]:
    """Staff of this tenant, signed in with both factors, holding one of the roles."""

    class RoleRequired(IsVerifiedStaff):
        def has_permission(self, request: Request, view: Any) -> bool:
            if not super().has_permission(request, view):
                return False
            self.message = f"This needs one of these roles: {', '.join(roles)}."  # type: ignore[assignment]
            return any(role in getattr(request.user, "roles", ()) for role in roles)

    return RoleRequired
