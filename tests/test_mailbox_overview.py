"""The reporter's mailbox tells where things stand: the reference, the day it was
received, the current step and by when the next one is due, a copy of what was
reported, and the workflow's notices in the language the reporter reads in."""

import html
import re

import pytest
from django.test import Client
from django.utils import formats, translation
from django_tenants.utils import schema_context

from casework.models import Case
from casework.services.messages import case_message_reporter
from casework.services.settings import reporter_notice_save
from casework.services.transitions import case_transition
from intake.models import Message, Report
from tenants.accounts.models import User
from tenants.onboarding import primary_hostname
from tests.support.intake_api import FULL_REPORT, api, submit
from tests.support.pages import paid_form

FORM = {
    "category": "pungli",
    "what": "Pungutan pada pembuatan KTP",
    "description": "Petugas meminta Rp 100.000 agar KTP selesai hari itu.",
    "who-0-name": "Petugas loket 2",
    "who-0-unit": "Disdukcapil",
    "where": "Kantor Disdukcapil Palu",
    "when": "Maret 2026",
    "identity_mode": "anonymous",
    "relation": "public",
}


@pytest.fixture(autouse=True)
def evidence_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def reporter_in(language: str) -> Client:
    client = Client(HTTP_HOST=primary_hostname("sulteng"))
    assert client.post("/i18n/setlang/", {"language": language, "next": "/"}).status_code == 302
    return client


def sent_and_opened(reporter: Client) -> None:
    """Send the form, then open the mailbox with the receipt the page showed."""
    page = reporter.post("/lapor/", paid_form(reporter, "/lapor/", FORM), follow=True).content.decode()
    match = re.search(r'id="receipt"[^>]*>([2-9A-Z-]{24})<', page)
    assert match, "no receipt on the page"
    assert reporter.post("/pantau/", {"receipt": match.group(1)}).status_code == 302


def text_of(response) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def spoken_date(day, language: str) -> str:
    """A day as a reader of ``language`` reads it ("3 Maret 2026", "3 March 2026")."""
    with translation.override(language):
        return formats.date_format(day, "j F Y")


def officer(slug: str = "sulteng") -> User:
    return User.objects.get(email=f"verifikator@{slug}.example")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("id", ("Nomor laporan", "Tanggal diterima", "Langkah berikutnya", "paling lambat")),
        ("en", ("Report reference", "Date received", "Next step", "at the latest")),
    ],
)
def test_the_mailbox_shows_reference_day_next_step_and_a_copy_of_the_report(sulteng, language, words):
    reporter = reporter_in(language)
    sent_and_opened(reporter)
    with schema_context("sulteng"):
        report = Report.objects.get()
        case = Case.objects.get(report=report)
    assert re.fullmatch(r"WBS-2026-[0-9A-Z]{5}", report.reference)

    page = reporter.get("/pantau/kotak/")
    text = text_of(page)
    reference, received, next_step, by_when = words
    assert f"{reference} {report.reference}" in text
    assert f"{received} {spoken_date(report.received_on, language)}" in text
    assert next_step in text and by_when in text
    assert spoken_date(case.next_due, language) in text
    # The day only, never the hour the report was sent.
    assert not re.search(r"\b\d{1,2}[:.]\d{2}\b", text)

    copy = re.search(r"<details[^>]*>(.*?)</details>", page.content.decode(), flags=re.S)
    assert copy, "no collapsible copy of the report"
    for typed in (
        "Pungutan pada pembuatan KTP",
        "agar KTP selesai hari itu",
        "Petugas loket 2",
        "Maret 2026",
    ):
        assert typed in copy.group(1)


def test_while_waiting_on_the_reporter_the_page_says_the_clock_is_paused(sulteng):
    reporter = reporter_in("en")
    sent_and_opened(reporter)
    with schema_context("sulteng"):
        case = Case.objects.get()
        case_transition(case=case, actor=officer(), transition="start_verification")
        case_transition(
            case=Case.objects.get(),
            actor=officer(),
            transition="request_clarification",
            message="Kapan tepatnya?",
        )
    text = text_of(reporter.get("/pantau/kotak/"))
    assert "paused until you reply" in text and "Next step" not in text


def test_workflow_notices_read_in_the_reporters_language_written_messages_as_written(sulteng):
    reporter = reporter_in("en")
    sent_and_opened(reporter)
    with schema_context("sulteng"):
        admin = User.objects.get(email="admin@sulteng.example")
        reporter_notice_save(
            actor=admin,
            transition="start_verification",
            body_id="Laporan Anda mulai diverifikasi oleh Inspektorat Sulteng.",
            body_en="The Sulteng inspectorate has started to verify your report.",
        )
        case_transition(case=Case.objects.get(), actor=officer(), transition="start_verification")
        case_message_reporter(case=Case.objects.get(), actor=officer(), body="Mohon kirim kontraknya.")

    english = text_of(reporter.get("/pantau/kotak/"))
    assert "The Sulteng inspectorate has started to verify your report." in english
    assert "mulai diverifikasi" not in english
    assert "Mohon kirim kontraknya." in english  # a person's words are never rewritten

    reporter.post("/i18n/setlang/", {"language": "id", "next": "/"})
    indonesian = text_of(reporter.get("/pantau/kotak/"))
    assert "Laporan Anda mulai diverifikasi oleh Inspektorat Sulteng." in indonesian
    assert "Sulteng inspectorate has started" not in indonesian


def test_a_notice_whose_wording_is_unknown_shows_as_it_was_stored(sulteng):
    reporter = reporter_in("en")
    sent_and_opened(reporter)
    with schema_context("sulteng"):
        case_transition(case=Case.objects.get(), actor=officer(), transition="start_verification")
        Message.objects.update(notice="a_step_since_removed")
    text = text_of(reporter.get("/pantau/kotak/"))
    assert "Laporan Anda sedang diperiksa kelengkapannya oleh petugas." in text


def test_the_api_serves_the_same_overview_and_notices_in_the_readers_language(sukabumi):
    client = api("sukabumi")
    receipt = submit(client, FULL_REPORT).json()["receipt"]
    with schema_context("sukabumi"):
        case = Case.objects.get()
        report = Report.objects.get()
        case_transition(case=case, actor=officer("sukabumi"), transition="start_verification")
        next_due = Case.objects.get().next_due
    session = client.post("/api/v1/intake/session", {"receipt": receipt}, content_type="application/json")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {session.json()['token']}"}

    overview = client.get("/api/v1/intake/report", **auth).json()
    assert overview["reference"] == report.reference
    assert overview["received_on"] == report.received_on.isoformat()
    assert overview["next_step"] == "verification"
    assert overview["next_step_due"] == next_due.isoformat()
    assert overview["reported"]["description"] == FULL_REPORT["description"]
    assert overview["reported"]["who"][0]["name"] == "Ahmad"
    assert overview["how_much"] == 500000

    english = client.get("/api/v1/intake/messages?lang=en", **auth).json()
    assert english[0]["notice"] == "start_verification"
    assert english[0]["body"] == "An officer is now checking your report for completeness."
    indonesian = client.get("/api/v1/intake/messages?lang=id", **auth).json()
    assert indonesian[0]["body"] == "Laporan Anda sedang diperiksa kelengkapannya oleh petugas."
