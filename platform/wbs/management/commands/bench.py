"""``wbs bench <suite>``: benchmarks that measure a baseline side by side in the same run."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wbs.benchmarks import casework, intake, tenancy
from wbs.benchmarks.report import print_report

SUITES = ["tenancy", "intake", "casework"]
DEFAULT_REQUESTS = {"tenancy": 5000, "intake": 2400, "casework": 1000}


class Command(BaseCommand):
    help = "Run a benchmark suite; prints ours against a baseline measured in the same run."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("suite", choices=SUITES)
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--tenants", type=int, default=200, help="tenants for the no-op migrate (tenancy)"
        )
        parser.add_argument("--rounds", type=int, default=5, help="rounds per measure")
        parser.add_argument(
            "--requests",
            type=int,
            default=None,
            help="requests per round (tenancy, default 5000) or per JSON scenario and ceiling (intake, default 2400)",
        )
        parser.add_argument(
            "--multipart-requests",
            type=int,
            default=800,
            help="requests of the scenario with a photo, at most --requests (intake)",
        )
        parser.add_argument("--cases", type=int, default=100_000, help="cases in the tenant (casework)")
        parser.add_argument("--concurrency", type=int, default=16, help="concurrent reporters (intake)")
        parser.add_argument(
            "--max-seconds",
            type=float,
            default=120,
            help="time cap per scenario, over all rounds (intake)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        suite = options["suite"]
        requests = options["requests"] or DEFAULT_REQUESTS[suite]
        if suite == "tenancy":
            rows = tenancy.run(
                tenants=options["tenants"],
                onboarding_rounds=options["rounds"],
                migrate_rounds=max(1, options["rounds"] // 2),
                requests=requests,
            )
            method = tenancy.__doc__
        elif suite == "casework":
            rows = casework.run(cases=options["cases"], requests=requests, rounds=options["rounds"])
            method = casework.__doc__
        else:
            rows = intake.run(
                concurrency=options["concurrency"],
                requests=requests,
                multipart_requests=options["multipart_requests"],
                rounds=options["rounds"],
                max_seconds=options["max_seconds"],
            )
            method = intake.__doc__
        print_report(
            self.stdout,
            title=f"wbs bench {suite}",
            method=(method or "").strip(),
            rows=rows,
            as_json=options["json"],
        )
