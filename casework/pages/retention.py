"""Retention: closed cases by the end of their retention, and early deletion, which
takes two different administrators."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casework.access import can, overseen_case_for, overseen_cases
from casework.models import (
    Case,
    CaseState,
    EarlyDeletionRequest,
)
from casework.pages.common import needs
from casework.selectors.timeline import person_name
from casework.services.retention import (
    case_approve_early_deletion,
    case_refuse_early_deletion,
    case_request_early_deletion,
)
from tenants.accounts.staff_sessions import render_staff_page
from tenants.errors import InvalidInput

RETENTION_SHOWN = 200


def _retention_page(
    request: HttpRequest, *, errors: dict[str, str] | None = None, failed: str = "", status: int = 200
) -> HttpResponse:
    user: Any = request.user
    cases = (
        overseen_cases(user)
        .filter(state=CaseState.CLOSED, shredded_on__isnull=True, retain_until__isnull=False)
        .select_related("report__category", "deletion_request__requested_by")
        .order_by("retain_until", "reference")
    )
    rows = []
    for case in cases[:RETENTION_SHOWN]:
        pending: EarlyDeletionRequest | None = getattr(case, "deletion_request", None)
        rows.append(
            {
                "anchor": f"case-{case.report.reference}",
                "reference": case.report.reference,
                "category": case.report.category.name_id,
                "closed_on": case.closed_on,
                "retain_until": case.retain_until,
                "outcome": case.get_outcome_display(),
                "request": pending,
                "requested_by": person_name(pending.requested_by) if pending else "",
                "own_request": pending is not None and pending.requested_by_id == user.pk,
            }
        )
    context = {
        "rows": rows,
        "pending": [row for row in rows if row["request"] is not None],
        "errors": errors or {},
        "failed": failed,
        "values": request.POST if errors else {},
        "may_request": can(user, "request_early_deletion"),
        "may_approve": can(user, "approve_early_deletion"),
    }
    return render_staff_page(request, "casework/retention.html", context, status=status)


def _retention_case(user: Any, reference: str) -> Case:
    return overseen_case_for(user, reference)


@require_GET
@needs("request_early_deletion")
def retention_view(request: HttpRequest) -> HttpResponse:
    return _retention_page(request)


@require_POST
@needs("request_early_deletion")
def retention_request_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = _retention_case(request.user, reference)
    try:
        case_request_early_deletion(case=case, actor=request.user, reason=request.POST.get("reason", ""))
    except InvalidInput as invalid:
        return _retention_page(request, errors=invalid.errors, failed=f"case-{reference}", status=400)
    messages.success(
        request, _("Permintaan pemusnahan dini tercatat; administrator lain harus menyetujuinya.")
    )
    return redirect("staff-retention")


@require_POST
@needs("approve_early_deletion")
def retention_decide_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = _retention_case(request.user, reference)
    decision = request.POST.get("decision", "")
    try:
        if decision == "approve":
            case_approve_early_deletion(case=case, actor=request.user)
            done = _("Kasus dimusnahkan.")
        elif decision == "refuse":
            case_refuse_early_deletion(case=case, actor=request.user)
            done = _("Permintaan pemusnahan dini ditolak.")
        else:
            raise InvalidInput({"decision": "Keputusan tidak dikenal. / Unknown decision."})
    except InvalidInput as invalid:
        return _retention_page(request, errors=invalid.errors, failed=f"case-{reference}", status=400)
    messages.success(request, done)
    return redirect("staff-retention")
