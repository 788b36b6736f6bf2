"""Open cases per handler and per team."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q

from casework.access import visible_cases
from casework.models import (
    OPEN_STATES,
    Team,
)
from casework.selectors.queue import handler_choices
from casework.selectors.timeline import person_name
from tenants.clock import tenant_today

# --- Workload -------------------------------------------------------------------


@dataclass
class WorkloadRow:
    name: str
    open: int
    overdue: int
    pk: int | None = None


@dataclass
class Workload:
    handlers: list[WorkloadRow]
    teams: list[WorkloadRow]
    unassigned: int
    unassigned_overdue: int


def workload(user: Any, *, today: date | None = None) -> Workload:
    """Open (visible) cases per handler and per team."""
    today = today or tenant_today()
    open_cases = visible_cases(user).filter(state__in=OPEN_STATES).order_by()
    counts = Count("id")
    late = Count("id", filter=Q(next_due__lt=today))
    per_person = {
        row["assignee_id"]: row for row in open_cases.values("assignee_id").annotate(n=counts, late=late)
    }
    per_team = {row["team_id"]: row for row in open_cases.values("team_id").annotate(n=counts, late=late)}
    handlers = [
        WorkloadRow(
            name=person_name(person),
            open=per_person.get(person.pk, {}).get("n", 0),
            overdue=per_person.get(person.pk, {}).get("late", 0),
            pk=person.pk,
        )
        for person in handler_choices()
    ]
    handlers.sort(key=lambda row: (-row.open, row.name))
    teams = [
        WorkloadRow(
            name=team.name,
            open=per_team.get(team.pk, {}).get("n", 0),
            overdue=per_team.get(team.pk, {}).get("late", 0),
            pk=team.pk,
        )
        for team in Team.objects.order_by("name")
    ]
    nobody = per_person.get(None, {})
    return Workload(
        handlers=handlers,
        teams=teams,
        unassigned=nobody.get("n", 0),
        unassigned_overdue=nobody.get("late", 0),
    )
