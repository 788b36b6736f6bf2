"""Cases: opened by a report's arrival and moved along the workflow through casework's
own services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django_tenants.utils import schema_context

from casework.models import Case, CaseState, Outcome
from casework.services.cases import case_add_note, case_assign
from casework.services.transitions import case_transition
from intake.services.mailbox import mailbox_reply
from intake.services.reports import SubmittedReport
from tests.factories.accounts import first_supervisor, staff_member, tenant_slug
from tests.factories.intake import ReportInput, report_arrival

S = CaseState

# The steps that take a new case to each state (a case is concluded from desk review).
ROUTES: dict[str, tuple[str, ...]] = {
    S.RECEIVED: (),
    S.VERIFICATION: ("start_verification",),
    S.DESK_REVIEW: ("start_verification", "accept_for_review"),
    S.EXAMINATION: ("start_verification", "accept_for_review", "start_examination"),
    S.CONCLUDED: ("start_verification", "accept_for_review", "conclude"),
    S.CLOSED: ("start_verification", "accept_for_review", "conclude", "close"),
}
CLARIFICATION_REQUEST = "Mohon lengkapi waktu dan tempat kejadian."


def route_to(state: str, *, paused_from: str = S.VERIFICATION) -> tuple[str, ...]:
    """The transitions from "received" to ``state``; clarification pauses ``paused_from``."""
    if state == S.CLARIFICATION:
        return ROUTES[paused_from] + ("request_clarification",)
    return ROUTES[state]


def case_moved_to(
    case: Case, state: str, *, actor: Any, paused_from: str = S.VERIFICATION, outcome: str, summary: str
) -> Case:
    """A new case taken along the workflow to ``state`` by ``actor`` (in the tenant's schema)."""
    for transition in route_to(state, paused_from=paused_from):
        details: dict[str, str] = {}
        if transition == "conclude":
            details = {"outcome": outcome, "summary": summary}
        elif transition == "request_clarification":
            details = {"message": CLARIFICATION_REQUEST}
        case = case_transition(case=case, actor=actor, transition=transition, **details)
    return case


class CaseFactory(ReportInput[Case]):
    """A case, opened by a report's arrival (every ReportInput field applies), moved by
    ``case_transition`` until it reaches ``state`` (a case in clarification was paused in
    ``paused_from``; a concluded one has ``outcome`` and ``summary``). ``actor`` makes the
    steps: by default the tenant's first supervisor, who may make all of them. Then
    ``assignee`` (a User or an email) is given the case by that supervisor through
    ``case_assign``, the assignee (or else the actor) writes ``notes`` and the reporter
    sends ``replies`` from the mailbox.

    ``arrival``: a report already submitted (ReportFactory, for its receipt) whose case
    to move, instead of a new report."""

    class Meta:
        model = Case

    arrival: Any = None
    state = S.RECEIVED
    paused_from = S.VERIFICATION
    outcome = Outcome.SUBSTANTIATED
    summary = "Terbukti; petugas dijatuhi hukuman disiplin."
    actor: Any = None
    assignee: Any = None
    notes: Any = ()
    replies: Any = ()

    @classmethod
    def _create(
        cls,
        model_class: type[Case],
        *,
        arrival: SubmittedReport | None,
        state: str,
        paused_from: str,
        outcome: str,
        summary: str,
        actor: Any,
        assignee: Any,
        notes: Sequence[str],
        replies: Sequence[str],
        **report: Any,
    ) -> Case:
        with schema_context(tenant_slug(report["tenant"])):
            if arrival is None:
                arrival = report_arrival(**report)
            case = Case.objects.select_related("report").get(pk=arrival.case_id)
            mover = staff_member(actor) if actor else None
            if mover is None and (state != S.RECEIVED or notes):
                mover = first_supervisor()
            case = case_moved_to(
                case, state, actor=mover, paused_from=paused_from, outcome=outcome, summary=summary
            )
            handler = mover
            if assignee:
                handler = staff_member(assignee)
                case_assign(case=case, actor=first_supervisor(), assignee_id=handler.pk)
            for body in notes:
                case_add_note(case=case, actor=handler, body=body)
            case = Case.objects.select_related("report").get(pk=case.pk)
            for body in replies:
                mailbox_reply(report=case.report, body=body)
            return case
