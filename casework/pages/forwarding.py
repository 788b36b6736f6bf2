"""Forwarding a case to another inspectorate on the platform: what is passed on is
chosen field by field; the identity only with the reporter's consent."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_tenants.utils import get_public_schema_name

from casework.access import case_for
from casework.models import (
    Case,
)
from casework.pages.common import needs
from casework.services.forwarding import NARRATIVE_FIELDS, ForwardedCase, case_forward
from tenants.accounts.staff_sessions import forbidden_page, render_staff_page
from tenants.db import connection
from tenants.errors import InvalidInput, NotAllowed
from tenants.models import Tenant, TenantStatus

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
    return render_staff_page(request, "casework/case_forward.html", context, status=status)


@require_http_methods(["GET", "POST"])
@needs("forward_case")
def case_forward_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for(request.user, reference)
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
            case=case,
            actor=request.user,
            to_tenant_slug=post.get("to_tenant", ""),
            pass_fields=passed,
            note=post.get("note", ""),
        )
    except InvalidInput as invalid:
        return _forward_page(request, case, errors=invalid.errors, status=400)
    except NotAllowed as refused:
        return forbidden_page(request, str(refused))
    messages.success(
        request,
        _("Kasus diteruskan kepada %(name)s.") % {"name": forwarded.receiver.official_name},
    )
    return redirect("staff-case", reference=case.report.reference)
