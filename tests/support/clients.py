"""Clients that talk to a tenant's host (or the operator's) the way a browser or an
integration does: anonymous, signed in as a staff member or operator (password, then
the authenticator's code), or with a staff member's API token."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context
from rest_framework.authtoken.models import Token

from tenants.accounts.models import User
from tenants.models import Tenant
from tenants.onboarding import primary_hostname
from wbs.demo.seed_tenants import DEMO_PASSWORD


def client_for(tenant: Tenant | None) -> Client:
    """A browser-like client talking to a tenant's host (or the operator's with None)."""
    host = primary_hostname(tenant.schema_name) if tenant else settings.WBS_BASE_DOMAIN
    return Client(HTTP_HOST=host)


def totp_code(device: TOTPDevice) -> str:
    """The code an authenticator app shows for this device right now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def authenticator_of(tenant: Tenant | None, email: str) -> TOTPDevice:
    """The staff member's (or, with None, the operator's) confirmed TOTP device (created if
    missing), ready to accept the current code."""
    with schema_context(tenant.schema_name if tenant else "public"):
        user = User.objects.get(email=email)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)
        # A code is accepted once per time step; let a second sign-in in the same step through.
        device.last_t = -1
        device.save(update_fields=["last_t"])
    return device


def staff_client(tenant: Tenant, email: str, password: str = DEMO_PASSWORD) -> Client:
    """A client fully signed in as this staff member: password, then TOTP code."""
    device = authenticator_of(tenant, email)
    client = client_for(tenant)
    response = client.post("/staff/login/", {"username": email, "password": password})
    assert response.status_code == 302, f"login of {email} on {tenant.schema_name} failed"
    assert response["Location"] == "/staff/login/kode/"
    verified = client.post("/staff/login/kode/", {"code": totp_code(device)})
    assert verified.status_code == 302 and verified["Location"] == "/staff/", f"TOTP of {email} failed"
    return client


def operator_client(email: str, password: str = DEMO_PASSWORD, address: str = "127.0.0.1") -> Client:
    """A client fully signed in to the operator console: password, then TOTP code."""
    device = authenticator_of(None, email)
    client = client_for(None)
    response = client.post("/login/", {"username": email, "password": password}, REMOTE_ADDR=address)
    assert response.status_code == 302 and response["Location"] == "/login/kode/", "operator login failed"
    verified = client.post("/login/kode/", {"code": totp_code(device)}, REMOTE_ADDR=address)
    assert verified.status_code == 302 and verified["Location"] == "/", "operator TOTP failed"
    return client


def wrong_code(device: TOTPDevice) -> str:
    """A code the device does not accept now (nor in the next time step)."""
    device.refresh_from_db()
    valid = {
        f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + shift):06d}"
        for shift in (-1, 0, 1)
    }
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def token_client(slug: str, email: str) -> Client:
    """A client using this staff member's API token (issued if missing) on their tenant's host."""
    with schema_context(slug):
        token, _ = Token.objects.get_or_create(user=User.objects.get(email=email))
    return Client(HTTP_HOST=primary_hostname(slug), HTTP_AUTHORIZATION=f"Token {token.key}")
