"""Closing junk in bulk: reports a script sent, not a reporter.

Each report costs its sender a proof of work (intake.proof_of_work), so junk can come
but never locks reporters out; staff then close it in one step from the case list or
the staff API. Only cases still in intake (received or being verified) can be closed
so: anything further along was judged to be a real report.

The reporter's side sees an ordinary conclusion: the outcome "cannot be followed up"
(Outcome.CANNOT_FOLLOW_UP, no outcome of its own that would label a real reporter's
report as junk), a neutral summary and the tenant's usual "your report has been dealt
with" notice. Staff see "closed as junk" in the timeline and the audit trail: one
entry per case, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from casework import deadlines
from casework.access import require, visible_cases
from casework.models import Case, CaseEvent, CaseState, Outcome
from casework.services.messages import case_message_reporter
from casework.services.retention import retention_end
from casework.workflow import reporter_notice
from intake.encryption import report_key
from intake.references import is_reference
from tenants.audit.trail import audit_record
from tenants.clock import tenant_today
from tenants.errors import InvalidInput

JUNK_STATES = frozenset({CaseState.RECEIVED, CaseState.VERIFICATION})
MAX_CASES_AT_ONCE = 500
JUNK_SUMMARY = (
    "Laporan ini tidak memuat informasi yang dapat ditindaklanjuti. "
    "/ This report holds no information that can be followed up."
)
CHOOSE_CASES = "Pilih kasus yang akan ditutup. / Choose the cases to close."
TOO_MANY = f"Paling banyak {MAX_CASES_AT_ONCE} kasus sekaligus. / At most {MAX_CASES_AT_ONCE} cases at once."
UNKNOWN_CASES = "Kasus tidak dikenal: {references}. / Unknown cases."
NOT_IN_INTAKE = (
    "Hanya kasus berstatus Diterima atau Verifikasi yang dapat ditutup sebagai sampah: {references}. "
    "/ Only cases still in intake can be closed as junk."
)


def _references(given: Sequence[Any]) -> list[str]:
    """Case references as staff type or tick them (any case, spaces around ignored; a NUL,
    which no reference holds, dropped so the refusal can name what was sent)."""
    typed = (str(value).replace("\x00", "").strip().upper()[:40] for value in given)
    return sorted({reference for reference in typed if reference})


def cases_close_as_junk(*, actor: Any, references: Sequence[Any]) -> list[Case]:
    """Close the chosen intake cases as junk, or raise InvalidInput / NotAllowed and change nothing."""
    require(actor, "close_as_junk")
    references = _references(references)
    if not references:
        raise InvalidInput({"cases": CHOOSE_CASES})
    if len(references) > MAX_CASES_AT_ONCE:
        raise InvalidInput({"cases": TOO_MANY})
    with transaction.atomic():
        # Visibility first, through the choke point; then lock the rows to close.
        visible = visible_cases(actor).filter(reference__in=[ref for ref in references if is_reference(ref)])
        known = set(visible.values_list("reference", flat=True))
        if missing := [reference for reference in references if reference not in known]:
            raise InvalidInput({"cases": UNKNOWN_CASES.format(references=", ".join(missing[:20]))})
        cases = list(
            Case.objects.select_for_update()
            .select_related("report")
            .filter(pk__in=visible.values("pk"))
            .order_by("reference")
        )
        if further := [case.reference for case in cases if case.state not in JUNK_STATES]:
            raise InvalidInput({"cases": NOT_IN_INTAKE.format(references=", ".join(further[:20]))})
        today = tenant_today()
        notice = reporter_notice("conclude")
        for case in cases:
            from_state = case.state
            case.state = CaseState.CLOSED
            case.outcome = Outcome.CANNOT_FOLLOW_UP
            case.sealed_outcome_summary = report_key(case.report).seal(
                "outcome-summary", JUNK_SUMMARY.encode()
            )
            deadlines.after_transition(case, from_state=from_state, to_state=CaseState.CLOSED, today=today)
            case.retain_until = retention_end(case.closed_on or today)
            case.save()
            CaseEvent.objects.create(
                case=case,
                kind="closed_as_junk",
                actor=actor,
                from_state=from_state,
                to_state=CaseState.CLOSED,
                detail=Outcome.CANNOT_FOLLOW_UP,
            )
            audit_record(
                action="close_as_junk",
                actor=actor,
                case_id=case.pk,
                from_state=from_state,
                to_state=CaseState.CLOSED,
                outcome=Outcome.CANNOT_FOLLOW_UP,
            )
            case_message_reporter(case=case, actor=actor, body=notice, notice="conclude")
    return cases
