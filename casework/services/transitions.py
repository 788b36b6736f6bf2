"""Moving a case along the workflow (casework.workflow defines the steps)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from casework import deadlines
from casework.models import Case, CaseEvent, Outcome
from casework.services.cases import ensure_someone_can_handle
from casework.services.messages import case_message_reporter
from casework.services.retention import retention_end
from casework.workflow import TRANSITIONS, S, reporter_notice
from intake.encryption import report_key
from tenants.accounts.permissions import roles_of
from tenants.audit.trail import audit_record
from tenants.clock import tenant_today
from tenants.errors import InvalidInput, NotAllowed


def case_transition(
    *,
    case: Case,
    actor: Any,
    transition: str,
    message: str = "",
    outcome: str = "",
    summary: str = "",
) -> Case:
    """Move a case along the workflow, or raise NotAllowed / InvalidInput saying why not."""
    step = TRANSITIONS.get(transition)
    if step is None:
        raise InvalidInput({"transition": f"Langkah tidak dikenal: {transition}. / Unknown transition."})
    if not roles_of(actor) & step.roles:
        raise NotAllowed(f"transition:{transition}", step.roles)
    errors: dict[str, str] = {}
    if case.state not in step.sources:
        errors["transition"] = (
            f"Tidak dapat '{step.label}' dari status '{case.get_state_display()}'. "
            f"/ Not possible from state '{case.state}'."
        )
    if step.needs_message and not message.strip():
        errors["message"] = "Tulis pesan untuk pelapor. / Write the message to the reporter."
    if step.needs_outcome:
        if outcome not in Outcome.values:
            errors["outcome"] = f"Pilih hasil: {', '.join(Outcome.values)}. / Choose an outcome."
        if not summary.strip():
            errors["summary"] = "Tulis ringkasan hasil untuk pelapor. / Write a summary for the reporter."
    if errors:
        raise InvalidInput(errors)

    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.state not in step.sources:  # someone else moved it meanwhile
            raise InvalidInput({"transition": "Status kasus baru saja berubah. / The case just changed."})
        from_state = case.state
        to_state = step.target or case.state_before_pause or S.VERIFICATION
        case.state = to_state
        case.state_before_pause = from_state if to_state == S.CLARIFICATION else ""
        if step.needs_outcome:
            case.outcome = outcome
            case.sealed_outcome_summary = report_key(case.report).seal(
                "outcome-summary", summary.strip().encode()
            )
        if transition == "reopen":
            case.reopened_count += 1
            case.outcome = ""
        today = tenant_today()
        deadlines.after_transition(case, from_state=from_state, to_state=to_state, today=today)
        # Closing starts the retention clock (the archive schedule); reopening stops it.
        case.retain_until = retention_end(case.closed_on or today) if to_state == S.CLOSED else None
        case.save()
        # A step out of intake leaves the case to supervisors and its assigned investigators.
        ensure_someone_can_handle(case, field="transition")
        CaseEvent.objects.create(
            case=case,
            kind=transition,
            actor=actor,
            from_state=from_state,
            to_state=to_state,
            detail=outcome if step.needs_outcome else "",
        )
        audit_record(
            action=f"transition:{transition}",
            actor=actor,
            case_id=case.pk,
            from_state=from_state,
            to_state=to_state,
            outcome=outcome,
        )
        if step.needs_message:
            case_message_reporter(case=case, actor=actor, body=message)
        elif step.notifies_reporter:
            case_message_reporter(case=case, actor=actor, body=reporter_notice(transition), notice=transition)
    return case
