"""The reporter's follow-up mailbox, opened with the receipt.

A receipt opens a short-lived session (20 minutes since the last action, then
log in again); only the session token's hash is stored. What a reporter reads
is decrypted on the way out and never cached.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from casework.audit import audit_record
from casework.models import Case, CaseEvent, CaseState
from intake import abuse
from intake.encryption import KeyUnavailable, ReportKey, report_key
from intake.evidence import prepare_evidence, remove_files, store_evidence
from intake.models import (
    Attachment,
    IntakeSettings,
    Message,
    MessageAuthor,
    Report,
    ReporterSession,
    Uploader,
)
from intake.receipts import receipt_hash
from intake.report_input import ReportInvalid
from tenants.clock import tenant_today
from wbs.task_queue import enqueue_on_commit

SESSION_LIFETIME = timedelta(minutes=20)
MAX_MESSAGE_LENGTH = 5000


class ReceiptRejected(ValueError):
    message = "Kode laporan tidak dikenal di portal ini. / This receipt is not known on this portal."


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def mailbox_open(*, receipt: str) -> tuple[str, Report]:
    """Check a receipt and open a session; returns (token, report)."""
    abuse.check_limit("receipt-failures", IntakeSettings.limits().receipt_failures_per_10_minutes)
    hashed = receipt_hash(receipt or "")
    report = Report.objects.filter(receipt_hash=hashed).first() if hashed else None
    if report is None:
        abuse.record("receipt-failures")
        raise ReceiptRejected()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        ReporterSession.objects.filter(expires_at__lt=timezone.now()).delete()
        ReporterSession.objects.create(
            report=report, token_hash=_token_hash(token), expires_at=timezone.now() + SESSION_LIFETIME
        )
    return token, report


def mailbox_report(token: str | None) -> Report | None:
    """The report a live session belongs to (extending the session), or None."""
    if not token:
        return None
    session = ReporterSession.objects.select_related("report").filter(token_hash=_token_hash(token)).first()
    if session is None or session.expires_at < timezone.now():
        return None
    ReporterSession.objects.filter(pk=session.pk).update(expires_at=timezone.now() + SESSION_LIFETIME)
    return session.report


def mailbox_close(token: str | None) -> None:
    if token:
        ReporterSession.objects.filter(token_hash=_token_hash(token)).delete()


# What the reporter is told about where their report stands, in plain language.
REPORTER_STATUS = {
    CaseState.RECEIVED: (
        "Laporan Anda sudah kami terima dan menunggu diperiksa kelengkapannya.",
        "Your report has been received and is waiting to be checked for completeness.",
    ),
    CaseState.VERIFICATION: (
        "Petugas sedang memeriksa kelengkapan laporan Anda.",
        "An officer is checking whether your report is complete.",
    ),
    CaseState.CLARIFICATION: (
        "Kami membutuhkan keterangan tambahan dari Anda. Silakan baca pesan petugas dan balas.",
        "We need more information from you. Please read the officer's message and reply.",
    ),
    CaseState.DESK_REVIEW: (
        "Laporan Anda sedang ditelaah untuk menentukan tindak lanjutnya.",
        "Your report is being reviewed to decide how to follow it up.",
    ),
    CaseState.EXAMINATION: (
        "Laporan Anda sedang dalam pemeriksaan oleh tim inspektorat.",
        "Your report is being examined by an inspectorate team.",
    ),
    CaseState.CONCLUDED: (
        "Penanganan laporan Anda sudah selesai. Hasilnya dapat Anda baca di bawah.",
        "Your report has been dealt with. You can read the outcome below.",
    ),
    CaseState.CLOSED: (
        "Laporan Anda sudah ditutup. Hasilnya dapat Anda baca di bawah.",
        "Your report is closed. You can read the outcome below.",
    ),
}


@dataclass
class MailboxMessage:
    author: str
    body: str
    created_on: date
    attachments: list[str]


# A crypto-shredded report (casework/retention.py): the receipt still opens the mailbox.
DESTROYED_STATUS = (
    "Laporan ini sudah dimusnahkan sesuai jadwal retensi arsip; isinya tidak dapat dibaca lagi.",
    "This report was destroyed under the archive retention schedule; its content can no longer be read.",
)


@dataclass
class MailboxView:
    report: Report
    state: str
    status_id: str
    status_en: str
    what: str
    messages: list[MailboxMessage]
    evidence: list[str]
    outcome: str
    outcome_summary: str
    destroyed: bool = False
    forwarded_to: str = ""  # the inspectorate the report was forwarded to (casework/forwarding.py)


def mailbox_view(report: Report) -> MailboxView:
    case = Case.objects.get(report=report)
    try:
        key = report_key(report)
    except KeyUnavailable:
        return MailboxView(
            report=report,
            state=case.state,
            status_id=DESTROYED_STATUS[0],
            status_en=DESTROYED_STATUS[1],
            what="",
            messages=[],
            evidence=[],
            outcome=case.get_outcome_display() if case.outcome else "",
            outcome_summary="",
            destroyed=True,
            forwarded_to=case.forwarded_to_name,
        )
    narrative = key.open_json("narrative", bytes(report.sealed_narrative))
    attachments = list(Attachment.objects.filter(report=report))
    names = {
        item.pk: key.open("attachment-name", bytes(item.sealed_display_name)).decode() for item in attachments
    }
    messages = [
        MailboxMessage(
            author=message.author,
            body=key.open("message", bytes(message.sealed_body)).decode(),
            created_on=message.created_on,
            attachments=[names[item.pk] for item in attachments if item.message_id == message.pk],
        )
        for message in Message.objects.filter(report=report)
    ]
    Message.objects.filter(report=report, author=MessageAuthor.STAFF, read_by_reporter=False).update(
        read_by_reporter=True
    )
    status_id, status_en = REPORTER_STATUS[CaseState(case.state)]
    summary = ""
    if case.sealed_outcome_summary is not None:
        summary = key.open("outcome-summary", bytes(case.sealed_outcome_summary)).decode()
    return MailboxView(
        report=report,
        state=case.state,
        status_id=status_id,
        status_en=status_en,
        what=narrative.get("what", ""),
        messages=messages,
        evidence=[names[item.pk] for item in attachments if item.message_id is None],
        outcome=case.get_outcome_display() if case.outcome else "",
        outcome_summary=summary,
        forwarded_to=case.forwarded_to_name,
    )


def _key_for_reply(report: Report) -> ReportKey:
    try:
        return report_key(report)
    except KeyUnavailable as error:
        raise ReportInvalid(
            {"body": "Laporan ini sudah dimusnahkan. / This report was destroyed."}
        ) from error


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ReportInvalid({"body": "Pesan tidak boleh kosong. / The message is empty."})
    if len(body) > MAX_MESSAGE_LENGTH:
        raise ReportInvalid({"body": f"Pesan terlalu panjang (maksimal {MAX_MESSAGE_LENGTH}). / Too long."})
    return body


def mailbox_reply(*, report: Report, body: str, files: Sequence[UploadedFile] = ()) -> Message:
    """The reporter answers (optionally with more evidence)."""
    body = _clean_body(body)
    key = _key_for_reply(report)
    prepared = prepare_evidence(files, already_stored=Attachment.objects.filter(report=report).count())
    written: list[str] = []
    try:
        with transaction.atomic():
            message = Message.objects.create(
                report=report,
                author=MessageAuthor.REPORTER,
                sealed_body=key.seal("message", body.encode()),
                created_on=tenant_today(),
            )
            store_evidence(
                report_id=report.pk,
                key=key,
                prepared=prepared,
                uploaded_by=Uploader.REPORTER,
                message=message,
                written=written,
            )
    except BaseException:
        remove_files(written)
        raise
    return message


def mailbox_add_evidence(*, report: Report, files: Sequence[UploadedFile]) -> list[Attachment]:
    if not files:
        raise ReportInvalid({"evidence": "Pilih berkas yang akan dikirim. / Choose a file to send."})
    key = _key_for_reply(report)
    prepared = prepare_evidence(files, already_stored=Attachment.objects.filter(report=report).count())
    written: list[str] = []
    try:
        with transaction.atomic():
            return store_evidence(
                report_id=report.pk,
                key=key,
                prepared=prepared,
                uploaded_by=Uploader.REPORTER,
                written=written,
            )
    except BaseException:
        remove_files(written)
        raise


def message_to_reporter(*, report: Report, staff_user: Any, body: str) -> Message:
    """Staff write to the reporter; a reporter who left an email is told there is news."""
    from intake.tasks import notify_reporter_of_news

    body = _clean_body(body)
    try:
        key = report_key(report)
    except KeyUnavailable as error:
        raise ReportInvalid(
            {"body": "Laporan ini sudah dimusnahkan. / This report was destroyed."}
        ) from error
    with transaction.atomic():
        message = Message.objects.create(
            report=report,
            author=MessageAuthor.STAFF,
            staff_author=staff_user,
            sealed_body=key.seal("message", body.encode()),
            created_on=tenant_today(),
            staff_notified=True,
        )
        if report.sealed_notify_email is not None:
            enqueue_on_commit(notify_reporter_of_news, report.pk)
        case = Case.objects.filter(report=report).only("pk").first()
        if case is not None:
            CaseEvent.objects.create(case=case, kind="message_to_reporter", actor=staff_user)
            audit_record(
                action="message_to_reporter", actor=staff_user, case_id=case.pk, message_id=message.pk
            )
    return message
