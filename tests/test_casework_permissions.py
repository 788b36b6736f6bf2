"""Who may do what with cases, as explicit tables (role x action x expected result), and
who may know which case (role x case situation: need-to-know).

The expected tables are written out here, not derived from casework.access or
casework.workflow, so a change to who may do what has to be made on purpose in
both places. Each row runs against the real staff API (/api/v1/cases...) with
the seed tenant's demo account of that role. A case a person may not know of is
the 404 of a case that does not exist, in the list, by id and for every action;
roles that handle no case get 403 on every case endpoint, whatever the id.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_tenants.utils import schema_context
from rest_framework.authtoken.models import Token

from casework.access import PERMISSIONS, can
from casework.models import Assignment, Case, Exclusion, InternalNote, Team
from casework.services.cases import case_assign, case_exclude
from casework.workflow import TRANSITIONS
from intake.models import Message
from tenants.accounts.models import User
from tenants.onboarding import primary_hostname
from tests.factories.casework import CaseFactory
from tests.support.casework import reference_of
from tests.support.clients import client_for, staff_client
from wbs.demo.seed_tenants import DEMO_PASSWORD

TENANT = "sukabumi"
EMAIL = {
    "administrator": "admin@sukabumi.example",
    "intake_officer": "verifikator@sukabumi.example",
    "investigator": "pemeriksa@sukabumi.example",
    "supervisor": "inspektur@sukabumi.example",
    "identity_custodian": "kustodian@sukabumi.example",
    "auditor": "auditor@sukabumi.example",
}
ROLES = list(EMAIL)

REPORT = {
    "category": "pungli",
    "what": "Pungutan liar pada pengurusan izin",
    "description": "Petugas meminta uang di luar tarif resmi.",
    "identity_mode": "confidential",
    "identity": {"name": "Siti Rahma", "nik": "7271010101900001"},
}


def new_case(
    slug: str = TENANT, *, state: str = "received", before_pause: str = "verification", assignee: Any = None
) -> int:
    """A case opened the way a web report opens one, taken along the workflow to ``state``
    (and given to ``assignee``, an email, if any)."""
    return CaseFactory.create(
        **REPORT, tenant=slug, state=state, paused_from=before_pause, assignee=assignee
    ).pk


def investigators_case(**situation: Any) -> int:
    """A case given to the demo investigator, so need-to-know shows it to them."""
    return new_case(assignee=EMAIL["investigator"], **situation)


def token_client(email: str, slug: str = TENANT) -> Client:
    with schema_context(slug):
        token, _ = Token.objects.get_or_create(user=User.objects.get(email=email))
    return Client(HTTP_HOST=primary_hostname(slug), HTTP_AUTHORIZATION=f"Token {token.key}")


def state_of(case_id: int, slug: str = TENANT) -> str:
    with schema_context(slug):
        return Case.objects.get(pk=case_id).state


def case_id_of(reference: str, slug: str = TENANT) -> int:
    with schema_context(slug):
        return int(Case.objects.values_list("pk", flat=True).get(reference=reference))


def post(client: Client, url: str, data: Any):
    return client.post(url, data, content_type="application/json")


# --- Every transition, for every role ---------------------------------------------------------

OFF, INV, SUP = "intake_officer", "investigator", "supervisor"
ADM, CUS, AUD = "administrator", "identity_custodian", "auditor"
# transition -> (source state, target state, extra body, answer by role). The case is the
# investigator's, so they see it in every state; intake officers see it only in intake
# (404 after it), roles that handle no case get 403 whatever the case.
TRANSITION_TABLE: dict[str, tuple[str, str, dict, dict[str, int]]] = {
    "start_verification": (
        "received",
        "verification",
        {},
        {OFF: 200, INV: 403, SUP: 200, ADM: 403, CUS: 403, AUD: 403},
    ),
    "request_clarification": (
        "verification",
        "clarification",
        {"message": "Mohon kirim bukti."},
        {OFF: 200, INV: 200, SUP: 200, ADM: 403, CUS: 403, AUD: 403},
    ),
    "resume": (
        "clarification",
        "verification",
        {},
        {OFF: 200, INV: 200, SUP: 200, ADM: 403, CUS: 403, AUD: 403},
    ),
    "accept_for_review": (
        "verification",
        "desk_review",
        {},
        {OFF: 200, INV: 403, SUP: 200, ADM: 403, CUS: 403, AUD: 403},
    ),
    "start_examination": (
        "desk_review",
        "examination",
        {},
        {OFF: 404, INV: 403, SUP: 200, ADM: 403, CUS: 403, AUD: 403},
    ),
    "conclude": (
        "examination",
        "concluded",
        {"outcome": "substantiated", "summary": "Terbukti; sanksi dijatuhkan."},
        {OFF: 404, INV: 200, SUP: 200, ADM: 403, CUS: 403, AUD: 403},
    ),
    "close": ("concluded", "closed", {}, {OFF: 404, INV: 200, SUP: 200, ADM: 403, CUS: 403, AUD: 403}),
    "reopen": ("closed", "desk_review", {}, {OFF: 404, INV: 403, SUP: 200, ADM: 403, CUS: 403, AUD: 403}),
}


def test_the_transition_table_covers_every_transition():
    assert set(TRANSITION_TABLE) == set(TRANSITIONS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("transition", list(TRANSITION_TABLE))
def test_transition_by_role(sukabumi, transition, role):
    source, target, extra, answer = TRANSITION_TABLE[transition]
    case_id = investigators_case(
        state=source, before_pause="verification" if source == "clarification" else ""
    )
    response = post(
        token_client(EMAIL[role]),
        f"/api/v1/cases/{reference_of(case_id)}/transition",
        {"transition": transition, **extra},
    )
    assert response.status_code == answer[role], response.content
    if answer[role] == 200:
        assert response.json()["state"] == target
        assert state_of(case_id) == target
    else:
        assert "detail" in response.json() and len(response.json()["detail"]) > 10
        assert state_of(case_id) == source


def test_an_impossible_or_incomplete_transition_is_a_400_not_a_500(sukabumi):
    case_id = new_case()
    supervisor = token_client(EMAIL["supervisor"])
    wrong_state = post(
        supervisor, f"/api/v1/cases/{reference_of(case_id)}/transition", {"transition": "close"}
    )
    assert wrong_state.status_code == 400 and "transition" in wrong_state.json()["errors"]
    unknown = post(
        supervisor, f"/api/v1/cases/{reference_of(case_id)}/transition", {"transition": "teleport"}
    )
    assert unknown.status_code == 400 and "transition" in unknown.json()["errors"]
    not_text = post(
        supervisor, f"/api/v1/cases/{reference_of(case_id)}/transition", {"transition": ["close"]}
    )
    assert not_text.status_code == 400 and "transition" in not_text.json()["errors"]
    array = supervisor.post(
        f"/api/v1/cases/{reference_of(case_id)}/transition", "[1]", content_type="application/json"
    )
    assert array.status_code == 400 and "detail" in array.json()
    garbage = supervisor.post(
        f"/api/v1/cases/{reference_of(case_id)}/transition", "{nope", content_type="application/json"
    )
    assert garbage.status_code == 400
    in_examination = new_case(state="examination")
    incomplete = post(
        supervisor,
        f"/api/v1/cases/{reference_of(in_examination)}/transition",
        {"transition": "conclude", "outcome": "x"},
    )
    assert incomplete.status_code == 400
    assert set(incomplete.json()["errors"]) == {"outcome", "summary"}
    assert state_of(case_id) == "received" and state_of(in_examination) == "examination"


# --- Every endpoint, for every role ---------------------------------------------------------------

H = {OFF, INV, SUP}
# endpoint -> (method, path suffix, body, roles allowed, success status)
ENDPOINT_TABLE: dict[str, tuple[str, str, dict | None, set[str], int]] = {
    "list": ("get", "", None, H, 200),
    "detail": ("get", "/{id}", None, H, 200),
    "assign_options": ("get", "/{id}/assign", None, {OFF, SUP}, 200),
    "assign": (
        "post",
        "/{id}/assign",
        {"assignee": "{investigator}", "reason": "beban kerja"},
        {OFF, SUP},
        200,
    ),
    "messages": ("get", "/{id}/messages", None, H, 200),
    "message_reporter": ("post", "/{id}/messages", {"body": "Terima kasih, laporan kami proses."}, H, 201),
    "notes": ("get", "/{id}/notes", None, H, 200),
    "write_note": ("post", "/{id}/notes", {"body": "Cek SK tarif retribusi 2025."}, H, 201),
}


def footprint(case_id: int) -> tuple:
    with schema_context(TENANT):
        case = Case.objects.get(pk=case_id)
        return (
            case.assignee_id,
            Assignment.objects.filter(case=case).count(),
            Message.objects.filter(report=case.report).count(),
            InternalNote.objects.filter(case=case).count(),
        )


def call(endpoint: str, role: str, case_id: int):
    method, suffix, body, _allowed, _ok = ENDPOINT_TABLE[endpoint]
    client = token_client(EMAIL[role])
    url = "/api/v1/cases" + suffix.format(id=reference_of(case_id))
    if method == "get":
        return client.get(url)
    with schema_context(TENANT):
        investigator = User.objects.get(email=EMAIL["investigator"]).pk
    data = {key: investigator if value == "{investigator}" else value for key, value in (body or {}).items()}
    return post(client, url, data)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(ENDPOINT_TABLE))
def test_endpoint_by_role(sukabumi, endpoint, role):
    method, _suffix, _body, allowed, ok = ENDPOINT_TABLE[endpoint]
    case_id = investigators_case()  # in intake and the investigator's: every handler sees it
    before = footprint(case_id)
    response = call(endpoint, role, case_id)
    if role in allowed:
        assert response.status_code == ok, response.content
        if endpoint == "list":
            assert reference_of(case_id) in [item["reference"] for item in response.json()["results"]]
        elif endpoint == "detail":
            assert response.json()["reference"] == reference_of(case_id)
        if method == "post":
            assert footprint(case_id) != before
    else:
        assert response.status_code == 403, response.content
        assert len(response.json()["detail"]) > 10
        assert footprint(case_id) == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", [name for name in ENDPOINT_TABLE if name != "list"])
def test_endpoint_on_a_case_the_person_is_excluded_from(sukabumi, endpoint, role):
    """Handlers get the 404 of a missing case; roles that see no cases keep their 403."""
    case_id = investigators_case()
    with schema_context(TENANT):
        supervisor = User.objects.get(email=EMAIL["supervisor"])
        Exclusion.objects.create(
            case_id=case_id,
            user=User.objects.get(email=EMAIL[role]),
            reason="kerabat terlapor",
            created_by=supervisor,
        )
    before = footprint(case_id)
    response = call(endpoint, role, case_id)
    assert response.status_code == (404 if role in H else 403), response.content
    assert footprint(case_id) == before


# --- Need-to-know: every role x case situation, in the list, by id and for actions -------------

OTHER_INVESTIGATOR = "pemeriksa2@sukabumi.example"
# situation -> (how the case is made, the handling roles that may know it). The investigator
# is the demo one, member of "Tim Pemeriksa I"; the other investigator is on no team.
NEED_TO_KNOW: dict[str, tuple[dict[str, Any], set[str]]] = {
    "received": ({"state": "received"}, {OFF, SUP}),
    "verification": ({"state": "verification"}, {OFF, SUP}),
    "clarification asked in verification": (
        {"state": "clarification", "before_pause": "verification"},
        {OFF, SUP},
    ),
    "clarification asked in examination, the investigator's": (
        {"state": "clarification", "before_pause": "examination", "assignee": EMAIL[INV]},
        {INV, SUP},
    ),
    "desk review, nobody's": ({"state": "desk_review"}, {SUP}),
    "examination, the investigator's": ({"state": "examination", "assignee": EMAIL[INV]}, {INV, SUP}),
    "examination, the investigator's team's": ({"state": "examination", "team": True}, {INV, SUP}),
    "examination, another investigator's": ({"state": "examination", "assignee": OTHER_INVESTIGATOR}, {SUP}),
    "concluded, the investigator's": ({"state": "concluded", "assignee": EMAIL[INV]}, {INV, SUP}),
    "closed, nobody's": ({"state": "closed"}, {SUP}),
    "received and the investigator's, the person excluded": (
        {"state": "received", "assignee": EMAIL[INV], "exclude": True},
        set(),
    ),
}


def situation(name: str, role: str) -> int:
    made, _knowers = NEED_TO_KNOW[name]
    made = dict(made)
    team, exclude = made.pop("team", False), made.pop("exclude", False)
    with schema_context(TENANT):
        if not User.objects.filter(email=OTHER_INVESTIGATOR).exists():
            User.objects.create_user(
                username=OTHER_INVESTIGATOR, email=OTHER_INVESTIGATOR, roles=["investigator"]
            )
    case_id = new_case(**made)
    with schema_context(TENANT):
        supervisor = User.objects.get(email=EMAIL[SUP])
        case = Case.objects.get(pk=case_id)
        if team:
            crew, _ = Team.objects.get_or_create(name="Tim Pemeriksa I")
            crew.members.add(User.objects.get(email=EMAIL[INV]))
            case_assign(case=case, actor=supervisor, team_id=crew.pk, reason="tim")
        if exclude:
            person = User.objects.get(email=EMAIL[role])
            case_exclude(case=case, actor=supervisor, user_id=person.pk, reason="kerabat terlapor")
    return case_id


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(NEED_TO_KNOW))
def test_need_to_know_by_role_and_situation(sukabumi, name, role):
    case_id = situation(name, role)
    knows = role in NEED_TO_KNOW[name][1]
    client = token_client(EMAIL[role])
    reference, missing = reference_of(case_id), "WBS-2026-ZZZZZ"
    before = footprint(case_id)

    listed = client.get("/api/v1/cases?state=all&page_size=100")
    detail = client.get(f"/api/v1/cases/{reference}")
    notes = client.get(f"/api/v1/cases/{reference}/notes")
    noted = post(client, f"/api/v1/cases/{reference}/notes", {"body": "Catatan uji."})
    if role not in H:  # handles no case: the same 403 whatever the id
        for response in (listed, detail, notes, noted):
            assert response.status_code == 403, (name, role, response.content)
        assert client.get(f"/api/v1/cases/{missing}").status_code == 403
    elif knows:
        assert reference in [item["reference"] for item in listed.json()["results"]], (name, role)
        assert (detail.status_code, notes.status_code, noted.status_code) == (200, 200, 201), (name, role)
        assert detail.json()["reference"] == reference
    else:
        assert reference not in [item["reference"] for item in listed.json()["results"]], (name, role)
        not_there = client.get(f"/api/v1/cases/{missing}")
        for response in (detail, notes, noted):
            assert response.status_code == 404, (name, role, response.content)
            assert response.content == not_there.content
        assert footprint(case_id) == before


# --- The service-level table (actions with no endpoint yet included) ------------------------------

CAN: dict[str, set[str]] = {
    "view_cases": {OFF, INV, SUP},
    "view_statistics": {OFF, INV, SUP, AUD, ADM},
    "record_offline_report": {OFF, SUP},
    "assign": {OFF, SUP},
    "exclude_others": {SUP},
    "lift_exclusion": {SUP, ADM},
    "declare_conflict": {OFF, INV, SUP},
    "message_reporter": {OFF, INV, SUP},
    "write_note": {OFF, INV, SUP},
    "upload_evidence": {OFF, INV, SUP},
    "request_identity": {INV, SUP},
    "decide_identity": {CUS},
    "export_case_list": {SUP, AUD},
    "export_case_summary": {OFF, INV, SUP},
    "view_audit_trail": {ADM, AUD},
    "manage_settings": {ADM},
    "manage_staff": {ADM},
    "request_early_deletion": {ADM},
    "approve_early_deletion": {ADM},
    "forward_case": {SUP},
    "close_as_junk": {OFF, SUP},
}


def test_the_service_table_covers_every_action():
    assert set(CAN) == set(PERMISSIONS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(CAN))
def test_can_by_role(sukabumi, action, role):
    with schema_context(TENANT):
        user = User.objects.get(email=EMAIL[role])
        assert user.roles == [role]
        assert can(user, action) is (role in CAN[action])


def test_no_role_or_a_deactivated_account_can_do_nothing(sukabumi):
    with schema_context(TENANT):
        nobody = User.objects.create_user(username="x@sukabumi.example", email="x@sukabumi.example", roles=[])
        gone = User.objects.get(email=EMAIL["supervisor"])
        gone.is_active = False
        assert not any(can(nobody, action) for action in CAN)
        assert not any(can(gone, action) for action in CAN)


# --- Authentication and tenancy -------------------------------------------------------------------


def test_a_token_works_only_on_its_own_tenant(sukabumi, sulteng):
    case_id = new_case()
    key = token_client(EMAIL["supervisor"]).defaults["HTTP_AUTHORIZATION"]
    assert (
        Client(HTTP_HOST=primary_hostname("sukabumi"), HTTP_AUTHORIZATION=key)
        .get("/api/v1/cases")
        .status_code
        == 200
    )
    elsewhere = Client(HTTP_HOST=primary_hostname("sulteng"), HTTP_AUTHORIZATION=key)
    assert elsewhere.get("/api/v1/cases").status_code == 401
    assert elsewhere.get(f"/api/v1/cases/{reference_of(case_id)}").status_code == 401
    operator_host = client_for(None)
    operator_host.defaults["HTTP_AUTHORIZATION"] = key
    assert operator_host.get("/api/v1/cases").status_code == 404


def test_without_credentials_or_with_a_bad_token_nothing_is_shown(sukabumi):
    case_id = new_case()
    anonymous = client_for(sukabumi)
    response = anonymous.get("/api/v1/cases")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Token")
    assert anonymous.get(f"/api/v1/cases/{reference_of(case_id)}").status_code == 401
    forged = Client(HTTP_HOST=primary_hostname(TENANT), HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert forged.get("/api/v1/cases").status_code == 401


def test_a_deactivated_accounts_token_stops_working(sukabumi):
    client = token_client(EMAIL["supervisor"])
    assert client.get("/api/v1/cases").status_code == 200
    with schema_context(TENANT):
        User.objects.filter(email=EMAIL["supervisor"]).update(is_active=False)
    assert client.get("/api/v1/cases").status_code == 401


def test_a_session_counts_only_once_the_code_is_confirmed(sukabumi):
    case_id = new_case()
    verified = staff_client(sukabumi, EMAIL["intake_officer"])
    assert verified.get("/api/v1/cases").status_code == 200
    assert (
        post(verified, f"/api/v1/cases/{reference_of(case_id)}/notes", {"body": "lewat sesi"}).status_code
        == 201
    )

    password_only = client_for(sukabumi)
    login = password_only.post(
        "/staff/login/", {"username": EMAIL["intake_officer"], "password": DEMO_PASSWORD}
    )
    assert login.status_code == 302
    refused = password_only.get("/api/v1/cases")
    assert refused.status_code == 403
    assert password_only.get(f"/api/v1/cases/{reference_of(case_id)}").status_code == 403


def test_ids_that_are_not_cases_are_404_never_500(sukabumi):
    client = token_client(EMAIL["supervisor"])
    for pk in ["0", "-1", "abc", "99999999999999999999999", "1.5"]:
        response = client.get(f"/api/v1/cases/{pk}")
        assert response.status_code == 404, (pk, response.content)
        assert response.json() == {"detail": "Kasus tidak ditemukan. / No such case."}


def test_bad_assignments_are_400(sukabumi):
    case_id = new_case()
    client = token_client(EMAIL["supervisor"])
    with schema_context(TENANT):
        auditor = User.objects.get(email=EMAIL["auditor"]).pk
    cases = [
        ({}, "assignee"),
        ({"assignee": "abc"}, "assignee"),
        ({"assignee": auditor}, "assignee"),
        ({"assignee": 10**30}, "assignee"),
        ({"team": 999999}, "team"),
        ({"team": [1]}, "team"),
        ({"assignee": "1\x00"}, "assignee"),
        ({"assignee": "²"}, "assignee"),
        ({"team": 1, "reason": "a\x00b"}, "reason"),
    ]
    for body, field in cases:
        response = post(client, f"/api/v1/cases/{reference_of(case_id)}/assign", body)
        assert response.status_code == 400, (body, response.content)
        assert field in response.json()["errors"]
    assert footprint(case_id)[0] is None


def test_list_filters_and_pagination(sukabumi):
    from datetime import timedelta

    from tenants.clock import tenant_today

    fresh, late, done = new_case(), new_case(), new_case(state="closed")
    with schema_context(TENANT):
        today = tenant_today()
        Case.objects.filter(pk=late).update(next_due=today - timedelta(days=1))
        Case.objects.filter(pk=fresh).update(next_due=today + timedelta(days=3))
        Case.objects.filter(pk=done).update(next_due=None)
        investigator = User.objects.get(email=EMAIL["investigator"])
        Case.objects.filter(pk=fresh).update(assignee=investigator)
    client = token_client(EMAIL["supervisor"])

    def ids(query: str) -> set[int]:
        response = client.get("/api/v1/cases" + query)
        assert response.status_code == 200, response.content
        return {case_id_of(item["reference"]) for item in response.json()["results"]}

    # Open cases unless the state says otherwise, as on the queue page.
    assert {fresh, late} <= ids("?page_size=100") and done not in ids("?page_size=100")
    assert {fresh, late, done} <= ids("?state=all&page_size=100")
    assert ids("?overdue=true") == {late}
    assert late not in ids("?overdue=false&state=all&page_size=100")
    assert done in ids("?overdue=false&state=all&page_size=100")
    assert ids("?state=closed") == {done}
    assert {fresh, late} <= ids("?state=received,verification&page_size=100")
    assert ids(f"?assignee={investigator.pk}") == {fresh}
    assert fresh not in ids("?assignee=unassigned&page_size=100")
    assert late in ids("?assignee=unassigned&page_size=100")
    assert ids("?assignee=none&page_size=100") == ids("?assignee=unassigned&page_size=100")
    assert ids("?category=pungli&state=closed") == {done}
    assert token_client(EMAIL["investigator"]).get("/api/v1/cases?assignee=me").json()["count"] == 1

    page = client.get("/api/v1/cases?state=all&page_size=2").json()
    assert page["count"] >= 3 and len(page["results"]) == 2 and page["next"]
    for query, field in [
        ("?state=bogus", "state"),
        ("?category=nope", "category"),
        ("?assignee=bob", "assignee"),
        ("?overdue=maybe", "overdue"),
        ("?category=%00", "category"),
        ("?assignee=%C2%B2", "assignee"),
        ("?state=%00", "state"),
        ("?assignee=%D9%A1%D9%A2", "assignee"),  # Arabic-Indic digits
        ("?due_from=2026-02-30", "due_from"),
        ("?sort=reference", "sort"),
    ]:
        response = client.get("/api/v1/cases" + query)
        assert response.status_code == 400 and field in response.json()["errors"], query


def test_detail_has_the_narrative_but_never_the_identity(sukabumi):
    case_id = investigators_case()
    response = token_client(EMAIL["investigator"]).get(f"/api/v1/cases/{reference_of(case_id)}")
    assert response.status_code == 200
    body = response.json()
    assert body["narrative"]["what"] == REPORT["what"]
    assert body["identity_mode"] == "confidential"
    assert "Siti" not in response.content.decode() and "7271010101900001" not in response.content.decode()
    assert body["available_transitions"] == []  # the investigator cannot start verification
    supervisor_view = token_client(EMAIL["supervisor"]).get(f"/api/v1/cases/{reference_of(case_id)}").json()
    assert supervisor_view["available_transitions"] == ["start_verification"]


def test_messages_and_notes_round_trip(sukabumi):
    case_id = investigators_case()
    client = token_client(EMAIL["investigator"])
    sent = post(
        client, f"/api/v1/cases/{reference_of(case_id)}/messages", {"body": "Mohon kirim foto kuitansi."}
    )
    assert sent.status_code == 201 and sent.json()["author"] == "staff"
    assert [m["body"] for m in client.get(f"/api/v1/cases/{reference_of(case_id)}/messages").json()] == [
        "Mohon kirim foto kuitansi."
    ]
    assert post(client, f"/api/v1/cases/{reference_of(case_id)}/messages", {"body": "  "}).status_code == 400
    with schema_context(TENANT):
        from tenants.audit.models import AuditEntry

        recorded = AuditEntry.objects.filter(case_id=case_id, action="message_to_reporter")
        assert [(e.actor_label, e.details["message_id"]) for e in recorded] == [
            (EMAIL["investigator"], sent.json()["id"])
        ]
    noted = post(
        client, f"/api/v1/cases/{reference_of(case_id)}/notes", {"body": "Terlapor pernah diperiksa 2024."}
    )
    assert noted.status_code == 201
    notes = client.get(f"/api/v1/cases/{reference_of(case_id)}/notes").json()
    assert [(n["body"], n["author"]["email"]) for n in notes] == [
        ("Terlapor pernah diperiksa 2024.", EMAIL["investigator"])
    ]
    with schema_context(TENANT):
        sealed = bytes(InternalNote.objects.get(case_id=case_id).sealed_body)
    assert b"Terlapor" not in sealed


def test_a_destroyed_report_answers_410_not_500(sukabumi):
    case_id = new_case()
    with schema_context(TENANT):
        from intake.models import Report

        Report.objects.filter(case__pk=case_id).update(wrapped_key=None)
    client = token_client(EMAIL["supervisor"])
    detail = client.get(f"/api/v1/cases/{reference_of(case_id)}")
    assert detail.status_code == 200 and detail.json()["narrative"] is None and detail.json()["shredded"]
    assert client.get(f"/api/v1/cases/{reference_of(case_id)}/messages").status_code == 410
    assert client.get(f"/api/v1/cases/{reference_of(case_id)}/notes").status_code == 410
    assert post(client, f"/api/v1/cases/{reference_of(case_id)}/notes", {"body": "x"}).status_code == 410
    assert post(client, f"/api/v1/cases/{reference_of(case_id)}/messages", {"body": "x"}).status_code == 400


def test_every_case_endpoint_is_in_the_openapi_schema(sukabumi):
    response = client_for(sukabumi).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path, methods in {
        "/api/v1/cases": {"get"},
        "/api/v1/cases/{reference}": {"get"},
        "/api/v1/cases/{reference}/transition": {"post"},
        "/api/v1/cases/{reference}/assign": {"get", "post"},
        "/api/v1/cases/{reference}/messages": {"get", "post"},
        "/api/v1/cases/{reference}/notes": {"get", "post"},
        "/api/v1/cases/{reference}/exclusions": {"get", "post"},
        "/api/v1/exclusions": {"get"},
        "/api/v1/exclusions/{id}/lift": {"post"},
    }.items():
        assert methods <= set(paths[path]), path
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    assert {"state", "category", "assignee", "overdue", "page"} <= {
        p["name"] for p in paths["/api/v1/cases"]["get"]["parameters"]
    }


def test_staff_token_command_issues_a_token_for_one_tenant(sukabumi, sulteng):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    def issue(*args: str) -> str:
        out = StringIO()
        call_command("staff_token", *args, stdout=out, stderr=StringIO())
        return out.getvalue().strip()

    key = issue(EMAIL["supervisor"], "--tenant", TENANT)
    assert len(key) == 40
    on = Client(HTTP_HOST=primary_hostname(TENANT), HTTP_AUTHORIZATION=f"Token {key}")
    assert on.get("/api/v1/cases").status_code == 200
    assert issue(EMAIL["supervisor"].upper(), "--tenant", TENANT) == key  # printed again, not replaced
    elsewhere = Client(HTTP_HOST=primary_hostname("sulteng"), HTTP_AUTHORIZATION=f"Token {key}")
    assert elsewhere.get("/api/v1/cases").status_code == 401

    rotated = issue(EMAIL["supervisor"], "--tenant", TENANT, "--rotate")
    assert rotated != key
    assert on.get("/api/v1/cases").status_code == 401
    with schema_context(TENANT):
        from tenants.audit.models import AuditEntry

        issued = AuditEntry.objects.filter(action__startswith="api_token").order_by("id")
        assert [entry.action for entry in issued] == ["api_token_issued", "api_token_rotated"]
        assert key not in str([entry.details for entry in issued])

    with schema_context(TENANT):
        User.objects.create_user(username="bot@sukabumi.example", email="bot@sukabumi.example", roles=[])
    for args, message in [
        (("nobody@sukabumi.example", "--tenant", TENANT), "No staff account"),
        ((EMAIL["supervisor"], "--tenant", "atlantis"), "No tenant"),
        ((EMAIL["supervisor"], "--tenant", "public"), "No tenant"),
        (("bot@sukabumi.example", "--tenant", TENANT), "no staff role"),
    ]:
        with pytest.raises(CommandError, match=message):
            issue(*args)
