"""`wbs bench casework` runs end to end on a small tenant and reports in the shape
the other suites use (timings are not judged here)."""

import json
from datetime import date
from io import StringIO

from django.core.management import call_command
from django.db import connections

from wbs.benchmarks import casework


def test_the_casework_bench_reports_the_queue_against_its_baseline(django_db_blocker):
    original = connections["default"].settings_dict["NAME"]
    out = StringIO()
    with django_db_blocker.unblock():
        call_command(
            "bench", "casework", "--cases", "2000", "--requests", "40", "--rounds", "2", "--json", stdout=out
        )
    assert connections["default"].settings_dict["NAME"] == original  # back on the test database

    report = json.loads(out.getvalue())
    assert report["benchmark"] == "wbs bench casework"
    assert "WSGI" in report["method"] and "p95" in report["method"]
    setup, queue, baseline, by_filter, sql_by_filter = report["results"]
    assert setup["measure"] == "setup" and setup["cases"] == 2000
    assert 0 < setup["open_cases"] < 2000
    assert "/staff/kasus/" in queue["measure"]
    assert queue["requests"] == 40 and baseline["requests"] == 40
    for row in (queue, baseline):
        assert 0 < row["p50_ms"] <= row["p95_ms"] <= row["p99_ms"]
    assert isinstance(queue["target_met"], bool) and queue["target"] == "p95 <= 200 ms"
    assert queue["sql_queries_per_page"] > 0
    filters = len(casework.queue_filters(date.today(), ["korupsi"]))
    assert len(by_filter) == len(sql_by_filter) == 1 + filters  # "measure" and one value per filter
    assert all(value > 0 for key, value in sql_by_filter.items() if key != "measure")
    assert setup["cores"] >= 1 and "load_average_before" in setup
