"""`wbs migrate` at scale: skip up-to-date schemas in bulk, migrate the rest, survive one failure."""

import pytest
from django.core.management import CommandError, call_command
from psycopg import sql

from tenants.db import connection
from tenants.models import Domain, Tenant
from tenants.onboarding import TenantApplication, tenant_onboard
from tenants.schema_migrations import migrate_tenant_schemas, schemas_needing_migration

LATEST = ("casework", "0004_audit_append_only")


def forget_latest_migration(schema: str, *, undo_it: bool) -> None:
    """Make a schema look like it missed the latest migration: really missing it
    (undo_it) or with its effect still there, so applying it again fails."""
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DELETE FROM {}.django_migrations WHERE app = %s AND name = %s").format(
                sql.Identifier(schema)
            ),
            list(LATEST),
        )
        if undo_it:
            cursor.execute(
                sql.SQL("DROP FUNCTION {}.casework_audit_refuse_change() CASCADE").format(
                    sql.Identifier(schema)
                )
            )


def has_append_only_trigger(schema: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND t.tgname = 'casework_auditentry_append_only'",
            [schema],
        )
        return cursor.fetchone() is not None


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
    # sukabumi missed the latest migration entirely; sulteng has its trigger but lost the
    # record, so applying it again there fails ("trigger ... already exists").
    forget_latest_migration("sukabumi", undo_it=True)
    forget_latest_migration("sulteng", undo_it=False)
    assert schemas_needing_migration(["sukabumi", "sulteng"]) == ["sukabumi", "sulteng"]

    with pytest.raises(CommandError, match="1 tenant schema\\(s\\) failed to migrate: sulteng"):
        call_command("migrate_platform", processes=1, no_progress=True)
    captured = capsys.readouterr()
    assert "2 checked, 0 up to date, 1 migrated, 1 failed" in captured.out
    assert "FAILED sulteng" in captured.err and "already exists" in captured.err
    assert has_append_only_trigger("sukabumi")


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
        forget_latest_migration("migrone", undo_it=True)
        forget_latest_migration("migrtwo", undo_it=False)  # will fail
        run = migrate_tenant_schemas([*committed_tenants, "nosuchschema"], processes=2, progress=False)

        assert run.checked == 4
        assert run.up_to_date == 1  # migrthree
        assert run.migrated == ["migrone"]
        assert set(run.failed) == {"migrtwo", "nosuchschema"}
        assert "already exists" in run.failed["migrtwo"]
        assert run.failed["nosuchschema"] == "schema does not exist"
        assert has_append_only_trigger("migrone")
        assert schemas_needing_migration(committed_tenants) == ["migrtwo"]
