"""`wbs migrate` at scale: skip up-to-date schemas in bulk, migrate the rest, survive one failure."""

import pytest
from django.core.management import CommandError, call_command
from psycopg import sql

from tenants.db import connection
from tenants.models import Domain, Tenant
from tenants.onboarding import TenantApplication, tenant_onboard
from tenants.schema_migrations import migrate_tenant_schemas, schemas_needing_migration


def forget_migration(schema: str, app: str, name: str, *, drop_table: str | None = None) -> None:
    """Make a schema look like it missed a migration (optionally without its table)."""
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DELETE FROM {}.django_migrations WHERE app = %s AND name = %s").format(
                sql.Identifier(schema)
            ),
            [app, name],
        )
        if drop_table:
            cursor.execute(
                sql.SQL("DROP TABLE {}.{} CASCADE").format(sql.Identifier(schema), sql.Identifier(drop_table))
            )


def table_exists(schema: str, table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f'"{schema}".{table}'])
        return cursor.fetchone()[0] is not None


@pytest.mark.django_db
def test_nothing_to_apply_is_found_in_bulk_and_reported(capsys):
    assert schemas_needing_migration(["sulteng", "sukabumi"]) == []
    call_command("migrate_platform", processes=1, no_progress=True)
    out = capsys.readouterr().out
    assert "public: up to date" in out
    assert "template: up to date" in out
    assert "2 checked, 2 up to date, 0 migrated, 0 failed" in out


@pytest.mark.django_db
def test_a_schema_behind_is_migrated_and_a_broken_one_fails_alone(capsys):
    # sukabumi missed a migration entirely; sulteng has the table but lost the record,
    # so replaying the migration there fails ("relation already exists").
    forget_migration("sukabumi", "casework", "0002_case", drop_table="casework_case")
    forget_migration("sulteng", "casework", "0002_case")
    assert schemas_needing_migration(["sukabumi", "sulteng"]) == ["sukabumi", "sulteng"]

    with pytest.raises(CommandError, match="1 tenant schema\\(s\\) failed to migrate: sulteng"):
        call_command("migrate_platform", processes=1, no_progress=True)
    captured = capsys.readouterr()
    assert "2 checked, 0 up to date, 1 migrated, 1 failed" in captured.out
    assert "FAILED sulteng" in captured.err and "already exists" in captured.err
    assert table_exists("sukabumi", "casework_case")


@pytest.fixture
def committed_tenants(django_db_setup, django_db_blocker):
    """Three extra tenants committed for real, so forked workers can see them."""
    slugs = ["migrone", "migrtwo", "migrthree"]
    with django_db_blocker.unblock():
        for slug in slugs:
            tenant_onboard(
                TenantApplication(
                    slug=slug,
                    official_name=f"Inspektorat {slug}",
                    short_name=slug,
                    region_kind="regency",
                    time_zone="Asia/Jayapura",
                    admin_email=f"admin@{slug}.example",
                )
            )
    yield slugs
    with django_db_blocker.unblock():
        for slug in slugs:
            with connection.cursor() as cursor:
                cursor.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(slug)))
        Domain.objects.filter(tenant__schema_name__in=slugs).delete()
        Tenant.objects.filter(schema_name__in=slugs).delete()


def test_parallel_workers_migrate_what_is_behind_and_report_failures(committed_tenants, django_db_blocker):
    with django_db_blocker.unblock():
        forget_migration("migrone", "casework", "0002_case", drop_table="casework_case")
        forget_migration("migrtwo", "casework", "0002_case")  # will fail
        run = migrate_tenant_schemas([*committed_tenants, "nosuchschema"], processes=2, progress=False)

        assert run.checked == 4
        assert run.up_to_date == 1  # migrthree
        assert run.migrated == ["migrone"]
        assert set(run.failed) == {"migrtwo", "nosuchschema"}
        assert "already exists" in run.failed["migrtwo"]
        assert run.failed["nosuchschema"] == "schema does not exist"
        assert table_exists("migrone", "casework_case")
        assert schemas_needing_migration(committed_tenants) == ["migrtwo"]
