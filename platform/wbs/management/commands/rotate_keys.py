"""``wbs rotate_keys``: rotate tenant data keys, or re-wrap tenant keys after the
key-encryption key changed (put the new key first in WBS_KEY_ENCRYPTION_KEYS,
keep the old one after it until this has run everywhere)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import schema_context

from intake.encryption import rewrap_tenant_keys, rotate_tenant_data_key
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Rotate tenant data keys (--data) and/or re-wrap tenant keys with the current key-encryption key (--kek)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", help="one tenant's slug (default: every tenant)")
        parser.add_argument(
            "--data", action="store_true", help="start a new data-key version and re-wrap report keys"
        )
        parser.add_argument(
            "--kek", action="store_true", help="re-wrap tenant keys with the current key-encryption key"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (options["data"] or options["kek"]):
            raise CommandError("Say what to rotate: --data, --kek or both.")
        tenants = Tenant.objects.order_by("schema_name")
        if options["tenant"]:
            tenants = tenants.filter(schema_name=options["tenant"])
            if not tenants.exists():
                raise CommandError(f"No tenant named {options['tenant']!r}.")
        for tenant in tenants:
            with schema_context(tenant.schema_name):
                if options["kek"]:
                    changed = rewrap_tenant_keys()
                    self.stdout.write(f"{tenant.schema_name}: {changed} tenant key(s) re-wrapped")
                if options["data"]:
                    version = rotate_tenant_data_key()
                    self.stdout.write(f"{tenant.schema_name}: data key is now version {version}")
