"""The case queue, the overdue list, the workload and the CSV export of the queue."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from casework.access import can
from casework.models import CaseState
from casework.pages.common import download, needs, page_language, render_page
from casework.selectors import queue as selectors
from casework.selectors.workload import workload
from casework.services.exports import case_list_csv
from tenants.clock import tenant_today

ViewFunction = Callable[..., HttpResponse]

# --- Queue, overdue, workload ---------------------------------------------------


def _queue_context(request: HttpRequest, filters: selectors.QueueFilters, cases: Any) -> dict[str, Any]:
    paginator = Paginator(selectors.queue_page_cases(cases), selectors.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = filters.as_query()
    return {
        "page": page,
        "filters": filters,
        "query": urlencode(query),
        "states": CaseState.choices,
        "categories": selectors.category_choices(),
        "handlers": selectors.handler_choices(),
        "today": tenant_today(),
        "language": page_language(),
        "may_export": can(request.user, "export_case_list"),
    }


@require_GET
@needs("view_cases")
def case_queue(request: HttpRequest) -> HttpResponse:
    filters = selectors.QueueFilters.from_query(request.GET)
    cases = selectors.filtered_cases(request.user, filters)
    context = _queue_context(request, filters, cases)
    return render_page(request, "casework/queue.html", context, status=400 if filters.problems else 200)


@require_GET
@needs("view_cases")
def overdue_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.QueueFilters(overdue=True)
    cases = selectors.overdue_cases(request.user)
    context = _queue_context(request, filters, cases)
    return render_page(request, "casework/overdue.html", context)


@require_GET
@needs("view_cases")
def workload_view(request: HttpRequest) -> HttpResponse:
    return render_page(request, "casework/workload.html", {"workload": workload(request.user)})


# --- Exports --------------------------------------------------------------------


@require_GET
@needs("export_case_list")
def case_list_export(request: HttpRequest) -> HttpResponse:
    filters = selectors.QueueFilters.from_query(request.GET)
    if filters.problems:
        return render_page(
            request, "staff/forbidden.html", {"message": "; ".join(filters.problems.values())}, status=400
        )
    cases = selectors.filtered_cases(request.user, filters)
    content = case_list_csv(cases=cases, actor=request.user, filters=filters.as_query())
    return download(
        content, content_type="text/csv; charset=utf-8", filename=f"kasus-{tenant_today().isoformat()}.csv"
    )
