"""The dashboard: counts and two bar charts drawn as inline SVG (no script)."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from casework.access import can
from casework.pages.common import needs, page_language
from casework.selectors.statistics import case_statistics
from tenants.accounts.staff_sessions import render_staff_page

ViewFunction = Callable[..., HttpResponse]

# --- Dashboard ------------------------------------------------------------------

CHART_WIDTH = 640
CHART_HEIGHT = 220
CHART_LEFT = 44
CHART_BOTTOM = 34
CHART_TOP = 14


def _axis_step(largest: float) -> int:
    """The smallest whole step of 1, 2 or 5 times a power of ten whose four ticks reach ``largest``."""
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude * 4 >= largest:
                return step * magnitude
        magnitude *= 10


def bar_chart(values: list[float | None], months: list[date], *, unit: str) -> dict[str, Any]:
    """Geometry of a bar chart drawn as inline SVG by the template (no script)."""
    step = _axis_step(max((v for v in values if v is not None), default=0))
    top = step * 4
    plot_width = CHART_WIDTH - CHART_LEFT - 8
    plot_height = CHART_HEIGHT - CHART_BOTTOM - CHART_TOP
    slot = plot_width / max(len(values), 1)
    bars = []
    for index, (value, month) in enumerate(zip(values, months, strict=True)):
        height = 0.0 if value is None else plot_height * value / top
        x = CHART_LEFT + index * slot + slot * 0.15
        bars.append(
            {
                "x": round(x, 1),
                "y": round(CHART_TOP + plot_height - height, 1),
                "width": round(slot * 0.7, 1),
                "height": round(height, 1),
                "label_x": round(x + slot * 0.35, 1),
                "value_y": round(CHART_TOP + plot_height - height - 3, 1),
                "value": "–" if value is None else (f"{value:g}"),
                "month": month,
                "empty": value is None,
                "zero": value == 0,
            }
        )
    ticks = [
        {"y": round(CHART_TOP + plot_height * (1 - index / 4), 1), "label": str(step * index)}
        for index in range(5)
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - 8,
        "baseline": CHART_TOP + plot_height,
        "label_y": CHART_HEIGHT - CHART_BOTTOM + 16,
        "bars": bars,
        "ticks": ticks,
        "unit": unit,
        "no_data": all(value in (None, 0) for value in values),
        "middle_x": (CHART_LEFT + CHART_WIDTH - 8) / 2,
        "middle_y": CHART_TOP + plot_height / 2,
    }


@require_GET
@needs("view_statistics")
def dashboard(request: HttpRequest) -> HttpResponse:
    stats = case_statistics(request.user, language=page_language())
    context = {
        "stats": stats,
        "received_chart": bar_chart(list(stats.received_per_month), stats.months, unit=_("laporan")),
        "median_chart": bar_chart(list(stats.median_days_to_close), stats.months, unit=_("hari")),
        "aggregate_only": not can(request.user, "view_cases"),
        # Auditors have no case list to export from: the dashboard links their export.
        "may_export_case_list": can(request.user, "export_case_list"),
        "month_rows": list(
            zip(stats.months, stats.received_per_month, stats.median_days_to_close, strict=True)
        ),
    }
    return render_staff_page(request, "casework/dashboard.html", context)
