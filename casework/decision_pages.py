"""Staff pages for decisions: the identity custodian's requests, forwarding a
case to another inspectorate, early deletion under the retention schedule, and
the audit trail with its chain check.

Same rules as ``casework.staff_pages``: signed in with both factors, a role
check per page (403 with the reason otherwise), never cached, no inline script
or style; every change goes through a service, whose refusal is shown as a
message with 400 (invalid input) or 403 (not allowed). A case a person may not
see is a 404 exactly like a missing one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tenants.utils import get_public_schema_name

from casework.access import NotAllowed, can, case_for
from casework.audit import audit_verify
from casework.forwarding import NARRATIVE_FIELDS, ForwardedCase, case_forward
from casework.identity_custody import identity_decide
from casework.models import (
    AuditEntry,
    Case,
    CaseState,
    EarlyDeletionRequest,
    IdentityRequest,
    IdentityRequestStatus,
)
from casework.retention import (
    case_approve_early_deletion,
    case_refuse_early_deletion,
    case_request_early_deletion,
)
from casework.staff_pages import _forbidden, _needs, _page
from intake.report_input import ReportInvalid
from tenants.db import connection
from tenants.models import Tenant, TenantStatus

AUDIT_PAGE_SIZE = 50
DECIDED_SHOWN = 50
RETENTION_SHOWN = 200

FIELD_LABELS = {
    "what": gettext_lazy("Apa"),
    "description": gettext_lazy("Uraian"),
    "who": gettext_lazy("Siapa (terlapor)"),
    "where": gettext_lazy("Di mana"),
    "when": gettext_lazy("Kapan"),
    "why": gettext_lazy("Mengapa"),
    "how": gettext_lazy("Bagaimana"),
    "how_much": gettext_lazy("Berapa (perkiraan kerugian)"),
}


def _person(user: Any) -> str:
    if user is None:
        return "—"
    return str(getattr(user, "full_name", "") or getattr(user, "email", "") or user)


# --- 1. The identity custodian's requests ---------------------------------------


def _identity_requests(user: Any) -> Any:
    """Requests on cases this custodian is not excluded from (never narrative or identity)."""
    return (
        IdentityRequest.objects.exclude(case__exclusions__user=user)
        .select_related("case__report__category", "requested_by", "decided_by")
        .distinct()
    )


def _identity_row(request: IdentityRequest) -> dict[str, Any]:
    report = request.case.report
    return {
        "pk": request.pk,
        "reference": report.reference,
        "category": report.category.name_id,
        "requester": _person(request.requested_by),
        "reason": request.reason,
        "created_at": request.created_at,
        "status": request.get_status_display(),
        "decided_by": _person(request.decided_by),
        "decided_at": request.decided_at,
        "expires_at": request.expires_at,
    }


def _identity_page(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    requests = _identity_requests(request.user)
    pending = requests.filter(status=IdentityRequestStatus.PENDING).order_by("created_at")
    decided = requests.exclude(status=IdentityRequestStatus.PENDING).order_by("-decided_at", "-pk")
    context = {
        "pending": [_identity_row(item) for item in pending],
        "decided": [_identity_row(item) for item in decided[:DECIDED_SHOWN]],
        "error": error,
    }
    return _page(request, "casework/identity_requests.html", context, status=status)


@require_GET
@_needs("decide_identity")
def identity_requests(request: HttpRequest) -> HttpResponse:
    return _identity_page(request)


@require_POST
@_needs("decide_identity")
def identity_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    decision = request.POST.get("decision", "")
    if decision not in {"approve", "refuse"}:
        return _identity_page(request, error="Keputusan tidak dikenal. / Unknown decision.", status=400)
    item = _identity_requests(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404("Permintaan tidak ditemukan. / No such request.")
    try:
        identity_decide(request=item, actor=request.user, approve=decision == "approve")
    except ReportInvalid as invalid:
        return _identity_page(request, error="; ".join(invalid.errors.values()), status=400)
    except NotAllowed as refused:
        return _forbidden(request, str(refused))
    if decision == "approve":
        messages.success(request, _("Permintaan identitas disetujui."))
    else:
        messages.success(request, _("Permintaan identitas ditolak."))
    return redirect("staff-identity-requests")


# --- 2. Forwarding a case -------------------------------------------------------


def _forward_targets() -> list[Tenant]:
    """Other inspectorates on the platform that accept reports."""
    here = connection.schema_name
    return list(
        Tenant.objects.filter(status__in=[TenantStatus.ACTIVE, TenantStatus.TRIAL])
        .exclude(schema_name__in=[get_public_schema_name(), here])
        .order_by("official_name")
    )


def _forward_page(
    request: HttpRequest, case: Case, *, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    report = case.report
    posted = request.POST if errors else None
    chosen = set(posted.getlist("pass_fields")) if posted is not None else set()
    fields = [
        {"name": name, "label": FIELD_LABELS[name], "checked": name in chosen}
        for name in (*NARRATIVE_FIELDS, "how_much")
    ]
    context = {
        "case": case,
        "report": report,
        "targets": _forward_targets(),
        "fields": fields,
        "chosen": chosen,
        "identity_allowed": bool(report.consent_to_forward_identity and report.sealed_identity is not None),
        "values": posted or {},
        "errors": errors or {},
        "is_open": case.is_open and case.shredded_on is None,
    }
    return _page(request, "casework/case_forward.html", context, status=status)


@require_http_methods(["GET", "POST"])
@_needs("forward_case")
def case_forward_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request.user, pk)
    if request.method == "GET":
        return _forward_page(request, case)
    post = request.POST
    passed = [name for name in post.getlist("pass_fields") if name in FIELD_LABELS]
    if post.get("evidence"):
        passed.append("evidence")
    if post.get("identity"):
        passed.append("identity")
    try:
        forwarded: ForwardedCase = case_forward(
            case, request.user, post.get("to_tenant", ""), passed, post.get("note", "")
        )
    except ReportInvalid as invalid:
        return _forward_page(request, case, errors=invalid.errors, status=400)
    except NotAllowed as refused:
        return _forbidden(request, str(refused))
    messages.success(
        request,
        _("Kasus diteruskan kepada %(name)s.") % {"name": forwarded.receiver.official_name},
    )
    return redirect("staff-case", pk=case.pk)


# --- 3. Retention and early deletion --------------------------------------------


def _retention_page(
    request: HttpRequest, *, errors: dict[str, str] | None = None, failed: str = "", status: int = 200
) -> HttpResponse:
    user: Any = request.user
    cases = (
        Case.objects.exclude(exclusions__user=user)
        .filter(state=CaseState.CLOSED, shredded_on__isnull=True, retain_until__isnull=False)
        .select_related("report__category", "deletion_request__requested_by")
        .order_by("retain_until", "pk")
    )
    rows = []
    for case in cases[:RETENTION_SHOWN]:
        pending: EarlyDeletionRequest | None = getattr(case, "deletion_request", None)
        rows.append(
            {
                "pk": case.pk,
                "anchor": f"case-{case.pk}",
                "reference": case.report.reference,
                "category": case.report.category.name_id,
                "closed_on": case.closed_on,
                "retain_until": case.retain_until,
                "outcome": case.get_outcome_display(),
                "request": pending,
                "requested_by": _person(pending.requested_by) if pending else "",
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
    return _page(request, "casework/retention.html", context, status=status)


def _retention_case(user: Any, pk: int) -> Case:
    try:
        return Case.objects.exclude(exclusions__user=user).select_related("report").get(pk=pk)
    except Case.DoesNotExist as missing:
        raise Http404("Kasus tidak ditemukan. / No such case.") from missing


@require_GET
@_needs("request_early_deletion")
def retention_view(request: HttpRequest) -> HttpResponse:
    return _retention_page(request)


@require_POST
@_needs("request_early_deletion")
def retention_request_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = _retention_case(request.user, pk)
    try:
        case_request_early_deletion(case, request.user, request.POST.get("reason", ""))
    except ReportInvalid as invalid:
        return _retention_page(request, errors=invalid.errors, failed=f"case-{pk}", status=400)
    messages.success(
        request, _("Permintaan pemusnahan dini tercatat; administrator lain harus menyetujuinya.")
    )
    return redirect("staff-retention")


@require_POST
@_needs("approve_early_deletion")
def retention_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = _retention_case(request.user, pk)
    decision = request.POST.get("decision", "")
    try:
        if decision == "approve":
            case_approve_early_deletion(case, request.user)
            done = _("Kasus dimusnahkan.")
        elif decision == "refuse":
            case_refuse_early_deletion(case, request.user)
            done = _("Permintaan pemusnahan dini ditolak.")
        else:
            raise ReportInvalid({"decision": "Keputusan tidak dikenal. / Unknown decision."})
    except ReportInvalid as invalid:
        return _retention_page(request, errors=invalid.errors, failed=f"case-{pk}", status=400)
    messages.success(request, done)
    return redirect("staff-retention")


# --- 4. The audit trail ---------------------------------------------------------


def _audit_page(request: HttpRequest, verification: dict[str, Any] | None = None) -> HttpResponse:
    paginator = Paginator(AuditEntry.objects.order_by("-id"), AUDIT_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {"page": page, "verification": verification}
    return _page(request, "casework/audit.html", context)


@require_GET
@_needs("view_audit_trail")
def audit_view(request: HttpRequest) -> HttpResponse:
    return _audit_page(request)


@require_POST
@_needs("view_audit_trail")
def audit_verify_view(request: HttpRequest) -> HttpResponse:
    checked, problems = audit_verify()
    return _audit_page(request, {"checked": checked, "problems": problems, "ok": not problems})
