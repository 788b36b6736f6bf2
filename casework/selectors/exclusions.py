"""The exclusions a supervisor or an administrator may review and lift."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from casework.access import exclusions_for
from casework.models import Exclusion
from casework.selectors.timeline import person_name

LIFTED_SHOWN = 50


@dataclass
class ExclusionRow:
    pk: int
    case_id: int
    reference: str
    person: str
    reason: str
    declared_by_self: bool
    excluded_by: str
    created_at: datetime
    lifted_by: str
    lifted_at: datetime | None
    lift_reason: str


def _row(exclusion: Exclusion) -> ExclusionRow:
    return ExclusionRow(
        pk=exclusion.pk,
        case_id=exclusion.case_id,
        reference=exclusion.case.report.reference,
        person=person_name(exclusion.user),
        reason=exclusion.reason,
        declared_by_self=exclusion.declared_by_self,
        excluded_by=person_name(exclusion.created_by) or "—",
        created_at=exclusion.created_at,
        lifted_by=person_name(exclusion.lifted_by) or "—",
        lifted_at=exclusion.lifted_at,
        lift_reason=exclusion.lift_reason,
    )


def exclusion_rows(user: Any) -> tuple[list[ExclusionRow], list[ExclusionRow]]:
    """(in force, oldest first; lifted, latest first) on the cases this person may know."""
    exclusions = exclusions_for(user).select_related("case__report", "user", "created_by", "lifted_by")
    in_force = exclusions.filter(lifted_at__isnull=True).order_by("created_at", "pk")
    lifted = exclusions.filter(lifted_at__isnull=False).order_by("-lifted_at", "-pk")[:LIFTED_SHOWN]
    return [_row(item) for item in in_force], [_row(item) for item in lifted]
