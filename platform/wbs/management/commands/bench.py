"""``wbs bench <suite>``: benchmarks that measure a baseline side by side in the same run."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wbs.benchmarks import tenancy
from wbs.benchmarks.report import print_report

SUITES = ["tenancy"]


class Command(BaseCommand):
    help = "Run a benchmark suite; prints ours against a baseline measured in the same run."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("suite", choices=SUITES)
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--tenants", type=int, default=200, help="tenants for the no-op migrate (tenancy)"
        )
        parser.add_argument("--rounds", type=int, default=5, help="rounds per measure")
        parser.add_argument("--requests", type=int, default=5000, help="requests per round (tenancy)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["suite"] == "tenancy":
            rows = tenancy.run(
                tenants=options["tenants"],
                onboarding_rounds=options["rounds"],
                migrate_rounds=max(1, options["rounds"] // 2),
                requests=options["requests"],
            )
            print_report(
                self.stdout,
                title="wbs bench tenancy",
                method=(tenancy.__doc__ or "").strip(),
                rows=rows,
                as_json=options["json"],
            )
