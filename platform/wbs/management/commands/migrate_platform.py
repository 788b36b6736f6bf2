"""``wbs migrate``: the public schema, the tenant template and every tenant."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.models import Tenant
from tenants.schema_migrations import migrate_public, migrate_tenant_schemas, public_schema_needs_migration
from tenants.schema_template import refresh_template


class Command(BaseCommand):
    help = "Migrate the public schema, rebuild the tenant template if needed, and migrate every tenant."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--processes", type=int, default=None, help="parallel workers for tenant schemas")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if public_schema_needs_migration():
            self.stdout.write("public: migrating")
            migrate_public(verbosity=max(0, options["verbosity"] - 1))
        else:
            self.stdout.write("public: up to date")

        rebuilt = refresh_template()
        self.stdout.write(f"template: {'rebuilt from the new migrations' if rebuilt else 'up to date'}")

        schemas = list(Tenant.objects.order_by("schema_name").values_list("schema_name", flat=True))
        run = migrate_tenant_schemas(
            schemas, processes=options["processes"], progress=not options["no_progress"]
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"tenants: {run.checked} checked, {run.up_to_date} up to date, {len(run.migrated)} migrated, "
            f"{len(run.failed)} failed ({elapsed:.2f} s in all)"
        )
        for schema_name, error in sorted(run.failed.items()):
            self.stderr.write(f"FAILED {schema_name}:\n{error}")
        if run.failed:
            raise CommandError(
                f"{len(run.failed)} tenant schema(s) failed to migrate: {', '.join(sorted(run.failed))}"
            )
