"""A confidential reporter's identity is hidden from handlers. A handler asks
for it with a reason; the identity custodian approves or refuses; approved
access lasts a limited time and every view is recorded in the audit trail."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from casework.access import require
from casework.models import Case, CaseEvent, IdentityRequest, IdentityRequestStatus
from casework.selectors.identity import identity_access_until
from intake.encryption import report_key
from intake.models import IdentityMode
from tenants.audit.trail import audit_record
from tenants.errors import InvalidInput

ACCESS_LIFETIME = timedelta(hours=24)


def identity_request(*, case: Case, actor: Any, reason: str) -> IdentityRequest:
    require(actor, "request_identity")
    if case.report.identity_mode == IdentityMode.ANONYMOUS or case.report.sealed_identity is None:
        raise InvalidInput({"case": "Pelapor tidak memberikan identitas. / The reporter gave no identity."})
    if len(reason.strip()) < 10:
        raise InvalidInput({"reason": "Jelaskan mengapa identitas diperlukan. / Explain why it is needed."})
    with transaction.atomic():
        request = IdentityRequest.objects.create(case=case, requested_by=actor, reason=reason.strip()[:500])
        CaseEvent.objects.create(case=case, kind="identity_requested", actor=actor)
        audit_record(action="identity_request", actor=actor, case_id=case.pk, request_id=request.pk)
    return request


def identity_decide(*, request: IdentityRequest, actor: Any, approve: bool) -> IdentityRequest:
    require(actor, "decide_identity")
    if request.status != IdentityRequestStatus.PENDING:
        raise InvalidInput({"request": "Permintaan ini sudah diputuskan. / Already decided."})
    if request.requested_by_id == getattr(actor, "pk", None):
        raise InvalidInput({"request": "Tidak boleh memutuskan permintaan sendiri. / Not your own request."})
    with transaction.atomic():
        request.status = IdentityRequestStatus.APPROVED if approve else IdentityRequestStatus.REFUSED
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.expires_at = request.decided_at + ACCESS_LIFETIME if approve else None
        request.save(update_fields=["status", "decided_by", "decided_at", "expires_at"])
        CaseEvent.objects.create(case=request.case, kind=f"identity_{request.status}", actor=actor)
        audit_record(
            action=f"identity_{request.status}", actor=actor, case_id=request.case_id, request_id=request.pk
        )
    return request


def identity_view(*, case: Case, actor: Any) -> dict[str, str]:
    """The reporter's identity, for a handler with live approved access. Recorded every time."""
    grant = identity_access_until(case, actor)
    if grant is None:
        raise PermissionError("Akses identitas belum disetujui atau sudah berakhir. / No approved access.")
    identity = report_key(case.report).open_json("identity", bytes(case.report.sealed_identity or b""))
    audit_record(action="identity_view", actor=actor, case_id=case.pk, request_id=grant.pk)
    return dict(identity)
