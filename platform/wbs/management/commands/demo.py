"""``wbs demo``: migrate, seed both seed tenants and the operator, and serve.

Idempotent: running it again keeps what the last run made. With no
DATABASE_URL/REDIS_URL the ``wbs`` command has already started an embedded
PostgreSQL and Redis in ``.wbs-data/``. Tasks run eagerly unless
CELERY_BROKER_URL is set, in which case a worker is started alongside.
Ctrl-C or SIGTERM stops everything it started: the worker, the server and the
embedded PostgreSQL and Redis.
"""

import signal
import subprocess
import sys
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from tenants.onboarding import primary_hostname, tenant_url
from wbs.demo.demo_cases import seed_demo_cases
from wbs.demo.seed_tenants import DEMO_OPERATOR_EMAIL, DEMO_PASSWORD, ensure_demo_operator, seed_demo_tenants
from wbs.local_services import stop_local_services


def _stop_like_ctrl_c(signum: int, frame: FrameType | None) -> None:
    # Python ends on SIGTERM without unwinding; as KeyboardInterrupt the server's
    # loop ends and the clean-up below runs, as it does for Ctrl-C.
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Start the one-command demo: both seed tenants with sample data, the operator console, pages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="prepare everything, then exit")

    def handle(self, *args: Any, **options: Any) -> None:
        port = options["port"]
        settings.WBS_URL_PORT = str(port)  # links printed and emailed point at this server
        call_command("migrate_platform", no_progress=True, stdout=self.stdout)
        seeded = seed_demo_tenants()
        operator = ensure_demo_operator()
        receipts = {item.tenant.schema_name: item for item in seed_demo_cases()}

        self.stdout.write(self.style.SUCCESS("\nWBS demo is ready.\n"))
        self.stdout.write(f"Operator console: {tenant_url(settings.WBS_BASE_DOMAIN)}")
        self.stdout.write(f"  login {DEMO_OPERATOR_EMAIL} / {DEMO_PASSWORD}, then the authenticator's code;")
        self.stdout.write(
            "  scan this with an authenticator app (a real operator gets it once from `wbs operator`):"
        )
        self.stdout.write(operator.authenticator_for_terminal() + "\n")
        for item in seeded:
            host = primary_hostname(item.tenant.schema_name)
            self.stdout.write(f"{item.tenant.official_name}")
            self.stdout.write(f"  portal:      {tenant_url(host)}")
            self.stdout.write(f"  staff login: {tenant_url(host, '/staff/login/')}")
            for email, roles in item.logins:
                self.stdout.write(f"    {email:<32} {roles}")
            if (sample := receipts.get(item.tenant.schema_name)) is not None:
                self.stdout.write(f"  follow up:   {tenant_url(host, '/pantau/')}")
                self.stdout.write(
                    f"    sample report {sample.reference} ({sample.state}): receipt {sample.receipt}"
                )
            self.stdout.write("")
        self.stdout.write(f"Every demo account's password: {DEMO_PASSWORD}")
        self.stdout.write(
            "Staff sign in with a TOTP code too: the first sign-in sets up an authenticator app."
        )
        self.stdout.write(f"API docs: {tenant_url(primary_hostname('sukabumi'), '/api/docs/')}\n")
        if options["no_serve"]:
            return

        signal.signal(signal.SIGTERM, _stop_like_ctrl_c)
        worker = None
        if settings.CELERY_BROKER_URL:
            worker = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "wbs.celery_app",
                    "worker",
                    "--beat",
                    "--loglevel",
                    "WARNING",
                ]
            )
        else:
            self.stdout.write("Tasks run in the web process (no CELERY_BROKER_URL configured).")
        try:
            call_command("runserver", f"0.0.0.0:{port}", use_reloader=False, skip_checks=True)
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)
            stop_local_services()
            self.stdout.write("WBS demo stopped.")
