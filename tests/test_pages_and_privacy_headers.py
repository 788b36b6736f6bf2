"""Portal basics every page relies on: language choice, CSRF without referrers."""

import re

from django.test import Client

from tenants.onboarding import primary_hostname


def test_portal_opens_in_the_tenants_language_whatever_the_phone_says(sukabumi):
    browser = Client(HTTP_HOST=primary_hostname("sukabumi"))
    page = browser.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "id"
    assert "Identitas pelapor dan pihak terlapor dirahasiakan" in page.content.decode()

    browser.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = browser.get("/")
    assert english["Content-Language"] == "en"
    assert "The closed channel of the Sukabumi City Inspectorate" in english.content.decode()


def csrf_token_of(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match
    return match.group(1)


def test_forms_work_when_the_browser_sends_origin_null_for_our_own_pages(sulteng):
    # Referrer-Policy: no-referrer makes browsers send "Origin: null" on our own form posts.
    browser = Client(HTTP_HOST=primary_hostname("sulteng"), enforce_csrf_checks=True)
    login_page = browser.get("/staff/login/")
    assert login_page["Referrer-Policy"] == "no-referrer"
    token = csrf_token_of(login_page.content.decode())
    credentials = {
        "csrfmiddlewaretoken": token,
        "username": "admin@sulteng.example",
        "password": "wbs-demo-2026",
    }

    cross_site = browser.post(
        "/staff/login/", credentials, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert cross_site.status_code == 403

    no_token = browser.post(
        "/staff/login/",
        {**credentials, "csrfmiddlewaretoken": "x" * 64},
        HTTP_ORIGIN="null",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert no_token.status_code == 403

    same_origin = browser.post(
        "/staff/login/", credentials, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin"
    )
    # The password is right: on to the second step (this administrator has no authenticator yet).
    assert same_origin.status_code == 302 and same_origin["Location"] == "/staff/login/autentikator/"


def test_health_check_answers_on_every_host(sulteng):
    assert Client(HTTP_HOST="localhost").get("/healthz").content == b"ok"
    assert Client(HTTP_HOST=primary_hostname("sulteng")).get("/healthz").content == b"ok"


def test_report_form_choices_read_in_english_too(sukabumi):
    browser = Client(HTTP_HOST=primary_hostname("sukabumi"))
    browser.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = browser.get("/lapor/").content.decode()
    for english in (
        "Member of the public",
        "Anonymous",
        "Add another reported person",
        "If this report is forwarded",
    ):
        assert english in page
    assert "Masyarakat" not in page
