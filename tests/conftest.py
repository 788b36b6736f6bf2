"""Suite-wide fixtures: a test database with the tenant template built and the
two seed tenants onboarded (committed, so servers and workers see them too)."""

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from tenants.db import connection
from tenants.models import Tenant
from tenants.onboarding import primary_hostname
from tenants.routing import directory
from tenants.schema_template import refresh_template
from tenants.seed_tenants import DEMO_OPERATOR_EMAIL, DEMO_PASSWORD, ensure_demo_operator, seed_demo_tenants


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> None:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        refresh_template()
        seed_demo_tenants()
        ensure_demo_operator()


@pytest.fixture(autouse=True)
def clean_tenant_state() -> Iterator[None]:
    """Each test starts on the public schema with an empty host cache and abuse counters."""
    directory.forget_all()
    cache.clear()
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


def staff_client(tenant: Tenant, email: str, password: str = DEMO_PASSWORD) -> Client:
    client = client_for(tenant)
    response = client.post("/staff/login/", {"username": email, "password": password})
    assert response.status_code == 302, f"login of {email} on {tenant.schema_name} failed"
    return client


@pytest.fixture
def operator_client(db: None) -> Client:
    client = client_for(None)
    response = client.post("/login/", {"username": DEMO_OPERATOR_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client
