"""Every statement passes through Django's cursor wrappers, so what counts queries
(CaptureQueriesContext, assertNumQueries, Sentry's database spans, the debug toolbar)
sees a report's arrival too: one INSERT statement writing the report, its case, the
first event and the audit entry."""

import json

from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from casework.models import Case, CaseEvent
from intake.models import Report
from intake.report_input import parse_report
from intake.services.reports import report_submit
from tenants.audit.models import HeldAuditEntry
from tenants.db import connection
from tenants.onboarding import primary_hostname
from tests.support.intake_api import with_proof

REPORT = {
    "category": "pungli",
    "what": "Pungutan liar di terminal",
    "description": "Petugas memungut biaya tanpa karcis resmi.",
    "identity_mode": "anonymous",
}
# A reporter's arrival holds its audit entry until the day is over (tenants/audit/held_entries.py).
ARRIVAL_TABLES = [model._meta.db_table for model in (Report, Case, CaseEvent, HeldAuditEntry)]


def arrival_statements(captured: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"]
        for query in captured.captured_queries
        if (query["sql"] or "").startswith("WITH") and "INSERT INTO" in query["sql"]
    ]


def assert_one_arrival_statement(captured: CaptureQueriesContext) -> None:
    statements = arrival_statements(captured)
    assert len(statements) == 1, [query["sql"][:80] for query in captured.captured_queries]
    for table in ARRIVAL_TABLES:
        assert f'INSERT INTO "{table}"' in statements[0], table


def test_a_report_submitted_through_the_service_is_seen_arriving(sukabumi):
    with schema_context("sukabumi"), CaptureQueriesContext(connection) as captured:
        submitted = report_submit(draft=parse_report(REPORT))

    assert_one_arrival_statement(captured)
    with schema_context("sukabumi"):
        assert Report.objects.filter(pk=submitted.report_id).exists()


def test_the_arrival_is_seen_with_its_text_once_prepared(sukabumi):
    """After five arrivals on a connection psycopg prepares the statement, and keeps no
    text of what it runs prepared: the logged text is still the statement's."""
    with schema_context("sukabumi"):
        for _ in range(6):
            report_submit(draft=parse_report(REPORT))
        with CaptureQueriesContext(connection) as captured:
            report_submit(draft=parse_report(REPORT))
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'WITH guard%%'")
            assert cursor.fetchone() == (1,)

    assert_one_arrival_statement(captured)


def test_a_report_submitted_through_the_api_is_seen_arriving(sukabumi):
    client = Client(HTTP_HOST=primary_hostname("sukabumi"))
    body = json.dumps(with_proof(client, REPORT))
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/api/v1/intake/reports", body, content_type="application/json")

    assert response.status_code == 201, response.content
    assert_one_arrival_statement(captured)
