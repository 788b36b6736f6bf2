"""A reporter on a phone, in a real Chromium: report with a photo, keep the receipt,
come back, read the inspectorate's question, answer it."""

from pathlib import Path

import pytest
from django_tenants.utils import schema_context

from casework.models import Case
from casework.services.messages import case_message_reporter
from intake.models import Attachment, Message, Report
from tenants.accounts.models import User
from tests.support.evidence import jpeg_with_gps
from tests.support.live_server import chromium_browser, gunicorn_server

SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def portal_server(django_db_setup, django_db_blocker, tmp_path):
    with django_db_blocker.unblock(), gunicorn_server(tmp_path, tmp_path / "media") as server:
        yield server
        with schema_context("sukabumi"):
            Report.objects.all().delete()


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"reporter-{name}.png"), full_page=True)


def test_a_reporter_on_a_phone_reports_returns_and_answers(portal_server, django_db_blocker, tmp_path):
    photo = tmp_path / "IMG_20260301.jpg"
    photo.write_bytes(jpeg_with_gps())
    with chromium_browser() as browser:
        phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
        page = phone.new_page()

        page.goto(portal_server.url("sukabumi"))
        assert "Inspektorat Daerah Kota Sukabumi" in page.content()
        shot(page, "1-home")
        page.get_by_role("link", name="Buat laporan").click()
        page.select_option("#field-category", "pungli")
        page.fill("#field-what", "Pungutan di loket perizinan")
        page.fill("#field-description", "Petugas loket meminta uang tambahan agar izin cepat selesai.")
        page.fill("#who-0-name", "Petugas loket 3")
        page.fill("#field-where", "Mal Pelayanan Publik Kota Sukabumi")
        # The completeness indicator follows what is typed (JavaScript progressive enhancement).
        assert "present" in page.get_attribute('#completeness li[data-element="where"]', "class")
        assert "present" not in (
            page.get_attribute('#completeness li[data-element="how_much"]', "class") or ""
        )
        # Under "Anonim" the identity fields are hidden and switched off; they appear for the others.
        assert not page.is_visible("#field-identity_name")
        page.check('input[name="identity_mode"][value="confidential"]')
        assert page.is_visible("#field-identity_name")
        page.check('input[name="identity_mode"][value="anonymous"]')
        assert not page.is_visible("#field-identity_name")
        page.set_input_files("#field-evidence", str(photo))
        # The form's proof of work is solved in the page while the reporter writes.
        page.wait_for_selector("#report-form[data-solved-ms]", state="attached")
        assert page.input_value('#report-form input[name="proof"]')
        shot(page, "2-form")
        page.press("#field-where", "Enter")  # Enter sends the report (not the completeness check)

        receipt = page.inner_text("#receipt").strip()
        assert len(receipt) == 24
        assert "hanya ditampilkan sekali" in page.content()
        assert receipt not in page.url
        shot(page, "3-receipt")
        page.reload()  # a refresh neither sends the report again nor shows the receipt again
        assert "Laporan sudah terkirim" in page.content() and receipt not in page.content()
        phone.close()

        with django_db_blocker.unblock(), schema_context("sukabumi"):
            report = Report.objects.get()  # one report, refresh or not
            assert Attachment.objects.filter(report=report).count() == 1
            case_message_reporter(
                case=Case.objects.get(report=report),
                actor=User.objects.get(email="verifikator@sukabumi.example"),
                body="Terima kasih. Kapan tepatnya kejadian itu? Mohon sebutkan tanggalnya.",
            )

        # Weeks later, on the same phone, with nothing but the receipt.
        later = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
        page = later.new_page()
        page.goto(portal_server.url("sukabumi", "/pantau/"))
        page.fill("#receipt", receipt.lower())
        shot(page, "4-follow-up")
        page.get_by_role("button", name="Masuk").click()
        assert "Kapan tepatnya kejadian itu?" in page.content()
        assert receipt not in page.url
        shot(page, "5-mailbox")
        page.fill("#body", "Kejadiannya tanggal 3 Maret 2026 sekitar pukul 10 pagi.")
        page.get_by_role("button", name="Kirim").click()
        assert "tanggal 3 Maret 2026" in page.content()
        shot(page, "6-answered")
        page.get_by_role("button", name="Keluar").click()
        assert page.url.rstrip("/").endswith(f":{portal_server.port}")
        later.close()

    with django_db_blocker.unblock(), schema_context("sukabumi"):
        assert Message.objects.filter(author="reporter").count() == 1
    assert "GET /" not in portal_server.log.read_text()  # no access log lines
