"""Who counts as signed-in staff on a tenant's host (and as a signed-in operator on the
base domain, which signs in the same way: ``SignInRoute`` names each side's pages).

A staff sign-in has two steps: the password (``/staff/login/``), then a TOTP
code from an authenticator app (``/staff/login/kode/``; a first sign-in sets the
app up at ``/staff/login/autentikator/``). Between the two the session knows
the account but opens nothing: staff pages use ``staff_verified_required`` (or
``staff_role_required``), staff API endpoints ``IsVerifiedStaff`` (the API's
default permission, and part of ``tenants.api_base.role_required``).

``StaffSessionTimeoutMiddleware`` ends a staff (or operator) session after 30 minutes
without a request and, however active, ``SESSION_COOKIE_AGE`` after signing in; the
cookie itself ends with the browser.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, login, logout
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
from rest_framework import authentication, permissions
from rest_framework.request import Request

from tenants.accounts.authenticator import PENDING_DEVICE
from tenants.accounts.permissions import Permission
from tenants.clock import tenant_zone
from tenants.errors import NotAllowed

ViewFunction = Callable[..., HttpResponse]

# Session keys (Unix seconds).
SIGNED_IN_AT = "wbs_signed_in_at"
LAST_ACTIVITY = "wbs_last_activity"
# The last activity is rewritten at most this often (one session write per half minute).
ACTIVITY_RESOLUTION_SECONDS = 30


@dataclass(frozen=True)
class SignInRoute:
    """The pages of one side's sign-in (URL and template names): staff on a tenant's
    host, operators on the base domain. ``setup`` is None where an authenticator is
    never set up on the web (operators are enrolled with ``wbs operator``)."""

    login: str
    code: str
    setup: str | None
    logout: str
    home: str
    code_template: str
    # Sign-ins are recorded in the tenant's audit trail (the public schema has none).
    audited: bool


STAFF_SIGN_IN = SignInRoute(
    login="staff-login",
    code="staff-otp-verify",
    setup="staff-otp-setup",
    logout="staff-logout",
    home="staff-home",
    code_template="accounts/otp_verify.html",
    audited=True,
)


def is_verified(user: Any) -> bool:
    """Signed in with both factors in this session (django-otp's middleware decides)."""
    check = getattr(user, "is_verified", None)
    return bool(user is not None and user.is_authenticated and check is not None and check())


def second_factor_url(user: Any, next_url: str = "", route: SignInRoute = STAFF_SIGN_IN) -> str:
    """Where a password-only session goes next: the code, or setting up the app."""
    url = reverse(route.code if user_has_device(user) or route.setup is None else route.setup)
    if next_url and next_url != reverse(route.home):
        url += "?" + urlencode({"next": next_url})
    return url


def safe_next_url(request: HttpRequest, route: SignInRoute = STAFF_SIGN_IN) -> str:
    """The ``next`` parameter when it points back at this host, else the home page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(route.home)


def verified_session_or_token(request: Request) -> bool:
    """DRF: an active account, signed in with both factors when it came by session.

    Token authentication is a separate credential issued on purpose and is accepted as it is.
    """
    user = request.user
    if not (user and user.is_authenticated and user.is_active):
        return False
    if isinstance(request.successful_authenticator, authentication.SessionAuthentication):
        return is_verified(user)
    return True


def staff_verified_required(view: ViewFunction) -> ViewFunction:
    """A staff page: tenant host, signed in, TOTP code confirmed in this session."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "tenant", None) is None:
            raise Http404("Not found on this host.")
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("staff-login"))
        if not is_verified(user):
            return redirect(second_factor_url(user, request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapper


def render_staff_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render a staff page with dates and times in the tenant's own time zone."""
    with timezone.override(tenant_zone()):
        return render(request, template, context, status=status)


def forbidden_page(request: HttpRequest, message: str) -> HttpResponse:
    """403 with the reason, in the staff pages' shell."""
    return render_staff_page(request, "staff/forbidden.html", {"message": message}, status=403)


def staff_permission_required(permission: Permission) -> Callable[[ViewFunction], ViewFunction]:
    """A staff page for the roles ``permission`` names (others get 403 with the reason); also
    a refusal the view's service raises becomes that 403. Never cached."""

    def decorator(view: ViewFunction) -> ViewFunction:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                permission.require(request.user)
                return view(request, *args, **kwargs)
            except NotAllowed as refused:
                return forbidden_page(request, str(refused))

        return never_cache(staff_verified_required(checked))

    return decorator


class IsVerifiedStaff(permissions.BasePermission):
    """DRF: an active staff account of this tenant, signed in with both factors.

    A session counts only once its TOTP code is confirmed. Token authentication
    is a separate credential issued on purpose and is accepted as it is.
    """

    message = gettext_lazy("Masuk sebagai petugas dan konfirmasi kode autentikator terlebih dahulu.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return getattr(request, "tenant", None) is not None and verified_session_or_token(request)


# --- Session lifetime ------------------------------------------------------------


def password_login(request: HttpRequest, user: Any, backend: str | None = None) -> None:
    """The password step is done: the session knows the account, not yet the code."""
    request.session.pop(DEVICE_ID_SESSION_KEY, None)  # an earlier code never carries over
    login(request, user, backend=backend)
    start_staff_session(request)


def start_staff_session(request: HttpRequest) -> None:
    """Call right after ``login()``: the absolute and idle clocks start now."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_ACTIVITY] = now
    request.session.pop(PENDING_DEVICE, None)


class StaffSessionTimeoutMiddleware:
    """Signs staff and operators out after 30 idle minutes or SESSION_COOKIE_AGE in all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Only requests that carry a signed-in session: the reporters' pages stay untouched.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and SESSION_KEY in request.session:
            self.enforce(request)
        return self.get_response(request)

    def enforce(self, request: HttpRequest) -> None:
        now = int(time.time())
        last = request.session.get(LAST_ACTIVITY)
        started = request.session.get(SIGNED_IN_AT)
        idle = isinstance(last, int | float) and now - last > settings.WBS_STAFF_IDLE_TIMEOUT_SECONDS
        too_old = isinstance(started, int | float) and now - started > settings.SESSION_COOKIE_AGE
        if idle or too_old:
            logout(request)
            if not request.path.startswith("/api/"):
                messages.info(
                    request,
                    _("Sesi Anda berakhir karena 30 menit tidak ada aktivitas. Silakan masuk lagi.")
                    if idle
                    else _("Sesi Anda sudah terlalu lama. Silakan masuk lagi."),
                )
            return
        if not isinstance(last, int | float) or now - last >= ACTIVITY_RESOLUTION_SECONDS:
            request.session[LAST_ACTIVITY] = now
        if not isinstance(started, int | float):
            request.session[SIGNED_IN_AT] = now
