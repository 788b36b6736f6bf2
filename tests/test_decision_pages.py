"""The decision pages (/staff/identitas/, /staff/kasus/<id>/teruskan/,
/staff/retensi/, /staff/audit/): who may open them, and that each decision goes
through its service and lands in the audit trail."""

from __future__ import annotations

import re

import pytest
from django_tenants.utils import schema_context

from casework.models import (
    Case,
    CaseState,
    EarlyDeletionRequest,
    Exclusion,
    IdentityRequest,
    Outcome,
)
from casework.services.identity import identity_request
from intake.models import Report
from tenants.accounts.models import StaffRole, User
from tenants.audit.models import AuditEntry
from tests.factories.accounts import StaffFactory
from tests.support.casework import (
    DESCRIPTION,
    EMAIL,
    IDENTITY_NAME,
    TENANT,
    WHAT,
    LetterCaseFactory,
    as_role,
    assert_page_opens_only_for,
    staff_client_of,
)
from wbs.demo.seed_tenants import DEMO_PASSWORD

REASON = "Perlu konfirmasi keterangan saksi kunci secara langsung."


pytestmark = pytest.mark.usefixtures("evidence_in_tmp")


def closed_case() -> Case:
    case = LetterCaseFactory.create(state=CaseState.CLOSED, outcome=Outcome.NOT_SUBSTANTIATED)
    assert case.retain_until is not None  # closing through the workflow starts the retention clock
    return case


def person(email: str) -> User:
    with schema_context(TENANT):
        return User.objects.get(email=email)


def extra_staff(email: str, role: str) -> str:
    StaffFactory.create(tenant=TENANT, email=email, roles=[role], password=DEMO_PASSWORD)
    return email


def audit_actions(schema: str = TENANT) -> list[str]:
    with schema_context(schema):
        return list(AuditEntry.objects.values_list("action", flat=True))


def ask_identity(case: Case) -> IdentityRequest:
    with schema_context(TENANT):
        return identity_request(case=case, actor=person(EMAIL["investigator"]), reason=REASON)


# --- Who may open which page --------------------------------------------------

PAGES = {
    "/staff/identitas/": {"identity_custodian"},
    "/staff/kasus/CASE/teruskan/": {"supervisor"},
    "/staff/retensi/": {"administrator"},
    "/staff/audit/": {"administrator", "auditor"},
}


@pytest.mark.parametrize("path", list(PAGES))
def test_each_page_for_allowed_and_refused_roles(sukabumi, path):
    assert_page_opens_only_for(path.replace("CASE", LetterCaseFactory.create().reference), PAGES[path])


def test_the_nav_links_follow_the_roles(sukabumi):
    links = {
        "identity_custodian": "/staff/identitas/",
        "administrator": "/staff/retensi/",
        "auditor": "/staff/audit/",
    }
    for role in EMAIL:
        home = as_role(role).get("/staff/").content.decode()
        for owner, url in links.items():
            shown = f'href="{url}"' in home
            allowed = role == owner or (url == "/staff/audit/" and role == "administrator")
            assert shown == allowed, (role, url)


def test_posts_are_refused_for_other_roles(sukabumi):
    case = LetterCaseFactory.create()
    request = ask_identity(case)
    closed = closed_case()
    for role in ("investigator", "supervisor", "auditor", "administrator"):
        client = as_role(role)
        assert (
            client.post(f"/staff/identitas/{request.pk}/putuskan/", {"decision": "approve"}).status_code
            == 403
        )
    for role in ("supervisor", "auditor", "identity_custodian"):
        response = as_role(role).post(f"/staff/retensi/{closed.reference}/minta/", {"reason": REASON})
        assert response.status_code == 403
    assert as_role("investigator").post("/staff/audit/verifikasi/").status_code == 403
    with schema_context(TENANT):
        assert IdentityRequest.objects.get(pk=request.pk).status == "pending"
        assert not EarlyDeletionRequest.objects.filter(case=closed).exists()


# --- 1. Identity requests -----------------------------------------------------


def test_the_custodian_approves_and_refuses_identity_requests(sukabumi):
    first, second = LetterCaseFactory.create(), LetterCaseFactory.create(what="Gratifikasi proyek jalan")
    approve, refuse = ask_identity(first), ask_identity(second)
    custodian = as_role("identity_custodian")

    html = custodian.get("/staff/identitas/").content.decode()
    assert first.report.reference in html and second.report.reference in html
    with schema_context(TENANT):
        category = Case.objects.select_related("report__category").get(pk=first.pk).report.category.name_id
    requester = person(EMAIL["investigator"])
    assert REASON in html and category in html and (requester.full_name or requester.email) in html
    assert DESCRIPTION not in html and IDENTITY_NAME not in html and WHAT not in html

    response = custodian.post(f"/staff/identitas/{approve.pk}/putuskan/", {"decision": "approve"})
    assert response.status_code == 302 and response["Location"] == "/staff/identitas/"
    response = custodian.post(f"/staff/identitas/{refuse.pk}/putuskan/", {"decision": "refuse"})
    assert response.status_code == 302
    with schema_context(TENANT):
        approve.refresh_from_db()
        refuse.refresh_from_db()
    assert approve.status == "approved" and approve.expires_at is not None
    assert refuse.status == "refused" and refuse.expires_at is None
    actions = audit_actions()
    assert "identity_approved" in actions and "identity_refused" in actions

    # Decided already: the service's refusal is a 400 with its message.
    response = custodian.post(f"/staff/identitas/{approve.pk}/putuskan/", {"decision": "refuse"})
    assert response.status_code == 400 and "sudah diputuskan" in response.content.decode()
    assert custodian.post(f"/staff/identitas/{approve.pk}/putuskan/", {"decision": "x"}).status_code == 400
    html = custodian.get("/staff/identitas/").content.decode()
    assert "Tidak ada permintaan yang menunggu" in html and "Disetujui" in html and "Ditolak" in html


def test_an_excluded_custodian_does_not_see_the_request(sukabumi):
    hidden, shown = LetterCaseFactory.create(), LetterCaseFactory.create(what="Gratifikasi proyek jalan")
    hidden_request = ask_identity(hidden)
    ask_identity(shown)
    with schema_context(TENANT):
        Exclusion.objects.create(
            case=hidden, user=person(EMAIL["identity_custodian"]), reason="Kerabat terlapor"
        )
    custodian = as_role("identity_custodian")
    html = custodian.get("/staff/identitas/").content.decode()
    assert shown.report.reference in html and hidden.report.reference not in html
    response = custodian.post(f"/staff/identitas/{hidden_request.pk}/putuskan/", {"decision": "approve"})
    assert response.status_code == 404
    with schema_context(TENANT):
        assert IdentityRequest.objects.get(pk=hidden_request.pk).status == "pending"


# --- 2. Forwarding --------------------------------------------------------------


def test_forwarding_through_the_page_creates_the_case_in_the_other_tenant(sukabumi, sulteng):
    case = LetterCaseFactory.create(files=[("kuitansi.txt", b"kuitansi pungutan")])
    supervisor = as_role("supervisor")
    url = f"/staff/kasus/{case.reference}/teruskan/"

    case_html = supervisor.get(f"/staff/kasus/{case.reference}/").content.decode()
    assert f'href="{url}"' in case_html
    assert (
        f'href="{url}"' not in as_role("investigator").get(f"/staff/kasus/{case.reference}/").content.decode()
    )

    form = supervisor.get(url).content.decode()
    assert 'value="sulteng"' in form and 'value="sukabumi"' not in form
    assert 'name="identity" value="1" disabled' in form  # no consent from the reporter

    refused = as_role("investigator").post(url, {"to_tenant": "sulteng", "pass_fields": ["what"]})
    assert refused.status_code == 403
    bad = supervisor.post(url, {"to_tenant": "sulteng"})
    assert bad.status_code == 400 and "setidaknya satu" in bad.content.decode()
    no_consent = supervisor.post(url, {"to_tenant": "sulteng", "pass_fields": ["what"], "identity": "1"})
    assert no_consent.status_code == 400 and "tidak menyetujui" in no_consent.content.decode()
    with schema_context("sulteng"):
        before = Case.objects.count()

    response = supervisor.post(
        url,
        {
            "to_tenant": "sulteng",
            "pass_fields": ["what", "description"],
            "evidence": "1",
            "note": "Kewenangan provinsi.",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/staff/kasus/{case.reference}/"
    with schema_context(TENANT):
        case.refresh_from_db()
        assert case.state == CaseState.CONCLUDED and case.outcome == Outcome.FORWARDED
        assert case.forwarded_to_slug == "sulteng"
    with schema_context("sulteng"):
        assert Case.objects.count() == before + 1
        received = Case.objects.order_by("-pk").first()
        assert received is not None and received.forwarded_from_slug == TENANT
        assert Report.objects.get(pk=received.report_id).channel == "forwarded"
    assert "forward" in audit_actions() and "forward_in" in audit_actions("sulteng")

    # Concluded now: no link, and another forward is refused with the reason.
    assert f'href="{url}"' not in supervisor.get(f"/staff/kasus/{case.reference}/").content.decode()
    again = supervisor.post(url, {"to_tenant": "sulteng", "pass_fields": ["what"]})
    assert again.status_code == 400


def test_the_identity_box_is_enabled_when_the_reporter_consented(sukabumi):
    case = LetterCaseFactory.create(consent=True)
    form = as_role("supervisor").get(f"/staff/kasus/{case.reference}/teruskan/").content.decode()
    assert 'name="identity" value="1" disabled' not in form and 'name="identity"' in form


# --- 3. Retention ---------------------------------------------------------------


def test_early_deletion_needs_two_different_administrators(sukabumi):
    case = closed_case()
    other = extra_staff("admin2@sukabumi.example", StaffRole.ADMINISTRATOR)
    admin = as_role("administrator")

    html = admin.get("/staff/retensi/").content.decode()
    assert case.report.reference in html and WHAT not in html
    short = admin.post(f"/staff/retensi/{case.reference}/minta/", {"reason": "singkat"})
    assert short.status_code == 400 and "Jelaskan alasan" in short.content.decode()
    response = admin.post(f"/staff/retensi/{case.reference}/minta/", {"reason": REASON})
    assert response.status_code == 302 and response["Location"] == "/staff/retensi/"
    assert REASON in admin.get("/staff/retensi/").content.decode()

    same = admin.post(f"/staff/retensi/{case.reference}/putuskan/", {"decision": "approve"})
    assert same.status_code == 400 and "administrator lain" in same.content.decode()
    with schema_context(TENANT):
        assert Case.objects.get(pk=case.pk).shredded_on is None

    response = staff_client_of(other).post(
        f"/staff/retensi/{case.reference}/putuskan/", {"decision": "approve"}
    )
    assert response.status_code == 302
    with schema_context(TENANT):
        shredded = Case.objects.select_related("report").get(pk=case.pk)
        assert shredded.shredded_on is not None and shredded.report.wrapped_key is None
    actions = audit_actions()
    assert "early_deletion_request" in actions and "early_deletion_approve" in actions and "shred" in actions
    assert case.report.reference not in admin.get("/staff/retensi/").content.decode()


def test_an_early_deletion_request_can_be_refused(sukabumi):
    case = closed_case()
    other = extra_staff("admin2@sukabumi.example", StaffRole.ADMINISTRATOR)
    as_role("administrator").post(f"/staff/retensi/{case.reference}/minta/", {"reason": REASON})
    response = staff_client_of(other).post(
        f"/staff/retensi/{case.reference}/putuskan/", {"decision": "refuse"}
    )
    assert response.status_code == 302
    with schema_context(TENANT):
        assert not EarlyDeletionRequest.objects.filter(case=case).exists()
        assert Case.objects.get(pk=case.pk).shredded_on is None
    assert "early_deletion_refuse" in audit_actions()
    open_case = LetterCaseFactory.create()
    response = as_role("administrator").post(
        f"/staff/retensi/{open_case.reference}/minta/", {"reason": REASON}
    )
    assert response.status_code == 400 and "sudah ditutup" in response.content.decode()


# --- 4. The audit trail ---------------------------------------------------------


def test_the_audit_page_lists_entries_newest_first_and_verifies_the_chain(sukabumi):
    first = LetterCaseFactory.create()
    ask_identity(first)
    auditor = as_role("auditor")
    html = auditor.get("/staff/audit/").content.decode()
    assert "identity_request" in html and EMAIL["investigator"] in html
    with schema_context(TENANT):
        newest_first = list(AuditEntry.objects.order_by("-id").values_list("action", flat=True)[:50])
    assert re.findall(r'<td title="([\w:]+)">', html) == newest_first
    assert DESCRIPTION not in html and IDENTITY_NAME not in html

    response = auditor.post("/staff/audit/verifikasi/")
    assert response.status_code == 200
    body = response.content.decode()
    with schema_context(TENANT):
        total = AuditEntry.objects.count()
    assert "OK" in body and f"{total} entri diperiksa" in body
    assert as_role("administrator").post("/staff/audit/verifikasi/").status_code == 200
    assert auditor.get("/staff/audit/?page=2").status_code == 200
