"""The reporter's follow-up mailbox, opened with the receipt.

A receipt opens a short-lived session (20 minutes since the last action, then
log in again), kept only in Redis under the token's hash, gone at expiry or sign-out. What a reporter reads
is decrypted on the way out and never cached.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from intake.case_handling import case_handling
from intake.encryption import KeyUnavailable, ReportKey, report_key
from intake.evidence_storage import prepare_evidence, record_files, remove_files, store_files, stored_names
from intake.models import (
    Attachment,
    IntakeSettings,
    Message,
    MessageAuthor,
    Report,
    Uploader,
)
from intake.proof_of_work import SenderProof, proof_spend
from intake.receipt_flood import under_receipt_flood, wrong_receipt_counted
from intake.receipts import receipt_hash
from tenants.audit.held_entries import audit_hold
from tenants.clock import tenant_today
from tenants.errors import InvalidInput
from tenants.task_queue import enqueue_on_commit

SESSION_LIFETIME = timedelta(minutes=20)
MAX_MESSAGE_LENGTH = 5000


class ReceiptRejected(InvalidInput):
    message = "Kode laporan tidak dikenal di portal ini. / This receipt is not known on this portal."

    def __init__(self) -> None:
        super().__init__({"receipt": self.message})


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _session_key(token: str) -> str:
    # The tenant-prefixed cache (django-tenants' key function): a token opens nothing elsewhere.
    return f"mailbox-session:{_token_hash(token)}"


def mailbox_open(*, receipt: str, proof: SenderProof | None = None) -> tuple[str, Report]:
    """Check a receipt and open a session; returns (token, report).

    The session lives only in Redis, expiring ``SESSION_LIFETIME`` after the last action:
    no row is left to say when a reporter last looked. Without Redis the mailbox cannot
    open (the request fails); submitting a report does not need a session.

    The check is one keyed hash and one unique-index lookup. While the tenant is under a
    flood of wrong receipts (intake.receipt_flood) it needs a proof of work first, which
    the portal's form always carries: the flood costs its sender, never the reporters."""
    if under_receipt_flood(IntakeSettings.limits().receipt_failures_per_10_minutes):
        proof_spend(proof)
    hashed = receipt_hash(receipt or "")
    report = Report.objects.filter(receipt_hash=hashed).first() if hashed else None
    if report is None:
        wrong_receipt_counted()
        raise ReceiptRejected()
    token = secrets.token_urlsafe(32)
    cache.set(_session_key(token), report.pk, timeout=int(SESSION_LIFETIME.total_seconds()))
    return token, report


def mailbox_report(token: str | None) -> Report | None:
    """The report a live session belongs to (extending the session), or None."""
    if not token:
        return None
    key = _session_key(token)
    report_id = cache.get(key)
    if report_id is None:
        return None
    cache.touch(key, timeout=int(SESSION_LIFETIME.total_seconds()))
    return Report.objects.filter(pk=report_id).first()


def mailbox_close(token: str | None) -> None:
    if token:
        cache.delete(_session_key(token))


@dataclass
class MailboxMessage:
    author: str
    body: str
    created_on: date
    attachments: list[str]
    notice: str = ""  # set on a notice the workflow sent (its transition), empty on written ones


# A crypto-shredded report (casework.services.retention): the receipt still opens the mailbox.
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
    forwarded_to: str = ""  # the inspectorate the report was forwarded to (casework.services.forwarding)
    # The reporter's own copy of what they reported (the sealed narrative, opened), and
    # when the next promised step is due (none while the case waits on them or is done).
    narrative: dict[str, Any] = field(default_factory=dict)
    next_step: str = ""
    next_step_due: date | None = None

    @property
    def reference(self) -> str:
        return self.report.reference

    @property
    def received_on(self) -> date:
        """The day only: the time a report arrived is never kept."""
        return self.report.received_on


def _message_body(message: Message, key: ReportKey, language: str) -> str:
    """A notice the workflow sent reads in the reader's language; anything else (and a
    notice whose wording is no longer known) as it was written."""
    if message.notice:
        rendered = case_handling().reporter_notice_text(message.notice, language)
        if rendered:
            return rendered
    return key.open("message", bytes(message.sealed_body)).decode()


def mailbox_view(report: Report, *, language: str = "id") -> MailboxView:
    """What the reporter reads, system notices in ``language`` ("id" or "en"); staff
    messages are marked read by the reporter."""
    status = case_handling().status_for_reporter(report.pk)
    try:
        key = report_key(report)
    except KeyUnavailable:
        return MailboxView(
            report=report,
            state=status.state,
            status_id=DESTROYED_STATUS[0],
            status_en=DESTROYED_STATUS[1],
            what="",
            messages=[],
            evidence=[],
            outcome=status.outcome,
            outcome_summary="",
            destroyed=True,
            forwarded_to=status.forwarded_to,
        )
    narrative = key.open_json("narrative", bytes(report.sealed_narrative))
    attachments = list(Attachment.objects.filter(report=report))
    names = {
        item.pk: key.open("attachment-name", bytes(item.sealed_display_name)).decode() for item in attachments
    }
    messages = [
        MailboxMessage(
            author=message.author,
            body=_message_body(message, key, language),
            created_on=message.created_on,
            attachments=[names[item.pk] for item in attachments if item.message_id == message.pk],
            notice=message.notice,
        )
        for message in Message.objects.filter(report=report)
    ]
    Message.objects.filter(report=report, author=MessageAuthor.STAFF, read_by_reporter=False).update(
        read_by_reporter=True
    )
    summary = ""
    if status.sealed_outcome_summary is not None:
        summary = key.open("outcome-summary", status.sealed_outcome_summary).decode()
    return MailboxView(
        report=report,
        state=status.state,
        status_id=status.status_id,
        status_en=status.status_en,
        what=narrative.get("what", ""),
        messages=messages,
        evidence=[names[item.pk] for item in attachments if item.message_id is None],
        outcome=status.outcome,
        outcome_summary=summary,
        forwarded_to=status.forwarded_to,
        narrative=narrative,
        next_step=status.next_step,
        next_step_due=status.next_step_due,
    )


def _key_for_reply(report: Report) -> ReportKey:
    try:
        return report_key(report)
    except KeyUnavailable as error:
        raise InvalidInput({"body": "Laporan ini sudah dimusnahkan. / This report was destroyed."}) from error


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise InvalidInput({"body": "Pesan tidak boleh kosong. / The message is empty."})
    if len(body) > MAX_MESSAGE_LENGTH:
        raise InvalidInput({"body": f"Pesan terlalu panjang (maksimal {MAX_MESSAGE_LENGTH}). / Too long."})
    return body


def mailbox_reply(*, report: Report, body: str, files: Sequence[UploadedFile] = ()) -> Message:
    """The reporter answers (optionally with more evidence)."""
    body = _clean_body(body)
    key = _key_for_reply(report)
    prepared = prepare_evidence(files, already_stored=Attachment.objects.filter(report=report).count())
    stored = store_files(key=key, prepared=prepared)
    try:
        with transaction.atomic():
            message = Message.objects.create(
                report=report,
                author=MessageAuthor.REPORTER,
                sealed_body=key.seal("message", body.encode()),
                created_on=tenant_today(),
            )
            record_files(report_id=report.pk, stored=stored, uploaded_by=Uploader.REPORTER, message=message)
            audit_hold(
                action="reporter_reply",
                case_id=case_handling().case_id_for_report(report.pk),
                evidence_files=len(stored),
            )
    except BaseException:
        remove_files(stored_names(stored))
        raise
    return message


def mailbox_add_evidence(*, report: Report, files: Sequence[UploadedFile]) -> list[Attachment]:
    if not files:
        raise InvalidInput({"evidence": "Pilih berkas yang akan dikirim. / Choose a file to send."})
    key = _key_for_reply(report)
    prepared = prepare_evidence(files, already_stored=Attachment.objects.filter(report=report).count())
    stored = store_files(key=key, prepared=prepared)
    try:
        with transaction.atomic():
            attachments = record_files(report_id=report.pk, stored=stored, uploaded_by=Uploader.REPORTER)
            audit_hold(
                action="reporter_evidence",
                case_id=case_handling().case_id_for_report(report.pk),
                evidence_files=len(stored),
            )
            return attachments
    except BaseException:
        remove_files(stored_names(stored))
        raise


def staff_message_post(*, report: Report, staff_user: Any, body: str, notice: str = "") -> Message:
    """Staff write to the reporter; a reporter who left an email is told there is news.
    ``notice`` names the workflow notice ``body`` is (in the tenant's language), so the
    mailbox can show it in the reporter's.

    Called inside casework's service, which records the case's event and audit entry."""
    from intake.tasks import notify_reporter_of_news

    body = _clean_body(body)
    key = _key_for_reply(report)
    with transaction.atomic():
        message = Message.objects.create(
            report=report,
            author=MessageAuthor.STAFF,
            staff_author=staff_user,
            sealed_body=key.seal("message", body.encode()),
            notice=notice,
            created_on=tenant_today(),
            staff_notified=True,
        )
        if report.sealed_notify_email is not None:
            enqueue_on_commit(notify_reporter_of_news, report.pk)
    return message
