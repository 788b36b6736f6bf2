"""`wbs migrate` at scale: skip up-to-date schemas in bulk, migrate the rest, survive one failure."""

import pytest
from django.core.management import CommandError, call_command
from django.core.management.commands.migrate import Command as DjangoMigrateCommand
from django.db.migrations.loader import MigrationLoader
from psycopg import sql

from tenants.db import connection
from tenants.models import Domain, Tenant
from tenants.onboarding import TenantApplication
from tenants.schema_migrations import migrate_tenant_schemas, schemas_needing_migration
from wbs.onboarding import tenant_onboard


def latest_migration(app: str = "casework") -> tuple[str, str, str]:
    """(app, latest migration, the one before it) as the code has them now."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    (leaf,) = loader.graph.leaf_nodes(app)
    (parent,) = (node for node in loader.graph.node_map[leaf].parents if node[0] == app)
    return app, leaf[1], parent[1]


def forget_latest_migration(schema: str, *, undo_it: bool) -> None:
    """Make a schema look behind: really without its latest migration (undo_it:
    Django unapplies it), or with every table in place but no migration recorded,
    so migrating it replays 0001 and fails on tables that already exist."""
    app, _latest, parent = latest_migration()
    if undo_it:
        connection.set_schema(schema)
        try:
            call_command(
                DjangoMigrateCommand(), app, parent, interactive=False, verbosity=0, skip_checks=True
            )
        finally:
            connection.set_schema_to_public()
        return
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DELETE FROM {}.django_migrations").format(sql.Identifier(schema)))


def is_up_to_date(schema: str) -> bool:
    return schemas_needing_migration([schema]) == []


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
    # sukabumi missed the latest migration entirely; sulteng has its effect but lost the
    # record, so applying it again there fails ("... already exists").
    forget_latest_migration("sukabumi", undo_it=True)
    forget_latest_migration("sulteng", undo_it=False)
    assert schemas_needing_migration(["sukabumi", "sulteng"]) == ["sukabumi", "sulteng"]

    with pytest.raises(CommandError, match="1 tenant schema\\(s\\) failed to migrate: sulteng"):
        call_command("migrate_platform", processes=1, no_progress=True)
    captured = capsys.readouterr()
    assert "2 checked, 0 up to date, 1 migrated, 1 failed" in captured.out
    assert "FAILED sulteng" in captured.err and "already exists" in captured.err
    assert is_up_to_date("sukabumi")


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
        assert is_up_to_date("migrone")
        assert schemas_needing_migration(committed_tenants) == ["migrtwo"]
