"""What the core needs from whoever handles cases: the one interface between the
tenancy core and casework's need-to-know.

The core knows no feature (an import-linter contract forbids it to import casework),
yet two of its parts depend on who may know which case:

- the audit trail page shows an entry about a case only to a reader who may know
  that case exists (``known_case_ids``); entries about no case are shown as before;
- the page names a case by its reference, never by its row id, whose order and gaps
  would tell when reports arrived and how many are hidden (``case_references``);
- a change to a staff member's roles or standing may not leave an open case with
  nobody able to handle it (``open_cases_left_without_handler``).

Casework implements it (``casework.case_visibility``) and the platform installs it at
start-up (``wbs.apps``), as intake's ``case_handling`` is installed.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.db.models import QuerySet


class CaseVisibility(Protocol):
    def known_case_ids(self, reader: Any) -> QuerySet[Any]:
        """The ids of the cases this person may know exist (a subquery of ids)."""
        ...

    def case_references(self, case_ids: set[int]) -> dict[int, str]:
        """The reference of each of these cases, by id."""
        ...

    def case_id_for_reference(self, reference: str) -> int | None:
        """The id of the case this reference names, if any (the trail's filter by case)."""
        ...

    def open_cases_left_without_handler(self, member_before: Any) -> list[str]:
        """References of the open cases ``member_before`` (the account as it was before a
        change, read inside the change's transaction) could handle and nobody can now."""
        ...


_installed: CaseVisibility | None = None


def install(visibility: CaseVisibility) -> None:
    global _installed
    _installed = visibility


def case_visibility() -> CaseVisibility:
    if _installed is None:
        raise RuntimeError("No case visibility is installed (the platform's AppConfig.ready installs it).")
    return _installed
