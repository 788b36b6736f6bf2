"""Casework's side of intake's one interface (``intake.case_handling``): what a
report's arrival opens, where a report stands for its reporter, and the deadlines
the portal promises. Installed by the platform at start-up."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from casework import deadlines
from casework.access import visible_cases
from casework.models import Case, CaseEvent, CaseState
from casework.workflow import DEFAULT_NOTICES, reporter_notice_in
from intake.case_handling import PromisedDays, ReporterStatus
from intake.models import Channel
from tenants.audit.held_entries import held_entry_values
from tenants.audit.models import AuditEntry, HeldAuditEntry
from tenants.audit.trail import audit_entry_values
from tenants.clock import tenant_zone
from tenants.linked_insert import NewRow

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


def _next_step(case: Case) -> str:
    """Which promised step ``next_due`` is the deadline of ("acknowledge", …), or "" when none
    is open (the case waits on the reporter, or is dealt with)."""
    if case.next_due is None:
        return ""
    for name in deadlines.DEADLINE_FIELDS:
        if getattr(case, name) == case.next_due and getattr(case, deadlines.DONE_FIELDS[name]) is None:
            return name.removesuffix("_due")
    return ""


class CaseworkReportHandling:
    def rows_for_new_report(
        self, report: NewRow, *, received_on: date, channel: str, recorded_by: Any
    ) -> list[NewRow]:
        """The case with its deadlines, the "received" event and the audit entry (held, when
        the reporter sent it), for ``insert_linked`` after the report's own row."""
        # The hour a report arrived can point at its sender: what records the arrival
        # carries the day only (midnight in the tenant's zone), never the time.
        arrival_day = datetime.combine(received_on, time.min, tzinfo=tenant_zone())
        case_row = NewRow(
            Case,
            {
                "received_on": received_on,
                "reference": report.values["reference"],
                "updated_at": arrival_day,
                **deadlines.new_case_dues(received_on),
            },
            links={"report_id": report},
        )
        event = {
            "kind": "received",
            "actor_id": getattr(recorded_by, "pk", None),
            "to_state": CaseState.RECEIVED,
            "detail": channel,
            "created_at": arrival_day,
        }
        if recorded_by is None and channel == Channel.WEB:
            # The reporter's own action: held until the day is over, so that its place in
            # the chain says nothing about the time (tenants.audit.held_entries).
            held = held_entry_values(action="report_received", day=received_on, channel=channel)
            del held["case_id"]  # the case row's id, linked below
            audit_row = NewRow(HeldAuditEntry, held, links={"case_id": case_row})
        else:
            entry = audit_entry_values(
                action="report_received", actor=recorded_by, at=arrival_day, channel=channel
            )
            del entry["case_id"]
            audit_row = NewRow(AuditEntry, entry, links={"case_id": case_row})
        return [case_row, NewRow(CaseEvent, event, links={"case_id": case_row}), audit_row]

    def status_for_reporter(self, report_id: int) -> ReporterStatus:
        case = Case.objects.only(
            "state",
            "outcome",
            "sealed_outcome_summary",
            "forwarded_to_name",
            "next_due",
            *deadlines.DEADLINE_FIELDS,
            *deadlines.DONE_FIELDS.values(),
        ).get(report_id=report_id)
        status_id, status_en = REPORTER_STATUS[CaseState(case.state)]
        next_step = _next_step(case)
        return ReporterStatus(
            state=case.state,
            status_id=status_id,
            status_en=status_en,
            outcome=case.get_outcome_display() if case.outcome else "",
            sealed_outcome_summary=None
            if case.sealed_outcome_summary is None
            else bytes(case.sealed_outcome_summary),
            forwarded_to=case.forwarded_to_name,
            next_step=next_step,
            next_step_due=case.next_due if next_step else None,
        )

    def case_id_for_report(self, report_id: int) -> int:
        return int(Case.objects.values_list("pk", flat=True).get(report_id=report_id))

    def promised_working_days(self) -> PromisedDays | None:
        policy = deadlines.current_policy()
        return PromisedDays(
            acknowledge_days=policy.acknowledge_days,
            verification_days=policy.verification_days,
            conclude_days=policy.conclude_days,
        )

    def reporter_notice_text(self, notice: str, language: str) -> str | None:
        if notice not in DEFAULT_NOTICES:
            return None
        return reporter_notice_in(notice, language)

    def reports_visible_to(self, reader: Any, report_ids: Iterable[int]) -> set[int]:
        """Of these reports, those whose case this person may see (casework.access)."""
        cases = visible_cases(reader).filter(report_id__in=list(report_ids))
        return set(cases.values_list("report_id", flat=True))
