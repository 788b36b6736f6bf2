"""Two tenants with distinguishable data; every way across must fail."""

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django_tenants.utils import schema_context

from intake.models import Category
from tenants.db import connection
from tests.support.clients import client_for, staff_client


@pytest.fixture
def distinct_categories(sulteng, sukabumi):
    """Given one category that exists only in each tenant."""
    with schema_context("sulteng"):
        only_sulteng = Category.objects.create(
            code="tambang-ilegal", name_id="Tambang ilegal", name_en="Illegal mining"
        )
    with schema_context("sukabumi"):
        only_sukabumi = Category.objects.create(
            code="parkir-liar", name_id="Parkir liar", name_en="Illegal parking"
        )
    return only_sulteng, only_sukabumi


def test_host_header_decides_whose_data_is_shown(distinct_categories, sulteng, sukabumi):
    sulteng_admin = staff_client(sulteng, "admin@sulteng.example")

    own = sulteng_admin.get("/staff/pengaturan/")
    assert "Tambang ilegal" in own.content.decode()
    assert "Parkir liar" not in own.content.decode()

    # When the same browser swaps the Host header to the other tenant
    swapped = sulteng_admin.get("/staff/", HTTP_HOST="sukabumi.localhost")
    # then it is a stranger there: sent to the login page, shown nothing.
    assert swapped.status_code == 302
    assert swapped["Location"].startswith("/staff/login/")


def test_staff_session_replayed_on_the_other_tenant_is_worthless(sulteng, sukabumi):
    sulteng_admin = staff_client(sulteng, "admin@sulteng.example")
    session_cookie = sulteng_admin.cookies["wbs_session"].value

    # The cookie is host-only: no Domain attribute that would share it with sibling hosts.
    assert sulteng_admin.cookies["wbs_session"]["domain"] == ""

    intruder = client_for(sukabumi)
    intruder.cookies["wbs_session"] = session_cookie
    response = intruder.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")
    api = intruder.get("/api/v1/settings/categories")
    assert api.status_code == 403


def test_object_ids_of_one_tenant_are_not_found_on_the_other(distinct_categories, sulteng, sukabumi):
    only_sulteng, only_sukabumi = distinct_categories
    sukabumi_admin = staff_client(sukabumi, "admin@sukabumi.example")

    own = sukabumi_admin.get(f"/api/v1/settings/categories/{only_sukabumi.pk}")
    assert own.status_code == 200
    assert own.json()["code"] == "parkir-liar"

    # Ids are per schema; the other tenant's category id is either absent here or a different row.
    foreign = sukabumi_admin.get(f"/api/v1/settings/categories/{only_sulteng.pk}")
    assert foreign.status_code == 404 or foreign.json()["code"] != "tambang-ilegal"
    listing = sukabumi_admin.get("/api/v1/settings/categories").json()
    assert "tambang-ilegal" not in {category["code"] for category in listing}

    updated = sukabumi_admin.patch(
        f"/api/v1/settings/categories/{only_sulteng.pk}",
        {"name_id": "Diubah"},
        content_type="application/json",
    )
    assert updated.status_code in {200, 404}
    with schema_context("sulteng"):
        assert Category.objects.get(pk=only_sulteng.pk).name_id == "Tambang ilegal"


def test_cache_keys_are_per_tenant(sulteng, sukabumi):
    with schema_context("sulteng"):
        cache.set("portal-banner", "sulteng banner", 30)
    with schema_context("sukabumi"):
        assert cache.get("portal-banner") is None
        cache.set("portal-banner", "sukabumi banner", 30)
    with schema_context("sulteng"):
        assert cache.get("portal-banner") == "sulteng banner"
        cache.delete("portal-banner")
    with schema_context("sukabumi"):
        assert cache.get("portal-banner") == "sukabumi banner"
        cache.delete("portal-banner")


def test_stored_files_live_under_their_tenant(settings, tmp_path, sulteng, sukabumi):
    settings.MEDIA_ROOT = str(tmp_path)
    with schema_context("sulteng"):
        name = default_storage.save("evidence/photo.jpg", ContentFile(b"sulteng evidence"))
        assert default_storage.path(name).startswith(str(tmp_path / "sulteng"))
    with schema_context("sukabumi"):
        assert not default_storage.exists(name)
    with schema_context("sulteng"):
        assert default_storage.open(name).read() == b"sulteng evidence"


def test_savepoint_rollback_inside_a_tenant_request_keeps_the_right_schema(distinct_categories):
    with schema_context("sukabumi"):
        # The connection really points at sukabumi now.
        assert Category.objects.filter(code="parkir-liar").exists()
        try:
            with transaction.atomic():
                # A tenant is selected inside a savepoint, and its first query issues the SET there...
                connection.set_schema("sulteng")
                Category.objects.count()
                raise RuntimeError("handler failed")
        except RuntimeError:
            pass
        # ...so ROLLBACK TO SAVEPOINT silently put PostgreSQL back on sukabumi. Django still
        # believes sulteng is selected, and the next query must indeed read sulteng.
        assert connection.schema_name == "sulteng"
        assert Category.objects.filter(code="tambang-ilegal").exists()
        assert not Category.objects.filter(code="parkir-liar").exists()


def test_reports_alternating_between_tenants_land_in_their_own_schema(sulteng, sukabumi):
    """A report's arrival runs as a prepared statement, planned once per connection and
    reused for every tenant: each submission must still land in its own tenant's tables."""
    from intake.models import Report
    from tests.support.intake_api import FULL_REPORT, with_proof

    def reports_of(schema: str) -> int:
        with schema_context(schema):
            return Report.objects.count()

    before = {"sulteng": reports_of("sulteng"), "sukabumi": reports_of("sukabumi")}
    for round_number in range(6):  # past psycopg's threshold, so the statement is prepared
        for tenant in (sulteng, sukabumi):
            client = client_for(tenant)
            response = client.post(
                "/api/v1/intake/reports",
                with_proof(client, FULL_REPORT | {"what": f"{tenant.schema_name} {round_number}"}),
                content_type="application/json",
            )
            assert response.status_code == 201, response.content
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] >= 1, "the arrival statement should be prepared on this connection"

    assert reports_of("sulteng") == before["sulteng"] + 6
    assert reports_of("sukabumi") == before["sukabumi"] + 6
    with schema_context("sulteng"):
        from casework.models import Case

        assert Case.objects.filter(report__in=Report.objects.order_by("-pk")[:6]).count() == 6
