"""The tenant's audit trail, newest first, with a check of its hash chain."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_POST

from tenants.accounts.permissions import VIEW_AUDIT_TRAIL
from tenants.accounts.staff_sessions import render_staff_page, staff_permission_required
from tenants.audit.models import AuditEntry
from tenants.audit.trail import audit_verify

AUDIT_PAGE_SIZE = 50


def _audit_page(request: HttpRequest, verification: dict[str, Any] | None = None) -> HttpResponse:
    paginator = Paginator(AuditEntry.objects.order_by("-id"), AUDIT_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render_staff_page(request, "audit/trail.html", {"page": page, "verification": verification})


@require_GET
@staff_permission_required(VIEW_AUDIT_TRAIL)
def audit_view(request: HttpRequest) -> HttpResponse:
    return _audit_page(request)


@require_POST
@staff_permission_required(VIEW_AUDIT_TRAIL)
def audit_verify_view(request: HttpRequest) -> HttpResponse:
    checked, problems = audit_verify()
    return _audit_page(request, {"checked": checked, "problems": problems, "ok": not problems})
