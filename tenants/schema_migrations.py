"""Migrating hundreds or thousands of tenant schemas.

Django's ``migrate`` pays ~0.2-0.7 s of start-up per schema even when there is
nothing to do, which is most deploys. Here one query per 500 schemas finds the
schemas whose ``django_migrations`` already holds every migration the code has;
only the others are migrated, in parallel worker processes, and one schema's
failure does not stop the rest.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.core.management import call_command
from django.core.management.commands.migrate import Command as DjangoMigrateCommand
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from psycopg import sql

from tenants.db import connection

SCHEMAS_PER_QUERY = 500


@lru_cache(maxsize=1)
def expected_migrations() -> tuple[tuple[str, str], ...]:
    """Every migration in the code, as (app label, name), sorted.

    django-tenants records every app's migrations in every schema (the router
    only skips the operations), so a tenant schema is up to date when all of
    these are recorded in it.
    """
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return tuple(sorted(loader.graph.nodes))


def migrations_fingerprint() -> str:
    text = "\n".join(f"{app}.{name}" for app, name in expected_migrations())
    return hashlib.sha256(text.encode()).hexdigest()


def existing_schemas(schema_names: Sequence[str]) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", [list(schema_names)])
        return {row[0] for row in cursor.fetchall()}


def schemas_needing_migration(schema_names: Sequence[str]) -> list[str]:
    """The schemas (of those given, which must exist) missing any expected migration."""
    expected = expected_migrations()
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = 'django_migrations' AND c.relkind = 'r' AND n.nspname = ANY(%s)",
            [list(schema_names)],
        )
        with_table = {row[0] for row in cursor.fetchall()}
        complete: set[str] = set()
        with_table_list = sorted(with_table)
        for start in range(0, len(with_table_list), SCHEMAS_PER_QUERY):
            chunk = with_table_list[start : start + SCHEMAS_PER_QUERY]
            recorded = sql.SQL(" UNION ALL ").join(
                sql.SQL("SELECT {} AS schema_name, app, name FROM {}.django_migrations").format(
                    sql.Literal(schema), sql.Identifier(schema)
                )
                for schema in chunk
            )
            query = sql.SQL(
                "WITH expected(app, name) AS (SELECT * FROM unnest(%s::text[], %s::text[])) "
                "SELECT recorded.schema_name FROM ({}) AS recorded "
                "JOIN expected ON expected.app = recorded.app AND expected.name = recorded.name "
                "GROUP BY recorded.schema_name HAVING count(*) = %s"
            ).format(recorded)
            cursor.execute(
                query.as_string(connection.connection),
                [[app for app, _ in expected], [name for _, name in expected], len(expected)],
            )
            complete.update(row[0] for row in cursor.fetchall())
    return [schema for schema in schema_names if schema not in complete]


def public_schema_needs_migration() -> bool:
    connection.set_schema_to_public()
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def migrate_public(verbosity: int = 1) -> None:
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=verbosity)


def migrate_schema(schema_name: str, verbosity: int = 0) -> None:
    """Run Django's migrate in one tenant schema (created if missing)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema_name)))
        # The recorder must create django_migrations in the tenant's schema, not find public's.
        connection.set_schema(schema_name, include_public=False)
        MigrationRecorder(connection).ensure_schema()
        connection.set_schema(schema_name)
        call_command(DjangoMigrateCommand(), interactive=False, verbosity=verbosity, skip_checks=True)
    finally:
        connection.set_schema_to_public()


@dataclass
class MigrationRun:
    checked: int = 0
    up_to_date: int = 0
    migrated: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def _migrate_one(schema_name: str) -> tuple[str, str | None]:
    try:
        migrate_schema(schema_name)
        return schema_name, None
    except Exception:
        return schema_name, traceback.format_exc(limit=3)


def _migrate_in_worker(schema_name: str) -> tuple[str, str | None]:
    result = _migrate_one(schema_name)
    if result[1] is not None:
        connection.close()  # a worker starts its next schema on a clean connection
    return result


def migrate_tenant_schemas(
    schema_names: Sequence[str], *, processes: int | None = None, progress: bool = True
) -> MigrationRun:
    run = MigrationRun(checked=len(schema_names))
    present = existing_schemas(schema_names)
    for missing in (name for name in schema_names if name not in present):
        run.failed[missing] = "schema does not exist"
    pending = schemas_needing_migration([name for name in schema_names if name in present])
    run.up_to_date = len(present) - len(pending)
    if not pending:
        return run

    processes = processes or settings.TENANT_MULTIPROCESSING_MAX_PROCESSES
    results: Iterable[tuple[str, str | None]]
    if processes <= 1 or len(pending) == 1:
        results = map(_migrate_one, pending)
        pool = None
    else:
        # Children must open their own connections, not share the parent's socket.
        connections.close_all()
        pool = multiprocessing.get_context("fork").Pool(processes=processes)
        results = pool.imap_unordered(_migrate_in_worker, pending)
    try:
        if progress:
            from tqdm import tqdm

            results = tqdm(results, total=len(pending), desc="migrating tenants", unit="schema")
        for schema_name, error in results:
            if error is None:
                run.migrated.append(schema_name)
            else:
                run.failed[schema_name] = error
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return run
