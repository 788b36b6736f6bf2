"""The case queue: one set of filter rules for the staff pages, the API and the CSV export.

Every list of cases starts from ``casework.access`` (``visible_cases``/``listable_cases``),
so a case someone is excluded from is absent from every page, count and export.
Queries here are a fixed number per page, whatever the number of cases.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import F, QuerySet
from django.utils.dateparse import parse_date

from casework.access import HANDLERS, listable_cases, visible_cases
from casework.models import (
    OPEN_STATES,
    Case,
    CaseState,
)
from intake.models import Category
from tenants.accounts.models import User
from tenants.clock import tenant_today

PAGE_SIZE = 50
# Heavy or secret columns a list never needs.
_REPORT_DEFERRED = (
    "report__sealed_narrative",
    "report__sealed_identity",
    "report__sealed_notify_email",
    "report__wrapped_key",
)


# --- The queue ------------------------------------------------------------------


@dataclass
class QueueFilters:
    """What a queue (or its CSV) is narrowed to, read from the query string."""

    state: str = "open"  # "open", "all" or one CaseState
    category: str = ""
    due_from: date | None = None
    due_to: date | None = None
    overdue: bool = False
    assignee: str = ""  # "", "me", "unassigned" or a user id
    sort: str = "next_due"  # "next_due" or "-next_due"
    problems: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> QueueFilters:
        filters = cls()
        problems: dict[str, str] = {}
        state = str(query.get("state") or "open")
        if state in {"open", "all"} or state in CaseState.values:
            filters.state = state
        else:
            problems["state"] = "Status tidak dikenal. / Unknown state."
        filters.category = str(query.get("category") or "")[:40]
        for name in ("due_from", "due_to"):
            raw = str(query.get(name) or "").strip()
            if not raw:
                continue
            try:
                parsed = parse_date(raw)
            except ValueError:
                parsed = None
            if parsed is None:
                problems[name] = "Tanggal tidak valid (YYYY-MM-DD). / Invalid date."
            else:
                setattr(filters, name, parsed)
        filters.overdue = str(query.get("overdue") or "") in {"1", "on", "true"}
        assignee = str(query.get("assignee") or "")
        if assignee in {"", "me", "unassigned"} or (assignee.isdigit() and len(assignee) <= 18):
            filters.assignee = assignee
        else:
            problems["assignee"] = "Petugas tidak dikenal. / Unknown assignee."
        sort = str(query.get("sort") or "next_due")
        filters.sort = sort if sort in {"next_due", "-next_due"} else "next_due"
        filters.problems = problems
        return filters

    def as_query(self) -> dict[str, str]:
        """The filters as query-string values (for pagination links and the CSV link)."""
        values = {
            "state": self.state,
            "category": self.category,
            "due_from": self.due_from.isoformat() if self.due_from else "",
            "due_to": self.due_to.isoformat() if self.due_to else "",
            "overdue": "1" if self.overdue else "",
            "assignee": self.assignee,
            "sort": self.sort,
        }
        return {key: value for key, value in values.items() if value}


def filtered_cases(user: Any, filters: QueueFilters, *, today: date | None = None) -> QuerySet[Case]:
    """The listable cases matching the filters, soonest deadline first (no deadline last)."""
    today = today or tenant_today()
    cases = listable_cases(user)
    if filters.state == "open":
        cases = cases.filter(state__in=OPEN_STATES)
    elif filters.state != "all":
        cases = cases.filter(state=filters.state)
    if filters.category:
        # By id, found first: the case query then needs no join to the category table.
        category_id = Category.objects.filter(code=filters.category).values_list("id", flat=True).first()
        cases = cases.filter(report__category_id=category_id) if category_id else cases.none()
    if filters.overdue:
        cases = cases.filter(next_due__lt=today, state__in=OPEN_STATES)
    if filters.due_from:
        cases = cases.filter(next_due__gte=filters.due_from)
    if filters.due_to:
        cases = cases.filter(next_due__lte=filters.due_to)
    if filters.assignee == "me":
        cases = cases.filter(assignee_id=getattr(user, "pk", None))
    elif filters.assignee == "unassigned":
        cases = cases.filter(assignee__isnull=True)
    elif filters.assignee:
        cases = cases.filter(assignee_id=int(filters.assignee))
    due = (
        F("next_due").desc(nulls_last=True)
        if filters.sort == "-next_due"
        else F("next_due").asc(nulls_last=True)
    )
    return cases.order_by(due, "id")


def queue_page_cases(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What one row of the queue shows, loaded with the case (no query per row)."""
    return cases.select_related("report__category", "assignee", "team").defer(
        "sealed_outcome_summary", *_REPORT_DEFERRED
    )


def handler_choices(*, exclude_case: Case | None = None) -> list[User]:
    """Active people who can be given cases (those excluded from ``exclude_case`` left out)."""
    people = User.objects.filter(is_active=True, roles__overlap=sorted(HANDLERS)).only(
        "id", "full_name", "email", "username"
    )
    if exclude_case is not None:
        people = people.exclude(exclusions__case=exclude_case)
    return list(people.order_by("full_name", "email"))


def category_choices() -> list[Category]:
    return list(Category.objects.all())


def overdue_cases(user: Any, *, today: date | None = None) -> QuerySet[Case]:
    today = today or tenant_today()
    return queue_page_cases(
        visible_cases(user)
        .filter(state__in=OPEN_STATES, next_due__lt=today)
        .order_by(F("next_due").asc(), "id")
    )
