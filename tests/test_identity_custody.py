"""The reporter's identity: a handler asks with a reason, the identity custodian
decides, access lasts a limited time and every view is in the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context
from rest_framework.authtoken.models import Token

from casework.access import case_for_identity_custodian
from casework.models import Case, CaseEvent, Exclusion, IdentityRequest
from casework.services.identity import (
    ACCESS_LIFETIME,
    identity_access_until,
    identity_decide,
    identity_request,
    identity_view,
)
from tenants.accounts.models import User
from tenants.audit.models import AuditEntry
from tenants.audit.trail import audit_verify
from tenants.errors import InvalidInput, NotAllowed
from tenants.onboarding import primary_hostname
from tests.factories.accounts import StaffFactory
from tests.factories.casework import CaseFactory

TENANT = "sukabumi"
INVESTIGATOR = "pemeriksa@sukabumi.example"
SUPERVISOR = "inspektur@sukabumi.example"
OFFICER = "verifikator@sukabumi.example"
CUSTODIAN = "kustodian@sukabumi.example"
AUDITOR = "auditor@sukabumi.example"
ADMIN = "admin@sukabumi.example"

IDENTITY = {"name": "Siti Rahma", "nik": "7271010101900001", "phone": "081234567890"}
REASON = "Perlu meminta keterangan langsung dari pelapor sebagai saksi."


REPORT = {
    "category": "pungli",
    "what": "Pungutan liar pada izin usaha",
    "description": "Petugas meminta uang di luar tarif.",
    "identity_mode": "confidential",
    "identity": IDENTITY,
}


def staff(email: str) -> User:
    return User.objects.get(email=email)


def audit_actions(case: Case) -> list[str]:
    return list(AuditEntry.objects.filter(case_id=case.pk).order_by("id").values_list("action", flat=True))


@pytest.fixture
def case(sukabumi) -> Case:
    """A case given to the investigator who asks for the identity (need-to-know shows it to them)."""
    return CaseFactory.create(**REPORT, assignee=INVESTIGATOR)


def test_a_handler_asks_with_a_reason_and_it_is_recorded(case):
    with schema_context(TENANT):
        request = identity_request(case=case, actor=staff(INVESTIGATOR), reason=REASON)
        assert request.status == "pending" and request.reason == REASON
        assert request.requested_by == staff(INVESTIGATOR)
        assert CaseEvent.objects.filter(case=case, kind="identity_requested").count() == 1
        assert audit_actions(case)[-1] == "identity_request"
        assert AuditEntry.objects.filter(case_id=case.pk).latest("id").details == {"request_id": request.pk}


@pytest.mark.parametrize("reason", ["", "   ", "perlu", "x" * 9])
def test_a_request_needs_a_real_reason(case, reason):
    with schema_context(TENANT):
        with pytest.raises(InvalidInput) as refused:
            identity_request(case=case, actor=staff(INVESTIGATOR), reason=reason)
        assert "reason" in refused.value.errors
        assert not IdentityRequest.objects.filter(case=case).exists()


@pytest.mark.parametrize(
    ("email", "allowed"),
    [
        (INVESTIGATOR, True),
        (SUPERVISOR, True),
        (OFFICER, False),
        (CUSTODIAN, False),
        (AUDITOR, False),
        (ADMIN, False),
    ],
)
def test_who_may_ask(case, email, allowed):
    with schema_context(TENANT):
        if allowed:
            assert identity_request(case=case, actor=staff(email), reason=REASON).pk
        else:
            with pytest.raises(NotAllowed):
                identity_request(case=case, actor=staff(email), reason=REASON)
            assert not IdentityRequest.objects.filter(case=case).exists()


def test_anonymous_reports_refuse_requests(sukabumi):
    anonymous = CaseFactory.create(**REPORT | {"identity_mode": "anonymous", "identity": None})
    with schema_context(TENANT):
        assert anonymous.report.sealed_identity is None
        with pytest.raises(InvalidInput) as refused:
            identity_request(case=anonymous, actor=staff(INVESTIGATOR), reason=REASON)
        assert "case" in refused.value.errors
        assert not IdentityRequest.objects.filter(case=anonymous).exists()
        assert "identity_request" not in audit_actions(anonymous)


def test_the_custodian_approves_and_the_requester_sees_it_for_a_limited_time(case):
    with schema_context(TENANT):
        investigator = staff(INVESTIGATOR)
        request = identity_request(case=case, actor=investigator, reason=REASON)
        with pytest.raises(PermissionError):  # pending: nothing yet
            identity_view(case=case, actor=investigator)
        decided = identity_decide(request=request, actor=staff(CUSTODIAN), approve=True)
        assert decided.status == "approved" and decided.decided_by == staff(CUSTODIAN)
        assert decided.expires_at is not None and decided.decided_at is not None
        lifetime = decided.expires_at - decided.decided_at
        assert lifetime == ACCESS_LIFETIME and timedelta(hours=1) <= lifetime <= timedelta(days=7)
        assert "identity_approved" in audit_actions(case)
        assert identity_view(case=case, actor=investigator) == IDENTITY
        # Access is the requester's own: a colleague, even a supervisor, still sees nothing.
        with pytest.raises(PermissionError):
            identity_view(case=case, actor=staff(SUPERVISOR))


def test_access_ends_when_it_expires(case):
    with schema_context(TENANT):
        investigator = staff(INVESTIGATOR)
        request = identity_request(case=case, actor=investigator, reason=REASON)
        identity_decide(request=request, actor=staff(CUSTODIAN), approve=True)
        assert identity_access_until(case, investigator) is not None
        IdentityRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        assert identity_access_until(case, investigator) is None
        views_before = audit_actions(case).count("identity_view")
        with pytest.raises(PermissionError):
            identity_view(case=case, actor=investigator)
        assert audit_actions(case).count("identity_view") == views_before


def test_the_custodian_refuses(case):
    with schema_context(TENANT):
        investigator = staff(INVESTIGATOR)
        request = identity_request(case=case, actor=investigator, reason=REASON)
        decided = identity_decide(request=request, actor=staff(CUSTODIAN), approve=False)
        assert decided.status == "refused" and decided.expires_at is None
        assert "identity_refused" in audit_actions(case)
        with pytest.raises(PermissionError):
            identity_view(case=case, actor=investigator)
        # A decision is final.
        with pytest.raises(InvalidInput):
            identity_decide(request=request, actor=staff(CUSTODIAN), approve=True)
        assert IdentityRequest.objects.get(pk=request.pk).status == "refused"


@pytest.mark.parametrize("email", [INVESTIGATOR, SUPERVISOR, OFFICER, AUDITOR, ADMIN])
def test_only_the_custodian_decides(case, email):
    with schema_context(TENANT):
        request = identity_request(case=case, actor=staff(INVESTIGATOR), reason=REASON)
        with pytest.raises(NotAllowed):
            identity_decide(request=request, actor=staff(email), approve=True)
        assert IdentityRequest.objects.get(pk=request.pk).status == "pending"


def test_the_requester_cannot_decide_their_own_request(case):
    with schema_context(TENANT):
        both = StaffFactory.create(
            email="ganda@sukabumi.example", roles=["investigator", "identity_custodian"]
        )
        request = identity_request(case=case, actor=both, reason=REASON)
        for approve in (True, False):
            with pytest.raises(InvalidInput) as refused:
                identity_decide(request=request, actor=both, approve=approve)
            assert "request" in refused.value.errors
        assert IdentityRequest.objects.get(pk=request.pk).status == "pending"
        with pytest.raises(PermissionError):
            identity_view(case=case, actor=both)
        # Another custodian can.
        identity_decide(request=request, actor=staff(CUSTODIAN), approve=True)
        assert identity_view(case=case, actor=both)["nik"] == IDENTITY["nik"]


def test_every_view_writes_an_audit_entry(case):
    with schema_context(TENANT):
        investigator = staff(INVESTIGATOR)
        request = identity_request(case=case, actor=investigator, reason=REASON)
        identity_decide(request=request, actor=staff(CUSTODIAN), approve=True)
        for expected in (1, 2, 3):
            identity_view(case=case, actor=investigator)
            views = AuditEntry.objects.filter(case_id=case.pk, action="identity_view")
            assert views.count() == expected
        for entry in views:
            assert entry.actor_id == investigator.pk and entry.details == {"request_id": request.pk}
            # The trail records that the identity was seen, never the identity itself.
            assert IDENTITY["nik"] not in str(entry.details) and IDENTITY["name"] not in entry.actor_label
        assert audit_verify()[1] == []


def test_the_custodian_sees_a_case_only_through_a_request(case):
    other = CaseFactory.create(**REPORT)
    with schema_context(TENANT):
        custodian = staff(CUSTODIAN)
        with pytest.raises(Http404):
            case_for_identity_custodian(custodian, case.pk)
        identity_request(case=case, actor=staff(INVESTIGATOR), reason=REASON)
        assert case_for_identity_custodian(custodian, case.pk).pk == case.pk
        with pytest.raises(Http404):
            case_for_identity_custodian(custodian, other.pk)
        with pytest.raises(NotAllowed):
            case_for_identity_custodian(staff(SUPERVISOR), case.pk)
        Exclusion.objects.create(case=case, user=custodian, reason="kerabat pelapor")
        with pytest.raises(Http404):
            case_for_identity_custodian(custodian, case.pk)


def test_the_api_never_shows_the_identity_even_with_approved_access(case):
    with schema_context(TENANT):
        investigator = staff(INVESTIGATOR)
        request = identity_request(case=case, actor=investigator, reason=REASON)
        identity_decide(request=request, actor=staff(CUSTODIAN), approve=True)
        token, _ = Token.objects.get_or_create(user=investigator)
        custodian_token, _ = Token.objects.get_or_create(user=staff(CUSTODIAN))
    client = Client(HTTP_HOST=primary_hostname(TENANT), HTTP_AUTHORIZATION=f"Token {token.key}")
    for suffix in ["", "/messages", "/notes"]:
        response = client.get(f"/api/v1/cases/{case.reference}{suffix}")
        assert response.status_code == 200
        text = response.content.decode()
        assert IDENTITY["nik"] not in text and IDENTITY["name"] not in text and IDENTITY["phone"] not in text
    assert "Siti" not in client.get("/api/v1/cases").content.decode()
    # The custodian decides on identities but does not see the case list or reports.
    custodian = Client(HTTP_HOST=primary_hostname(TENANT), HTTP_AUTHORIZATION=f"Token {custodian_token.key}")
    assert custodian.get(f"/api/v1/cases/{case.reference}").status_code == 403
