"""The OpenAPI schema is the contract the API enforces: what it documents is accepted,
what it does not is refused; and no input, however absurd (digits of other scripts,
numbers beyond any range, JSON nested thousands deep), is ever answered with a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from casework.models import Case
from casework.workflow import TRANSITIONS
from intake.models import Category, Report
from tenants.models import RegionKind, TimeZone
from tests.support.casework import TENANT, LetterCaseFactory, as_role, reference_of
from tests.support.clients import client_for, staff_client
from tests.support.intake_api import with_proof

REPORTS = "/api/v1/intake/reports"
REPORT: dict[str, Any] = {
    "category": "pungli",
    "what": "Pungutan liar di loket perizinan",
    "description": "Petugas loket meminta uang di luar tarif resmi.",
}


def schema(client: Client) -> dict[str, Any]:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def request_schema(document: dict[str, Any], path: str, media: str = "application/json") -> dict[str, Any]:
    reference = document["paths"][path]["post"]["requestBody"]["content"][media]["schema"]["$ref"]
    return document["components"]["schemas"][reference.rsplit("/", 1)[-1]]


def enum_of(document: dict[str, Any], member: dict[str, Any]) -> set[str]:
    """The values a member may take, through the component it refers to."""
    for part in member.get("allOf", [member]):
        if "$ref" in part:
            return set(document["components"]["schemas"][part["$ref"].rsplit("/", 1)[-1]]["enum"])
        if "enum" in part:
            return set(part["enum"])
    return set()


def raw_post(client: Client, url: str, text: str) -> Any:
    client.raise_request_exception = False  # a 500 is an answer to look at, not an exception
    return client.post(url, text, content_type="application/json")


def reports_stored() -> int:
    with schema_context(TENANT):
        return Report.objects.count()


# --- The schema is what is enforced -------------------------------------------------------------


def test_every_documented_report_member_is_accepted_and_nothing_else(sukabumi):
    document = schema(client_for(sukabumi))
    report = request_schema(document, REPORTS)
    documented = set(report["properties"])
    assert {"category", "what", "description", "who", "how_much", "identity", "notify_email"} <= documented
    assert set(report["required"]) == {"category", "what", "description"}
    assert report["properties"]["what"]["maxLength"] == 200
    assert report["properties"]["how_much"]["maximum"] == 10**15
    assert enum_of(document, report["properties"]["identity_mode"]) == {"anonymous", "confidential", "open"}

    everything = REPORT | {
        "who": [{"name": "Ahmad", "position": "Kepala Seksi", "unit": "DPMPTSP"}],
        "where": "Loket 3",
        "when": "Februari 2026",
        "why": "Tarif resmi nol rupiah.",
        "how": "Tunai.",
        "how_much": 500000,
        "identity_mode": "confidential",
        "identity": {"name": "Siti", "nik": "7271010101900001", "phone": "081234567890", "email": "s@x.id"},
        "relation": "employee",
        "notify_email": "siti@example.com",
        "consent_to_forward_identity": True,
    }
    client = client_for(sukabumi)
    everything = with_proof(client, everything)
    assert set(everything) == documented - {"evidence"}  # files come in multipart bodies
    accepted = client.post(REPORTS, everything, content_type="application/json")
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["missing_elements"] == []

    refused = client_for(sukabumi).post(
        REPORTS, REPORT | {"reporter_ip": "10.0.0.1"}, content_type="application/json"
    )
    assert refused.status_code == 400 and "reporter_ip" in refused.json()["errors"]["unknown"]
    assert reports_stored() == 1


def test_the_case_endpoints_document_the_bodies_and_filters_they_read(sukabumi):
    document = schema(client_for(sukabumi))
    transition = request_schema(document, "/api/v1/cases/{reference}/transition")
    assert set(transition["properties"]) == {"transition", "message", "outcome", "summary"}
    assert enum_of(document, transition["properties"]["transition"]) == set(TRANSITIONS)
    assign = request_schema(document, "/api/v1/cases/{reference}/assign")
    assert set(assign["properties"]) == {"assignee", "team", "reason"}
    assert assign["properties"]["assignee"]["type"] == "integer"
    parameters = {p["name"]: p for p in document["paths"]["/api/v1/cases"]["get"]["parameters"]}
    assert {
        "state",
        "category",
        "assignee",
        "overdue",
        "due_from",
        "due_to",
        "sort",
        "page",
        "page_size",
    } <= set(parameters)
    assert parameters["overdue"]["schema"]["type"] == "boolean"
    assert enum_of(document, parameters["sort"]["schema"]) == {"next_due", "-next_due"}
    assert "minLength" not in parameters["state"]["schema"]  # left empty: open cases
    category = request_schema(document, "/api/v1/settings/categories")
    assert set(category["required"]) == {"code", "name_id", "name_en"}


def test_the_mailbox_endpoints_document_the_session_they_need(sukabumi):
    """Clients (and the fuzz test) learn from the schema which calls take the bearer token
    of POST /api/v1/intake/session, and which need nothing."""
    document = schema(client_for(sukabumi))
    assert document["components"]["securitySchemes"]["reporterSession"] | {"description": ""} == {
        "type": "http",
        "scheme": "bearer",
        "description": "",
    }
    for path, method in [
        ("/api/v1/intake/report", "get"),
        ("/api/v1/intake/messages", "get"),
        ("/api/v1/intake/messages", "post"),
        ("/api/v1/intake/attachments", "post"),
    ]:
        assert document["paths"][path][method]["security"] == [{"reporterSession": []}], path
    for path in ("/api/v1/intake/reports", "/api/v1/intake/session"):
        assert document["paths"][path]["post"]["security"] == [{}], path


def test_the_operator_api_documents_the_choices_onboarding_takes(operator_client):
    document = schema(operator_client)
    onboarding = request_schema(document, "/api/v1/operator/tenants")
    assert enum_of(document, onboarding["properties"]["region_kind"]) == set(RegionKind.values)
    assert enum_of(document, onboarding["properties"]["time_zone"]) == set(TimeZone.values)


# --- Absurd input: a clear 400, never a 500, nothing stored -------------------------------------

DEEP = 100_000  # far deeper than the JSON decoder goes


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    ("members", "field"),
    [
        ('"how_much": 1e400', "how_much"),  # infinity once decoded
        ('"how_much": -1e400', "how_much"),
        ('"how_much": 1e20', "how_much"),
        ('"how_much": 1.5', "how_much"),
        ('"how_much": true', "how_much"),
        ('"how_much": "99999999999999999999999999999999999999"', "how_much"),
        ('"how_much": "١٢٣"', "how_much"),
        ('"who": [{"name": ' + nested(500) + "}]", "who"),
        ('"who": "' + nested(DEEP) + '"', "who"),  # JSON text in a text member, as a form sends it
        ('"who": [' + ",".join(['{"name": "A"}'] * 11) + "]", "who"),
        ('"identity_mode": "open", "identity": {"name": {"first": "Siti"}}', "identity"),
        ('"identity_mode": "open", "identity": "' + "{" * DEEP + '"', "identity"),
        ('"identity_mode": "open", "identity": {"name": "Siti", "nik": "٧٢٧١٠١٠١٠١٩٠٠٠٠١"}', "identity.nik"),
        ('"category": ["pungli"]', "category"),
        ('"what": {"text": "x"}', "what"),
    ],
)
def test_absurd_report_members_are_a_400(sukabumi, members, field):
    text = json.dumps(REPORT)[:-1] + ", " + members + "}"
    response = raw_post(client_for(sukabumi), REPORTS, text)
    assert response.status_code == 400, response.content[:300]
    assert field in response.json()["errors"]
    assert reports_stored() == 0


def test_a_body_nested_deeper_than_json_goes_is_a_400_everywhere(sukabumi):
    case_id = LetterCaseFactory().pk
    supervisor = as_role("supervisor")
    admin = staff_client(sukabumi, "admin@sukabumi.example")
    for client, url in [
        (client_for(sukabumi), REPORTS),
        (supervisor, f"/api/v1/cases/{reference_of(case_id)}/transition"),
        (supervisor, f"/api/v1/cases/{reference_of(case_id)}/notes"),
        (admin, "/api/v1/settings/categories"),
    ]:
        for text in (nested(DEEP), '{"who": ' + nested(DEEP) + "}"):
            response = raw_post(client, url, text)
            assert response.status_code == 400, (url, response.content[:300])
            assert "detail" in response.json()
    assert reports_stored() == 1


@pytest.mark.parametrize(
    ("members", "field"),
    [
        ('"assignee": "١٢"', "assignee"),
        ('"assignee": 1e400', "assignee"),
        ('"assignee": 12.0', "assignee"),
        ('"assignee": true', "assignee"),
        ('"team": -1', "team"),
        ('"team": 9223372036854775808', "team"),  # one past the largest id
        ('"team": {"id": 1}', "team"),
        ('"reason": ["x"], "team": 1', "reason"),
    ],
)
def test_absurd_assignments_are_a_400(sukabumi, members, field):
    case_id = LetterCaseFactory().pk
    response = raw_post(
        as_role("supervisor"), f"/api/v1/cases/{reference_of(case_id)}/assign", "{" + members + "}"
    )
    assert response.status_code == 400, response.content[:300]
    assert field in response.json()["errors"]
    with schema_context(TENANT):
        assert Case.objects.get(pk=case_id).assignee_id is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"code": "urutan", "name_id": "X", "name_en": "X", "position": 1e400}', "position"),
        ('{"code": "urutan", "name_id": "X", "name_en": "X", "position": 1e30}', "position"),
        (
            '{"code": "urutan", "name_id": "X", "name_en": "X", "position": 100000000000000000000000}',
            "position",
        ),
        ('{"code": "urutan", "name_id": "X", "name_en": "X", "position": true}', "position"),
        ('{"code": 12, "name_id": "X", "name_en": "X"}', "code"),
        ('{"code": "urutan", "name_id": "X\\u0000", "name_en": "X"}', "name_id"),
    ],
)
def test_absurd_categories_are_a_400(sukabumi, body, field):
    response = raw_post(staff_client(sukabumi, "admin@sukabumi.example"), "/api/v1/settings/categories", body)
    assert response.status_code == 400, response.content[:300]
    assert field in response.json()["errors"]


# --- What never reaches a view: the same error shape from Django's own refusals ---------------


def error_shape(response: Any) -> dict[str, Any]:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = response.json()
    assert isinstance(body["detail"], str)
    return body


def test_an_api_path_that_matches_no_route_is_a_404_in_the_error_shape(sukabumi, operator_client):
    admin = staff_client(sukabumi, "admin@sukabumi.example")
    for client, path in [
        (client_for(sukabumi), "/api/v1/tidak-ada"),
        (admin, "/api/v1/settings/categories/1.5"),
        (admin, "/api/v1/settings/categories/1/x"),
        (operator_client, "/api/v1/operator/tenants/sukabumi/x"),
    ]:
        response = client.get(path)
        assert response.status_code == 404, path
        error_shape(response)
    page = client_for(sukabumi).get("/tidak-ada/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


OVER_THE_BODY_LIMIT = "[" + "1," * 600_000 + "1]"  # more than DATA_UPLOAD_MAX_MEMORY_SIZE
TOO_MANY_FIELDS = "&".join(f"f{number}=1" for number in range(2000))  # DATA_UPLOAD_MAX_NUMBER_FIELDS


def test_a_body_over_the_upload_limits_is_a_400_in_the_error_shape(sukabumi, operator_client):
    reference = LetterCaseFactory().reference
    supervisor = as_role("supervisor")
    for client, url in [
        (client_for(sukabumi), REPORTS),
        (supervisor, f"/api/v1/cases/{reference}/notes"),
        (operator_client, "/api/v1/operator/tenants"),
    ]:
        client.raise_request_exception = False
        for body, content_type in [
            (OVER_THE_BODY_LIMIT, "application/json"),
            (TOO_MANY_FIELDS, "application/x-www-form-urlencoded"),
        ]:
            response = client.post(url, body, content_type=content_type)
            assert response.status_code == 400, (url, content_type)
            error_shape(response)
    assert reports_stored() == 1


@pytest.mark.parametrize(
    "zero", ["٠", "０", "०", "߀"], ids=["arabic-indic", "fullwidth", "devanagari", "nko"]
)
def test_an_id_in_other_scripts_digits_names_no_object(sukabumi, zero):
    """int() reads ``'١'`` as 1: an id is ASCII digits or nothing. (Cases are named by
    their random reference, not an id.)"""
    with schema_context(TENANT):
        category_id = Category.objects.order_by("pk").first().pk
    in_other_digits = str.maketrans({str(digit): chr(ord(zero) + digit) for digit in range(10)})
    admin = staff_client(sukabumi, "admin@sukabumi.example")
    for client, path, pk in [
        (admin, "/api/v1/settings/categories/{}", category_id),
    ]:
        assert client.get(path.format(pk)).status_code == 200
        response = client.get(path.format(str(pk).translate(in_other_digits)))
        assert response.status_code == 404, path
        error_shape(response)
