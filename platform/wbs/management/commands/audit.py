"""``wbs audit verify --tenant SLUG``: walk a tenant's hash-chained audit trail.

Prints how many entries were checked and every problem (an edited entry breaks
its own hash; a removed one breaks the link of the entry after it); exits with
status 1 when there is any problem. Without ``--tenant`` every tenant is checked.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import schema_context

from tenants.audit.trail import audit_verify
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Audit trail tools: 'verify' checks a tenant's hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        verify = subcommands.add_parser("verify", help="check the hash chain of the audit trail")
        verify.add_argument("--tenant", help="one tenant's slug (default: every tenant)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] != "verify":  # argparse allows nothing else; kept for clarity
            raise CommandError(f"Unknown subcommand {options['subcommand']!r}.")
        tenants = Tenant.objects.exclude(schema_name="public").order_by("schema_name")
        if options.get("tenant"):
            tenants = tenants.filter(schema_name=options["tenant"])
            if not tenants.exists():
                raise CommandError(f"No tenant named {options['tenant']!r}.")
        broken = 0
        for tenant in tenants:
            with schema_context(tenant.schema_name):
                checked, problems = audit_verify()
            self.stdout.write(f"{tenant.schema_name}: {checked} entries checked, {len(problems)} problem(s)")
            for problem in problems:
                self.stdout.write(f"  {tenant.schema_name}: entry {problem.entry_id}: {problem.problem}")
            broken += bool(problems)
        if broken:
            raise CommandError(f"The audit trail of {broken} tenant(s) failed verification.", returncode=1)
        self.stdout.write(self.style.SUCCESS("audit trail intact"))
