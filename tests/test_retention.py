"""Retention: closing starts the clock, the hourly task crypto-shreds what has
expired (and nothing else), statistics stay, the receipt still opens a mailbox
that says the report was destroyed; early deletion takes two administrators."""

from datetime import timedelta

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from casework.models import Case, CaseState, EarlyDeletionRequest, InternalNote, RetentionPolicy
from casework.services.retention import (
    case_approve_early_deletion,
    case_request_early_deletion,
    retention_end,
    shred_expired_cases,
)
from casework.services.transitions import case_transition
from casework.tasks import shred_expired_cases_due
from intake.encryption import KeyUnavailable, report_key
from intake.models import Attachment, Message, Report
from tenants.accounts.models import StaffRole, User
from tenants.audit.models import AuditEntry
from tenants.audit.trail import audit_verify
from tenants.clock import tenant_today
from tenants.errors import InvalidInput, NotAllowed
from tenants.onboarding import primary_hostname
from tests.factories.casework import CaseFactory
from tests.factories.intake import ReportFactory

REPORT = {
    "category": "pungli",
    "what": "Pungutan liar pada pengurusan izin usaha",
    "description": "Petugas loket meminta uang Rp 500.000 di luar tarif resmi.",
    "where": "Kantor DPMPTSP, loket 3",
    "how_much": 500000,
    "identity_mode": "confidential",
    "identity": {"name": "Siti Rahma", "nik": "7271010101900001"},
    "notify_email": "siti@example.com",
}


pytestmark = pytest.mark.usefixtures("evidence_in_tmp")


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def staff(email: str) -> User:
    return User.objects.get(email=email)


def submitted_case(*, with_file: bool = True) -> tuple[Case, str]:
    arrival = ReportFactory.create(**REPORT, with_pdf=with_file)
    return CaseFactory.create(arrival=arrival), arrival.receipt


def closed_case(*, with_file: bool = True) -> tuple[Case, str]:
    """A case taken through the workflow to closed (substantiated), with messages, a note and a file."""
    arrival = ReportFactory.create(**REPORT, with_pdf=with_file)
    case = CaseFactory.create(
        arrival=arrival,
        state=CaseState.CLOSED,
        outcome="substantiated",
        replies=["Saya punya kuitansi tambahan."],
        notes=["Cek loket 3, petugas shift pagi."],
    )
    return case, arrival.receipt


def expire(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(retain_until=tenant_today() - timedelta(days=1))


def open_mailbox(receipt: str) -> tuple[Client, str]:
    client = Client(HTTP_HOST=primary_hostname("sukabumi"))
    response = client.post("/api/v1/intake/session", {"receipt": receipt}, content_type="application/json")
    assert response.status_code == 200, response.content
    return client, response.json()["token"]


def test_closing_a_case_starts_its_retention_and_reopening_stops_it(sukabumi):
    with schema_context("sukabumi"):
        RetentionPolicy.objects.update_or_create(pk=1, defaults={"years_after_closure": 5})
        case, _receipt = closed_case(with_file=False)
        assert case.state == CaseState.CLOSED
        assert case.closed_on == tenant_today()
        assert case.retain_until == retention_end(case.closed_on, 5)
        assert case.retain_until.year == tenant_today().year + 5
        assert Case.objects.get(pk=case.pk).retain_until == case.retain_until

        case = case_transition(case=case, actor=staff("inspektur@sukabumi.example"), transition="reopen")
        assert case.state == CaseState.DESK_REVIEW and case.retain_until is None


def test_a_leap_day_closure_is_kept_until_28_february():
    from datetime import date

    assert retention_end(date(2028, 2, 29), 10) == date(2038, 2, 28)


def test_the_hourly_task_shreds_only_expired_cases(
    sukabumi, evidence_in_tmp, django_capture_on_commit_callbacks
):
    with schema_context("sukabumi"):
        expired, receipt = closed_case()
        kept, _kept_receipt = closed_case()
        still_open, _open_receipt = submitted_case()
        expire(expired)
        expired_files = {
            name
            for item in Attachment.objects.filter(report=expired.report)
            for name in (item.storage_name, item.original_storage_name)
            if name
        }
        assert expired_files
        before = {
            "category": expired.report.category_id,
            "channel": expired.report.channel,
            "received_on": expired.report.received_on,
            "identity_mode": expired.report.identity_mode,
            "completeness": expired.report.completeness,
        }
        messages_before = Message.objects.filter(report=expired.report).count()
    files_before = len(stored_files(evidence_in_tmp))

    with django_capture_on_commit_callbacks(execute=True):
        queued = shred_expired_cases_due()  # eager in tests: each tenant's task runs at once
    assert queued >= 2  # every tenant gets its turn

    with schema_context("sukabumi"):
        shredded = Case.objects.select_related("report").get(pk=expired.pk)
        report = shredded.report
        assert shredded.shredded_on == tenant_today()
        # The key is gone: nothing sealed with it can be opened again.
        assert report.wrapped_key is None
        with pytest.raises(KeyUnavailable):
            report_key(report)
        assert bytes(report.sealed_narrative) == b""
        assert report.sealed_identity is None and report.sealed_notify_email is None
        assert shredded.sealed_outcome_summary is None
        assert all(bytes(m.sealed_body) == b"" for m in Message.objects.filter(report=report))
        assert all(bytes(n.sealed_body) == b"" for n in InternalNote.objects.filter(case=shredded))
        assert not Attachment.objects.filter(report=report).exists()
        # Statistics stay.
        assert shredded.state == CaseState.CLOSED and shredded.outcome == "substantiated"
        assert shredded.received_on and shredded.concluded_on and shredded.closed_on
        assert {
            "category": report.category_id,
            "channel": report.channel,
            "received_on": report.received_on,
            "identity_mode": report.identity_mode,
            "completeness": report.completeness,
        } == before
        assert Message.objects.filter(report=report).count() == messages_before

        # The others are untouched.
        for case in (kept, still_open):
            fresh = Case.objects.select_related("report").get(pk=case.pk)
            assert fresh.shredded_on is None and fresh.report.wrapped_key is not None
            assert report_key(fresh.report).open_json("narrative", bytes(fresh.report.sealed_narrative))
            assert Attachment.objects.filter(report=fresh.report).exists()

        shred = AuditEntry.objects.get(action="shred", case_id=expired.pk)
        assert shred.actor_id is None and shred.details["reason"] == "retention"
        assert not AuditEntry.objects.filter(action="shred", case_id__in=[kept.pk, still_open.pk]).exists()
        assert audit_verify()[1] == []
        # A second run finds nothing left to do.
        assert shred_expired_cases() == 0

    remaining = {path.name for path in stored_files(evidence_in_tmp)}
    assert len(stored_files(evidence_in_tmp)) == files_before - len(expired_files)
    assert not any(name.rsplit("/", 1)[-1] in remaining for name in expired_files)

    # The receipt still opens the mailbox, which says the report was destroyed.
    client, token = open_mailbox(receipt)
    status = client.get("/api/v1/intake/report", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert status.status_code == 200
    body = status.json()
    assert body["destroyed"] is True
    assert "dimusnahkan" in body["status"] and "retention" in body["status_en"]
    assert body["what"] == "" and body["outcome_summary"] == "" and body["evidence"] == []
    messages = client.get("/api/v1/intake/messages", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert messages.status_code == 200 and messages.json() == []
    reply = client.post(
        "/api/v1/intake/messages",
        {"body": "Halo?"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert reply.status_code == 400 and "dimusnahkan" in str(reply.json()["errors"])

    page = Client(HTTP_HOST=primary_hostname("sukabumi"))
    assert page.post("/pantau/", {"receipt": receipt}).status_code == 302
    mailbox = page.get("/pantau/kotak/")
    assert mailbox.status_code == 200
    text = mailbox.content.decode()
    assert "dimusnahkan sesuai jadwal retensi arsip" in text
    assert 'name="body"' not in text  # nothing to reply to


def test_early_deletion_needs_two_different_administrators(
    sukabumi, evidence_in_tmp, django_capture_on_commit_callbacks
):
    with schema_context("sukabumi"):
        case, _receipt = closed_case()
        first = staff("admin@sukabumi.example")
        second = User.objects.create_user(
            username="admin2@sukabumi.example",
            email="admin2@sukabumi.example",
            roles=[StaffRole.ADMINISTRATOR],
        )
        supervisor = staff("inspektur@sukabumi.example")

        with pytest.raises(NotAllowed):
            case_request_early_deletion(
                case=case, actor=supervisor, reason="Laporan berisi data pribadi pihak ketiga."
            )
        with pytest.raises(InvalidInput) as no_request:
            case_approve_early_deletion(case=case, actor=second)
        assert "case" in no_request.value.errors
        with pytest.raises(InvalidInput):
            case_request_early_deletion(case=case, actor=first, reason="")  # a reason is required

        request = case_request_early_deletion(
            case=case, actor=first, reason="Laporan berisi data pribadi pihak ketiga."
        )
        assert request.requested_by == first
        with pytest.raises(InvalidInput) as same:
            case_approve_early_deletion(case=case, actor=first)
        assert "administrator lain" in same.value.errors["approver"]
        assert "different administrator" in same.value.errors["approver"]
        assert Case.objects.get(pk=case.pk).shredded_on is None
        with pytest.raises(NotAllowed):
            case_approve_early_deletion(case=case, actor=supervisor)

        with django_capture_on_commit_callbacks(execute=True):
            shredded = case_approve_early_deletion(case=case, actor=second)
        assert shredded.shredded_on == tenant_today()
        assert shredded.retain_until is not None
        assert shredded.retain_until > tenant_today()  # destroyed before its time
        report = Report.objects.get(pk=case.report_id)
        with pytest.raises(KeyUnavailable):
            report_key(report)
        assert not Attachment.objects.filter(report=report).exists()
        assert EarlyDeletionRequest.objects.filter(case=case).exists()

        trail = list(AuditEntry.objects.filter(case_id=case.pk).values_list("action", "actor_id"))
        assert ("early_deletion_request", first.pk) in trail
        assert ("early_deletion_approve", second.pk) in trail
        assert ("shred", second.pk) in trail
        assert AuditEntry.objects.get(action="shred", case_id=case.pk).details["reason"] == "early_deletion"
        assert audit_verify()[1] == []
        with pytest.raises(InvalidInput):
            case_request_early_deletion(case=case, actor=first, reason="Sekali lagi, tolong dimusnahkan.")
    assert stored_files(evidence_in_tmp) == []


def test_only_a_closed_case_can_be_deleted_early(sukabumi):
    with schema_context("sukabumi"):
        case, _receipt = submitted_case(with_file=False)
        with pytest.raises(InvalidInput) as refused:
            case_request_early_deletion(
                case=case, actor=staff("admin@sukabumi.example"), reason="Laporan salah kirim."
            )
        assert "closed" in refused.value.errors["case"]
        assert not EarlyDeletionRequest.objects.exists()
