"""The staff pages of casework (/staff/...): who may open what, conflicts of
interest hiding a case everywhere, evidence links, exports, recording reports
from other channels, and a fixed number of queries per page."""

from __future__ import annotations

import csv
import io
import itertools
import re
import time
import uuid
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection as django_connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from pypdf import PdfReader

from casework.models import Case, CaseEvent, CaseState, IdentityRequest, InternalNote, Team
from casework.services.identity import identity_decide
from intake.encryption import ReportKey, current_tenant_key, seal
from intake.models import Attachment, Category, KeyPurpose, Message, Report
from intake.references import SYMBOLS
from tenants.accounts.models import StaffRole, User
from tenants.audit.models import AuditEntry
from tenants.clock import tenant_today
from tests.support.casework import (
    DESCRIPTION,
    EMAIL,
    HANDLER_ROLES,
    IDENTITY_NAME,
    IDENTITY_NIK,
    TENANT,
    WHAT,
    as_role,
    assert_page_opens_only_for,
    staff_client_of,
)
from tests.support.casework import LetterCaseFactory as new_case
from tests.support.clients import client_for
from tests.support.evidence import jpeg_with_gps
from wbs.demo.seed_tenants import DEMO_PASSWORD


@pytest.fixture(autouse=True)
def evidence_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def investigators_case(**fields) -> Case:
    """A letter's case given to the demo investigator, so need-to-know shows it to them."""
    return new_case.create(assignee=EMAIL["investigator"], **fields)


def person(role: str) -> User:
    with schema_context(TENANT):
        return User.objects.get(email=EMAIL[role])


def second_supervisor() -> str:
    """Another supervisor, so one can be excluded while still able to export."""
    email = "inspektur2@sukabumi.example"
    with schema_context(TENANT):
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"username": email, "full_name": "Inspektur Pembantu", "roles": [StaffRole.SUPERVISOR]},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    return email


def audit_actions() -> list[str]:
    with schema_context(TENANT):
        return list(AuditEntry.objects.values_list("action", flat=True))


# --- Who may open which page --------------------------------------------------

ALL = set(EMAIL)
PAGES = {
    # path (CASE = a case id) -> roles that get 200; everybody else 403
    "/staff/kasus/": HANDLER_ROLES,
    "/staff/kasus/terlambat/": HANDLER_ROLES,
    "/staff/beban-kerja/": HANDLER_ROLES,
    "/staff/kasus/CASE/": HANDLER_ROLES,
    "/staff/kasus/CASE/ringkasan.pdf": HANDLER_ROLES,
    "/staff/dasbor/": HANDLER_ROLES | {"auditor", "administrator"},
    "/staff/kasus/ekspor.csv": {"supervisor", "auditor"},
    "/staff/laporan/catat/": {"intake_officer", "supervisor"},
}


@pytest.mark.parametrize("path", list(PAGES))
def test_each_page_for_allowed_and_refused_roles(sukabumi, path):
    assert_page_opens_only_for(path.replace("CASE", investigators_case().reference), PAGES[path])


def test_pages_need_both_sign_in_factors(sukabumi):
    case = new_case()
    anonymous = client_for(sukabumi)
    for url in (
        "/staff/kasus/",
        f"/staff/kasus/{case.reference}/",
        "/staff/dasbor/",
        "/staff/laporan/catat/",
    ):
        response = anonymous.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/staff/login/"), url
    password_only = client_for(sukabumi)
    assert (
        password_only.post(
            "/staff/login/", {"username": EMAIL["supervisor"], "password": DEMO_PASSWORD}
        ).status_code
        == 302
    )
    response = password_only.get(f"/staff/kasus/{case.reference}/")
    assert response.status_code == 302 and "/staff/login/" in response["Location"]
    assert WHAT not in password_only.get("/staff/kasus/").content.decode()


def test_a_missing_case_is_404_and_the_home_page_links_the_pages(sukabumi):
    supervisor = as_role("supervisor")
    assert supervisor.get("/staff/kasus/999999/").status_code == 404
    home = supervisor.get("/staff/").content.decode()
    for url in ("/staff/kasus/", "/staff/dasbor/", "/staff/kasus/terlambat/", "/staff/laporan/catat/"):
        assert f'href="{url}"' in home
    auditor_home = as_role("auditor").get("/staff/").content.decode()
    assert 'href="/staff/dasbor/"' in auditor_home and 'href="/staff/kasus/"' not in auditor_home


# --- The queue ------------------------------------------------------------------


def test_the_queue_filters_sorts_and_highlights_overdue(sukabumi):
    late, soon, mine = new_case(), new_case(what="Gratifikasi proyek jalan"), new_case()
    officer = person("intake_officer")
    with schema_context(TENANT):
        Case.objects.filter(pk=late.pk).update(next_due=tenant_today() - timedelta(days=3))
        Case.objects.filter(pk=soon.pk).update(next_due=tenant_today() + timedelta(days=2))
        Case.objects.filter(pk=mine.pk).update(next_due=tenant_today() + timedelta(days=9), assignee=officer)
        references = {c.pk: c.report.reference for c in Case.objects.select_related("report")}
    client = as_role("intake_officer")  # sees every case in intake

    html = client.get("/staff/kasus/").content.decode()
    order = [html.index(references[pk]) for pk in (late.pk, soon.pk, mine.pk)]
    assert order == sorted(order), "soonest deadline first"
    assert re.search(
        rf'<tr class="overdue">\s*(?:<td>.*?</td>\s*)?<td class="nowrap"><a href="/staff/kasus/{late.reference}/"',
        html,
    )
    assert "Terlambat" in html

    html = client.get("/staff/kasus/?sort=-next_due").content.decode()
    assert html.index(references[mine.pk]) < html.index(references[late.pk])
    html = client.get("/staff/kasus/?assignee=me").content.decode()
    assert references[mine.pk] in html and references[late.pk] not in html
    html = client.get("/staff/kasus/?assignee=unassigned").content.decode()
    assert references[mine.pk] not in html and references[late.pk] in html
    html = client.get("/staff/kasus/?overdue=1").content.decode()
    assert references[late.pk] in html and references[soon.pk] not in html
    due_from = (tenant_date() + timedelta(days=1)).isoformat()
    due_to = (tenant_date() + timedelta(days=5)).isoformat()
    html = client.get(f"/staff/kasus/?due_from={due_from}&due_to={due_to}").content.decode()
    assert references[soon.pk] in html and references[late.pk] not in html and references[mine.pk] not in html
    html = client.get("/staff/kasus/?category=korupsi").content.decode()
    assert "Tidak ada kasus yang cocok" in html
    html = client.get("/staff/kasus/?state=closed").content.decode()
    assert "Tidak ada kasus yang cocok" in html
    assert client.get("/staff/kasus/?due_from=kemarin").status_code == 400
    assert client.get("/staff/kasus/?state=bogus").status_code == 400

    overdue = client.get("/staff/kasus/terlambat/").content.decode()
    assert references[late.pk] in overdue and references[soon.pk] not in overdue


def tenant_date() -> date:
    with schema_context(TENANT):
        return tenant_today()


def case_links(html: str) -> list[str]:
    return re.findall(r'<a href="/staff/kasus/WBS-[0-9]{4}-[0-9A-Z]{5}/">', html)


def test_the_queue_pages_by_fifty(sukabumi):
    bulk_cases(120)
    client = as_role("supervisor")
    first = client.get("/staff/kasus/").content.decode()
    assert len(case_links(first)) == 50
    assert "Halaman 1 dari 3" in first
    last = client.get("/staff/kasus/?page=3").content.decode()
    assert len(case_links(last)) == 20


def test_workload_counts_open_cases_per_handler_and_team(sukabumi):
    cases = [new_case() for _ in range(3)]
    with schema_context(TENANT):
        team = Team.objects.create(name="Tim Pemeriksa A")
        Case.objects.filter(pk__in=[c.pk for c in cases[:2]]).update(
            assignee=person("investigator"), team=team
        )
    html = as_role("supervisor").get("/staff/beban-kerja/").content.decode()
    assert re.search(r"Pemeriksa [^<]*</a></td><td class=\"num\">2</td>", html)
    assert re.search(r"Tim Pemeriksa A</td><td class=\"num\">2</td>", html)
    assert re.search(r"Belum ditugaskan</a></td><td class=\"num\">1</td>", html)


# --- The case page ------------------------------------------------------------


def test_the_case_page_shows_the_report_but_never_the_identity(sukabumi):
    case = investigators_case(files=[("foto.jpg", jpeg_with_gps())])
    html = as_role("investigator").get(f"/staff/kasus/{case.reference}/").content.decode()
    for text in (WHAT, "Petugas loket 3", "DPMPTSP", "Mal Pelayanan Publik", "Rahasia", "foto.jpg"):
        assert text in html, text
    assert IDENTITY_NAME not in html and IDENTITY_NIK not in html
    assert "<script>" not in html and "style=" not in html
    assert 'id="identity"' in html and "Minta identitas" in html


def test_staff_actions_on_the_case_page(sukabumi):
    case = investigators_case()
    url = f"/staff/kasus/{case.reference}/"
    intake, investigator, supervisor = (
        as_role("intake_officer"),
        as_role("investigator"),
        as_role("supervisor"),
    )

    response = intake.post(url + "langkah/", {"transition": "start_verification"})
    assert response.status_code == 302 and response["Location"] == url + "#workflow"
    # A clarification needs a message: 400 with the service's message, never 500.
    response = intake.post(url + "langkah/", {"transition": "request_clarification", "message": " "})
    assert response.status_code == 400
    assert "Tulis pesan untuk pelapor" in response.content.decode()
    assert (
        intake.post(
            url + "langkah/", {"transition": "request_clarification", "message": "Kapan kejadiannya?"}
        ).status_code
        == 302
    )
    assert intake.post(url + "langkah/", {"transition": "resume"}).status_code == 302
    # Concluding is not the intake officer's step: 403 with the reason.
    response = intake.post(
        url + "langkah/", {"transition": "conclude", "outcome": "substantiated", "summary": "x"}
    )
    assert response.status_code == 403 and "memerlukan peran" in response.content.decode()
    response = investigator.post(url + "langkah/", {"transition": "conclude", "outcome": "", "summary": ""})
    assert response.status_code == 400
    assert "Pilih hasil" in response.content.decode() and "Tulis ringkasan" in response.content.decode()
    assert investigator.post(url + "langkah/", {"transition": "fly"}).status_code == 400

    assert (
        investigator.post(url + "pesan/", {"body": "Terima kasih, kami tindak lanjuti."}).status_code == 302
    )
    assert investigator.post(url + "pesan/", {"body": ""}).status_code == 400
    assert investigator.post(url + "catatan/", {"body": "Cek daftar hadir loket."}).status_code == 302
    assert investigator.post(url + "catatan/", {"body": "  "}).status_code == 400
    upload = SimpleUploadedFile("kwitansi.jpg", jpeg_with_gps())
    assert investigator.post(url + "bukti/", {"evidence": upload}).status_code == 302
    assert investigator.post(url + "bukti/", {}).status_code == 400

    handler = person("investigator")
    assert supervisor.post(url + "penugasan/", {"assignee": handler.pk, "reason": "beban"}).status_code == 302
    assert supervisor.post(url + "penugasan/", {"assignee": "", "team": ""}).status_code == 400
    assert investigator.post(url + "penugasan/", {"assignee": handler.pk}).status_code == 403

    html = investigator.get(url).content.decode()
    assert "Cek daftar hadir loket." in html and "Terima kasih, kami tindak lanjuti." in html
    assert "kwitansi.jpg" in html and "Kapan kejadiannya?" in html
    assert (
        investigator.post(
            url + "langkah/",
            {"transition": "conclude", "outcome": "substantiated", "summary": "Terbukti; disanksi."},
        ).status_code
        == 302
    )
    with schema_context(TENANT):
        case.refresh_from_db()
        assert case.state == CaseState.CONCLUDED and case.assignee_id == handler.pk
        assert InternalNote.objects.filter(case=case).count() == 1
        assert Message.objects.filter(report=case.report, author="staff").count() >= 3
        assert Attachment.objects.filter(report=case.report, uploaded_by="staff").count() == 1
        kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert {"evidence_added", "note", "assigned", "conclude"} <= set(kinds)
    assert "evidence_upload" in audit_actions()
    html = investigator.get(url).content.decode()
    assert "Terbukti; disanksi." in html


def test_identity_is_shown_only_with_approved_access_and_every_view_is_recorded(sukabumi):
    case = investigators_case()
    url = f"/staff/kasus/{case.reference}/"
    investigator = as_role("investigator")
    assert investigator.post(url + "identitas/minta/", {"reason": "pendek"}).status_code == 400
    assert investigator.post(url + "identitas/").status_code == 403  # no approved access yet
    assert (
        investigator.post(
            url + "identitas/minta/", {"reason": "Perlu dimintai keterangan sebagai saksi."}
        ).status_code
        == 302
    )
    assert as_role("intake_officer").post(url + "identitas/minta/", {"reason": "x" * 20}).status_code == 403
    with schema_context(TENANT):
        request = IdentityRequest.objects.get(case=case)
        identity_decide(request=request, actor=person("identity_custodian"), approve=True)
    page = investigator.get(url).content.decode()
    assert "Lihat identitas" in page and IDENTITY_NAME not in page
    shown = investigator.post(url + "identitas/")
    assert shown.status_code == 200 and IDENTITY_NAME in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    # Someone else on the case has no access of their own.
    assert as_role("supervisor").post(url + "identitas/").status_code == 403
    assert audit_actions().count("identity_view") == 1

    anonymous = investigators_case(identity_mode="anonymous", identity=None)
    html = investigator.get(f"/staff/kasus/{anonymous.reference}/").content.decode()
    assert "Pelapor anonim" in html and "Minta identitas" not in html
    assert (
        investigator.post(
            f"/staff/kasus/{anonymous.reference}/identitas/minta/", {"reason": "Perlu dimintai keterangan."}
        ).status_code
        == 400
    )


def test_malformed_input_is_a_400_never_a_500(sukabumi):
    case = new_case()
    url = f"/staff/kasus/{case.reference}/"
    supervisor = as_role("supervisor")
    for data in ({"assignee": "abc"}, {"team": "x1"}, {"assignee": "9" * 30}, {"assignee": "999999"}):
        assert supervisor.post(url + "penugasan/", data).status_code == 400, data
    for data in (
        {"user": "abc", "reason": "x"},
        {"user": "", "reason": "x"},
        {"user": "999999", "reason": "x"},
    ):
        assert supervisor.post(url + "pengecualian/", data).status_code == 400, data
    assert supervisor.get(url).status_code == 200  # the supervisor did not exclude themself
    assert (
        supervisor.post(url + "langkah/", {"transition": "conclude", "outcome": "maybe"}).status_code == 400
    )
    assert supervisor.get(f"/staff/kasus/{'9' * 30}/").status_code == 404
    assert supervisor.get("/staff/kasus/?assignee=" + "9" * 30).status_code == 400
    assert supervisor.get("/staff/kasus/?page=zzz").status_code == 200
    assert supervisor.get("/staff/kasus/ekspor.csv?due_to=2026-13-45").status_code == 400


# --- Conflicts of interest ----------------------------------------------------


def test_an_excluded_person_cannot_find_the_case_anywhere(sukabumi):
    hidden, other = new_case(), new_case()
    colleague = second_supervisor()
    with schema_context(TENANT):
        reference = Case.objects.select_related("report").get(pk=hidden.pk).report.reference
        colleague_pk = User.objects.get(email=colleague).pk
    excluded = staff_client_of(colleague)
    assert excluded.get(f"/staff/kasus/{hidden.reference}/").status_code == 200
    before = dashboard_total(excluded)

    response = as_role("supervisor").post(
        f"/staff/kasus/{hidden.reference}/pengecualian/", {"user": colleague_pk, "reason": "Saudara terlapor"}
    )
    assert response.status_code == 302

    assert excluded.get(f"/staff/kasus/{hidden.reference}/").status_code == 404
    assert excluded.get(f"/staff/kasus/{hidden.reference}/ringkasan.pdf").status_code == 404
    assert excluded.post(f"/staff/kasus/{hidden.reference}/catatan/", {"body": "x"}).status_code == 404
    assert excluded.get(f"/staff/kasus/{other.reference}/").status_code == 200
    for page in ("/staff/kasus/?state=all", "/staff/kasus/terlambat/", "/staff/beban-kerja/"):
        assert reference not in excluded.get(page).content.decode(), page
    assert dashboard_total(excluded) == before - 1
    exported = excluded.get("/staff/kasus/ekspor.csv?state=all").content.decode("utf-8-sig")
    assert reference not in exported
    assert reference in as_role("supervisor").get("/staff/kasus/ekspor.csv?state=all").content.decode(
        "utf-8-sig"
    )


def test_declaring_ones_own_conflict_hides_the_case(sukabumi):
    case = investigators_case()
    investigator = as_role("investigator")
    response = investigator.post(
        f"/staff/kasus/{case.reference}/pengecualian/", {"user": "self", "reason": "Tetangga"}
    )
    assert response.status_code == 302 and response["Location"] == "/staff/kasus/"
    assert investigator.get(f"/staff/kasus/{case.reference}/").status_code == 404
    # Only a supervisor excludes someone else.
    intake = person("intake_officer")
    other = investigators_case()
    response = investigator.post(
        f"/staff/kasus/{other.reference}/pengecualian/", {"user": intake.pk, "reason": "x"}
    )
    assert response.status_code == 403
    response = investigator.post(
        f"/staff/kasus/{other.reference}/pengecualian/", {"user": "self", "reason": ""}
    )
    assert response.status_code == 400


def dashboard_total(client: Client) -> int:
    html = client.get("/staff/dasbor/").content.decode()
    match = re.search(r'<span class="stat-value">(\d+)</span><span class="stat-label">Semua kasus', html)
    assert match, "no total on the dashboard"
    return int(match.group(1))


# --- Evidence links -----------------------------------------------------------


def evidence_link(client: Client, case: Case) -> str:
    html = client.get(f"/staff/kasus/{case.reference}/").content.decode()
    match = re.search(r'href="(/staff/bukti/[^"]+/)" download', html)
    assert match, "no evidence link on the case page"
    return match.group(1)


def test_an_evidence_link_downloads_the_cleaned_file_once_checked(sukabumi):
    case = investigators_case(files=[("foto.jpg", jpeg_with_gps())])
    investigator = as_role("investigator")
    link = evidence_link(investigator, case)
    response = investigator.get(link)
    assert response.status_code == 200
    assert (
        response["Content-Disposition"].startswith("attachment;")
        and "foto.jpg" in response["Content-Disposition"]
    )
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "image/jpeg"
    assert response.content[:2] == b"\xff\xd8" and b"SAMSUNG" not in response.content  # cleaned copy
    assert "evidence_download" in audit_actions()

    # Someone else's link is not theirs to use.
    assert as_role("supervisor").get(link).status_code == 403
    # A changed character breaks the signature.
    token = link.split("/")[3]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert investigator.get(f"/staff/bukti/{tampered}/").status_code == 403
    assert investigator.get("/staff/bukti/not-a-token/").status_code == 403


def test_an_evidence_link_expires_after_five_minutes(sukabumi, monkeypatch):
    case = investigators_case(files=[("foto.jpg", jpeg_with_gps())])
    investigator = as_role("investigator")
    link = evidence_link(investigator, case)
    real_time = time.time
    monkeypatch.setattr("django.core.signing.time.time", lambda: real_time() + 4 * 60)
    assert investigator.get(link).status_code == 200
    monkeypatch.setattr("django.core.signing.time.time", lambda: real_time() + 5 * 60 + 5)
    response = investigator.get(link)
    assert response.status_code == 403 and "5 menit" in response.content.decode()


def test_an_evidence_link_stops_working_once_the_person_is_excluded(sukabumi):
    case = investigators_case(files=[("foto.jpg", jpeg_with_gps())])
    investigator = as_role("investigator")
    link = evidence_link(investigator, case)
    assert (
        as_role("supervisor")
        .post(
            f"/staff/kasus/{case.reference}/pengecualian/",
            {"user": person("investigator").pk, "reason": "Kerabat"},
        )
        .status_code
        == 302
    )
    assert investigator.get(link).status_code == 404


# --- Exports -------------------------------------------------------------------


def test_the_csv_has_the_case_list_without_identity_or_narrative(sukabumi):
    case = new_case(files=[("foto.jpg", jpeg_with_gps())])
    new_case(category="gratifikasi")
    response = as_role("supervisor").get("/staff/kasus/ekspor.csv?category=pungli")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))  # what Excel set to Indonesian expects
    assert rows[0][:5] == ["reference", "category", "channel", "state", "outcome"]
    assert len(rows) == 2  # only the filtered category
    with schema_context(TENANT):
        reference = Case.objects.select_related("report").get(pk=case.pk).report.reference
    assert rows[1][0] == reference and rows[1][1] == "pungli" and rows[1][2] == "Surat"
    for secret in (IDENTITY_NAME, IDENTITY_NIK, WHAT, DESCRIPTION, "Petugas loket", "DPMPTSP", "foto.jpg"):
        assert secret not in text, secret
    assert "export_csv" in audit_actions()


def test_the_pdf_summary_has_narrative_timeline_and_outcome_but_no_identity(sukabumi):
    case = investigators_case()
    investigator = as_role("investigator")
    url = f"/staff/kasus/{case.reference}/"
    as_role("intake_officer").post(url + "langkah/", {"transition": "start_verification"})
    investigator.post(
        url + "langkah/",
        {"transition": "conclude", "outcome": "not_substantiated", "summary": "Tidak cukup bukti."},
    )
    response = investigator.get(url + "ringkasan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = re.sub(r"\s+", " ", text)
    for expected in (WHAT, "Petugas loket 3", "Mulai verifikasi", "Tidak terbukti", "Tidak cukup bukti."):
        assert expected in text, expected
    assert IDENTITY_NAME not in text and IDENTITY_NIK not in text
    assert "export_pdf" in audit_actions()


# --- Dashboard ------------------------------------------------------------------


def test_the_dashboard_counts_and_charts(sukabumi):
    cases = [new_case() for _ in range(3)]
    with schema_context(TENANT):
        today = tenant_today()
        Case.objects.filter(pk=cases[0].pk).update(
            state=CaseState.CONCLUDED,
            concluded_on=today,
            received_on=today - timedelta(days=8),
            next_due=None,
        )
        Case.objects.filter(pk=cases[1].pk).update(next_due=today - timedelta(days=1))
        reference = Case.objects.select_related("report").get(pk=cases[1].pk).report.reference
    for role in ("supervisor", "auditor", "administrator"):
        response = as_role(role).get("/staff/dasbor/")
        html = response.content.decode()
        assert response.status_code == 200
        assert dashboard_total(as_role(role)) == 3
        assert re.search(r'<span class="stat-value">1</span><span class="stat-label">Terlambat', html)
        assert html.count('<svg class="bar-chart"') == 2 and "<script" not in html
        assert '<rect class="bar"' in html
        assert '<td class="num">8.0</td>' in html or '<td class="num">8,0</td>' in html
        assert "Pungutan liar" in html
        if role != "supervisor":
            assert reference not in html and WHAT not in html and "/staff/kasus/WBS-" not in html


# --- Recording a report from another channel ----------------------------------

OFFLINE_FORM = {
    "channel": "letter",
    "category": "pungli",
    "what": "Surat pengaduan pungutan sekolah",
    "description": "Orang tua murid diminta membayar uang gedung tanpa dasar.",
    "who-0-name": "Kepala sekolah",
    "where": "SDN 1 Sukabumi",
    "identity_mode": "open",
    "identity-name": "Budi Santoso",
    "relation": "public",
}


def test_recording_a_report_received_by_letter(sukabumi):
    received = tenant_date() - timedelta(days=4)
    client = as_role("intake_officer")
    response = client.post("/staff/laporan/catat/", OFFLINE_FORM | {"received_on": received.isoformat()})
    assert response.status_code == 201
    html = response.content.decode()
    found = re.search(r'id="receipt"[^>]*>([2-9A-Z-]{24})<', html)
    assert found, "no receipt on the page"
    receipt = found.group(1)
    assert "hanya ditampilkan sekali" in html
    with schema_context(TENANT):
        report = Report.objects.get()
        assert report.channel == "letter" and report.received_on == received
        case = Case.objects.get(report=report)
        assert case.received_on == received
        recorder = CaseEvent.objects.get(case=case, kind="received").actor
        assert recorder is not None and recorder.email == EMAIL["intake_officer"]
    # The slip: a POST with the receipt in the body, never in a URL.
    assert "?receipt" not in html and receipt not in re.findall(r'(?:href|action)="([^"]*)"', html)
    slip = client.post(
        "/staff/laporan/tanda-terima.pdf",
        {"receipt": receipt, "channel": "letter", "received_on": received.isoformat()},
    )
    assert slip.status_code == 200 and slip["Content-Type"] == "application/pdf"
    slip_text = PdfReader(io.BytesIO(slip.content)).pages[0].extract_text()
    assert receipt in slip_text and "Surat" in slip_text and received.isoformat() in slip_text
    assert client.get("/staff/laporan/tanda-terima.pdf").status_code == 405
    assert client.post("/staff/laporan/tanda-terima.pdf", {"receipt": "nope"}).status_code == 400
    # The reporter's receipt works on the portal.
    portal = client_for(sukabumi)
    assert portal.post("/pantau/", {"receipt": receipt}).status_code == 302


def test_recording_refuses_a_future_date_and_stores_nothing(sukabumi):
    client = as_role("supervisor")
    tomorrow = tenant_date() + timedelta(days=1)
    response = client.post("/staff/laporan/catat/", OFFLINE_FORM | {"received_on": tomorrow.isoformat()})
    assert response.status_code == 400
    assert "tidak boleh di masa depan" in response.content.decode()
    for bad in ({"channel": "web"}, {"channel": "forwarded"}, {"received_on": ""}, {"what": ""}):
        data = OFFLINE_FORM | {"received_on": tenant_date().isoformat()} | bad
        assert client.post("/staff/laporan/catat/", data).status_code == 400, bad
    with schema_context(TENANT):
        assert Report.objects.count() == 0 and Case.objects.count() == 0
    form = client.get("/staff/laporan/catat/").content.decode()
    assert 'value="whatsapp"' in form and 'value="web"' not in form and 'value="forwarded"' not in form


# --- A fixed number of queries --------------------------------------------------


# Distinct references for bulk-made cases (random ones could meet in a thousand).
BULK_REFERENCES = ("".join(symbols) for symbols in itertools.product(SYMBOLS, repeat=5))


def bulk_cases(count: int) -> list[int]:
    """Many reports and cases quickly: one report key, sealed narratives, one INSERT each."""
    with schema_context(TENANT):
        version, data_key = current_tenant_key(KeyPurpose.DATA)
        raw_key = bytes(range(32))
        category = Category.objects.get(code="pungli")
        today = tenant_today()
        team, _ = Team.objects.get_or_create(name="Tim Beban")
        handlers = list(User.objects.filter(email__in=[EMAIL["investigator"], EMAIL["intake_officer"]]))
        reports = []
        for index in range(count):
            uid = uuid.uuid4()
            key = ReportKey(str(uid), raw_key)
            reports.append(
                Report(
                    uid=uid,
                    category=category,
                    channel="letter",
                    received_on=today - timedelta(days=index % 300),
                    reference=f"WBS-{today.year}-{next(BULK_REFERENCES)}",
                    receipt_hash=uuid.uuid4().hex + uuid.uuid4().hex,
                    key_version=version,
                    wrapped_key=seal(data_key, raw_key, context=f"report:{uid}"),
                    sealed_narrative=key.seal_json(
                        "narrative", {"what": f"Kasus {index}", "description": "x"}
                    ),
                )
            )
        reports = Report.objects.bulk_create(reports, batch_size=500)
        cases = Case.objects.bulk_create(
            [
                Case(
                    report=report,
                    reference=report.reference,
                    received_on=report.received_on,
                    state=[CaseState.RECEIVED, CaseState.VERIFICATION, CaseState.DESK_REVIEW][index % 3],
                    next_due=today + timedelta(days=(index % 40) - 20),
                    assignee=handlers[index % len(handlers)] if index % 4 else None,
                    team=team if index % 5 == 0 else None,
                )
                for index, report in enumerate(reports)
            ],
            batch_size=500,
        )
        return [case.pk for case in cases]


def queries_of(client: Client, url: str) -> int:
    """Queries one request of the page makes (the least of three: the host-to-tenant map
    is reloaded now and then when another process announces a routing change)."""
    counts = []
    for _attempt in range(3):
        with CaptureQueriesContext(django_connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(len(captured.captured_queries))
    return min(counts)


def test_queue_and_case_pages_use_a_fixed_number_of_queries(sukabumi, monkeypatch):
    # The session's last-activity stamp is rewritten every half minute; keep that write out.
    monkeypatch.setattr("tenants.accounts.staff_sessions.ACTIVITY_RESOLUTION_SECONDS", 24 * 3600)
    case = new_case(files=[("foto.jpg", jpeg_with_gps())])
    supervisor = as_role("supervisor")
    supervisor.post(f"/staff/kasus/{case.reference}/catatan/", {"body": "Catatan pertama"})
    supervisor.post(f"/staff/kasus/{case.reference}/pesan/", {"body": "Pesan pertama"})
    bulk_cases(9)
    pages = {
        "queue": "/staff/kasus/?state=all",
        "queue filtered": "/staff/kasus/?assignee=unassigned&sort=-next_due",
        "overdue": "/staff/kasus/terlambat/",
        "case": f"/staff/kasus/{case.reference}/",
        "dashboard": "/staff/dasbor/",
        "workload": "/staff/beban-kerja/",
    }
    few = {name: queries_of(supervisor, url) for name, url in pages.items()}
    bulk_cases(990)
    with schema_context(TENANT):
        assert Case.objects.count() == 1000
    many = {name: queries_of(supervisor, url) for name, url in pages.items()}
    print(f"\nqueries with 10 cases: {few}\nqueries with 1000 cases: {many}")
    assert many == few
    html = supervisor.get("/staff/kasus/?state=all").content.decode()
    assert len(case_links(html)) == 50


# --- English -------------------------------------------------------------------


def test_the_staff_pages_read_in_english_after_the_switch(sukabumi):
    case = new_case()
    client = as_role("supervisor")
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/staff/"}).status_code == 302
    expected = {
        "/staff/kasus/": ["Case queue", "Next deadline", "Overdue only", "Export CSV", "Letter", "Received"],
        f"/staff/kasus/{case.reference}/": [
            "Messages with the reporter",
            "Internal notes",
            "State and deadlines",
            "Start verification",
            "Conflict of interest",
            "Confidential",
        ],
        "/staff/dasbor/": ["Dashboard", "Reports per month", "Median days to conclusion", "Per category"],
        "/staff/beban-kerja/": ["Workload", "Per handler", "Unassigned"],
        "/staff/kasus/terlambat/": ["Overdue cases", "0 overdue cases"],
        "/staff/laporan/catat/": ["Record a report from another channel", "Received via", "Save report"],
    }
    for url, texts in expected.items():
        html = client.get(url).content.decode()
        for text in texts:
            assert text in html, (url, text)
