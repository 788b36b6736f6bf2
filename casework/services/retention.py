"""Retention: a closed case is kept for the tenant's archive schedule (JRA), then
crypto-shredded.

When a case is closed its ``retain_until`` is set to the closing date plus
``RetentionPolicy.years_after_closure`` years (a reopened case loses it again):
the transition service does it (casework.services.transitions). Every hour the
beat task ``casework.tasks.shred_expired_cases_due`` queues each tenant's
``shred_expired_cases``, spread over the hour; it shreds every case whose
``retain_until`` has passed in the tenant's own time zone.

Shredding destroys the report's key and everything sealed with it: the
narrative, identity and notification address, the bodies of messages and
internal notes, the outcome summary, and the evidence files in storage with
their rows. What staff count by stays: the case row (state, outcome, dates),
the report's category, channel, identity mode, date received and completeness.
The receipt still opens the mailbox, which then says the report was destroyed
under the retention schedule.

Destroying a case before its time takes two different administrators: one
requests (``case_request_early_deletion``), another approves
(``case_approve_early_deletion``), which shreds at once.
"""

from __future__ import annotations

import zlib
from datetime import date
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django_tenants.utils import schema_context

from casework.access import require
from casework.models import Case, CaseEvent, CaseState, EarlyDeletionRequest, InternalNote, RetentionPolicy
from intake.models import Attachment, Message, Report
from tenants.audit.trail import audit_record
from tenants.clock import tenant_today
from tenants.db import connection
from tenants.errors import InvalidInput

SPREAD_SLOTS = 12  # five-minute slots in the hour the beat runs
SLOT_SECONDS = 300


def retention_end(closed_on: date, years: int | None = None) -> date:
    """The last day a case closed on ``closed_on`` is kept (29 February becomes 28 February)."""
    if years is None:
        years = RetentionPolicy.current().years_after_closure
    try:
        return closed_on.replace(year=closed_on.year + years)
    except ValueError:
        return closed_on.replace(year=closed_on.year + years, day=28)


# --- Shredding ------------------------------------------------------------------------


def _shred(case: Case, *, actor: Any, reason: str) -> Case:
    """Destroy a case's key and sealed content (inside the caller's transaction).

    Files leave storage once the transaction commits: a rollback keeps both
    the rows and the files.
    """
    case = Case.objects.select_for_update().select_related("report").get(pk=case.pk)
    if case.shredded_on is not None:
        raise InvalidInput({"case": "Kasus ini sudah dimusnahkan. / This case was already destroyed."})
    report = case.report
    attachments = list(Attachment.objects.filter(report=report))
    files = [name for item in attachments for name in (item.storage_name, item.original_storage_name) if name]
    Attachment.objects.filter(report=report).delete()
    Message.objects.filter(report=report).update(sealed_body=b"")
    InternalNote.objects.filter(case=case).update(sealed_body=b"")
    Report.objects.filter(pk=report.pk).update(
        wrapped_key=None, sealed_narrative=b"", sealed_identity=None, sealed_notify_email=None
    )
    case.sealed_outcome_summary = None
    case.shredded_on = tenant_today()
    case.save(update_fields=["sealed_outcome_summary", "shredded_on", "updated_at"])
    CaseEvent.objects.create(case=case, kind="shred", actor=actor, detail=reason)
    audit_record(
        action="shred",
        actor=actor,
        case_id=case.pk,
        reason=reason,
        retain_until=case.retain_until.isoformat() if case.retain_until else None,
        files_deleted=len(files),
    )
    schema_name = connection.schema_name
    transaction.on_commit(lambda: _delete_files(schema_name, files))
    return case


def _delete_files(schema_name: str, names: list[str]) -> None:
    # Storage paths are under the tenant's prefix: select it again, whatever runs the callback.
    with schema_context(schema_name):
        for name in names:
            default_storage.delete(name)


def retention_slot(schema_name: str) -> int:
    """The five-minute slot of the hour in which a tenant's shredding runs."""
    return zlib.crc32(schema_name.encode()) % SPREAD_SLOTS


def expired_cases() -> Any:
    return Case.objects.filter(shredded_on__isnull=True, retain_until__lt=tenant_today())


def shred_expired_cases() -> int:
    """Shred this tenant's cases whose retention has passed. Returns how many were shredded."""
    # Closed cases that somehow missed their date (bulk updates) get it now.
    for case in Case.objects.filter(
        state=CaseState.CLOSED, retain_until__isnull=True, shredded_on__isnull=True
    ):
        case.retain_until = retention_end(case.closed_on or tenant_today())
        case.save(update_fields=["retain_until", "updated_at"])
    shredded = 0
    for case_id in expired_cases().values_list("pk", flat=True):
        with transaction.atomic():
            due = Case.objects.select_for_update().filter(pk=case_id, shredded_on__isnull=True).first()
            if due is None:  # another worker was quicker
                continue
            _shred(due, actor=None, reason="retention")
        shredded += 1
    return shredded


# --- Early deletion: two administrators ----------------------------------------------


def case_request_early_deletion(*, case: Case, actor: Any, reason: str) -> EarlyDeletionRequest:
    """An administrator asks to destroy a closed case before its retention ends."""
    require(actor, "request_early_deletion")
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise InvalidInput(
            {"reason": "Jelaskan alasan pemusnahan dini. / Explain why it must be destroyed early."}
        )
    if case.shredded_on is not None:
        raise InvalidInput({"case": "Kasus ini sudah dimusnahkan. / This case was already destroyed."})
    if case.state != CaseState.CLOSED:
        raise InvalidInput(
            {
                "case": "Hanya kasus yang sudah ditutup dapat dimusnahkan. / Only a closed case can be destroyed."
            }
        )
    with transaction.atomic():
        if EarlyDeletionRequest.objects.filter(case=case).exists():
            raise InvalidInput(
                {"case": "Pemusnahan kasus ini sudah diminta. / Its destruction was already requested."}
            )
        request = EarlyDeletionRequest.objects.create(case=case, requested_by=actor, reason=reason[:500])
        CaseEvent.objects.create(case=case, kind="early_deletion_requested", actor=actor)
        audit_record(action="early_deletion_request", actor=actor, case_id=case.pk, request_id=request.pk)
    return request


def case_approve_early_deletion(*, case: Case, actor: Any) -> Case:
    """A second, different administrator approves: the case is shredded at once."""
    require(actor, "approve_early_deletion")
    with transaction.atomic():
        request = EarlyDeletionRequest.objects.select_for_update().filter(case=case).first()
        if request is None:
            raise InvalidInput(
                {"case": "Belum ada permintaan pemusnahan dini. / No early deletion was requested."}
            )
        if request.requested_by_id is not None and request.requested_by_id == getattr(actor, "pk", None):
            raise InvalidInput(
                {
                    "approver": "Pemusnahan dini harus disetujui administrator lain, bukan yang memintanya. "
                    "/ A different administrator must approve an early deletion, not the one who asked."
                }
            )
        audit_record(
            action="early_deletion_approve",
            actor=actor,
            case_id=case.pk,
            request_id=request.pk,
            requested_by_id=request.requested_by_id,
        )
        return _shred(case, actor=actor, reason="early_deletion")


def case_refuse_early_deletion(*, case: Case, actor: Any) -> None:
    """Another administrator turns the request down (the requester may also withdraw it)."""
    require(actor, "approve_early_deletion")
    with transaction.atomic():
        request = EarlyDeletionRequest.objects.select_for_update().filter(case=case).first()
        if request is None:
            raise InvalidInput(
                {"case": "Belum ada permintaan pemusnahan dini. / No early deletion was requested."}
            )
        request_id = request.pk
        request.delete()
        CaseEvent.objects.create(case=case, kind="early_deletion_refused", actor=actor)
        audit_record(action="early_deletion_refuse", actor=actor, case_id=case.pk, request_id=request_id)
