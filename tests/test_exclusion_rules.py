"""Exclusion done right: only people who could otherwise know a case can be excluded; an
exclusion can be lifted (by a supervisor or an administrator, with a reason, audited); and
no exclusion, assignment, workflow step or staff change leaves an open case with nobody able
to act on it, or without an administrator or auditor to oversee its trail."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from casework.access import visible_cases
from casework.models import Case, Exclusion
from casework.services.cases import case_exclude
from tenants.accounts.models import User
from tenants.accounts.services import staff_set_active, staff_set_roles
from tenants.audit.models import AuditEntry
from tenants.errors import InvalidInput
from tests.factories.accounts import StaffFactory
from tests.factories.casework import CaseFactory
from tests.support.casework import EMAIL, TENANT, staff_client_of
from tests.support.clients import token_client

SUPERVISOR, OFFICER, INVESTIGATOR = EMAIL["supervisor"], EMAIL["intake_officer"], EMAIL["investigator"]
ADMIN, AUDITOR, CUSTODIAN = EMAIL["administrator"], EMAIL["auditor"], EMAIL["identity_custodian"]


def user(email: str) -> User:
    with schema_context(TENANT):
        return User.objects.get(email=email)


def api(email: str) -> Client:
    return token_client(TENANT, email)


def post(client: Client, url: str, data: Any):
    return client.post(url, data, content_type="application/json")


def exclude(case: Case, actor: str, person: str, reason: str = "kerabat terlapor") -> Exclusion:
    with schema_context(TENANT):
        return case_exclude(case=case, actor=user(actor), user_id=user(person).pk, reason=reason)


def written(case: Case) -> tuple[int, int]:
    """Exclusions and audit entries on the case."""
    with schema_context(TENANT):
        return Exclusion.objects.filter(case=case).count(), AuditEntry.objects.filter(case_id=case.pk).count()


def sees(email: str, case: Case) -> bool:
    with schema_context(TENANT):
        return visible_cases(user(email)).filter(pk=case.pk).exists()


# --- Only people who could otherwise know the case ----------------------------------------------


def test_an_intake_officer_cannot_be_excluded_from_a_case_past_intake(sukabumi):
    case = CaseFactory.create(state="desk_review")
    before = written(case)
    response = post(
        api(SUPERVISOR),
        f"/api/v1/cases/{case.reference}/exclusions",
        {"user": user(OFFICER).pk, "reason": "ipar"},
    )
    assert response.status_code == 400, response.content
    assert "tidak dapat melihat kasus ini" in response.json()["errors"]["user"]
    assert "could not see this case anyway" in response.json()["errors"]["user"]
    assert written(case) == before


def test_no_deactivated_roleless_or_unknown_account_can_be_excluded(sukabumi):
    case = CaseFactory.create()
    gone = StaffFactory.create(roles=["investigator"], is_active=False)
    nobody = StaffFactory.create(roles=[])
    before = written(case)
    for target in (gone.pk, nobody.pk, 999999, "abc", None):
        response = post(
            api(SUPERVISOR), f"/api/v1/cases/{case.reference}/exclusions", {"user": target, "reason": "x"}
        )
        assert response.status_code == 400, (target, response.content)
        assert "user" in response.json()["errors"]
    assert written(case) == before


def test_excluding_twice_is_a_clear_400(sukabumi):
    case = CaseFactory.create()
    exclude(case, SUPERVISOR, INVESTIGATOR)
    again = post(
        api(SUPERVISOR),
        f"/api/v1/cases/{case.reference}/exclusions",
        {"user": user(INVESTIGATOR).pk, "reason": "x"},
    )
    assert again.status_code == 400 and "sudah dikecualikan" in again.json()["errors"]["user"]


def test_an_investigator_can_be_excluded_before_being_given_the_case(sukabumi):
    """Assignment would show it to them: exclusion prevents it in advance."""
    case = CaseFactory.create(state="desk_review")
    response = post(
        api(SUPERVISOR),
        f"/api/v1/cases/{case.reference}/exclusions",
        {"user": user(INVESTIGATOR).pk, "reason": "saudara terlapor"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["excluded_by"]["email"] == SUPERVISOR
    refused = post(
        api(SUPERVISOR), f"/api/v1/cases/{case.reference}/assign", {"assignee": user(INVESTIGATOR).pk}
    )
    assert refused.status_code == 400 and "assignee" in refused.json()["errors"]


def test_only_supervisors_exclude_others_but_anyone_may_declare_their_own_conflict(sukabumi):
    case = CaseFactory.create(assignee=INVESTIGATOR)
    refused = post(
        api(OFFICER),
        f"/api/v1/cases/{case.reference}/exclusions",
        {"user": user(INVESTIGATOR).pk, "reason": "x"},
    )
    assert refused.status_code == 403
    own = post(
        api(INVESTIGATOR),
        f"/api/v1/cases/{case.reference}/exclusions",
        {"user": user(INVESTIGATOR).pk, "reason": "teman"},
    )
    assert own.status_code == 201 and own.json()["declared_by_self"] is True
    assert not sees(INVESTIGATOR, case)


# --- Never without someone able to act, never without an overseer ------------------------------


def test_the_last_person_able_to_handle_an_open_case_cannot_be_excluded(sukabumi):
    """Desk review, nobody assigned: only the supervisor can act on it."""
    case = CaseFactory.create(state="desk_review")
    other = StaffFactory.create(roles=["supervisor"], email="inspektur2@sukabumi.example")
    exclude(case, SUPERVISOR, other.email)
    before = written(case)
    with schema_context(TENANT), pytest.raises(InvalidInput) as refused:
        case_exclude(case=case, actor=user(SUPERVISOR), user_id=user(SUPERVISOR).pk, reason="konflik")
    assert "Tidak ada lagi orang yang dapat menangani" in refused.value.errors["user"]
    assert "Nobody would be left able to handle" in refused.value.errors["user"]
    assert written(case) == before
    assert sees(SUPERVISOR, case)
    # Once an investigator has it, the supervisor may step back.
    with schema_context(TENANT):
        from casework.services.cases import case_assign

        case_assign(case=case, actor=user(SUPERVISOR), assignee_id=user(INVESTIGATOR).pk)
    exclude(case, SUPERVISOR, SUPERVISOR, reason="saya kenal terlapor")
    assert sees(INVESTIGATOR, case) and not sees(SUPERVISOR, case)


def test_the_staff_page_says_so_too(sukabumi):
    case = CaseFactory.create(state="desk_review")
    browser = staff_client_of(SUPERVISOR)
    response = browser.post(
        f"/staff/kasus/{case.reference}/pengecualian/", {"user": "self", "reason": "konflik"}
    )
    assert response.status_code == 400
    assert "Tidak ada lagi orang yang dapat menangani kasus terbuka ini" in response.content.decode()
    assert written(case)[0] == 0


def test_a_closed_case_may_be_left_to_nobody(sukabumi):
    case = CaseFactory.create(state="closed")
    exclude(case, SUPERVISOR, SUPERVISOR)
    assert not sees(SUPERVISOR, case)


def test_the_supervisor_cannot_exclude_every_overseer(sukabumi):
    """Who excludes others stays accountable: some administrator or auditor keeps the case's trail."""
    case = CaseFactory.create()
    exclude(case, SUPERVISOR, AUDITOR)
    before = written(case)
    response = post(
        api(SUPERVISOR), f"/api/v1/cases/{case.reference}/exclusions", {"user": user(ADMIN).pk, "reason": "x"}
    )
    assert response.status_code == 400
    assert "administrator atau auditor" in response.json()["errors"]["user"]
    assert written(case) == before


def test_a_step_out_of_intake_with_every_supervisor_excluded_is_refused(sukabumi):
    case = CaseFactory.create(state="verification")
    exclude(case, SUPERVISOR, SUPERVISOR)
    response = post(
        api(OFFICER), f"/api/v1/cases/{case.reference}/transition", {"transition": "accept_for_review"}
    )
    assert response.status_code == 400, response.content
    assert "Nobody would be left able to handle" in response.json()["errors"]["transition"]
    with schema_context(TENANT):
        assert Case.objects.get(pk=case.pk).state == "verification"


def test_an_intake_officer_cannot_be_given_a_case_past_intake(sukabumi):
    case = CaseFactory.create(state="desk_review")
    response = post(api(SUPERVISOR), f"/api/v1/cases/{case.reference}/assign", {"assignee": user(OFFICER).pk})
    assert response.status_code == 400
    assert "Intake officers handle only cases still in intake" in response.json()["errors"]["assignee"]
    with schema_context(TENANT):
        assert Case.objects.get(pk=case.pk).assignee_id is None


def test_deactivating_or_demoting_the_last_handler_is_refused(sukabumi):
    case = CaseFactory.create(state="desk_review")
    reference = case.report.reference
    admin = staff_client_of(ADMIN)
    supervisor = user(SUPERVISOR)
    deactivated = admin.post(f"/staff/pengguna/{supervisor.pk}/status/", {"action": "deactivate"})
    assert deactivated.status_code == 400
    assert reference in deactivated.content.decode()
    demoted = admin.post(f"/staff/pengguna/{supervisor.pk}/peran/", {"roles": ["auditor"]})
    assert demoted.status_code == 400 and reference in demoted.content.decode()
    with schema_context(TENANT):
        assert User.objects.get(pk=supervisor.pk).is_active
        assert User.objects.get(pk=supervisor.pk).roles == ["supervisor"]
    # Another supervisor takes over: the change goes through.
    StaffFactory.create(roles=["supervisor"])
    with schema_context(TENANT):
        staff_set_active(actor=user(ADMIN), member=supervisor, active=False)
        staff_set_active(actor=user(ADMIN), member=user(SUPERVISOR), active=True)
        staff_set_roles(actor=user(ADMIN), member=user(SUPERVISOR), roles=["supervisor", "auditor"])


# --- Lifting an exclusion -----------------------------------------------------------------------


def test_a_supervisor_lifts_an_exclusion_with_a_reason_and_it_is_audited(sukabumi):
    case = CaseFactory.create(assignee=INVESTIGATOR)
    exclusion = exclude(case, SUPERVISOR, INVESTIGATOR)
    assert not sees(INVESTIGATOR, case)
    url = f"/api/v1/exclusions/{exclusion.pk}/lift"
    no_reason = post(api(SUPERVISOR), url, {"reason": "  "})
    assert no_reason.status_code == 400 and "alasan" in no_reason.json()["errors"]["reason"]
    lifted = post(api(SUPERVISOR), url, {"reason": "Terlapor ternyata bukan kerabat."})
    assert lifted.status_code == 200, lifted.content
    assert lifted.json()["lifted_by"]["email"] == SUPERVISOR
    assert lifted.json()["lift_reason"] == "Terlapor ternyata bukan kerabat."
    with schema_context(TENANT):
        entry = AuditEntry.objects.filter(case_id=case.pk, action="exclusion_lifted").get()
        assert entry.actor_label == SUPERVISOR
        assert entry.details["excluded_user_id"] == user(INVESTIGATOR).pk
        assert entry.details["excluded_by_id"] == user(SUPERVISOR).pk
    # Back as need-to-know allows: the exclusion took the case from the investigator, who sees
    # it again once it is given back.
    assert not sees(INVESTIGATOR, case)
    assert (
        post(
            api(SUPERVISOR), f"/api/v1/cases/{case.reference}/assign", {"assignee": user(INVESTIGATOR).pk}
        ).status_code
        == 200
    )
    assert sees(INVESTIGATOR, case)
    twice = post(api(SUPERVISOR), url, {"reason": "lagi"})
    assert twice.status_code == 400 and "sudah dicabut" in twice.json()["errors"]["exclusion"]
    # And the person can be excluded again later.
    exclude(case, SUPERVISOR, INVESTIGATOR, reason="kerabat, ternyata benar")
    assert not sees(INVESTIGATOR, case)


def test_an_administrator_lifts_one_on_the_exclusions_page(sukabumi):
    case = CaseFactory.create()
    exclusion = exclude(case, SUPERVISOR, OFFICER)
    admin = staff_client_of(ADMIN)
    page = admin.get("/staff/pengecualian/")
    assert page.status_code == 200
    assert case.report.reference in page.content.decode()
    refused = admin.post(f"/staff/pengecualian/{exclusion.pk}/cabut/", {"reason": ""})
    assert refused.status_code == 400 and "alasan pencabutan" in refused.content.decode()
    done = admin.post(f"/staff/pengecualian/{exclusion.pk}/cabut/", {"reason": "Konflik sudah selesai."})
    assert done.status_code == 302
    assert sees(OFFICER, case)
    with schema_context(TENANT):
        assert Exclusion.objects.get(pk=exclusion.pk).lifted_by == user(ADMIN)


def test_who_may_not_lift_an_exclusion(sukabumi):
    case = CaseFactory.create()
    other = StaffFactory.create(roles=["supervisor"], email="inspektur3@sukabumi.example")
    exclusion = exclude(case, SUPERVISOR, other.email)
    url = f"/api/v1/exclusions/{exclusion.pk}/lift"
    for email in (OFFICER, INVESTIGATOR, AUDITOR, CUSTODIAN):
        assert post(api(email), url, {"reason": "x"}).status_code == 403, email
    # The excluded supervisor cannot lift their own: the case, and the exclusion, do not exist for them.
    own = post(api(other.email), url, {"reason": "saya tidak berkonflik"})
    missing = post(api(other.email), "/api/v1/exclusions/99999999/lift", {"reason": "x"})
    assert own.status_code == missing.status_code == 404
    assert own.content == missing.content
    assert [item["id"] for item in api(other.email).get("/api/v1/exclusions").json()["results"]] == []
    assert post(api(SUPERVISOR), url, {"reason": "ok"}).status_code == 200
