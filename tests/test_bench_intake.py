"""`wbs bench intake` at a tiny size (a real gunicorn on loopback), and the gunicorn
configuration it ships: no access log, no client address in the error log."""

import io
import json
import logging
import runpy
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from gunicorn.config import Config

from tenants.db import connection
from wbs.benchmarks.intake import BENCH_DATABASE_SUFFIX

SCENARIOS = [
    "json_anonymous",
    "json_confidential",
    "multipart_1mb_jpeg",
    "json_anonymous_orm_arrival",
    "ceiling_bare_insert",
]
GUNICORN_CONFIG = Path(settings.REPO_ROOT) / "infra" / "gunicorn.conf.py"


def test_the_bench_measures_every_scenario_and_nothing_is_refused(
    django_db_setup: None, django_db_blocker: Any
) -> None:
    out = io.StringIO()
    with django_db_blocker.unblock():
        call_command(
            "bench", "intake", "--requests", "20", "--concurrency", "4", "--rounds", "2", "--json", stdout=out
        )
        with connection.cursor() as cursor:
            bench_database = connection.settings_dict["NAME"] + BENCH_DATABASE_SUFFIX
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [bench_database])
            assert cursor.fetchone() is None, "the bench database must be dropped"

    report = json.loads(out.getvalue())
    assert report["benchmark"] == "wbs bench intake" and "gunicorn" in report["method"]
    rows = {row.get("scenario", row["measure"]): row for row in report["results"]}
    assert rows["setup"]["warmup_errors"] == 0
    for scenario in SCENARIOS:
        row = rows[scenario]
        assert row["requests"] == 20 and row["errors"] == 0, row
        assert row["reports_per_s"] > 0 and 0 < row["p50_ms"] <= row["p99_ms"], row
    targets = rows["targets"]
    assert targets["errors_total"] == 0
    assert targets["json_anonymous_vs_ceiling"] > 0 and targets["json_confidential_vs_ceiling"] > 0
    for key in ("json_anonymous", "json_confidential"):
        by_round = [float(value) for value in targets[f"{key}_vs_ceiling_by_round"].split(", ")]
        assert len(by_round) == 2 and all(value > 0 for value in by_round)
        lowest = targets[f"{key}_vs_ceiling_lowest_round"]
        assert abs(lowest - min(by_round)) < 0.006  # the list is written to two places
    assert isinstance(targets["throughput_target_met"], bool) and isinstance(targets["p99_target_met"], bool)
    # The one-statement arrival against plain ORM inserts, overall and round by round.
    assert targets["one_statement_vs_orm_arrival"] > 0
    by_round = [float(value) for value in targets["one_statement_vs_orm_arrival_by_round"].split(", ")]
    assert len(by_round) == 2 and all(value > 0 for value in by_round)


def test_gunicorn_keeps_no_access_log_and_names_no_client() -> None:
    values = runpy.run_path(str(GUNICORN_CONFIG))
    assert values["accesslog"] is None and values["worker_class"] == "gthread"
    assert "*" not in values["forwarded_allow_ips"]

    logger = values["logger_class"](Config())
    assert not logger.access_log_enabled
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    handler = Collect()
    logger.error_log.addHandler(handler)
    try:
        logger.warning("Invalid request from ip=203.0.113.7: Invalid HTTP Version")
        logger.warning("Invalid request from ip=2001:db8::7: Invalid HTTP Version")
    finally:
        logger.error_log.removeHandler(handler)
    assert records == ["Invalid request from ip=[removed]: Invalid HTTP Version"] * 2


def test_gunicorn_workers_freeze_their_warm_objects_out_of_garbage_collection() -> None:
    """After a worker's first requests, what Django loaded is frozen, so later full
    collections (which stall every thread of the worker) walk only what requests create."""
    import gc

    values = runpy.run_path(str(GUNICORN_CONFIG))
    gc.unfreeze()
    try:
        for served in range(1, 26):
            assert gc.get_freeze_count() == 0, f"frozen too early, after request {served - 1}"
            values["post_request"](None, None, {}, None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
