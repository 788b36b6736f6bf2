"""A report's whole life in a real Chromium against a real server: a reporter on a
phone reports and keeps the receipt; an intake officer at a desk (password and
authenticator code) verifies it and asks a question; the reporter answers; an
investigator concludes; the reporter reads the outcome. Every page is saved
as a screenshot in artifacts/screenshots/."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import cast

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import Browser, ViewportSize

from casework.models import Case, CaseState
from intake.models import Report
from tenants.accounts.models import User
from tenants.audit.models import AuditEntry
from tenants.clock import tenant_today
from tenants.models import Tenant
from tests.support.casework import LetterCaseFactory
from tests.support.clients import authenticator_of, totp_code
from tests.support.evidence import jpeg_with_gps
from tests.support.live_server import chromium_browser, gunicorn_server
from wbs.demo.seed_tenants import DEMO_PASSWORD

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
PHONE = ViewportSize(width=390, height=844)
DESKTOP = ViewportSize(width=1440, height=900)
TABLET = ViewportSize(width=820, height=1180)
TENANT = "sukabumi"
QUESTION = "Pada tanggal berapa kejadian di loket itu? Apakah ada saksi lain?"
ANSWER = "Tanggal 3 Maret 2026 sekitar pukul 10; ada dua warga lain yang antre."
SUMMARY = "Terbukti. Petugas loket dijatuhi hukuman disiplin dan uang dikembalikan."


@pytest.fixture
def casework_server(django_db_setup, django_db_blocker, tmp_path):
    """gunicorn on a free loopback port, serving the pytest database; the reports the
    flow creates are removed afterwards (audit entries are append-only and stay)."""
    with django_db_blocker.unblock(), gunicorn_server(tmp_path, tmp_path / "media") as server:
        with schema_context(TENANT):
            before = set(Report.objects.values_list("pk", flat=True))
        try:
            yield server
        finally:
            with schema_context(TENANT):
                Report.objects.exclude(pk__in=before).delete()


def shot(page, name: str) -> None:
    page.wait_for_load_state()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"staff-{name}.png"), full_page=True)


def sign_in(page, server, django_db_blocker, email: str) -> None:
    """Password, then the code the person's authenticator app shows."""
    with django_db_blocker.unblock():
        device = authenticator_of(Tenant.objects.get(schema_name=TENANT), email)
        code = totp_code(device)
    page.goto(server.url(TENANT, "/staff/login/"))
    page.fill("#id_username", email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/staff/login/kode/**")
    page.fill("#id_code", code)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/staff/")


def open_case(page, reference: str) -> None:
    page.get_by_role("navigation", name="Menu petugas").get_by_role("link", name="Antrian kasus").click()
    page.get_by_role("link", name=reference).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith(reference)


def no_horizontal_scroll(page) -> bool:
    page.wait_for_load_state()
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_report_from_phone_to_outcome(casework_server, django_db_blocker, tmp_path):
    photo = tmp_path / "IMG_20260303.jpg"
    photo.write_bytes(jpeg_with_gps())
    with chromium_browser() as opened:
        browser = cast(Browser, opened)
        # 1. A reporter on a phone.
        phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
        page = phone.new_page()
        page.goto(casework_server.url(TENANT, "/lapor/"))
        page.select_option("#field-category", "pungli")
        page.fill("#field-what", "Pungutan di loket perizinan")
        page.fill(
            "#field-description", "Petugas loket meminta uang Rp 200.000 agar izin usaha cepat selesai."
        )
        page.fill("#who-0-name", "Petugas loket 3")
        page.fill("#who-0-unit", "DPMPTSP")
        page.fill("#field-where", "Mal Pelayanan Publik Kota Sukabumi")
        page.set_input_files("#field-evidence", str(photo))
        shot(page, "01-reporter-form")
        page.get_by_role("button", name="Kirim laporan").click()
        receipt = page.inner_text("#receipt").strip()
        assert len(receipt) == 24
        shot(page, "02-reporter-receipt")
        phone.close()
        with django_db_blocker.unblock(), schema_context(TENANT):
            report = Report.objects.order_by("-pk").first()
            assert report is not None
            reference = report.reference

        # 2. The intake officer at a desk: verify, then ask the reporter a question.
        desk = browser.new_context(viewport=DESKTOP)
        page = desk.new_page()
        sign_in(page, casework_server, django_db_blocker, "verifikator@sukabumi.example")
        shot(page, "03-officer-home")
        page.get_by_role("link", name="Antrian kasus").first.click()
        assert reference in page.content()
        assert no_horizontal_scroll(page)
        shot(page, "04-officer-queue")
        page.get_by_role("link", name=reference).click()
        assert "Pungutan di loket perizinan" in page.content()
        assert "IMG_20260303.jpg" in page.content()
        shot(page, "05-officer-case")
        page.get_by_role("button", name="Mulai verifikasi").click()
        assert "Status kasus diperbarui." in page.content()
        page.locator("summary", has_text="Minta klarifikasi pelapor").click()
        page.fill("#message-request_clarification", QUESTION)
        shot(page, "06-officer-asks")
        page.get_by_role("button", name="Minta klarifikasi pelapor").click()
        assert "Menunggu klarifikasi pelapor" in page.inner_text("h1")
        shot(page, "07-officer-asked")
        # The investigator gets the case (need-to-know: they see only the cases given to them).
        with django_db_blocker.unblock(), schema_context(TENANT):
            investigator_id = str(User.objects.get(email="pemeriksa@sukabumi.example").pk)
        page.select_option("#assign-person", investigator_id)
        page.locator("#assign").get_by_role("button").click()
        assert "Penugasan tersimpan." in page.content()
        for name, link in (
            ("08-officer-overdue", "Terlambat"),
            ("09-officer-workload", "Beban kerja"),
            ("10-officer-dashboard", "Dasbor"),
            ("11-officer-record", "Catat laporan"),
        ):
            page.get_by_role("navigation", name="Menu petugas").get_by_role("link", name=link).click()
            assert no_horizontal_scroll(page), name
            shot(page, name)
        assert page.locator("svg.bar-chart").count() == 0  # the record form has no charts
        desk.close()

        # 3. The reporter reads the question and answers.
        phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
        page = phone.new_page()
        page.goto(casework_server.url(TENANT, "/pantau/"))
        page.fill("#receipt", receipt)
        page.get_by_role("button", name="Masuk").click()
        assert QUESTION in page.content()
        page.fill("#body", ANSWER)
        page.get_by_role("button", name="Kirim").click()
        assert ANSWER in page.content()
        shot(page, "12-reporter-answers")
        phone.close()

        # 4. The investigator resumes the case and concludes it; a tablet works as well.
        tablet = browser.new_context(viewport=TABLET, device_scale_factor=1, has_touch=True)
        page = tablet.new_page()
        sign_in(page, casework_server, django_db_blocker, "pemeriksa@sukabumi.example")
        open_case(page, reference)
        assert ANSWER in page.content()
        assert no_horizontal_scroll(page)
        shot(page, "13-investigator-case-tablet")
        with page.expect_download() as evidence:
            page.get_by_role("link", name="IMG_20260303.jpg").click()
        assert evidence.value.suggested_filename == "IMG_20260303.jpg"
        assert Path(evidence.value.path()).read_bytes()[:2] == b"\xff\xd8"
        page.get_by_role("button", name="Lanjutkan (klarifikasi diterima)").click()
        page.locator("summary", has_text="Simpulkan hasil").click()
        page.select_option("#outcome-conclude", "substantiated")
        page.fill("#summary-conclude", SUMMARY)
        shot(page, "14-investigator-concludes")
        page.get_by_role("button", name="Simpulkan hasil").click()
        assert "Selesai ditangani" in page.inner_text("h1")
        shot(page, "15-investigator-concluded")
        with page.expect_download() as summary_pdf:
            page.get_by_role("link", name="Ringkasan PDF").click()
        assert Path(summary_pdf.value.path()).read_bytes()[:5] == b"%PDF-"
        tablet.close()

        # 5. The reporter reads the outcome.
        phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
        page = phone.new_page()
        page.goto(casework_server.url(TENANT, "/pantau/"))
        page.fill("#receipt", receipt)
        page.get_by_role("button", name="Masuk").click()
        assert "Terbukti" in page.content() and SUMMARY in page.content()
        shot(page, "16-reporter-outcome")
        phone.close()

    with django_db_blocker.unblock(), schema_context(TENANT):
        case = Case.objects.get(report__pk=report.pk)
        assert case.state == CaseState.CONCLUDED and case.outcome == "substantiated"
        actions = set(AuditEntry.objects.filter(case_id=case.pk).values_list("action", flat=True))
        assert {"evidence_download", "export_pdf", "transition:conclude"} <= actions


def test_the_case_list_keeps_its_key_columns_in_view_on_a_tablet(casework_server, django_db_blocker):
    """At 768 px the reference, subject, status, next deadline and handler stay on screen
    without scrolling sideways; the search finds a case by a word of its subject."""
    with django_db_blocker.unblock(), schema_context(TENANT):
        case = LetterCaseFactory(what="Pungutan liar pada pengurusan izin mendirikan bangunan di kecamatan")
        # The longest status label, next to the supervisor's junk column: still no sideways scroll.
        Case.objects.filter(pk=case.pk).update(
            next_due=tenant_today() + timedelta(days=3),
            state=CaseState.CLARIFICATION,
            state_before_pause=CaseState.VERIFICATION,
        )
    with chromium_browser() as browser:
        tablet = browser.new_context(viewport=ViewportSize(width=768, height=1024), has_touch=True)
        page = tablet.new_page()
        sign_in(page, casework_server, django_db_blocker, "inspektur@sukabumi.example")
        assert page.get_by_role("heading", name="Jatuh tempo minggu ini").is_visible()
        page.get_by_role("navigation", name="Menu petugas").get_by_role("link", name="Antrian kasus").click()
        page.fill("#f-q", "izin mendirikan")
        page.get_by_role("button", name="Terapkan").click()
        assert page.get_by_role("link", name=case.reference).is_visible()
        assert no_horizontal_scroll(page)
        assert page.evaluate(
            "[...document.querySelectorAll('.table-scroll')].every(box => box.scrollWidth <= box.clientWidth + 1)"
        ), "the case table fits without its own sideways scroll"
        for column in ("Nomor", "Perihal", "Status", "Batas berikutnya", "Petugas"):
            header = page.get_by_role("columnheader", name=column, exact=True)
            assert header.is_visible(), column
            box = header.bounding_box()
            assert box is not None and box["x"] + box["width"] <= 768, column
        assert not page.get_by_role("columnheader", name="Saluran").is_visible()
        shot(page, "17-case-list-tablet")
        tablet.close()
