"""Rows for the case list CSV and the case summary PDF: no identity, no narrative, no notes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from casework.models import (
    Case,
    CaseEvent,
    CaseState,
    Outcome,
)
from casework.selectors.timeline import EVENT_LABELS, person_name
from intake.models import Channel
from tenants.clock import tenant_zone

# --- Export rows ----------------------------------------------------------------

CSV_COLUMNS = (
    "reference",
    "category",
    "channel",
    "state",
    "outcome",
    "received_on",
    "acknowledge_due",
    "verification_due",
    "answer_due",
    "conclude_due",
    "next_due",
    "assignee",
    "team",
)


def case_list_rows(cases: QuerySet[Case]) -> Iterable[list[str]]:
    """One row per case for the CSV: no identity, no narrative, no staff notes."""
    states = dict(CaseState.choices)
    outcomes = dict(Outcome.choices)
    channels = dict(Channel.choices)
    rows = cases.values_list(
        "reference",
        "report__category__code",
        "report__channel",
        "state",
        "outcome",
        "received_on",
        "acknowledge_due",
        "verification_due",
        "answer_due",
        "conclude_due",
        "next_due",
        "assignee__email",
        "team__name",
    )
    for row in rows.iterator(chunk_size=2000):
        (reference, category, channel, state, outcome, received, *dues, email, team) = row
        yield [
            reference,
            category or "",
            str(channels.get(channel, channel)),
            str(states.get(state, state)),
            str(outcomes.get(outcome, outcome)) if outcome else "",
            received.isoformat() if received else "",
            *[due.isoformat() if due else "" for due in dues],
            email or "",
            team or "",
        ]


def case_summary_events(case: Case) -> list[tuple[date, str, str]]:
    """(date, what happened, who) for the PDF summary."""
    return [
        (
            timezone.localtime(event.created_at, tenant_zone()).date(),
            str(EVENT_LABELS.get(event.kind, event.kind)),
            person_name(event.actor),
        )
        for event in CaseEvent.objects.filter(case=case).select_related("actor")
    ]
