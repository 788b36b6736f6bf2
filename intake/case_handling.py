"""What intake needs from whoever handles reports: the one interface between intake
and casework.

Intake never imports casework (an import-linter contract forbids it). It asks this
interface, which casework implements (``casework.report_handling``) and the
platform installs at start-up (``wbs.apps``):

- ``rows_for_new_report``: the rows a report's arrival writes with it, in the same
  statement (its case, the first timeline event, the audit entry);
- ``status_for_reporter``: where a report stands, in words for the reporter;
- ``case_id_for_report``: the case a report opened (what a reporter's later actions
  are audited against);
- ``promised_working_days``: the deadlines the portal promises;
- ``reporter_notice_text``: a notice the workflow sent the reporter, in the reader's
  language (the mailbox renders system messages at read time);
- ``reports_visible_to``: which reports' cases a staff member may see (the staff
  digest counts only those for its reader).

The other direction is plain calls: casework uses intake's services (the mailbox
to tell the reporter, evidence, recording a report received by letter).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from tenants.linked_insert import NewRow


@dataclass(frozen=True)
class ReporterStatus:
    """Where a report stands, as the reporter reads it (no staff detail, no names)."""

    state: str
    status_id: str
    status_en: str
    outcome: str = ""  # the outcome's label, once concluded
    sealed_outcome_summary: bytes | None = None  # sealed with the report's key
    forwarded_to: str = ""  # the inspectorate the report was forwarded to
    # The next promised step ("acknowledge", "verification", "answer", "conclude") and its
    # due day; none while the case waits on the reporter or once it is dealt with.
    next_step: str = ""
    next_step_due: date | None = None


@dataclass(frozen=True)
class PromisedDays:
    """The tenant's deadlines in working days, as the portal tells reporters."""

    acknowledge_days: int
    verification_days: int
    conclude_days: int


class CaseHandling(Protocol):
    def rows_for_new_report(
        self, report: NewRow, *, received_on: date, channel: str, recorded_by: Any
    ) -> list[NewRow]: ...

    def status_for_reporter(self, report_id: int) -> ReporterStatus: ...

    def case_id_for_report(self, report_id: int) -> int: ...

    def promised_working_days(self) -> PromisedDays | None: ...

    def reporter_notice_text(self, notice: str, language: str) -> str | None: ...

    def reports_visible_to(self, reader: Any, report_ids: Iterable[int]) -> set[int]: ...


_installed: CaseHandling | None = None


def install(handling: CaseHandling) -> None:
    global _installed
    _installed = handling


def case_handling() -> CaseHandling:
    if _installed is None:
        raise RuntimeError("No case handling is installed (the platform's AppConfig.ready installs it).")
    return _installed
