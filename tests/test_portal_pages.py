"""The reporter's pages, used as a browser without JavaScript would."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import schema_context

from casework.models import Case
from casework.services.messages import case_message_reporter
from intake.models import Attachment, IntakeSettings, Message, Report
from tenants.accounts.models import User
from tenants.onboarding import primary_hostname
from tests.support.evidence import executable_named_jpg, jpeg_with_gps
from tests.support.pages import error_summary, paid_form

FORM = {
    "category": "korupsi",
    "what": "Pengadaan laptop digelembungkan",
    "description": "Harga laptop di kontrak dua kali harga pasar.",
    "who-0-name": "Bendahara",
    "who-0-unit": "Dinas Pendidikan",
    "where": "Palu",
    "when": "2025",
    "how_much": "150.000.000",
    "identity_mode": "anonymous",
    "relation": "employee",
}


@pytest.fixture(autouse=True)
def evidence_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def browser(slug: str = "sulteng") -> Client:
    return Client(HTTP_HOST=primary_hostname(slug))


def receipt_on(page: str) -> str:
    match = re.search(r'id="receipt"[^>]*>([2-9A-Z-]{24})<', page)
    assert match, "no receipt on the page"
    return match.group(1)


def test_reporter_pages_are_private_and_strict(sulteng):
    for path in ("/", "/lapor/", "/pantau/", "/privasi/"):
        response = browser().get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "no-referrer"
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        assert len(response.content) < 100 * 1024
        assert "<script>" not in response.content.decode()


def test_checking_completeness_without_javascript_shows_what_is_missing(sulteng):
    page = browser().post("/lapor/", {"category": "korupsi", "what": "x", "where": "Palu", "check": "1"})
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'data-element="where" class="present"', html)
    assert re.search(r'data-element="who" class=""', html)
    with schema_context("sulteng"):
        assert Report.objects.count() == 0


def test_submitting_the_form_shows_the_receipt_once(sulteng):
    reporter = browser()
    form = paid_form(
        reporter, "/lapor/", FORM | {"evidence": SimpleUploadedFile("foto.jpg", jpeg_with_gps())}
    )
    sent = reporter.post("/lapor/", form)
    # POST/redirect/GET: the receipt is fetched by a GET, and never rides in the URL.
    assert sent.status_code == 303 and sent["Location"] == "/lapor/terkirim/"
    response = reporter.get("/lapor/terkirim/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    receipt = receipt_on(html)
    assert "hanya ditampilkan sekali" in html
    with schema_context("sulteng"):
        report = Report.objects.get()
        assert report.how_much == 150_000_000
        assert report.relation == "employee"
        assert Attachment.objects.filter(report=report).count() == 1

    slip = browser().post("/lapor/tanda-terima.pdf", {"receipt": receipt})
    assert slip.status_code == 200 and slip["Content-Type"] == "application/pdf"
    assert slip.content.startswith(b"%PDF")


def test_a_refresh_or_back_and_resend_after_submitting_makes_no_second_report(sulteng):
    reporter = browser()
    form = paid_form(reporter, "/lapor/", FORM)
    first = reporter.post("/lapor/", form, follow=True)
    receipt = receipt_on(first.content.decode())

    refreshed = reporter.get("/lapor/terkirim/")  # the reporter presses refresh
    assert refreshed.status_code == 200
    assert "Laporan sudah terkirim" in refreshed.content.decode()
    assert receipt not in refreshed.content.decode()  # shown once, never again
    resent = reporter.post("/lapor/", form)  # Back, then "resubmit the form?"
    assert resent.status_code == 400
    assert receipt not in resent.content.decode()
    with schema_context("sulteng"):
        assert Report.objects.count() == 1


def test_the_form_and_its_typed_report_are_not_kept_in_the_browser(sulteng):
    page = browser().post("/lapor/", FORM | {"what": ""})
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    for field in ("field-what", "field-description", "field-identity_name", "field-identity_nik"):
        assert re.search(rf'<(input|textarea) id="{field}"[^>]*autocomplete="off"', html), field


def test_identity_typed_under_anonymous_is_refused_with_the_choice_named(sulteng):
    page = browser().post("/lapor/", FORM | {"identity-name": "Siti Rahma"})
    assert page.status_code == 400
    assert error_summary(page.content.decode()) == [
        "Identitas Anda: Laporan anonim tidak boleh berisi identitas; pilih rahasia atau terbuka."
    ]
    assert "Siti Rahma" in page.content.decode()  # kept for the reporter to choose
    with schema_context("sulteng"):
        assert Report.objects.count() == 0


def test_the_identity_fields_are_a_fieldset_the_page_can_switch_off(sulteng):
    html = browser().get("/lapor/").content.decode()
    fieldset = re.search(
        r'<fieldset class="identity-fields" id="identity-fields">(.*?)</fieldset>', html, re.S
    )
    assert fieldset and 'name="identity-name"' in fieldset.group(1)
    assert "Laporan anonim yang berisi identitas tidak dikirim" in html


def test_form_errors_are_listed_and_nothing_is_stored(sulteng):
    page = browser().post(
        "/lapor/",
        FORM
        | {
            "what": "",
            "identity_mode": "confidential",
            "identity-nik": "12",
            "evidence": SimpleUploadedFile("bukti.jpg", executable_named_jpg()),
        },
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "Laporan belum terkirim" in html
    assert 'href="#field-what"' in html and 'href="#field-identity_name"' in html
    assert 'id="field-what"' in html and 'id="field-identity_name"' in html
    # One language, each message naming its field.
    summary = error_summary(html)
    assert "Judul laporan: Wajib diisi." in summary
    assert "NIK: NIK terdiri dari 16 angka." in summary
    assert not any(" / " in message for message in summary)
    # Each field points at its message; focus goes to the summary.
    assert re.search(r'id="field-what"[^>]*aria-invalid="true" aria-describedby="error-what"', html)
    assert '<p class="error" id="error-what">Wajib diisi.</p>' in html
    assert re.search(r'class="error-summary"[^>]*tabindex="-1"[^>]*autofocus', html)
    # The photo cannot be kept by the browser: the page says to choose it again.
    assert "pilih lagi berkasnya" in html
    # What the reporter typed is still there.
    assert "Harga laptop di kontrak" in html
    with schema_context("sulteng"):
        assert Report.objects.count() == 0


def test_errors_read_in_english_on_the_english_page(sulteng):
    english = browser()
    english.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = english.post("/lapor/", FORM | {"what": ""}).content.decode()
    summary = error_summary(html)
    assert "Report title: Required." in summary
    assert "Wajib" not in " ".join(summary)


def test_the_limits_for_evidence_are_stated_before_upload(sulteng):
    with schema_context("sulteng"):
        IntakeSettings.objects.update_or_create(pk=1, defaults={"max_file_bytes": 7 * 1024 * 1024})
    html = browser().get("/lapor/").content.decode()
    limits = re.search(r'<p class="help" id="evidence-limits">(.*?)</p>', html, re.S)
    assert limits and "7 MB" in limits.group(1) and "pdf" in limits.group(1) and "jpg" in limits.group(1)
    assert 'aria-describedby="evidence-limits"' in html


def test_enter_in_a_text_field_sends_the_report_not_the_completeness_check(sulteng):
    html = browser().get("/lapor/").content.decode()
    form = html[html.index('<form method="post" enctype="multipart/form-data"') :]
    # Enter presses the form's first submit button (HTML's implicit submission).
    first_button = re.search(r'<button[^>]*type="submit"[^>]*>([^<]*)<', form)
    assert first_button and 'name="check"' not in first_button.group(0)
    assert first_button.group(1).strip() == "Kirim laporan"


def test_the_honeypot_turns_bots_away(sulteng):
    page = browser().post("/lapor/", FORM | {"website": "http://spam.example"})
    assert page.status_code == 400
    with schema_context("sulteng"):
        assert Report.objects.count() == 0


def test_follow_up_mailbox_reply_and_logout(sulteng):
    reporter = browser()
    receipt = receipt_on(
        reporter.post("/lapor/", paid_form(reporter, "/lapor/", FORM), follow=True).content.decode()
    )
    with schema_context("sulteng"):
        case_message_reporter(
            case=Case.objects.get(report=Report.objects.get()),
            actor=User.objects.get(email="verifikator@sulteng.example"),
            body="Apakah Anda punya salinan kontraknya?",
        )

    wrong = reporter.post("/pantau/", {"receipt": "2222-3333-4444-5555-6666"})
    assert wrong.status_code == 400 and "tidak dikenal" in wrong.content.decode()

    login = reporter.post("/pantau/", {"receipt": receipt})
    assert login.status_code == 302 and login["Location"] == "/pantau/kotak/"
    cookie = login.cookies["wbs_mailbox"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and not cookie["domain"]

    mailbox = reporter.get("/pantau/kotak/")
    html = mailbox.content.decode()
    assert "Apakah Anda punya salinan kontraknya?" in html
    assert "sudah kami terima" in html
    assert receipt not in html

    assert reporter.post("/pantau/kotak/", {"body": ""}).status_code == 400
    sent = reporter.post(
        "/pantau/kotak/",
        {"body": "Ada, saya lampirkan.", "evidence": SimpleUploadedFile("kontrak.jpg", jpeg_with_gps())},
    )
    assert sent.status_code == 302
    assert "Ada, saya lampirkan." in reporter.get("/pantau/kotak/").content.decode()
    with schema_context("sulteng"):
        assert Message.objects.filter(author="reporter").count() == 1

    assert reporter.post("/pantau/keluar/").status_code == 302
    assert reporter.get("/pantau/kotak/").status_code == 401


def test_a_receipt_from_another_tenant_does_not_open_this_mailbox(sulteng, sukabumi):
    reporter = browser("sukabumi")
    sent = paid_form(reporter, "/lapor/", FORM | {"category": "pungli"})
    receipt = receipt_on(reporter.post("/lapor/", sent, follow=True).content.decode())
    refused = browser("sulteng").post("/pantau/", {"receipt": receipt})
    assert refused.status_code == 400
