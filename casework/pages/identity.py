"""The identity custodian's page: requests to see a confidential reporter's identity,
approved or refused (never the narrative or the identity itself)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casework.access import identity_requests_for
from casework.models import (
    IdentityRequest,
    IdentityRequestStatus,
)
from casework.pages.common import needs
from casework.selectors.timeline import person_name
from casework.services.identity import identity_decide
from tenants.accounts.staff_sessions import forbidden_page, render_staff_page
from tenants.errors import InvalidInput, NotAllowed

DECIDED_SHOWN = 50


def _identity_requests(user: Any) -> Any:
    """Requests on cases this custodian is not excluded from (never narrative or identity)."""
    return (
        identity_requests_for(user)
        .select_related("case__report__category", "requested_by", "decided_by")
        .distinct()
    )


def _identity_row(request: IdentityRequest) -> dict[str, Any]:
    report = request.case.report
    return {
        "pk": request.pk,
        "reference": report.reference,
        "category": report.category.name_id,
        "requester": person_name(request.requested_by) or "—",
        "reason": request.reason,
        "created_at": request.created_at,
        "status": request.get_status_display(),
        "decided_by": person_name(request.decided_by) or "—",
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
    return render_staff_page(request, "casework/identity_requests.html", context, status=status)


@require_GET
@needs("decide_identity")
def identity_requests(request: HttpRequest) -> HttpResponse:
    return _identity_page(request)


@require_POST
@needs("decide_identity")
def identity_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    decision = request.POST.get("decision", "")
    if decision not in {"approve", "refuse"}:
        return _identity_page(request, error="Keputusan tidak dikenal. / Unknown decision.", status=400)
    item = _identity_requests(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404("Permintaan tidak ditemukan. / No such request.")
    try:
        identity_decide(request=item, actor=request.user, approve=decision == "approve")
    except InvalidInput as invalid:
        return _identity_page(request, error="; ".join(invalid.errors.values()), status=400)
    except NotAllowed as refused:
        return forbidden_page(request, str(refused))
    if decision == "approve":
        messages.success(request, _("Permintaan identitas disetujui."))
    else:
        messages.success(request, _("Permintaan identitas ditolak."))
    return redirect("staff-identity-requests")
