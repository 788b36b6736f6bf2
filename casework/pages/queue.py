"""The case queue, the overdue list, the workload and the CSV export of the queue.

The queue, the overdue list and the export read their filters through the queue
selector's ``CaseQueueQuery`` (the API's list does too): a filter it does not know is
a 400 with the same message everywhere."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casework.access import can
from casework.models import Case, CaseState
from casework.pages.common import needs, page_language
from casework.selectors import queue as selectors
from casework.selectors.workload import workload
from casework.services.exports import case_list_csv
from casework.services.junk import JUNK_STATES, cases_close_as_junk
from tenants.accounts.staff_sessions import render_staff_page
from tenants.clock import tenant_today
from tenants.downloads import download
from tenants.errors import InvalidInput
from tenants.input_fields import validated

ViewFunction = Callable[..., HttpResponse]

# --- Queue, overdue, workload ---------------------------------------------------


def _queue_context(
    request: HttpRequest, filters: selectors.QueueFilters, cases: Any, problems: dict[str, str] | None = None
) -> dict[str, Any]:
    paginator = Paginator(selectors.queue_page_cases(cases, subjects=True), selectors.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return {
        "page": page,
        "rows": selectors.with_subjects(page.object_list),
        "search_capped": selectors.subject_scan_capped(request.user, filters),
        "subject_scan_limit": selectors.SUBJECT_SCAN_LIMIT,
        "filters": filters,
        "problems": problems or {},
        "query": urlencode(filters.as_query()),
        "states": CaseState.choices,
        "categories": selectors.category_choices(),
        "handlers": selectors.handler_choices(),
        "today": tenant_today(),
        "language": page_language(),
        "may_export": can(request.user, "export_case_list"),
        "may_close_junk": can(request.user, "close_as_junk"),
        "junk_states": JUNK_STATES,
    }


@require_GET
@needs("view_cases")
def case_queue(request: HttpRequest) -> HttpResponse:
    try:
        filters = validated(selectors.CaseQueueQuery, request.GET)
    except InvalidInput as refused:  # the form again, with what is wrong, and no cases
        context = _queue_context(request, selectors.QueueFilters(), Case.objects.none(), refused.errors)
        return render_staff_page(request, "casework/queue.html", context, status=400)
    cases = selectors.filtered_cases(request.user, filters)
    return render_staff_page(request, "casework/queue.html", _queue_context(request, filters, cases))


@require_GET
@needs("view_cases")
def overdue_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.QueueFilters(overdue=True)
    cases = selectors.filtered_cases(request.user, filters)
    return render_staff_page(request, "casework/overdue.html", _queue_context(request, filters, cases))


@require_GET
@needs("view_cases")
def workload_view(request: HttpRequest) -> HttpResponse:
    return render_staff_page(request, "casework/workload.html", {"workload": workload(request.user)})


@require_POST
@needs("close_as_junk")
def close_as_junk(request: HttpRequest) -> HttpResponse:
    """The rows ticked in the queue, closed as junk in one step (casework.services.junk)."""
    try:
        closed = cases_close_as_junk(actor=request.user, references=request.POST.getlist("case"))
    except InvalidInput as refused:
        context = _queue_context(
            request,
            selectors.QueueFilters(),
            selectors.filtered_cases(request.user, selectors.QueueFilters()),
        )
        context["junk_problems"] = refused.errors
        return render_staff_page(request, "casework/queue.html", context, status=400)
    messages.success(request, _("%(count)d kasus ditutup sebagai kiriman sampah.") % {"count": len(closed)})
    return redirect("staff-queue")


# --- Exports --------------------------------------------------------------------


@require_GET
@needs("export_case_list")
def case_list_export(request: HttpRequest) -> HttpResponse:
    try:
        filters = validated(selectors.CaseQueueQuery, request.GET)
    except InvalidInput as refused:
        message = "; ".join(refused.errors.values())
        return render_staff_page(request, "staff/forbidden.html", {"message": message}, status=400)
    content = case_list_csv(actor=request.user, filters=filters)
    return download(
        content, content_type="text/csv; charset=utf-8", filename=f"kasus-{tenant_today().isoformat()}.csv"
    )
