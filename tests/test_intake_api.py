"""The public intake API: submit, follow up with the receipt, and every bad input refused."""

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import schema_context
from PIL import Image

from casework.models import Case, CaseState
from casework.services.messages import case_message_reporter
from intake.encryption import report_key
from intake.evidence_storage import read_evidence
from intake.models import Attachment, IntakeSettings, Message, Report
from tenants.accounts.models import User
from tests.support.evidence import GPS_IFD, executable_named_jpg, jpeg_with_gps, pdf_with_author
from tests.support.intake_api import FULL_REPORT, api, submit, with_proof

RECEIPT_PATTERN = re.compile(r"^[2-9A-Z]{4}(-[2-9A-Z]{4}){4}$")


def open_session(client: Client, receipt: str) -> str:
    response = client.post("/api/v1/intake/session", {"receipt": receipt}, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def footprint(slug: str) -> tuple[int, int, int]:
    with schema_context(slug):
        return Report.objects.count(), Attachment.objects.count(), Message.objects.count()


@pytest.fixture(autouse=True)
def evidence_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def test_categories_are_the_tenants_own(sulteng, sukabumi):
    sulteng_codes = {c["code"] for c in api("sulteng").get("/api/v1/intake/categories").json()}
    sukabumi_codes = {c["code"] for c in api("sukabumi").get("/api/v1/intake/categories").json()}
    assert "pengadaan" in sulteng_codes and "pengadaan" not in sukabumi_codes
    english = api("sukabumi").get("/api/v1/intake/categories?lang=en").json()
    assert {"code": "pungli", "name": "Illegal levies"} in english


def test_a_full_report_is_stored_sealed_and_answers_with_a_receipt(sukabumi):
    response = submit(api("sukabumi"), FULL_REPORT)
    assert response.status_code == 201, response.content
    body = response.json()
    assert RECEIPT_PATTERN.match(body["receipt"])
    assert body["missing_elements"] == []

    with schema_context("sukabumi"):
        report = Report.objects.get()
        assert report.channel == "web" and report.identity_mode == "confidential"
        assert report.present_elements() == ["what", "who", "where", "when", "why", "how", "how_much"]
        assert Case.objects.get(report=report).state == CaseState.RECEIVED
        # Nothing readable in the row itself; the report's key opens it.
        assert b"Ahmad" not in bytes(report.sealed_narrative)
        key = report_key(report)
        assert key.open_json("narrative", bytes(report.sealed_narrative))["who"][0]["name"] == "Ahmad"
        assert key.open_json("identity", bytes(report.sealed_identity))["nik"] == "7271010101900001"


def test_a_minimal_anonymous_report_is_accepted_and_says_what_is_missing(sulteng):
    response = submit(
        api("sulteng"), {"category": "korupsi", "what": "Mark-up", "description": "Harga dinaikkan."}
    )
    assert response.status_code == 201
    assert response.json()["missing_elements"] == ["who", "where", "when", "why", "how", "how_much"]


BAD_REPORTS = [
    ({**FULL_REPORT, "category": ""}, "category"),
    ({**FULL_REPORT, "category": "tidak-ada"}, "category"),
    ({k: v for k, v in FULL_REPORT.items() if k != "what"}, "what"),
    ({**FULL_REPORT, "description": "   "}, "description"),
    ({**FULL_REPORT, "what": "x" * 201}, "what"),
    ({**FULL_REPORT, "who": "Ahmad"}, "who"),
    ({**FULL_REPORT, "who": [{"name": "A", "salary": 1}]}, "who"),
    ({**FULL_REPORT, "how_much": -5}, "how_much"),
    ({**FULL_REPORT, "how_much": "banyak"}, "how_much"),
    ({**FULL_REPORT, "identity_mode": "secret"}, "identity_mode"),
    ({**FULL_REPORT, "identity_mode": "anonymous", "notify_email": None}, "identity"),
    ({**FULL_REPORT, "identity": {"nik": "123"}}, "identity.name"),
    ({**FULL_REPORT, "identity": {"name": "Siti", "nik": "123"}}, "identity.nik"),
    ({**FULL_REPORT, "identity": {"name": "Siti", "email": "not-an-email"}}, "identity.email"),
    ({**FULL_REPORT, "notify_email": "nope"}, "notify_email"),
    ({**FULL_REPORT, "relation": "boss"}, "relation"),
    ({**FULL_REPORT, "ip_address": "1.2.3.4"}, "unknown"),
]


@pytest.mark.parametrize(("payload", "field"), BAD_REPORTS)
def test_every_bad_report_gets_a_clear_400_and_stores_nothing(sukabumi, evidence_in_tmp, payload, field):
    before = footprint("sukabumi")
    response = submit(api("sukabumi"), payload)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors and len(errors[field]) > 10
    assert footprint("sukabumi") == before
    assert stored_files(evidence_in_tmp) == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/json"),
        ("[1, 2]", "application/json"),
        ("x=1", "text/plain"),
        (b'{"what": "\xff\xfe"}', "application/json"),  # not UTF-8
        ('{"category": "pungli", "how_much": NaN}', "application/json"),  # not strict JSON
    ],
)
def test_malformed_bodies_are_refused_without_a_5xx(sukabumi, body, content_type):
    before = footprint("sukabumi")
    response = api("sukabumi").post("/api/v1/intake/reports", body, content_type=content_type)
    assert 400 <= response.status_code < 500
    assert "detail" in response.json()
    assert footprint("sukabumi") == before


def multipart(payload: dict, files: list[tuple[str, bytes, str]]) -> dict:
    data = {
        key: json.dumps(value) if isinstance(value, dict | list) else value for key, value in payload.items()
    }
    data["evidence"] = [
        SimpleUploadedFile(name, content, content_type=ctype) for name, content, ctype in files
    ]
    return data


def test_a_photo_with_gps_is_stored_without_its_location(sulteng, evidence_in_tmp):
    client = api("sulteng")
    response = client.post(
        "/api/v1/intake/reports",
        multipart(
            with_proof(client, FULL_REPORT | {"category": "korupsi"}),
            [
                ("IMG_2031.jpg", jpeg_with_gps(), "image/jpeg"),
                ("kwitansi.pdf", pdf_with_author(), "application/pdf"),
            ],
        ),
    )
    assert response.status_code == 201, response.content
    with schema_context("sulteng"):
        report = Report.objects.get()
        photo, document = Attachment.objects.filter(report=report)
        key = report_key(report)
        photo_name, photo_bytes = read_evidence(photo, key)
        _document_name, document_bytes = read_evidence(document, key)
    assert photo.content_type == "image/jpeg" and photo_name.endswith(".jpg")
    cleaned = Image.open(io.BytesIO(photo_bytes))
    assert cleaned.size == (64, 48)
    assert not cleaned.getexif().get_ifd(GPS_IFD)
    assert b"Budi Santoso" not in document_bytes
    # On disk the files are sealed: not even the JPEG header is readable.
    for path in stored_files(evidence_in_tmp):
        assert path.parts[-3] == "sulteng"
        assert b"JFIF" not in path.read_bytes() and b"%PDF" not in path.read_bytes()


@pytest.mark.parametrize(
    ("name", "content", "code_word"),
    [
        ("bukti.jpg", executable_named_jpg(), "bukti.jpg"),
        ("rusak.pdf", pdf_with_author()[:300], "rusak.pdf"),
        ("besar.jpg", b"\xff\xd8\xff" + b"\x00" * (2 * 1024 * 1024), "besar.jpg"),
    ],
)
def test_bad_files_refuse_the_whole_report(sulteng, evidence_in_tmp, name, content, code_word):
    with schema_context("sulteng"):
        IntakeSettings.objects.update_or_create(pk=1, defaults={"max_file_bytes": 1024 * 1024})
    before = footprint("sulteng")
    client = api("sulteng")
    response = client.post(
        "/api/v1/intake/reports",
        multipart(
            with_proof(client, FULL_REPORT | {"category": "korupsi"}),
            [("ok.jpg", jpeg_with_gps(), "image/jpeg"), (name, content, "image/jpeg")],
        ),
    )
    assert response.status_code == 400
    assert code_word in response.json()["errors"]["evidence"]
    assert footprint("sulteng") == before
    assert stored_files(evidence_in_tmp) == []


def test_receipt_opens_the_mailbox_only_on_its_own_tenant(sulteng, sukabumi):
    receipt = submit(api("sukabumi"), FULL_REPORT).json()["receipt"]

    other_tenant = api("sulteng").post(
        "/api/v1/intake/session", {"receipt": receipt}, content_type="application/json"
    )
    assert other_tenant.status_code == 400
    assert "tidak dikenal" in other_tenant.json()["errors"]["receipt"]

    wrong = api("sukabumi").post(
        "/api/v1/intake/session", {"receipt": "2222-2222-2222-2222-2222"}, content_type="application/json"
    )
    assert wrong.status_code == 400
    # Spaces and lower case, as people type it, still work.
    token = open_session(api("sukabumi"), receipt.lower().replace("-", " "))
    status = api("sukabumi").get("/api/v1/intake/report", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert status.status_code == 200
    assert status.json()["state"] == "received"
    assert "sudah kami terima" in status.json()["status"]


def test_the_receipt_is_never_taken_from_a_url(sukabumi):
    receipt = submit(api("sukabumi"), FULL_REPORT).json()["receipt"]
    response = api("sukabumi").post(
        f"/api/v1/intake/session?receipt={receipt}", {}, content_type="application/json"
    )
    assert response.status_code == 400


def test_mailbox_conversation_through_the_api(sukabumi, mailoutbox, django_capture_on_commit_callbacks):
    client = api("sukabumi")
    receipt = submit(client, FULL_REPORT).json()["receipt"]
    with schema_context("sukabumi"), django_capture_on_commit_callbacks(execute=True):
        officer = User.objects.get(email="verifikator@sukabumi.example")
        case_message_reporter(
            case=Case.objects.get(report=Report.objects.get()),
            actor=officer,
            body="Mohon kirim foto kuitansi bila ada.",
        )
    token = open_session(client, receipt)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    messages = client.get("/api/v1/intake/messages", **auth).json()
    assert [m["author"] for m in messages] == ["staff"]
    assert messages[0]["body"] == "Mohon kirim foto kuitansi bila ada."

    reply = client.post(
        "/api/v1/intake/messages", {"body": "Foto terlampir."}, content_type="application/json", **auth
    )
    assert reply.status_code == 201 and reply.json()["author"] == "reporter"
    upload = client.post(
        "/api/v1/intake/attachments",
        {"evidence": [SimpleUploadedFile("kuitansi.jpg", jpeg_with_gps(), content_type="image/jpeg")]},
        **auth,
    )
    assert upload.status_code == 201 and upload.json() == {"stored": 1}
    empty = client.post("/api/v1/intake/messages", {"body": " "}, content_type="application/json", **auth)
    assert empty.status_code == 400

    # The reporter who left an email heard only that there is news.
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["siti@example.com"]
    assert "kuitansi" not in mailoutbox[0].body


def test_mailbox_endpoints_need_a_live_session(sukabumi):
    client = api("sukabumi")
    assert client.get("/api/v1/intake/report").status_code in {401, 403}
    assert client.get("/api/v1/intake/report", HTTP_AUTHORIZATION="Bearer forged").status_code == 401
    assert client.get("/api/v1/intake/report", HTTP_AUTHORIZATION="Basic abc").status_code == 401


def test_consent_to_forward_the_identity_is_recorded_only_with_an_identity(sukabumi):
    assert submit(api("sukabumi"), FULL_REPORT | {"consent_to_forward_identity": True}).status_code == 201
    anonymous = {k: v for k, v in FULL_REPORT.items() if k not in {"identity", "notify_email"}}
    assert (
        submit(
            api("sukabumi"), anonymous | {"identity_mode": "anonymous", "consent_to_forward_identity": True}
        ).status_code
        == 201
    )
    with schema_context("sukabumi"):
        assert list(Report.objects.order_by("pk").values_list("consent_to_forward_identity", flat=True)) == [
            True,
            False,
        ]
