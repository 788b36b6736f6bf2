"""The tenant's audit trail, newest first: filtered, exported, with a check of its hash
chain. What a reader may see is decided in ``tenants.audit.selectors``."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from tenants.accounts.permissions import VIEW_AUDIT_TRAIL
from tenants.accounts.staff_sessions import render_staff_page, staff_permission_required
from tenants.audit.action_names import named_actions
from tenants.audit.exports import audit_trail_csv
from tenants.audit.selectors import AuditFilters, audit_filters, audit_rows, entries_for
from tenants.audit.trail import audit_verify
from tenants.clock import tenant_today
from tenants.downloads import download
from tenants.errors import InvalidInput

AUDIT_PAGE_SIZE = 50


def _audit_page(
    request: HttpRequest,
    filters: AuditFilters,
    *,
    verification: dict[str, Any] | None = None,
    problems: dict[str, str] | None = None,
) -> HttpResponse:
    paginator = Paginator(entries_for(request.user, filters), AUDIT_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": audit_rows(page),
        "filters": filters,
        "query": urlencode(filters.as_query()),
        # The named actions, not a DISTINCT over the whole trail on every page view.
        "actions": named_actions(),
        "problems": problems or {},
        "verification": verification,
    }
    return render_staff_page(request, "audit/trail.html", context, status=400 if problems else 200)


@require_GET
@staff_permission_required(VIEW_AUDIT_TRAIL)
def audit_view(request: HttpRequest) -> HttpResponse:
    try:
        filters = audit_filters(request.GET)
    except InvalidInput as refused:
        return _audit_page(request, AuditFilters(), problems=refused.errors)
    return _audit_page(request, filters)


@require_GET
@staff_permission_required(VIEW_AUDIT_TRAIL)
def audit_export_view(request: HttpRequest) -> HttpResponse:
    """The page's filtered entries as CSV (a malformed filter: the page, saying what is wrong)."""
    try:
        content = audit_trail_csv(actor=request.user, filters=audit_filters(request.GET))
    except InvalidInput as refused:
        return _audit_page(request, AuditFilters(), problems=refused.errors)
    return download(
        content,
        content_type="text/csv; charset=utf-8",
        filename=f"jejak-audit-{tenant_today().isoformat()}.csv",
    )


@require_POST
@staff_permission_required(VIEW_AUDIT_TRAIL)
def audit_verify_view(request: HttpRequest) -> HttpResponse:
    checked, problems = audit_verify()
    return _audit_page(
        request, AuditFilters(), verification={"checked": checked, "problems": problems, "ok": not problems}
    )
