"""Forwarding a case from one inspectorate to another (the city of Sukabumi to the
province of Sulteng): the receiver gets only what was chosen, both audit trails
record it, the reporter's receipt still works on the sender and says where the
report went, and a refused or failed forward leaves nothing in either tenant."""

from unittest import mock

import factory
import pytest
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context

from casework.models import Case, CaseEvent, CaseState, InternalNote, Outcome
from casework.services import forwarding
from casework.services.forwarding import case_forward
from intake.encryption import report_key
from intake.evidence_storage import read_evidence
from intake.models import Attachment, Channel, IdentityMode, Message, Report
from tenants.accounts.models import User
from tenants.audit.models import AuditEntry
from tenants.audit.trail import audit_verify
from tenants.clock import tenant_today
from tenants.errors import InvalidInput, NotAllowed
from tenants.models import Tenant
from tenants.onboarding import primary_hostname
from tests.factories.casework import CaseFactory
from tests.factories.intake import ReportFactory

REPORT = {
    "category": "pungli",
    "what": "Permintaan fee oleh pejabat provinsi",
    "description": "Pejabat Dinas Pendidikan Provinsi meminta fee 10% dari penyedia mebel sekolah.",
    "who": [{"name": "Budi", "position": "Kepala Bidang Sarpras", "unit": "Dinas Pendidikan Provinsi"}],
    "where": "Hotel di Kota Sukabumi",
    "when": "November 2025",
    "why": "Agar mendapat paket pengadaan.",
    "how": "Diminta langsung saat pameran.",
    "how_much": 300000000,
    "identity_mode": "confidential",
    "identity": {"name": "Rina Marlina", "phone": "081234567890"},
    "notify_email": "rina@example.com",
}


# The case the tests forward: REPORT on Sukabumi, in verification (the intake officer started it).
VerifyingCase = factory.make_factory(
    Case,
    FACTORY_CLASS=CaseFactory,
    state=CaseState.VERIFICATION,
    actor="verifikator@sukabumi.example",
    **REPORT,
)

pytestmark = pytest.mark.usefixtures("evidence_in_tmp")


def stored_files(root, slug: str) -> list:
    return [path for path in (root / slug).rglob("*") if path.is_file()]


def footprint(slug: str) -> dict[str, int]:
    with schema_context(slug):
        return {
            "reports": Report.objects.count(),
            "cases": Case.objects.count(),
            "attachments": Attachment.objects.count(),
            "messages": Message.objects.count(),
            "notes": InternalNote.objects.count(),
            "events": CaseEvent.objects.count(),
            "audit": AuditEntry.objects.count(),
        }


def forward(case_id: int, email: str = "inspektur@sukabumi.example", **kwargs):
    arguments = {
        "to_tenant_slug": "sulteng",
        "pass_fields": {"what", "description", "where", "evidence"},
        "note": "Terlapor pejabat Pemprov Sulteng; kewenangan Inspektorat Provinsi.",
    } | kwargs
    with schema_context("sukabumi"):
        case = Case.objects.get(pk=case_id)
        return case_forward(
            case=case,
            actor=User.objects.get(email=email),
            to_tenant_slug=arguments["to_tenant_slug"],
            pass_fields=arguments["pass_fields"],
            note=arguments["note"],
        )


def test_a_city_forwards_to_its_province_with_only_the_chosen_fields(
    sukabumi, sulteng, evidence_in_tmp, django_capture_on_commit_callbacks
):
    arrival = ReportFactory.create(**REPORT, with_pdf=True)
    case_id, receipt = VerifyingCase.create(arrival=arrival).pk, arrival.receipt
    before = footprint("sulteng")
    with schema_context("sukabumi"), django_capture_on_commit_callbacks(execute=True):
        result = forward(case_id)
    assert result.receiver.schema_name == "sulteng"
    # The reporter who left an address hears there is news (and nothing more).
    (notice,) = mail.outbox
    assert notice.to == ["rina@example.com"] and "Sulawesi" not in notice.body

    with schema_context("sulteng"):
        received = Case.objects.select_related("report").get(pk=result.received_case_id)
        report = received.report
        assert report.channel == Channel.FORWARDED
        assert report.received_on == tenant_today()  # Sulteng's today (WITA)
        assert received.state == CaseState.RECEIVED
        assert received.forwarded_from_slug == "sukabumi"
        assert received.forwarded_from_name == sukabumi.official_name
        assert report.category.code == "pungli"
        key = report_key(report)
        narrative = key.open_json("narrative", bytes(report.sealed_narrative))
        assert set(narrative) == {"what", "description", "where"}
        assert narrative["what"] == REPORT["what"]
        assert report.how_much is None
        # No identity without the reporter's consent (and none was asked for).
        assert report.sealed_identity is None and report.identity_mode == IdentityMode.ANONYMOUS
        assert report.sealed_notify_email is None
        # The evidence came along, sealed with Sulteng's own key for this report.
        (attachment,) = Attachment.objects.filter(report=report)
        name, content = read_evidence(attachment, key)
        assert name == "kwitansi.pdf" and content.startswith(b"%PDF")
        (note,) = InternalNote.objects.filter(case=received)
        assert "Inspektorat Provinsi" in key.open("note", bytes(note.sealed_body)).decode()
        actions = list(AuditEntry.objects.filter(case_id=received.pk).values_list("action", flat=True))
        assert actions == ["report_received", "forward_in"]
        forward_in = AuditEntry.objects.get(action="forward_in", case_id=received.pk)
        assert forward_in.details["from_tenant"] == "sukabumi"
        assert forward_in.details["from_case_id"] == case_id
        assert forward_in.details["identity_passed"] is False
        assert "inspektur@sukabumi.example" in forward_in.actor_label and forward_in.actor_id is None
        assert audit_verify()[1] == []
    after = footprint("sulteng")
    assert after["reports"] == before["reports"] + 1 and after["cases"] == before["cases"] + 1
    assert len(stored_files(evidence_in_tmp, "sulteng")) == 1

    with schema_context("sukabumi"):
        sent = Case.objects.get(pk=case_id)
        assert sent.state == CaseState.CONCLUDED and sent.outcome == Outcome.FORWARDED
        assert sent.concluded_on == tenant_today()
        assert sent.forwarded_to_slug == "sulteng" and sent.forwarded_to_name == sulteng.official_name
        entry = AuditEntry.objects.get(action="forward", case_id=case_id)
        assert entry.details["to_tenant"] == "sulteng"
        assert entry.details["to_case_id"] == result.received_case_id
        assert entry.details["fields"] == ["description", "evidence", "what", "where"]
        assert entry.actor_id == User.objects.get(email="inspektur@sukabumi.example").pk
        assert CaseEvent.objects.filter(case=sent, kind="forward", to_state=CaseState.CONCLUDED).exists()
        assert audit_verify()[1] == []

    # The reporter's receipt still works on Sukabumi and says where the report went.
    client = Client(HTTP_HOST=primary_hostname("sukabumi"))
    token = client.post(
        "/api/v1/intake/session", {"receipt": receipt}, content_type="application/json"
    ).json()["token"]
    status = client.get("/api/v1/intake/report", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert status["forwarded_to"] == sulteng.official_name
    assert status["state"] == CaseState.CONCLUDED and status["destroyed"] is False
    assert sulteng.official_name in status["outcome_summary"]
    messages = client.get("/api/v1/intake/messages", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert sulteng.official_name in messages[-1]["body"]

    page = Client(HTTP_HOST=primary_hostname("sukabumi"))
    assert page.post("/pantau/", {"receipt": receipt}).status_code == 302
    text = page.get("/pantau/kotak/").content.decode()
    assert "Laporan Anda diteruskan kepada" in text
    assert "Sulawesi Tengah" in text


def test_the_identity_goes_along_only_with_the_reporters_consent(sukabumi, sulteng, evidence_in_tmp):
    without_consent = VerifyingCase.create().pk
    before = footprint("sukabumi"), footprint("sulteng")
    with pytest.raises(InvalidInput) as refused:
        forward(without_consent, pass_fields={"what", "description", "identity"})
    assert "identity" in refused.value.errors
    assert (footprint("sukabumi"), footprint("sulteng")) == before

    with_consent = VerifyingCase.create(consent=True).pk
    result = forward(with_consent, pass_fields={"what", "description", "how_much", "identity"})
    with schema_context("sulteng"):
        report = Report.objects.get(case__pk=result.received_case_id)
        assert report.identity_mode == IdentityMode.CONFIDENTIAL
        assert report.consent_to_forward_identity is True
        assert report.how_much == REPORT["how_much"]
        assert report.sealed_identity is not None
        identity = report_key(report).open_json("identity", bytes(report.sealed_identity))
        assert identity == {"name": "Rina Marlina", "phone": "081234567890"}
        assert report.sealed_notify_email is None  # the reporter's address stays with Sukabumi
        assert AuditEntry.objects.get(action="forward_in", case_id=result.received_case_id).details[
            "identity_passed"
        ]
        assert not Attachment.objects.filter(report=report).exists()  # evidence was not chosen


def test_only_a_supervisor_may_forward(sukabumi, sulteng):
    case_id = VerifyingCase.create().pk
    before = footprint("sukabumi"), footprint("sulteng")
    for email in ("pemeriksa@sukabumi.example", "verifikator@sukabumi.example", "admin@sukabumi.example"):
        with pytest.raises(NotAllowed):
            forward(case_id, email=email)
    assert (footprint("sukabumi"), footprint("sulteng")) == before
    with schema_context("sukabumi"):
        assert Case.objects.get(pk=case_id).state == CaseState.VERIFICATION


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"to_tenant_slug": "sukabumi"}, "to_tenant"),
        ({"to_tenant_slug": "tidak-ada"}, "to_tenant"),
        ({"to_tenant_slug": "public"}, "to_tenant"),
        ({"to_tenant_slug": ""}, "to_tenant"),
        ({"pass_fields": {"what", "salary"}}, "pass_fields"),
        ({"pass_fields": {"evidence"}}, "pass_fields"),
    ],
)
def test_a_refused_forward_writes_nothing_in_either_tenant(
    sukabumi, sulteng, evidence_in_tmp, arguments, field
):
    case_id = VerifyingCase.create(consent=True, with_pdf=True).pk
    before = footprint("sukabumi"), footprint("sulteng")
    files_before = stored_files(evidence_in_tmp, "sukabumi")
    with pytest.raises(InvalidInput) as refused:
        forward(case_id, **arguments)
    assert field in refused.value.errors and len(refused.value.errors[field]) > 10
    assert (footprint("sukabumi"), footprint("sulteng")) == before
    assert stored_files(evidence_in_tmp, "sulteng") == []
    assert stored_files(evidence_in_tmp, "sukabumi") == files_before


def test_a_case_already_concluded_cannot_be_forwarded(sukabumi, sulteng):
    case_id = VerifyingCase.create().pk
    forward(case_id)
    before = footprint("sukabumi"), footprint("sulteng")
    with pytest.raises(InvalidInput) as refused:
        forward(case_id)
    assert "case" in refused.value.errors
    assert (footprint("sukabumi"), footprint("sulteng")) == before


def test_a_failure_in_the_sending_half_undoes_the_receiving_half(sukabumi, sulteng, evidence_in_tmp):
    case_id = VerifyingCase.create(with_pdf=True).pk
    before = footprint("sukabumi"), footprint("sulteng")
    with (
        mock.patch.object(forwarding, "case_message_reporter", side_effect=RuntimeError("mail server down")),
        pytest.raises(RuntimeError),
    ):
        forward(case_id)
    assert (footprint("sukabumi"), footprint("sulteng")) == before
    assert stored_files(evidence_in_tmp, "sulteng") == []  # the copied evidence was removed again
    with schema_context("sukabumi"):
        case = Case.objects.get(pk=case_id)
        assert case.state == CaseState.VERIFICATION and case.forwarded_to_slug == ""


def test_a_receiving_tenant_that_no_longer_accepts_reports_is_refused(sukabumi, sulteng):
    case_id = VerifyingCase.create().pk
    Tenant.objects.filter(pk=sulteng.pk).update(status="suspended")
    before = footprint("sukabumi"), footprint("sulteng")
    with pytest.raises(InvalidInput) as refused:
        forward(case_id)
    assert "to_tenant" in refused.value.errors
    assert (footprint("sukabumi"), footprint("sulteng")) == before
