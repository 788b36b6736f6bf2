"""Counts for the dashboard: no case content or identifier ever leaves here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Aggregate, Count, F, FloatField, Func, IntegerField, Q, QuerySet
from django.db.models.functions import TruncMonth

from casework.access import statistics_cases
from casework.models import (
    OPEN_STATES,
    Case,
    CaseState,
)
from intake.models import Channel
from tenants.clock import tenant_today

# --- Statistics -----------------------------------------------------------------


class Median(Aggregate):
    function = "percentile_cont"
    name = "median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class DaysBetween(Func):
    """``later - earlier`` for two date columns, in days (PostgreSQL date arithmetic)."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()


def statistics_scope(user: Any) -> QuerySet[Case]:
    """The cases statistics are counted over: those the person may know exist
    (``casework.access.statistics_cases``), so an excluded case is never counted."""
    return statistics_cases(user)


def last_months(today: date, count: int = 12) -> list[date]:
    """The first day of each of the last ``count`` months, oldest first, this month last."""
    months = []
    year, month = today.year, today.month
    for _index in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


@dataclass
class Statistics:
    total: int
    open: int
    overdue: int
    by_state: list[tuple[str, int]]
    by_category: list[tuple[str, int]]
    by_channel: list[tuple[str, int]]
    months: list[date]
    received_per_month: list[int]
    median_days_to_close: list[float | None]


def _as_date(value: Any) -> date:
    return value.date() if hasattr(value, "date") else value


def case_statistics(user: Any, *, today: date | None = None, language: str = "id") -> Statistics:
    """Counts only: no case content or identifier ever leaves this function."""
    today = today or tenant_today()
    cases = statistics_scope(user)
    months = last_months(today)
    since = months[0]
    totals = cases.aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(state__in=OPEN_STATES)),
        overdue=Count("id", filter=Q(state__in=OPEN_STATES, next_due__lt=today)),
    )
    states = dict(cases.order_by().values_list("state").annotate(n=Count("id")))
    categories = {
        (name_id, name_en): n
        for name_id, name_en, n in cases.order_by()
        .values_list("report__category__name_id", "report__category__name_en")
        .annotate(n=Count("id"))
    }
    channels = dict(cases.order_by().values_list("report__channel").annotate(n=Count("id")))
    received = {
        _as_date(month): n
        for month, n in cases.filter(received_on__gte=since)
        .order_by()
        .annotate(month=TruncMonth("received_on"))
        .values_list("month")
        .annotate(n=Count("id"))
    }
    medians = {
        _as_date(month): value
        for month, value in cases.filter(concluded_on__gte=since, received_on__isnull=False)
        .order_by()
        .annotate(month=TruncMonth("concluded_on"))
        .values_list("month")
        .annotate(value=Median(DaysBetween(F("concluded_on"), F("received_on"))))
    }
    channel_names = dict(Channel.choices)
    return Statistics(
        total=totals["total"],
        open=totals["open"],
        overdue=totals["overdue"],
        by_state=[(str(label), states.get(value, 0)) for value, label in CaseState.choices],
        by_category=sorted(
            (((en if language == "en" else name) or "—"), n) for (name, en), n in categories.items()
        ),
        by_channel=[(str(channel_names.get(value, value)), n) for value, n in sorted(channels.items())],
        months=months,
        received_per_month=[received.get(month, 0) for month in months],
        median_days_to_close=[
            round(medians[month], 1) if medians.get(month) is not None else None for month in months
        ],
    )
