"""Host names to tenants: zero queries on a warm worker, invalidated everywhere on change."""

import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tenants.models import Domain
from tenants.routing import directory
from tests.support.clients import client_for


def test_a_warm_worker_resolves_the_tenant_without_a_query(sulteng):
    browser = client_for(sulteng)
    with CaptureQueriesContext(connection) as cold:
        assert browser.get("/branding.css").status_code == 200
    assert any("tenants_domain" in query["sql"] for query in cold.captured_queries)

    with CaptureQueriesContext(connection) as warm:
        response = browser.get("/branding.css")
    assert response.status_code == 200
    assert "#0f5132" in response.content.decode()  # sulteng's own colour
    assert warm.captured_queries == []


def test_the_same_tenant_again_does_not_repeat_set_search_path(sulteng, sukabumi):
    client_for(sukabumi).get("/")  # warm both hosts in the cache
    browser = client_for(sulteng)
    browser.get("/")  # and leave the connection on sulteng
    with CaptureQueriesContext(connection) as again:
        assert browser.get("/").status_code == 200
    statements = [query["sql"] for query in again.captured_queries]
    assert not any(sql.startswith("SET search_path") for sql in statements), statements

    # Switching to another (known) tenant does set it, once.
    with CaptureQueriesContext(connection) as other:
        assert client_for(sukabumi).get("/").status_code == 200
    assert sum(query["sql"].startswith("SET search_path") for query in other.captured_queries) == 1


def test_unknown_host_gets_a_plain_404_and_nothing_from_the_public_schema(sulteng):
    response = client_for(None).get("/", HTTP_HOST="nobody.localhost")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Portal tidak ditemukan" in page
    assert "sulteng" not in page.lower() and "Sulawesi" not in page
    assert client_for(None).get("/api/v1/operator/tenants", HTTP_HOST="nobody.localhost").status_code == 404


def test_the_base_domain_is_the_operator_console():
    response = client_for(None).get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.django_db(transaction=False)
def test_suspended_tenant_shows_a_notice_instead_of_its_portal(sukabumi, operator_client):
    assert operator_client.post("/tenants/sukabumi/", {"status": "suspended"}).status_code == 302
    directory.forget_all()  # the test's transaction never commits, so no announcement is sent
    response = client_for(sukabumi).get("/")
    assert response.status_code == 503
    assert "sementara tidak tersedia" in response.content.decode()


def test_a_domain_change_reaches_other_processes_through_redis(sulteng, django_capture_on_commit_callbacks):
    browser = client_for(sulteng)
    assert browser.get("/branding.css").status_code == 200  # warm
    directory.tenant_for_host("sulteng.localhost")
    generation = directory._generation

    # Another process commits a change: it publishes on the routing channel...
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        Domain.objects.create(tenant=sulteng, domain="wbs.sultengprov.go.id", is_primary=False)

    # ...and this process's listener thread hears it.
    deadline = time.monotonic() + 5
    while directory._generation <= generation + 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert directory._generation > generation + 1, "the listener never heard the announcement"
    assert client_for(None).get("/branding.css", HTTP_HOST="wbs.sultengprov.go.id").status_code == 200
