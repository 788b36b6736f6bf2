"""Suite-wide fixtures: a test database with the tenant template built and the
two seed tenants onboarded (committed, so servers and workers see them too)."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from intake import abuse
from tenants.accounts.models import User
from tenants.db import connection
from tenants.models import Tenant
from tenants.onboarding import primary_hostname
from tenants.routing import directory
from tenants.schema_template import refresh_template
from wbs.demo.seed_tenants import DEMO_OPERATOR_EMAIL, DEMO_PASSWORD, ensure_demo_operator, seed_demo_tenants


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment: None, django_db_blocker: Any) -> Iterator[None]:
    """The test database, always: tests of committed data (live servers, dumps) use it
    without a django_db mark, which pytest-django would otherwise not set it up for."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        databases = setup_databases(verbosity=0, interactive=False, aliases={"default"})  # type: ignore[arg-type]
        refresh_template()
        seed_demo_tenants()
        ensure_demo_operator()
    yield
    with django_db_blocker.unblock():
        # Connections opened elsewhere (Playwright's greenlets, server threads) would
        # keep the test database from being dropped.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        teardown_databases(databases, verbosity=0)


@pytest.fixture(autouse=True)
def clean_tenant_state() -> Iterator[None]:
    """Each test starts on the public schema with an empty host cache and abuse counters."""
    directory.forget_all()
    cache.clear()
    abuse.forget_reserved()
    yield
    directory.forget_all()
    connection.set_schema_to_public()


@pytest.fixture
def sulteng(db: None) -> Tenant:
    return Tenant.objects.get(schema_name="sulteng")


@pytest.fixture
def sukabumi(db: None) -> Tenant:
    return Tenant.objects.get(schema_name="sukabumi")


def client_for(tenant: Tenant | None) -> Client:
    """A browser-like client talking to a tenant's host (or the operator's with None)."""
    from django.conf import settings

    host = primary_hostname(tenant.schema_name) if tenant else settings.WBS_BASE_DOMAIN
    return Client(HTTP_HOST=host)


def totp_code(device: TOTPDevice) -> str:
    """The code an authenticator app shows for this device right now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def authenticator_of(tenant: Tenant, email: str) -> TOTPDevice:
    """The staff member's confirmed TOTP device (created if missing), ready to accept the current code."""
    with schema_context(tenant.schema_name):
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


@pytest.fixture
def operator_client(db: None) -> Client:
    client = client_for(None)
    response = client.post("/login/", {"username": DEMO_OPERATOR_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client
