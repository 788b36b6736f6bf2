"""Deadlines in working days, in the tenant's own time zone.

Working days skip Saturdays, Sundays, Indonesia's national holidays and the
government's joint leave days (cuti bersama) around them, which public offices
observe (the ``holidays`` package, categories "public" and "government").

What a due date means
---------------------
A deadline of N working days ends on the N-th working day *after* the day the
clock started; the starting day itself never counts, whether or not it is a
working day. The due date is the last day on which the step is on time: it is
overdue from the day after. A due date is always a working day.

So a report received on a Saturday, a Sunday or during the Idul Fitri leave has
the same due dates as one received late on the last working day before: the
inspectorate always gets N full working days after the day of receipt, and a
report sent at 23:59 on Friday does not get a day less than one sent at 00:01
on Saturday. The day of receipt is a date in the tenant's time zone (intake
stores it with ``tenants.clock.tenant_today``), so the same instant can be
Thursday in Sukabumi (WIB) and Friday in Palu (WITA), with different due dates.

The clocks stop while the inspectorate waits on the reporter: on resuming, every
deadline still open moves by the working days spent waiting (counted like a
deadline: after the day of pausing, up to and including the day of resuming), so
a pause over a holiday week costs only the working days in it. A case reopened on
the reporter's objection gets fresh periods, counted from the day it reopens, to
answer and to conclude.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

from casework.models import Case, CaseState, DeadlinePolicy
from tenants.shared_memo import remembered_for_tenant

DEADLINE_FIELDS = ("acknowledge_due", "verification_due", "answer_due", "conclude_due")
DONE_FIELDS = {
    "acknowledge_due": "acknowledged_on",
    "verification_due": "verified_on",
    "answer_due": "answered_on",
    "conclude_due": "concluded_on",
}

S = CaseState
# States a case is in once its completeness has been verified.
_VERIFIED_STATES = frozenset({S.DESK_REVIEW, S.EXAMINATION, S.CONCLUDED, S.CLOSED})
# States whose notice to the reporter answers the report: it says how the report is
# followed up (an examination) or what came of it (the outcome).
_ANSWERED_STATES = frozenset({S.EXAMINATION, S.CONCLUDED})
_FINISHED_STATES = frozenset({S.CONCLUDED, S.CLOSED})


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("ID", years=year, categories=("public", "government")).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays_of(day.year)


@lru_cache(maxsize=4096)  # every report of a day gets the same due dates
def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (start itself not counted).

    ``days == 0`` gives ``start`` if it is a working day, else the next working
    day, so a due date is always a working day. A negative number counts back:
    ``add_working_days(due, -1)`` is the working day before ``due``.
    """
    current = start
    if days == 0:
        while not is_working_day(current):
            current += timedelta(days=1)
        return current
    step = timedelta(days=1 if days > 0 else -1)
    remaining = abs(days)
    while remaining > 0:
        current += step
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if ``end`` is not after ``start``)."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def current_policy() -> DeadlinePolicy:
    return remembered_for_tenant(
        "deadline-policy", lambda: DeadlinePolicy.objects.order_by("pk").first() or DeadlinePolicy()
    )


def refresh_next_due(case: Case) -> None:
    """The earliest deadline still open; none while paused or once the case is no longer open."""
    open_dues = [
        getattr(case, name)
        for name in DEADLINE_FIELDS
        if getattr(case, name) is not None and getattr(case, DONE_FIELDS[name]) is None
    ]
    case.next_due = None if (case.paused_on or not case.is_open) else min(open_dues, default=None)


def new_case_dues(received_on: date) -> dict[str, date]:
    """The due dates of a case received on ``received_on`` (and the earliest, ``next_due``)."""
    policy = current_policy()
    dues = {
        "acknowledge_due": add_working_days(received_on, policy.acknowledge_days),
        "verification_due": add_working_days(received_on, policy.verification_days),
        "answer_due": add_working_days(received_on, policy.answer_days),
        "conclude_due": add_working_days(received_on, policy.conclude_days),
    }
    # A new case is open and not paused, so every deadline is still open.
    return dues | {"next_due": min(dues.values())}


def schedule_new_case(case: Case) -> None:
    """Set the due dates of a newly received case, counted from its day of receipt (not saved here)."""
    if case.received_on is None:
        raise ValueError("a case needs received_on before its deadlines can be set")
    for name, due in new_case_dues(case.received_on).items():
        setattr(case, name, due)


def _resume(case: Case, today: date) -> None:
    """Move every open deadline by the working days spent waiting on the reporter."""
    if case.paused_on is None:
        return
    waited = working_days_between(case.paused_on, today)
    if waited:
        for name in DEADLINE_FIELDS:
            due = getattr(case, name)
            if due is not None and getattr(case, DONE_FIELDS[name]) is None:
                setattr(case, name, add_working_days(due, waited))
    case.paused_on = None


def after_transition(case: Case, *, from_state: str, to_state: str, today: date) -> None:
    """Record what a transition completed and pause or resume the clocks (not saved here).

    ``today`` is the tenant's date (``tenants.clock.tenant_today``).
    """
    if from_state == S.CLARIFICATION and to_state != S.CLARIFICATION:
        _resume(case, today)
    if to_state == S.CLARIFICATION and case.paused_on is None:
        case.paused_on = today

    if from_state in _FINISHED_STATES and to_state not in _FINISHED_STATES:
        # Reopened on the reporter's objection: fresh periods to answer and conclude again.
        policy = current_policy()
        case.concluded_on = case.answered_on = case.closed_on = None
        case.answer_due = add_working_days(today, policy.answer_days)
        case.conclude_due = add_working_days(today, policy.conclude_days)

    # Whatever leaves "received" acknowledged it; whatever reaches review or a conclusion
    # finished verifying it (a case concluded straight from verification must not come
    # back with its verification deadline open if it is ever reopened).
    if to_state != S.RECEIVED and case.acknowledged_on is None:
        case.acknowledged_on = today
    if to_state in _VERIFIED_STATES and case.verified_on is None:
        case.verified_on = today
    if to_state in _ANSWERED_STATES and case.answered_on is None:
        case.answered_on = today
    if to_state == S.CONCLUDED:
        case.concluded_on = today
    if to_state == S.CLOSED:
        case.concluded_on = case.concluded_on or today
        case.closed_on = today
    refresh_next_due(case)
