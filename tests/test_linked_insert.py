"""Rows that point at each other, written in one statement (tenants.linked_insert), and the
server-binding cursor it runs on, which lives as long as its connection."""

from datetime import UTC, date, datetime

import pytest
from django.db import IntegrityError, connections, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from casework.models import Case, CaseEvent, CaseState
from intake.models import Category, Report
from tenants.audit.models import AuditEntry
from tenants.db import connection
from tenants.linked_insert import NewRow, PreconditionFailed, insert_linked


@pytest.fixture
def in_sukabumi(sukabumi):
    with schema_context("sukabumi"):
        yield sukabumi


def report_values(receipt_hash: str, **more) -> dict:
    return {
        "category_id": Category.objects.get(code="pungli").pk,
        "received_on": date(2026, 3, 2),
        "receipt_hash": receipt_hash,
        "reference": f"WBS-2026-{receipt_hash[:5].upper()}",  # unique, like the receipt hash
        "key_version": 1,
        "sealed_narrative": b"sealed",
        **more,
    }


def report_case_event(receipt_hash: str, **report_more) -> list[NewRow]:
    report = NewRow(Report, report_values(receipt_hash, **report_more))
    case = NewRow(Case, {"received_on": date(2026, 3, 2)}, links={"report_id": report})
    event = NewRow(
        CaseEvent,
        {"kind": "received", "created_at": datetime(2026, 3, 2, 1, 30, tzinfo=UTC)},
        links={"case_id": case},
    )
    return [report, case, event]


def test_linked_rows_are_written_with_their_links_and_defaults(in_sukabumi):
    rows = report_case_event("a" * 64)

    before = timezone.now()
    insert_linked(rows)
    after = timezone.now()

    report_row, case_row, event_row = rows
    report = Report.objects.get(pk=report_row.pk)
    case = Case.objects.get(pk=case_row.pk)
    event = CaseEvent.objects.get(pk=event_row.pk)
    assert case.report_id == report.pk and event.case_id == case.pk
    # Left out: a callable default (a fresh uid), constants, NULL and empty text.
    assert report.uid is not None and report.channel == "web" and report.staff_notified is False
    assert report.sealed_identity is None and report.how_much is None
    assert case.state == CaseState.RECEIVED and case.outcome == "" and case.assignee_id is None
    assert case.reopened_count == 0
    assert before <= case.updated_at <= after  # auto_now: the time of the insert
    assert event.created_at == datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


def test_a_constant_default_that_is_not_plain_text_or_a_number_is_sent_as_a_parameter(in_sukabumi):
    """AuditEntry.details defaults to an empty JSON object."""
    report, case, _event = report_case_event("9" * 64)
    entry = NewRow(
        AuditEntry,
        {"created_at": datetime(2026, 3, 2, tzinfo=UTC), "actor_label": "system", "action": "test"},
        links={"case_id": case},
    )

    insert_linked([report, case, entry])

    assert AuditEntry.objects.get(pk=entry.pk).details == {}


def test_a_column_the_model_lacks_or_given_twice_is_refused_before_any_write(in_sukabumi):
    before = Report.objects.count()
    report, case, event = report_case_event("8" * 64)
    with pytest.raises(ValueError, match="unknown columns \\['colour'\\]"):
        insert_linked([report, NewRow(Case, {"colour": "red"}, links={"report_id": report})])
    with pytest.raises(ValueError, match="given and linked \\['report_id'\\]"):
        insert_linked([report, NewRow(Case, {"report_id": 1}, links={"report_id": report})])
    assert Report.objects.count() == before


def test_rows_given_different_columns_are_each_written_as_sent(in_sukabumi):
    """A column left out of one report and given in the next (and back), or given as None."""
    with_identity = report_case_event("b" * 64, sealed_identity=b"who", how_much=500000)
    without = report_case_event("c" * 64, how_much=None)
    with_again = report_case_event("d" * 64, sealed_identity=b"who again")

    for rows in (with_identity, without, with_again):
        insert_linked(rows)

    stored = {
        row.receipt_hash[0]: (bytes(row.sealed_identity or b""), row.how_much)
        for row in Report.objects.filter(receipt_hash__in=["b" * 64, "c" * 64, "d" * 64])
    }
    assert stored == {"b": (b"who", 500000), "c": (b"", None), "d": (b"who again", None)}
    assert {
        Report.objects.get(pk=rows[0].pk).uid for rows in (with_identity, without, with_again)
    }.__len__() == 3


def test_nothing_is_written_when_the_guard_finds_nothing(in_sukabumi):
    before = Report.objects.count(), Case.objects.count()
    with pytest.raises(PreconditionFailed):
        insert_linked(report_case_event("e" * 64), guard_sql="SELECT 1 WHERE false")
    assert (Report.objects.count(), Case.objects.count()) == before


def test_the_cursor_kept_for_the_connection_recovers_from_a_failed_statement(in_sukabumi):
    """After a refused statement (a duplicate receipt hash), the same kept cursor runs the
    next one."""
    insert_linked(report_case_event("f" * 64))
    kept = connection.server_binding_cursor().cursor
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_linked(report_case_event("f" * 64))

    retried = report_case_event("0" * 64)
    insert_linked(retried)

    assert connection.server_binding_cursor().cursor is kept
    assert Report.objects.filter(pk=retried[0].pk, receipt_hash="0" * 64).exists()


def test_a_new_connection_gets_a_new_server_binding_cursor(django_db_setup, django_db_blocker):
    db = connections["default"]
    with django_db_blocker.unblock():
        db.set_schema_to_public()
        first = db.server_binding_cursor().cursor
        db.close()
        second = db.server_binding_cursor()
        second.execute("SELECT current_schema()")
        assert second.cursor is not first and second.cursor.connection is db.connection
        assert second.fetchone() == ("public",)
        db.close()


def test_the_kept_cursor_follows_the_selected_tenant(django_db_setup, django_db_blocker):
    """The cursor outlives requests, and a request whose memos are warm may run nothing
    before the arrival statement: the cursor itself must point the session at the tenant."""
    db = connections["default"]
    with django_db_blocker.unblock():
        for schema in ("sulteng", "sukabumi", "sulteng"):
            db.set_schema(schema)
            cursor = db.server_binding_cursor()
            cursor.execute("SELECT current_schema()")
            assert cursor.fetchone() == (schema,)
        db.set_schema_to_public()
        db.close()


def test_a_naive_datetime_goes_through_its_field_as_save_would_take_it(in_sukabumi):
    """Only aware datetimes go to the database as they are; a naive one is read in the
    project's time zone (Asia/Jakarta), with Django's warning."""
    report, case, event = report_case_event("7" * 64)
    event.values["created_at"] = datetime(2026, 3, 2, 8, 0)

    with pytest.warns(RuntimeWarning, match="naive datetime"):
        insert_linked([report, case, event])

    assert CaseEvent.objects.get(pk=event.pk).created_at == datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
