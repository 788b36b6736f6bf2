"""Staff see junk in the queue and close it in one step (issue 10, finding 4): one audit
entry per case, the reporter told nothing but the ordinary outcome."""

import json

from django_tenants.utils import schema_context

from casework.models import Case, CaseEvent, CaseState, Outcome
from intake.models import Message
from tenants.audit.models import AuditEntry
from tests.factories.casework import CaseFactory
from tests.support.casework import TENANT, as_role
from tests.support.intake_api import FULL_REPORT, api, submit


def junk_cases(count: int) -> list[str]:
    """References of fresh cases in intake."""
    return [
        CaseFactory.create(tenant=TENANT, what=f"spam {n}", description="spam").reference
        for n in range(count)
    ]


def close_through_api(role: str, references: list) -> tuple[int, dict]:
    response = as_role(role).post(
        "/api/v1/cases/close-as-junk", json.dumps({"cases": references}), content_type="application/json"
    )
    return response.status_code, response.json()


def states(references: list[str]) -> dict[str, str]:
    with schema_context(TENANT):
        return dict(Case.objects.filter(reference__in=references).values_list("reference", "state"))


def test_a_supervisor_ticks_junk_in_the_queue_and_closes_it_at_once(sukabumi):
    junk = junk_cases(3)
    kept = junk_cases(1)[0]
    supervisor = as_role("supervisor")
    queue = supervisor.get("/staff/kasus/").content.decode()
    assert 'id="junk-form"' in queue and all(f'id="junk-{pk}"' in queue for pk in junk)

    response = supervisor.post("/staff/kasus/tutup-sampah/", {"case": [str(pk) for pk in junk]})
    assert response.status_code == 302
    assert "3 kasus ditutup sebagai kiriman sampah" in supervisor.get(response["Location"]).content.decode()
    assert states(junk) == dict.fromkeys(junk, CaseState.CLOSED)
    assert states([kept]) == {kept: CaseState.RECEIVED}
    with schema_context(TENANT):
        assert {case.outcome for case in Case.objects.filter(reference__in=junk)} == {
            Outcome.CANNOT_FOLLOW_UP
        }
        entries = AuditEntry.objects.filter(action="close_as_junk")
        closed_ids = Case.objects.filter(reference__in=junk).values_list("pk", flat=True)
        assert sorted(entry.case_id for entry in entries) == sorted(closed_ids)
        assert CaseEvent.objects.filter(kind="closed_as_junk").count() == 3


def test_the_reporter_sees_only_the_ordinary_outcome(sukabumi):
    client = api(TENANT)
    receipt = submit(client, FULL_REPORT).json()["receipt"]
    with schema_context(TENANT):
        reference = Case.objects.get().reference
    assert close_through_api("intake_officer", [reference]) == (200, {"closed": [reference]})

    token = client.post("/api/v1/intake/session", {"receipt": receipt}, content_type="application/json")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token.json()['token']}"}
    status = client.get("/api/v1/intake/report", **bearer).json()
    assert status["outcome"] == "Tidak dapat ditindaklanjuti" and status["state"] == "closed"
    seen = json.dumps(status) + json.dumps(client.get("/api/v1/intake/messages", **bearer).json())
    assert "sampah" not in seen.lower() and "junk" not in seen.lower() and "spam" not in seen.lower()
    with schema_context(TENANT):
        assert Message.objects.count() == 1  # the tenant's usual "your report has been dealt with"


def test_only_intake_officers_and_supervisors_may_close_junk(sukabumi):
    junk = junk_cases(1)
    for role in ("investigator", "auditor", "administrator", "identity_custodian"):
        code, _body = close_through_api(role, junk)
        assert code == 403, role
        assert as_role(role).post("/staff/kasus/tutup-sampah/", {"case": junk}).status_code == 403
    assert states(junk) == dict.fromkeys(junk, CaseState.RECEIVED)


def test_a_batch_with_a_case_past_intake_closes_nothing(sukabumi):
    junk = junk_cases(2)
    reviewed = CaseFactory.create(tenant=TENANT, state=CaseState.DESK_REVIEW).reference
    code, body = close_through_api("supervisor", [*junk, reviewed])
    assert code == 400 and str(reviewed) in body["errors"]["cases"]
    page = as_role("supervisor").post("/staff/kasus/tutup-sampah/", {"case": [*junk, reviewed]})
    assert page.status_code == 400 and str(reviewed) in page.content.decode()
    assert states(junk) == dict.fromkeys(junk, CaseState.RECEIVED)
    with schema_context(TENANT):
        assert not AuditEntry.objects.filter(action="close_as_junk").exists()


def test_unknown_or_malformed_case_references_are_a_400(sukabumi):
    for cases in ([], ["WBS-2026-ZZZZZ"], [999999], ["١٢"], "WBS-2026-ZZZZZ", [None], ["x\x00"]):
        code, body = close_through_api("supervisor", cases)
        assert code == 400, cases
        assert "detail" in body
