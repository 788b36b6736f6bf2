"""The security review's smaller findings, each as a person or a deployment would notice
it: category changes in the audit trail, no caching of API answers, cookies that say
nothing beyond the browser session, HTTPS only in production, evidence links bound to
their tenant, NIKs in ASCII digits."""

import json

import pytest
from django.core import signing
from django.test import Client
from django_tenants.utils import schema_context

from casework.selectors.case_page import evidence_link_claims, evidence_link_token
from intake.models import Report
from tenants.accounts.models import User
from tenants.audit.models import AuditEntry
from tenants.onboarding import primary_hostname
from tests.support.clients import client_for, operator_client, staff_client
from tests.support.intake_api import FULL_REPORT, api, submit
from tests.support.production_profile import in_production
from wbs.demo.seed_tenants import DEMO_OPERATOR_EMAIL

ADMIN = "admin@sukabumi.example"
ARABIC_INDIC_NIK = "٧٢٧١٠١٠١٠١٩٠٠٠٠١"  # 16 digits, none of them ASCII


@pytest.fixture(autouse=True)
def evidence_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def category_entries() -> list[tuple[str, dict]]:
    with schema_context("sukabumi"):
        admin = User.objects.get(email=ADMIN)
        entries = AuditEntry.objects.filter(action="settings_categories").order_by("id")
        assert all(entry.actor_id == admin.pk for entry in entries)
        return [(entry.details["change"], entry.details["code"]) for entry in entries]


def test_every_change_through_the_category_api_is_in_the_audit_trail(sukabumi):
    admin = staff_client(sukabumi, ADMIN)
    created = admin.post(
        "/api/v1/settings/categories",
        {"code": "hibah", "name_id": "Penyimpangan hibah", "name_en": "Grant misuse", "is_active": False},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    category = created.json()["id"]
    renamed = admin.patch(
        f"/api/v1/settings/categories/{category}",
        {"name_id": "Penyimpangan dana hibah"},
        content_type="application/json",
    )
    assert renamed.status_code == 200
    reactivated = admin.patch(
        f"/api/v1/settings/categories/{category}", {"is_active": True}, content_type="application/json"
    )
    assert reactivated.status_code == 200
    # A refused change writes nothing.
    refused = admin.patch(
        f"/api/v1/settings/categories/{category}", {"name_id": ""}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert category_entries() == [
        ("add", "hibah"),
        ("deactivate", "hibah"),
        ("edit", "hibah"),
        ("reactivate", "hibah"),
    ]


def test_api_answers_are_never_stored_by_a_browser_or_proxy(sukabumi):
    reporter = api("sukabumi")
    receipt = submit(reporter, FULL_REPORT).json()["receipt"]
    session = reporter.post("/api/v1/intake/session", {"receipt": receipt}, content_type="application/json")
    token = session.json()["token"]
    mailbox = reporter.get("/api/v1/intake/report", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert mailbox.status_code == 200

    supervisor = staff_client(sukabumi, "inspektur@sukabumi.example")
    cases = supervisor.get("/api/v1/cases")
    case = supervisor.get(f"/api/v1/cases/{cases.json()['results'][0]['reference']}")
    assert case.status_code == 200 and "Ahmad" in case.content.decode()  # decrypted content

    refused = client_for(sukabumi).get("/api/v1/cases")
    operators = operator_client(DEMO_OPERATOR_EMAIL).get("/api/v1/operator/tenants")
    for answer in (session, mailbox, cases, case, refused, operators):
        assert "no-store" in answer["Cache-Control"], answer.request["PATH_INFO"]


def test_the_csrf_cookie_ends_with_the_browser_session(sulteng):
    form = Client(HTTP_HOST=primary_hostname("sulteng")).get("/lapor/")
    cookie = form.cookies["csrftoken"]
    assert cookie.value and cookie["max-age"] == "" and cookie["expires"] == ""


def test_the_mailbox_cookie_is_host_only_and_secure_when_named_for_production(sulteng, settings):
    settings.WBS_MAILBOX_COOKIE_NAME = "__Host-wbs_mailbox"
    settings.SESSION_COOKIE_SECURE = True
    reporter = Client(HTTP_HOST=primary_hostname("sulteng"))
    receipt = submit(api("sulteng"), FULL_REPORT | {"category": "korupsi"}).json()["receipt"]
    opened = reporter.post("/pantau/", {"receipt": receipt}, secure=True)
    assert opened.status_code == 302
    cookie = opened.cookies["__Host-wbs_mailbox"]
    # What browsers require of a __Host- cookie: Secure, Path=/, no Domain.
    assert cookie["secure"] and cookie["path"] == "/" and not cookie["domain"]
    assert reporter.get("/pantau/kotak/", secure=True).status_code == 200


def test_production_redirects_plain_http_to_https_and_names_cookies_for_the_host(sulteng):
    answered = in_production(
        [
            ("sulteng.localhost", "/", False),
            ("localhost", "/login/", False),
            ("sulteng.localhost", "/healthz", False),
            ("sulteng.localhost", "/healthz", True),
        ]
    )
    portal, console, plain_health, secure_health = answered["answers"]
    assert portal["status"] == 301 and portal["headers"]["Location"] == "https://sulteng.localhost/"
    assert console["status"] == 301 and console["headers"]["Location"] == "https://localhost/login/"
    # The load balancer's health check answers over plain HTTP.
    assert plain_health["status"] == 200
    assert secure_health["headers"]["Strict-Transport-Security"].startswith("max-age=31536000")
    assert answered["settings"] == {
        "SESSION_COOKIE_NAME": "__Host-wbs_session",
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "WBS_MAILBOX_COOKIE_NAME": "__Host-wbs_mailbox",
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_AGE": None,
        "SECURE_SSL_REDIRECT": True,
    }


def test_an_evidence_link_made_for_one_tenant_opens_nothing_on_another(sukabumi, sulteng):
    # Ids repeat across tenants' schemas: the same attachment, case and person ids exist in both.
    claims = {"attachment_id": 1, "case_id": 1, "user_id": 1}
    with schema_context("sukabumi"):
        token = evidence_link_token(**claims)
        assert evidence_link_claims(token) == {"a": 1, "c": 1, "u": 1}
    with schema_context("sulteng"), pytest.raises(signing.BadSignature):
        evidence_link_claims(token)


def test_a_nik_in_other_scripts_digits_is_refused_on_the_api_and_the_form(sulteng):
    identity = FULL_REPORT["identity"] | {"nik": ARABIC_INDIC_NIK}
    refused = submit(api("sulteng"), FULL_REPORT | {"category": "korupsi", "identity": identity})
    assert refused.status_code == 400
    assert "identity.nik" in json.dumps(refused.json()["errors"]) or "nik" in json.dumps(refused.json())
    page = Client(HTTP_HOST=primary_hostname("sulteng")).post(
        "/lapor/",
        {
            "category": "korupsi",
            "what": "Pengadaan laptop digelembungkan",
            "where": "Palu",
            "identity_mode": "confidential",
            "identity-name": "Siti",
            "identity-nik": ARABIC_INDIC_NIK,
            "relation": "public",
        },
    )
    assert page.status_code == 400 and "NIK terdiri dari 16 angka" in page.content.decode()
    with schema_context("sulteng"):
        assert Report.objects.count() == 0
