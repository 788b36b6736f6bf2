"""Casework's side of the core's interface (``tenants.case_visibility``): which cases an
audit trail reader may know of, and which open cases a staff change would leave with
nobody able to handle them. Both are answered by ``casework.access``. Installed by the
platform at start-up."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from casework.access import known_cases, open_cases_nobody_can_handle, visible_cases
from casework.models import Case
from intake.references import is_reference

SHOWN_REFERENCES = 10


class CaseworkCaseVisibility:
    def known_case_ids(self, reader: Any) -> QuerySet[Any]:
        return known_cases(reader).values("pk")

    def case_references(self, case_ids: set[int]) -> dict[int, str]:
        return dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "reference"))

    def case_id_for_reference(self, reference: str) -> int | None:
        if not is_reference(reference):
            return None
        return Case.objects.filter(reference=reference).values_list("pk", flat=True).first()

    def open_cases_left_without_handler(self, member_before: Any) -> list[str]:
        orphans = open_cases_nobody_can_handle(visible_cases(member_before)).order_by("pk")
        return [case.report.reference for case in orphans.select_related("report")[:SHOWN_REFERENCES]]
