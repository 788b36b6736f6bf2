"""Host names to tenants: zero queries on a warm worker, invalidated everywhere on change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants.models import Domain, Tenant
from tests.support.clients import client_for
from tests.support.other_process import eventually, in_another_process


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
    assert client_for(sukabumi).get("/").status_code == 200  # the host is warm in this process
    assert operator_client.post("/tenants/sukabumi/", {"status": "suspended"}).status_code == 302
    response = client_for(sukabumi).get("/")
    assert response.status_code == 503
    assert "sementara tidak tersedia" in response.content.decode()


MOVED_HOST = "wbs.sultengprov.go.id"
PORTAL_COLOURS = {"#0f5132": "sulteng", "#7a1f2b": "sukabumi"}


def portal_at(host: str) -> str | None:
    """Whose portal this process serves at ``host`` (told by the tenant's own colour)."""
    css = client_for(None).get("/branding.css", HTTP_HOST=host).content.decode()
    return next((slug for colour, slug in PORTAL_COLOURS.items() if colour in css), None)


def answered_from_memory(host: str) -> bool:
    with CaptureQueriesContext(connection) as queries:
        portal_at(host)
    return not any("tenants_domain" in query["sql"] for query in queries.captured_queries)


def move_host(host: str, to_slug: str) -> None:
    """(In another process.) The operator moves a custom domain to another tenant and commits."""
    domain = Domain.objects.get(domain=host)
    domain.tenant = Tenant.objects.get(schema_name=to_slug)
    domain.save(update_fields=["tenant"])


def test_a_domain_moved_in_another_process_reaches_this_one_through_redis(django_db_setup, django_db_blocker):
    """This process has the host warm; another process moves it to another tenant and
    commits. Nothing here is told of it but through Redis, and the host must follow."""
    with django_db_blocker.unblock():
        sulteng = Tenant.objects.get(schema_name="sulteng")
        # Written without the model's signals: nothing is announced by this process.
        Domain.objects.bulk_create([Domain(tenant=sulteng, domain=MOVED_HOST, is_primary=False)])
        try:
            assert portal_at(MOVED_HOST) == "sulteng"
            assert eventually(lambda: answered_from_memory(MOVED_HOST)), "the host never stayed warm"

            in_another_process(move_host, MOVED_HOST, "sukabumi")

            assert eventually(lambda: portal_at(MOVED_HOST) == "sukabumi"), (
                "this process still serves Sulteng at the moved host: it never heard the announcement"
            )
        finally:
            Domain.objects.filter(domain=MOVED_HOST).delete()
