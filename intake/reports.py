"""Accepting reports: from the portal and API, and recorded by staff from other channels.

A report is accepted only once everything in it has been checked; it is then
written, with its case and files, in one transaction. The receipt is returned
to the caller once and never stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from casework.cases import case_rows_for_new_report
from intake import abuse
from intake.encryption import ReportKey, new_report_key
from intake.evidence import prepare_evidence, remove_files, store_evidence
from intake.models import Channel, IntakeSettings, KeyPurpose, Report, Uploader
from intake.receipts import new_receipt, receipt_hash
from intake.report_input import ReportDraft, ReportInvalid
from tenants.clock import tenant_today
from tenants.linked_insert import NewRow, PreconditionFailed, insert_linked
from tenants.shared_memo import tenant_rows

DATA_KEY_EXISTS = "SELECT 1 FROM intake_tenantkey WHERE purpose = %s AND version = %s"


def _write_report(
    draft: ReportDraft, channel: str, received_on: date, hashed: str, staff_user: object
) -> tuple[NewRow, NewRow, ReportKey]:
    """The report with its case, first event and audit entry, in one statement.

    The statement writes only if the data key version it is sealed under still
    exists. A rotation locks the report table while it re-wraps, so it either
    waits for this statement or this statement waits for it and then finds the old
    version gone: the remembered key was stale, so forget it and seal again.
    Returns the report's and the case's rows (with their ids) and the report key."""
    report_row, key = _sealed_report(draft, channel, received_on, hashed)
    try:
        case_row = _insert_with_case(report_row, received_on, channel, staff_user)
    except PreconditionFailed:
        tenant_rows.forget_all()
        report_row, key = _sealed_report(draft, channel, received_on, hashed)
        case_row = _insert_with_case(report_row, received_on, channel, staff_user)
    return report_row, case_row, key


def _sealed_report(
    draft: ReportDraft, channel: str, received_on: date, hashed: str
) -> tuple[NewRow, ReportKey]:
    """The report's row, sealed under a fresh report key wrapped by the tenant's data key."""
    uid = uuid.uuid4()
    key, key_version, wrapped_key = new_report_key(str(uid))
    values = {
        "uid": uid,
        "category_id": draft.category.pk,
        "channel": channel,
        "identity_mode": draft.identity_mode,
        "relation": draft.relation,
        "received_on": received_on,
        "receipt_hash": hashed,
        "key_version": key_version,
        "wrapped_key": wrapped_key,
        "sealed_narrative": key.seal_json("narrative", draft.narrative),
        "sealed_identity": key.seal_json("identity", draft.identity) if draft.identity else None,
        "sealed_notify_email": key.seal("notify-email", draft.notify_email.encode())
        if draft.notify_email
        else None,
        "how_much": draft.how_much,
        "completeness": draft.completeness,
        "consent_to_forward_identity": draft.consent_to_forward_identity,
    }
    return NewRow(Report, values), key


def _insert_with_case(report_row: NewRow, received_on: date, channel: str, staff_user: object) -> NewRow:
    case_rows = case_rows_for_new_report(
        report_row, received_on=received_on, channel=channel, actor=staff_user
    )
    insert_linked(
        [report_row, *case_rows],
        guard_sql=DATA_KEY_EXISTS,
        guard_params=[KeyPurpose.DATA, report_row.values["key_version"]],
    )
    return case_rows[0]


@dataclass
class SubmittedReport:
    report_id: int
    case_id: int
    receipt: str

    @cached_property
    def report(self) -> Report:
        """The stored report, read back (the hot paths need only the receipt)."""
        return Report.objects.get(pk=self.report_id)


def report_submit(
    *,
    draft: ReportDraft,
    files: Sequence[UploadedFile] = (),
    channel: str = Channel.WEB,
    received_on: date | None = None,
    staff_user: object = None,
) -> SubmittedReport:
    """Store a report and return its receipt. Raises ReportInvalid or abuse.TooManyAttempts."""
    limits = IntakeSettings.limits()
    today = tenant_today()
    if received_on is not None and received_on > today:
        raise ReportInvalid(
            {"received_on": "Tanggal diterima tidak boleh di masa depan. / Cannot be in the future."}
        )
    if channel == Channel.WEB:
        abuse.admit("submissions", limits.submissions_per_10_minutes)
    prepared = prepare_evidence(files, limits=limits)
    receipt = new_receipt()
    hashed = receipt_hash(receipt)
    assert hashed is not None

    if not prepared:
        report_row, case_row, _key = _write_report(draft, channel, received_on or today, hashed, staff_user)
    else:
        written: list[str] = []
        try:
            with transaction.atomic():
                report_row, case_row, key = _write_report(
                    draft, channel, received_on or today, hashed, staff_user
                )
                store_evidence(
                    report_id=report_row.pk,
                    key=key,
                    prepared=prepared,
                    uploaded_by=Uploader.REPORTER,
                    written=written,
                )
        except BaseException:
            remove_files(written)
            raise
    return SubmittedReport(report_id=report_row.pk, case_id=case_row.pk, receipt=receipt)
