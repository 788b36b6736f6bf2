"""The staff home page's two short lists: my open cases and what falls due this week."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import F

from casework.access import visible_cases
from casework.models import OPEN_STATES, Case
from casework.selectors.queue import queue_page_cases, with_subjects

HOME_ROWS = 10
DUE_SOON_DAYS = 7


def _open_by_deadline(user: Any) -> Any:
    cases = visible_cases(user).filter(state__in=OPEN_STATES)
    return queue_page_cases(cases, subjects=True).order_by(F("next_due").asc(nulls_last=True), "reference")


def my_open_cases(user: Any) -> list[tuple[Case, str]]:
    """Open cases given to this person, soonest deadline first, with their subjects (one query)."""
    return with_subjects(_open_by_deadline(user).filter(assignee_id=user.pk)[:HOME_ROWS])


def due_this_week(user: Any, *, today: date) -> list[tuple[Case, str]]:
    """Open cases this person sees whose next deadline is within a week or already past."""
    return with_subjects(_open_by_deadline(user).filter(next_due__lte=due_this_week_until(today))[:HOME_ROWS])


def due_this_week_until(today: date) -> date:
    return today + timedelta(days=DUE_SOON_DAYS)
