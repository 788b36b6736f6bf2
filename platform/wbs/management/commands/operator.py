"""``wbs operator EMAIL``: enrol a platform operator, or give one a new password or
authenticator. Prints the new password and the authenticator's QR code once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.errors import InvalidInput
from wbs.console.operators import operator_enrol


class Command(BaseCommand):
    help = "Enrol a platform operator (password and TOTP authenticator), or renew either."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--new-password", action="store_true", help="generate a new password")
        parser.add_argument(
            "--new-authenticator", action="store_true", help="replace the authenticator (lost phone)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            enrolment = operator_enrol(
                email=options["email"],
                full_name=options["full_name"],
                new_password=options["new_password"],
                new_authenticator=options["new_authenticator"],
            )
        except InvalidInput as error:
            raise CommandError("; ".join(error.errors.values())) from error
        operator = enrolment.operator
        self.stdout.write(f"Operator {operator.email} {'created' if enrolment.created else 'updated'}.")
        if enrolment.password is not None:
            self.stdout.write(f"Password (shown once): {enrolment.password}")
        if enrolment.device is not None:
            self.stdout.write("Scan this with an authenticator app (shown once):")
            self.stdout.write(enrolment.authenticator_for_terminal())
        if enrolment.password is None and enrolment.device is None:
            self.stdout.write("Nothing changed: pass --new-password and/or --new-authenticator.")
