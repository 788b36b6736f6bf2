"""Accepting reports: from the portal and API, recorded by staff from other channels,
and forwarded from another inspectorate.

A report is accepted only once everything in it has been checked. Then, in two
steps: ``report_prepare`` seals it under a new report key and stores its files
(no transaction, no lock: storage is slow), and ``report_store`` writes the report
with its case, first event and audit entry in one statement (casework adds its
rows through ``intake.case_handling``), plus the files' rows, in one transaction.
If that fails, the stored files are removed: no report without its files, no file
without its report. The receipt is returned to the caller once and never stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from intake.case_handling import case_handling
from intake.encryption import ReportKey, new_report_key, wrap_report_key
from intake.evidence_storage import (
    StoredFile,
    prepare_evidence,
    record_files,
    remove_files,
    store_files,
    stored_names,
)
from intake.models import Channel, IntakeSettings, KeyPurpose, Report, Uploader
from intake.receipts import new_receipt, receipt_hash
from intake.references import UNIQUE_CONSTRAINT, new_reference
from intake.report_input import ReportDraft
from tenants.audit.held_entries import note_held_entries
from tenants.audit.models import HeldAuditEntry
from tenants.clock import tenant_today
from tenants.errors import InvalidInput
from tenants.linked_insert import NewRow, PreconditionFailed, insert_linked
from tenants.shared_memo import tenant_rows

REFERENCE_ATTEMPTS = 5
DATA_KEY_EXISTS = "SELECT 1 FROM intake_tenantkey WHERE purpose = %s AND version = %s"


@dataclass
class PreparedReport:
    """A checked report, sealed under its own key, its files already in storage."""

    key: ReportKey
    values: dict[str, Any]  # the report row's columns, but the wrapped key
    receipt: str
    files: list[StoredFile] = field(default_factory=list)

    @property
    def stored_file_names(self) -> list[str]:
        return stored_names(self.files)


@dataclass
class SubmittedReport:
    report_id: int
    case_id: int
    receipt: str

    @cached_property
    def report(self) -> Report:
        """The stored report, read back (the hot paths need only the receipt)."""
        return Report.objects.get(pk=self.report_id)


def report_prepare(
    *,
    draft: ReportDraft,
    files: Sequence[UploadedFile] = (),
    channel: str = Channel.WEB,
    received_on: date | None = None,
) -> PreparedReport:
    """Check the files and the limits, seal the report and store its files; writes no row.
    Raises InvalidInput. (What an anonymous sender pays for a web report is checked where
    the request arrives: intake.proof_of_work, from the portal form and the API.)"""
    limits = IntakeSettings.limits()
    today = tenant_today()
    if received_on is not None and received_on > today:
        raise InvalidInput(
            {"received_on": "Tanggal diterima tidak boleh di masa depan. / Cannot be in the future."}
        )
    prepared_files = prepare_evidence(files, limits=limits)
    receipt = new_receipt()
    hashed = receipt_hash(receipt)
    assert hashed is not None
    uid = uuid.uuid4()
    key = new_report_key(str(uid))
    values = {
        "uid": uid,
        "category_id": draft.category.pk,
        "channel": channel,
        "identity_mode": draft.identity_mode,
        "relation": draft.relation,
        "received_on": received_on or today,
        "reference": new_reference((received_on or today).year),
        "receipt_hash": hashed,
        "sealed_narrative": key.seal_json("narrative", draft.narrative),
        "sealed_identity": key.seal_json("identity", draft.identity) if draft.identity else None,
        "sealed_notify_email": key.seal("notify-email", draft.notify_email.encode())
        if draft.notify_email
        else None,
        "how_much": draft.how_much,
        "completeness": draft.completeness,
        "consent_to_forward_identity": draft.consent_to_forward_identity,
    }
    stored = store_files(key=key, prepared=prepared_files) if prepared_files else []
    return PreparedReport(key=key, values=values, receipt=receipt, files=stored)


def report_store(prepared: PreparedReport, *, recorded_by: Any = None) -> SubmittedReport:
    """Write a prepared report, its case and its files' rows. The caller removes the
    prepared files if this raises (``report_submit`` does)."""
    if not prepared.files:
        report_id, case_id = _insert_arrival(prepared, recorded_by)
    else:
        with transaction.atomic():
            report_id, case_id = _insert_arrival(prepared, recorded_by)
            record_files(report_id=report_id, stored=prepared.files, uploaded_by=Uploader.REPORTER)
    return SubmittedReport(report_id=report_id, case_id=case_id, receipt=prepared.receipt)


def report_submit(
    *,
    draft: ReportDraft,
    files: Sequence[UploadedFile] = (),
    channel: str = Channel.WEB,
    received_on: date | None = None,
    staff_user: Any = None,
) -> SubmittedReport:
    """Store a report and return its receipt. Raises InvalidInput."""
    prepared = report_prepare(draft=draft, files=files, channel=channel, received_on=received_on)
    try:
        return report_store(prepared, recorded_by=staff_user)
    except BaseException:
        remove_files(prepared.stored_file_names)
        raise


def _insert_arrival(prepared: PreparedReport, recorded_by: Any) -> tuple[int, int]:
    """The report with its case, first event and audit entry, in one statement.

    The statement writes only if the data key version that wraps the report key
    still exists. A rotation locks the report table while it re-wraps, so it either
    waits for this statement or this statement waits for it and then finds the old
    version gone: the remembered data key was stale, so forget it and wrap again."""
    try:
        return _insert_with_free_reference(prepared, recorded_by)
    except PreconditionFailed:
        tenant_rows.forget_all()
        return _insert_with_free_reference(prepared, recorded_by)


def _insert_with_free_reference(prepared: PreparedReport, recorded_by: Any) -> tuple[int, int]:
    """The arrival under its random reference, drawn again if another report has it (rare:
    about one in 24 million per report a year). Inside a transaction the attempt is a
    savepoint, so a collision leaves the transaction usable; alone it is one statement."""
    for attempt in range(REFERENCE_ATTEMPTS):
        try:
            in_transaction = transaction.get_connection().in_atomic_block
            with transaction.atomic() if in_transaction else nullcontext():
                return _insert_wrapped(prepared, recorded_by)
        except IntegrityError as error:
            if not _reference_taken(error) or attempt == REFERENCE_ATTEMPTS - 1:
                raise
            prepared.values["reference"] = new_reference(prepared.values["received_on"].year)
    raise AssertionError("unreachable")


def _reference_taken(error: IntegrityError) -> bool:
    diagnostics = getattr(error.__cause__, "diag", None)
    return getattr(diagnostics, "constraint_name", None) == UNIQUE_CONSTRAINT


def _insert_wrapped(prepared: PreparedReport, recorded_by: Any) -> tuple[int, int]:
    key_version, wrapped_key = wrap_report_key(prepared.key)
    report_row = NewRow(Report, {**prepared.values, "key_version": key_version, "wrapped_key": wrapped_key})
    case_rows = case_handling().rows_for_new_report(
        report_row,
        received_on=prepared.values["received_on"],
        channel=prepared.values["channel"],
        recorded_by=recorded_by,
    )
    insert_linked(
        [report_row, *case_rows], guard_sql=DATA_KEY_EXISTS, guard_params=[KeyPurpose.DATA, key_version]
    )
    if any(row.model is HeldAuditEntry for row in case_rows):
        transaction.on_commit(note_held_entries)
    return report_row.pk, case_rows[0].pk
