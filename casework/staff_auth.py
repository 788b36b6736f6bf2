"""Who counts as signed-in staff on a tenant's host.

A staff sign-in has two steps: the password (``/staff/login/``), then a TOTP
code from an authenticator app (``/staff/login/kode/``; a first sign-in sets the
app up at ``/staff/login/autentikator/``). Between the two the session knows
the account but opens nothing: staff pages use ``staff_verified_required`` (or
``staff_role_required``), staff API endpoints ``IsVerifiedStaff`` (the API's
default permission, and part of ``tenants.api_scope.role_required``).

``StaffSessionTimeoutMiddleware`` ends a staff session after 30 minutes without
a request and, however active, ``SESSION_COOKIE_AGE`` after signing in; the
cookie itself ends with the browser.
"""

from __future__ import annotations

import re
import time
from base64 import b32encode
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import quote, urlencode

import qrcode
import qrcode.constants
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, login, logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework import authentication, permissions
from rest_framework.request import Request

ViewFunction = Callable[..., HttpResponse]

# Session keys (Unix seconds).
SIGNED_IN_AT = "wbs_signed_in_at"
LAST_ACTIVITY = "wbs_last_activity"
# The unconfirmed authenticator shown on the setup page during this sign-in.
PENDING_DEVICE = "wbs_pending_totp_device"
# The last activity is rewritten at most this often (one session write per half minute).
ACTIVITY_RESOLUTION_SECONDS = 30


def is_verified(user: Any) -> bool:
    """Signed in with both factors in this session (django-otp's middleware decides)."""
    check = getattr(user, "is_verified", None)
    return bool(user is not None and user.is_authenticated and check is not None and check())


def second_factor_url(user: Any, next_url: str = "") -> str:
    """Where a password-only session goes next: the code, or setting up the app."""
    url = reverse("staff-otp-verify" if user_has_device(user) else "staff-otp-setup")
    if next_url and next_url != reverse("staff-home"):
        url += "?" + urlencode({"next": next_url})
    return url


def safe_next_url(request: HttpRequest) -> str:
    """The ``next`` parameter when it points back at this host, else the staff home."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("staff-home")


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


def staff_role_required(*roles: str) -> Callable[[ViewFunction], ViewFunction]:
    """A staff page for some roles only; other signed-in staff get 403."""

    def decorator(view: ViewFunction) -> ViewFunction:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not any(role in request.user.roles for role in roles):  # type: ignore[union-attr]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return staff_verified_required(checked)

    return decorator


class IsVerifiedStaff(permissions.BasePermission):
    """DRF: an active staff account of this tenant, signed in with both factors.

    A session counts only once its TOTP code is confirmed. Token authentication
    is a separate credential issued on purpose and is accepted as it is.
    """

    message = gettext_lazy("Masuk sebagai petugas dan konfirmasi kode autentikator terlebih dahulu.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if getattr(request, "tenant", None) is None:
            return False
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if isinstance(request.successful_authenticator, authentication.SessionAuthentication):
            return is_verified(user)
        return True


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
    """Signs staff out after 30 idle minutes or SESSION_COOKIE_AGE in all (tenant hosts only)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Only requests that carry a session cookie: the reporters' pages stay untouched.
        if (
            getattr(request, "tenant", None) is not None
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and SESSION_KEY in request.session
        ):
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
            if request.path.startswith("/staff/"):
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


# --- TOTP devices -------------------------------------------------------------------

CODE_PATTERN = re.compile(r"\d{6}")


def normalise_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "")


def verify_code(user: Any, code: str) -> TOTPDevice | None:
    """The confirmed device that accepts this code (each code works once), if any."""
    code = normalise_code(code)
    if not CODE_PATTERN.fullmatch(code):
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if isinstance(device, TOTPDevice) and device.verify_token(code):
                return device
    return None


def pending_device(request: HttpRequest) -> TOTPDevice:
    """The unconfirmed device shown during this sign-in.

    A fresh secret for every sign-in: a secret seen in an abandoned session
    (perhaps by someone who only knew the password) is never offered again.
    """
    user = request.user
    device_id = request.session.get(PENDING_DEVICE)
    device = TOTPDevice.objects.filter(pk=device_id, user_id=user.pk, confirmed=False).first()
    if device is None:
        with transaction.atomic():
            TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).delete()
            device = TOTPDevice.objects.create(user=user, name="Aplikasi autentikator", confirmed=False)
        request.session[PENDING_DEVICE] = device.pk
    return device


def base32_secret(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def otpauth_url(device: TOTPDevice, issuer: str, account: str) -> str:
    """The otpauth:// URI (Key URI Format) authenticator apps read from the QR code."""
    issuer = issuer.replace(":", "")
    params = urlencode(
        {
            "secret": base32_secret(device).replace(" ", ""),
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        }
    )
    return f"otpauth://totp/{quote(f'{issuer}:{account}')}?{params}&issuer={quote(issuer)}"


def qr_svg(data: str, title: str) -> SafeString:
    """A QR code as inline SVG markup (no script, no inline style: CSP allows it)."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
    )
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"', "<svg", svg)
    safe_title = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    svg = svg.replace("<svg ", '<svg class="qr" role="img" aria-labelledby="qr-title" ', 1)
    svg = svg.replace(">", f'><title id="qr-title">{safe_title}</title>', 1)
    return mark_safe(svg)  # noqa: S308 - generated by qrcode from our own data; the title is escaped
