"""``wbs onboard``: register a new inspectorate; its first administrator's invitation
goes to their email address only."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.errors import InvalidInput
from tenants.models import RegionKind, TimeZone
from tenants.onboarding import TenantApplication
from wbs.onboarding import tenant_onboard


class Command(BaseCommand):
    help = "Onboard a tenant: schema, default categories and deadlines, and the first administrator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="schema name and subdomain, e.g. kotabogor")
        parser.add_argument("--official-name", required=True)
        parser.add_argument("--short-name", required=True)
        parser.add_argument("--region-kind", required=True, help=", ".join(RegionKind.values))
        parser.add_argument("--time-zone", default=TimeZone.WIB, help=", ".join(TimeZone.values))
        parser.add_argument("--language", default="id", choices=["id", "en"])
        parser.add_argument("--parent-province", default=None, help="slug of the province tenant")
        parser.add_argument("--domain", action="append", default=[], help="custom domain (repeatable)")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        application = TenantApplication(
            slug=options["slug"],
            official_name=options["official_name"],
            short_name=options["short_name"],
            region_kind=options["region_kind"],
            time_zone=options["time_zone"],
            default_language=options["language"],
            parent_province=options["parent_province"],
            custom_domains=options["domain"],
            admin_email=options["admin_email"],
            admin_name=options["admin_name"],
        )
        try:
            result = tenant_onboard(application)
        except InvalidInput as error:
            raise CommandError(
                "nothing was created:\n"
                + "\n".join(f"  {name}: {message}" for name, message in error.errors.items())
            ) from error
        self.stdout.write(f"Onboarded {result.tenant.official_name} ({result.tenant.schema_name}).")
        self.stdout.write(
            f"The first administrator's invitation (valid 7 days) was sent to {result.invitation_sent_to}."
        )
