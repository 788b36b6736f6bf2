"""Same input, same answer: where a page and the API do the same thing (submit a report,
record one received by letter, move a case, assign it, write to the reporter, add a
note, add a category, filter the queue), the same bad input gets the same messages
from both, and nothing is written."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from casework.models import Case, InternalNote
from intake.models import Category, Message, Report
from intake.report_input import in_language
from tenants.accounts.models import User
from tenants.audit.models import AuditEntry
from tenants.clock import tenant_today
from tests.support.casework import EMAIL, TENANT, LetterCaseFactory, as_role, reference_of
from tests.support.clients import client_for, staff_client
from tests.support.pages import alert_text, error_summary

DROP = object()  # the member is left out of the JSON body


def api_post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def api_errors(response: Any) -> list[str]:
    assert response.status_code == 400, response.content
    return sorted(response.json()["errors"].values())


def page_errors(response: Any) -> list[str]:
    assert response.status_code == 400, response.content[:300]
    return sorted(error_summary(response.content.decode()))


# --- A report: the portal form, the staff page for letters, the API ------------------------

FORM = {
    "category": "pungli",
    "what": "Pungutan liar di loket perizinan",
    "description": "Petugas loket meminta uang di luar tarif resmi.",
    "identity_mode": "anonymous",
    "relation": "public",
}
BODY: dict[str, Any] = dict(FORM)
CONFIDENTIAL_FORM = {"identity_mode": "confidential", "identity-name": "Siti Rahma"}
CONFIDENTIAL_BODY = {"identity_mode": "confidential", "identity": {"name": "Siti Rahma"}}

# (what is wrong, the form's fields, the API's members)
BAD_REPORTS: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("unknown category", {"category": "tidak-ada"}, {"category": "tidak-ada"}),
    ("no category", {"category": ""}, {"category": DROP}),
    ("no what", {"what": ""}, {"what": DROP}),
    ("what too long", {"what": "x" * 201}, {"what": "x" * 201}),
    ("blank description", {"description": "   "}, {"description": "   "}),
    ("how much in words", {"how_much": "banyak"}, {"how_much": "banyak"}),
    ("how much in Arabic-Indic digits", {"how_much": "١٢٣"}, {"how_much": "١٢٣"}),
    ("negative how much", {"how_much": "-5"}, {"how_much": -5}),
    ("unknown identity mode", {"identity_mode": "secret"}, {"identity_mode": "secret"}),
    ("unknown relation", {"relation": "boss"}, {"relation": "boss"}),
    (
        "confidential without a name, short NIK",
        {"identity_mode": "confidential", "identity-nik": "123"},
        {"identity_mode": "confidential", "identity": {"nik": "123"}},
    ),
    (
        "NIK in Arabic-Indic digits",
        CONFIDENTIAL_FORM | {"identity-nik": "٧٢٧١٠١٠١٠١٩٠٠٠٠١"},
        {"identity_mode": "confidential", "identity": {"name": "Siti Rahma", "nik": "٧٢٧١٠١٠١٠١٩٠٠٠٠١"}},
    ),
    (
        "bad phone and e-mail",
        CONFIDENTIAL_FORM | {"identity-phone": "call me", "identity-email": "siti@"},
        {
            "identity_mode": "confidential",
            "identity": {"name": "Siti Rahma", "phone": "call me", "email": "siti@"},
        },
    ),
    (
        "bad notify e-mail",
        CONFIDENTIAL_FORM | {"notify_email": "nope"},
        CONFIDENTIAL_BODY | {"notify_email": "nope"},
    ),
]


def body_with(changes: dict[str, Any]) -> dict[str, Any]:
    body = BODY | changes
    return {key: value for key, value in body.items() if value is not DROP}


def report_counts() -> tuple[int, int]:
    with schema_context(TENANT):
        return Report.objects.count(), Case.objects.count()


@pytest.mark.parametrize(("problem", "form", "body"), BAD_REPORTS, ids=[row[0] for row in BAD_REPORTS])
def test_a_bad_report_gets_the_same_messages_from_the_portal_the_letter_page_and_the_api(
    sukabumi, problem, form, body
):
    api_answer = api_errors(api_post(client_for(sukabumi), "/api/v1/intake/reports", body_with(body)))
    # The portal names each field and speaks the page's language only: "Label: Indonesian side".
    portal_answer = sorted(
        item.split(": ", 1)[1] for item in page_errors(client_for(sukabumi).post("/lapor/", FORM | form))
    )
    letter = FORM | form | {"channel": "letter", "received_on": tenant_today_in_tenant().isoformat()}
    letter_answer = page_errors(as_role("intake_officer").post("/staff/laporan/catat/", letter))
    assert portal_answer == sorted(in_language(message, "id") for message in api_answer), problem
    assert letter_answer == api_answer, problem
    assert report_counts() == (0, 0)


def tenant_today_in_tenant() -> Any:
    with schema_context(TENANT):
        return tenant_today()


def test_json_and_multipart_bodies_get_the_same_messages(sukabumi):
    """Multipart carries who and identity as JSON text: the same rules apply to them."""
    bad = {
        "who": [{"name": "Ahmad", "salary": 1}],
        "identity_mode": "confidential",
        "identity": {"nik": "12"},
        "how_much": "Rp 1.500.000,-",
    }
    as_json = api_post(client_for(sukabumi), "/api/v1/intake/reports", BODY | bad)
    as_multipart = client_for(sukabumi).post(
        "/api/v1/intake/reports",
        {
            key: json.dumps(value) if isinstance(value, dict | list) else value
            for key, value in (BODY | bad).items()
        },
    )
    assert api_errors(as_multipart) == api_errors(as_json)
    assert set(as_json.json()["errors"]) == {"who", "identity.name", "identity.nik", "how_much"}
    assert report_counts() == (0, 0)


# --- Actions on a case: the case page and /api/v1/cases/<id>/... ----------------------------------


def in_state(case: Case, state: str) -> int:
    with schema_context(TENANT):
        Case.objects.filter(pk=case.pk).update(state=state)
    return case.pk


def staff_id(role: str) -> int:
    with schema_context(TENANT):
        return User.objects.get(email=EMAIL[role]).pk


# (what is wrong, the case's state, page path and form, API path and body)
BAD_ACTIONS: list[tuple[str, str, str, dict[str, Any], str, dict[str, Any]]] = [
    (
        "unknown transition",
        "received",
        "langkah/",
        {"transition": "teleport"},
        "transition",
        {"transition": "teleport"},
    ),
    ("no transition", "received", "langkah/", {"transition": ""}, "transition", {}),
    (
        "transition from the wrong state",
        "received",
        "langkah/",
        {"transition": "close"},
        "transition",
        {"transition": "close"},
    ),
    (
        "conclude without outcome or summary",
        "examination",
        "langkah/",
        {"transition": "conclude", "outcome": "maybe", "summary": " "},
        "transition",
        {"transition": "conclude", "outcome": "maybe", "summary": " "},
    ),
    (
        "clarification without a message",
        "verification",
        "langkah/",
        {"transition": "request_clarification", "message": "  "},
        "transition",
        {"transition": "request_clarification", "message": "  "},
    ),
    (
        "transition with a NUL character",
        "received",
        "langkah/",
        {"transition": "close\x00"},
        "transition",
        {"transition": "close\x00"},
    ),
    ("empty message to the reporter", "received", "pesan/", {"body": " "}, "messages", {"body": " "}),
    ("message too long", "received", "pesan/", {"body": "x" * 5001}, "messages", {"body": "x" * 5001}),
    ("empty note", "received", "catatan/", {"body": "  "}, "notes", {"body": "  "}),
    ("nobody to assign", "received", "penugasan/", {"assignee": "", "team": ""}, "assign", {}),
    ("assignee not a number", "received", "penugasan/", {"assignee": "abc"}, "assign", {"assignee": "abc"}),
    (
        "assignee in superscript digits",
        "received",
        "penugasan/",
        {"assignee": "²"},
        "assign",
        {"assignee": "²"},
    ),
    (
        "assignee in Arabic-Indic digits",
        "received",
        "penugasan/",
        {"assignee": "١٢"},
        "assign",
        {"assignee": "١٢"},
    ),
    (
        "assignee beyond any id",
        "received",
        "penugasan/",
        {"assignee": "9" * 30},
        "assign",
        {"assignee": 9 * 10**29},
    ),
    ("unknown team", "received", "penugasan/", {"team": "999999"}, "assign", {"team": 999999}),
    ("team in superscript digits", "received", "penugasan/", {"team": "²"}, "assign", {"team": "²"}),
]


@pytest.mark.parametrize(
    ("problem", "state", "page_path", "form", "api_path", "body"),
    BAD_ACTIONS,
    ids=[row[0] for row in BAD_ACTIONS],
)
def test_a_bad_case_action_gets_the_same_messages_from_the_page_and_the_api(
    sukabumi, problem, state, page_path, form, api_path, body
):
    case_id = in_state(LetterCaseFactory(), state)
    supervisor = as_role("supervisor")  # a verified session: the pages and the API alike
    page_answer = page_errors(supervisor.post(f"/staff/kasus/{reference_of(case_id)}/{page_path}", form))
    api_answer = api_errors(api_post(supervisor, f"/api/v1/cases/{reference_of(case_id)}/{api_path}", body))
    assert page_answer == api_answer, problem
    with schema_context(TENANT):
        case = Case.objects.get(pk=case_id)
        assert (case.state, case.assignee_id) == (state, None)
        assert not Message.objects.filter(report=case.report).exists()
        assert not InternalNote.objects.filter(case=case).exists()


@pytest.mark.parametrize("who", ["investigator", "auditor"])
def test_assignments_the_service_refuses_get_its_message_on_both(sukabumi, who):
    """An auditor handles no cases; a handler's reason with a NUL character cannot be stored."""
    case_id = LetterCaseFactory().pk
    supervisor = as_role("supervisor")
    reason = "beban\x00kerja" if who == "investigator" else "beban kerja"
    form = {"assignee": str(staff_id(who)), "reason": reason}
    page_answer = page_errors(supervisor.post(f"/staff/kasus/{reference_of(case_id)}/penugasan/", form))
    body = {"assignee": staff_id(who), "reason": reason}
    api_answer = api_errors(api_post(supervisor, f"/api/v1/cases/{reference_of(case_id)}/assign", body))
    assert page_answer == api_answer
    with schema_context(TENANT):
        assert Case.objects.get(pk=case_id).assignee_id is None


def test_a_note_with_any_character_is_kept_from_the_page_and_the_api_alike(sukabumi):
    """Notes are sealed: a NUL character is no reason to refuse one, on either."""
    case_id = LetterCaseFactory().pk
    supervisor = as_role("supervisor")
    assert (
        supervisor.post(f"/staff/kasus/{reference_of(case_id)}/catatan/", {"body": "a\x00b"}).status_code
        == 302
    )
    assert (
        api_post(supervisor, f"/api/v1/cases/{reference_of(case_id)}/notes", {"body": "c\x00d"}).status_code
        == 201
    )
    notes = supervisor.get(f"/api/v1/cases/{reference_of(case_id)}/notes").json()
    assert sorted(note["body"] for note in notes) == ["a\x00b", "c\x00d"]


# --- Categories: the settings page and /api/v1/settings/categories ---------------------------------

ADMIN = "admin@sukabumi.example"
BAD_CATEGORIES = [
    ("code not a slug", {"code": "Bukan Slug!", "name_id": "X", "name_en": "X"}),
    ("code taken", {"code": "pungli", "name_id": "Lagi", "name_en": "Again"}),
    ("no code", {"code": "", "name_id": "X", "name_en": "X"}),
    ("code too long", {"code": "a" * 41, "name_id": "X", "name_en": "X"}),
    ("no Indonesian name", {"code": "kosong", "name_id": "", "name_en": "Empty"}),
    ("negative position", {"code": "urutan", "name_id": "X", "name_en": "X", "position": "-1"}),
    ("position in words", {"code": "urutan", "name_id": "X", "name_en": "X", "position": "pertama"}),
    ("position beyond any", {"code": "urutan", "name_id": "X", "name_en": "X", "position": "9" * 30}),
    ("position in Arabic-Indic digits", {"code": "urutan", "name_id": "X", "name_en": "X", "position": "١٢"}),
    ("a NUL character in a name", {"code": "nul", "name_id": "Ko\x00rupsi", "name_en": "X"}),
]


def category_rows() -> list[tuple]:
    with schema_context(TENANT):
        return list(Category.objects.order_by("pk").values_list("code", "name_id", "position", "is_active"))


def category_audit() -> list[tuple[str, str]]:
    with schema_context(TENANT):
        entries = AuditEntry.objects.filter(action="settings_categories").order_by("pk")
        return [(entry.details["change"], entry.details["code"]) for entry in entries]


@pytest.mark.parametrize(("problem", "fields"), BAD_CATEGORIES, ids=[row[0] for row in BAD_CATEGORIES])
def test_a_bad_category_gets_the_same_messages_from_the_settings_page_and_the_api(sukabumi, problem, fields):
    admin = staff_client(sukabumi, ADMIN)
    before = category_rows()
    page_answer = page_errors(admin.post("/staff/pengaturan/kategori/", fields))
    api_answer = api_errors(api_post(admin, "/api/v1/settings/categories", fields))
    assert page_answer == api_answer, problem
    assert category_rows() == before
    assert category_audit() == []


def test_a_good_category_is_added_and_audited_by_the_page_and_the_api_alike(sukabumi):
    admin = staff_client(sukabumi, ADMIN)
    page = admin.post("/staff/pengaturan/kategori/", {"code": "Dari-Halaman", "name_id": "A", "name_en": "A"})
    assert page.status_code == 302
    api = api_post(admin, "/api/v1/settings/categories", {"code": "Dari-API", "name_id": "B", "name_en": "B"})
    assert api.status_code == 201, api.content
    assert api.json()["code"] == "dari-api"  # capitals lowered, as the page does
    assert category_audit() == [("add", "dari-halaman"), ("add", "dari-api")]


# --- The queue's filters: the page, the CSV export and GET /api/v1/cases ----------------------------

BAD_FILTERS = [
    "category=tidak-ada",
    "category=%00",
    "state=bogus",
    "state=received,bogus",
    "assignee=bob",
    "assignee=%C2%B2",
    "assignee=%D9%A1%D9%A2",
    "overdue=maybe",
    "due_from=kemarin",
    "due_to=%D9%A2%D9%A0%D9%A2%D9%A6-%D9%A0%D9%A1-%D9%A0%D9%A1",
    "sort=reference",
]


@pytest.mark.parametrize("query", BAD_FILTERS)
def test_a_bad_filter_gets_the_same_message_on_the_queue_the_csv_and_the_api(sukabumi, query):
    LetterCaseFactory()
    supervisor = as_role("supervisor")
    api_answer = api_errors(supervisor.get(f"/api/v1/cases?{query}"))
    assert page_errors(supervisor.get(f"/staff/kasus/?{query}")) == api_answer
    export = supervisor.get(f"/staff/kasus/ekspor.csv?{query}")
    assert export.status_code == 400
    assert [alert_text(export.content.decode())] == api_answer
    with schema_context(TENANT):
        assert not AuditEntry.objects.filter(action="export_csv").exists()


def test_the_queue_the_csv_and_the_api_list_the_same_cases(sukabumi):
    """One vocabulary and one default (open cases) for all three."""
    mine, unassigned, closed = (
        LetterCaseFactory(),
        LetterCaseFactory(category="gratifikasi"),
        LetterCaseFactory(),
    )
    investigator = staff_id("investigator")
    with schema_context(TENANT):
        Case.objects.filter(pk=mine.pk).update(assignee_id=investigator)
        Case.objects.filter(pk=closed.pk).update(state="closed")
        references = {case.pk: case.report.reference for case in Case.objects.select_related("report")}
    supervisor = as_role("supervisor")
    for query, expected in [
        ("", {mine.pk, unassigned.pk}),
        ("state=all", {mine.pk, unassigned.pk, closed.pk}),
        ("state=closed", {closed.pk}),
        ("category=gratifikasi", {unassigned.pk}),
        (f"assignee={investigator}", {mine.pk}),
        ("assignee=unassigned", {unassigned.pk}),
    ]:
        api = supervisor.get(f"/api/v1/cases?{query}").json()
        assert {row["reference"] for row in api["results"]} == {references[pk] for pk in expected}, query
        page = supervisor.get(f"/staff/kasus/?{query}").content.decode()
        export = supervisor.get(f"/staff/kasus/ekspor.csv?{query}").content.decode("utf-8-sig")
        for pk, reference in references.items():
            assert (reference in page) is (pk in expected), (query, "page", pk)
            assert (reference in export) is (pk in expected), (query, "csv", pk)
