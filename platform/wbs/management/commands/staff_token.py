"""``wbs staff_token EMAIL --tenant SLUG``: the API token of a staff account, for an integration.

The token is kept in the tenant's own schema, so it works on that tenant's host
only, and it carries the account's roles: give an integration its own account
with just the roles it needs. An existing token is printed again unless
``--rotate`` replaces it (the old one stops working at once). Issuing and
rotating are recorded in the tenant's audit trail (never the token itself).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django_tenants.utils import schema_context
from rest_framework.authtoken.models import Token

from tenants.accounts.models import User
from tenants.audit.trail import audit_record
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Create (or print) the API token of a staff account of one tenant."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the staff account's email")
        parser.add_argument("--tenant", required=True, help="the tenant's slug")
        parser.add_argument("--rotate", action="store_true", help="replace an existing token with a new one")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["tenant"]
        tenant = Tenant.objects.exclude(schema_name="public").filter(schema_name=slug).first()
        if tenant is None:
            raise CommandError(f"No tenant named {slug!r}.")
        with schema_context(tenant.schema_name), transaction.atomic():
            user = User.objects.filter(email__iexact=options["email"].strip()).first()
            if user is None:
                raise CommandError(f"No staff account {options['email']!r} on {slug}.")
            if not user.is_active:
                raise CommandError(f"The account {user.email} is deactivated.")
            if not user.roles:
                raise CommandError(f"The account {user.email} has no staff role on {slug}.")
            existing = Token.objects.filter(user=user).first()
            if existing is not None and not options["rotate"]:
                token, action = existing, ""
            else:
                if existing is not None:
                    existing.delete()
                token = Token.objects.create(user=user)
                action = "api_token_rotated" if existing is not None else "api_token_issued"
                audit_record(action=action, actor="wbs staff_token", user_id=user.pk, email=user.email)
        self.stdout.write(token.key)
        note = {"": "existing token", "api_token_issued": "new token", "api_token_rotated": "new token"}[
            action
        ]
        self.stderr.write(
            f"{note} for {user.email} ({', '.join(user.roles)}) on {slug}; "
            f"send it as 'Authorization: Token <key>' to this tenant's host only."
        )
