"""Deadlines in working days, in the tenant's own time zone.

Working days skip Saturdays, Sundays, Indonesia's national holidays and the
government's joint leave days (cuti bersama) around them, which public offices
observe (the ``holidays`` package, categories "public" and "government"). A case's clocks start on the day its report was received
and stop while the inspectorate waits on the reporter: on resuming, every open
deadline moves by the working days spent waiting.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

from casework.models import Case, CaseState, DeadlinePolicy

DEADLINE_FIELDS = ("acknowledge_due", "verification_due", "answer_due", "conclude_due")
DONE_FIELDS = {
    "acknowledge_due": "acknowledged_on",
    "verification_due": "verified_on",
    "answer_due": "answered_on",
    "conclude_due": "concluded_on",
}


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("ID", years=year, categories=("public", "government")).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (start itself not counted)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def _policy() -> DeadlinePolicy:
    return DeadlinePolicy.objects.first() or DeadlinePolicy()


def refresh_next_due(case: Case) -> None:
    open_dues = [
        getattr(case, name)
        for name in DEADLINE_FIELDS
        if getattr(case, name) is not None and getattr(case, DONE_FIELDS[name]) is None
    ]
    case.next_due = None if (case.paused_on or not case.is_open) else min(open_dues, default=None)


def schedule_new_case(case: Case) -> None:
    """Set the due dates of a newly received case (not saved here)."""
    policy = _policy()
    assert case.received_on is not None
    case.acknowledge_due = add_working_days(case.received_on, policy.acknowledge_days)
    case.verification_due = add_working_days(case.received_on, policy.verification_days)
    case.answer_due = add_working_days(case.received_on, policy.answer_days)
    case.conclude_due = add_working_days(case.received_on, policy.conclude_days)
    refresh_next_due(case)


def after_transition(case: Case, *, from_state: str, to_state: str, today: date) -> None:
    """Record what a transition completed and pause or resume the clocks (not saved here)."""
    if from_state == CaseState.RECEIVED and case.acknowledged_on is None:
        case.acknowledged_on = today
    if (
        from_state == CaseState.VERIFICATION
        and to_state == CaseState.DESK_REVIEW
        and case.verified_on is None
    ):
        case.verified_on = today
    if to_state == CaseState.CLARIFICATION:
        case.paused_on = today
    elif from_state == CaseState.CLARIFICATION and case.paused_on is not None:
        waited = working_days_between(case.paused_on, today)
        for name in DEADLINE_FIELDS:
            due = getattr(case, name)
            if due is not None and getattr(case, DONE_FIELDS[name]) is None:
                setattr(case, name, add_working_days(due, waited))
        case.paused_on = None
    if to_state == CaseState.CONCLUDED:
        case.answered_on = case.answered_on or today
        case.concluded_on = today
    if to_state == CaseState.CLOSED:
        case.closed_on = today
    if to_state == CaseState.DESK_REVIEW and from_state in {CaseState.CONCLUDED, CaseState.CLOSED}:
        # Reopened on the reporter's objection: a fresh period to conclude again.
        case.concluded_on = case.answered_on = case.closed_on = None
        case.answer_due = add_working_days(today, _policy().answer_days)
        case.conclude_due = add_working_days(today, _policy().conclude_days)
    refresh_next_due(case)
