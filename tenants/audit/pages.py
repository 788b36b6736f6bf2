"""The tenant's audit trail, newest first, with a check of its hash chain.

A reader sees the entries about no case, and those about the cases they may know
exist (``tenants.case_visibility``): never an entry about a case they are excluded
from, their own exclusion included."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_POST

from tenants.accounts.permissions import VIEW_AUDIT_TRAIL
from tenants.accounts.staff_sessions import render_staff_page, staff_permission_required
from tenants.audit.models import AuditEntry
from tenants.audit.trail import audit_verify
from tenants.case_visibility import case_visibility

AUDIT_PAGE_SIZE = 50


def entries_for(reader: Any) -> QuerySet[AuditEntry]:
    """The entries this person may read."""
    known = case_visibility().known_case_ids(reader)
    return AuditEntry.objects.filter(Q(case_id__isnull=True) | Q(case_id__in=known))


def _audit_page(request: HttpRequest, verification: dict[str, Any] | None = None) -> HttpResponse:
    paginator = Paginator(entries_for(request.user).order_by("-id"), AUDIT_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    references = case_visibility().case_references({entry.case_id for entry in page if entry.case_id})
    rows = [(entry, references.get(entry.case_id, "") if entry.case_id else "") for entry in page]
    context = {"page": page, "rows": rows, "verification": verification}
    return render_staff_page(request, "audit/trail.html", context)


@require_GET
@staff_permission_required(VIEW_AUDIT_TRAIL)
def audit_view(request: HttpRequest) -> HttpResponse:
    return _audit_page(request)


@require_POST
@staff_permission_required(VIEW_AUDIT_TRAIL)
def audit_verify_view(request: HttpRequest) -> HttpResponse:
    checked, problems = audit_verify()
    return _audit_page(request, {"checked": checked, "problems": problems, "ok": not problems})
