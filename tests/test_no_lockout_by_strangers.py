"""Strangers cannot lock reporters out (issue 10, finding 4): a flood of wrong receipts
never stops a right receipt, a flood of junk reports never stops a real one. Each report
costs its sender a proof of work instead (or, without JavaScript, a short wait)."""

import base64
import json

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from intake import proof_of_work
from intake.models import IntakeSettings, Report
from tenants.onboarding import primary_hostname
from tests.support.intake_api import FULL_REPORT, api, solved_proof, submit
from tests.support.pages import form_token_on, paid_form

WRONG_RECEIPT = "2222-3333-4444-5555-6666"
FORM = {
    "category": "pungli",
    "what": "Pungutan di loket perizinan",
    "description": "Petugas meminta uang tambahan agar izin cepat selesai.",
    "identity_mode": "anonymous",
    "relation": "public",
}


@pytest.fixture(autouse=True)
def evidence_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def flood_threshold_of_five(sukabumi):
    with schema_context("sukabumi"):
        IntakeSettings.objects.update_or_create(pk=1, defaults={"receipt_failures_per_10_minutes": 5})


def portal(slug: str = "sukabumi") -> Client:
    return Client(HTTP_HOST=primary_hostname(slug))


def session_post(client: Client, body: dict):
    return client.post("/api/v1/intake/session", body, content_type="application/json")


def reports_in(slug: str) -> int:
    with schema_context(slug):
        return Report.objects.count()


def flood_with_wrong_receipts(count: int) -> list[int]:
    """A script guessing receipts through the API and the page, paying nothing."""
    guesser = portal()
    return [
        session_post(guesser, {"receipt": WRONG_RECEIPT}).status_code
        if attempt % 2
        else guesser.post("/pantau/", {"receipt": WRONG_RECEIPT}).status_code
        for attempt in range(count)
    ]


# --- Receipts ------------------------------------------------------------------------


def test_after_a_flood_of_wrong_receipts_a_right_receipt_still_opens_its_mailbox(flood_threshold_of_five):
    receipt = submit(api("sukabumi"), FULL_REPORT).json()["receipt"]
    answers = flood_with_wrong_receipts(20)
    assert 429 not in answers and set(answers) == {400}

    # The reporter on the page: the form carries its proof (here the no-JavaScript token).
    reporter = portal()
    login = reporter.post("/pantau/", paid_form(reporter, "/pantau/", {"receipt": receipt}))
    assert login.status_code == 302 and login["Location"] == "/pantau/kotak/"
    assert "Pungutan liar" in reporter.get("/pantau/kotak/").content.decode()

    # The reporter's app: a solved challenge with the receipt.
    app = api("sukabumi")
    opened = session_post(app, {"receipt": receipt, "proof": solved_proof(app)})
    assert opened.status_code == 200
    mailbox = app.get("/api/v1/intake/report", HTTP_AUTHORIZATION=f"Bearer {opened.json()['token']}")
    assert mailbox.status_code == 200 and mailbox.json()["what"] == FULL_REPORT["what"]


def test_during_a_flood_each_guess_costs_its_sender_a_proof_of_work(flood_threshold_of_five):
    receipt = submit(api("sukabumi"), FULL_REPORT).json()["receipt"]
    flood_with_wrong_receipts(6)
    client = api("sukabumi")
    unpaid = session_post(client, {"receipt": WRONG_RECEIPT})
    assert unpaid.status_code == 400 and "proof" in unpaid.json()["errors"]
    # Even a right receipt is looked up only once paid for: a guess without work costs us no lookup.
    assert "proof" in session_post(client, {"receipt": receipt}).json()["errors"]
    paid_guess = session_post(client, {"receipt": WRONG_RECEIPT, "proof": solved_proof(client)})
    assert paid_guess.status_code == 400 and "receipt" in paid_guess.json()["errors"]
    page = portal().post("/pantau/", {"receipt": WRONG_RECEIPT})
    assert page.status_code == 400 and "Bukti kerja" in page.content.decode()


def test_without_a_flood_a_receipt_needs_no_proof(sukabumi):
    receipt = submit(api("sukabumi"), FULL_REPORT).json()["receipt"]
    assert session_post(api("sukabumi"), {"receipt": receipt}).status_code == 200


# --- Submissions ---------------------------------------------------------------------


def test_a_flood_of_junk_reports_never_stops_a_real_reporter(sukabumi):
    """More junk than the old tenant-wide cap (100 per ten minutes), each paid for."""
    junk = api("sukabumi")
    answers = {
        submit(junk, {"category": "pungli", "what": f"spam {n}", "description": "spam"}).status_code
        for n in range(101)
    }
    assert answers == {201}
    real = submit(api("sukabumi"), FULL_REPORT)
    assert real.status_code == 201 and real.json()["receipt"]
    reporter = portal()
    page = reporter.post("/lapor/", paid_form(reporter, "/lapor/", FORM), follow=True)
    assert page.redirect_chain[0][1] == 303 and 'id="receipt"' in page.content.decode()


def expired_solution(client: Client, monkeypatch) -> str:
    monkeypatch.setattr(proof_of_work, "CHALLENGE_LIFETIME_SECONDS", -60)
    try:
        return solved_proof(client)
    finally:
        monkeypatch.undo()


def tampered(solution: str) -> str:
    fields = json.loads(base64.b64decode(solution))
    fields["number"] += 1
    return base64.b64encode(json.dumps(fields).encode()).decode()


@pytest.mark.parametrize("problem", ["missing", "garbage", "wrong number", "expired", "other tenant"])
def test_a_report_without_a_valid_proof_is_refused_and_nothing_stored(
    sukabumi, sulteng, monkeypatch, problem
):
    client = api("sukabumi")
    proofs = {
        "missing": lambda: None,
        "garbage": lambda: "not-a-proof",
        "wrong number": lambda: tampered(solved_proof(client)),
        "expired": lambda: expired_solution(client, monkeypatch),
        "other tenant": lambda: solved_proof(api("sulteng")),
    }
    proof = proofs[problem]()
    body = FULL_REPORT if proof is None else FULL_REPORT | {"proof": proof}
    response = client.post("/api/v1/intake/reports", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert "proof" in response.json()["errors"]
    assert reports_in("sukabumi") == 0


def test_a_proof_buys_one_report(sukabumi):
    client = api("sukabumi")
    proof = solved_proof(client)
    assert submit(client, FULL_REPORT | {"proof": proof}).status_code == 201
    again = submit(client, FULL_REPORT | {"proof": proof})
    assert again.status_code == 400 and "sudah dipakai" in again.json()["errors"]["proof"]
    assert reports_in("sukabumi") == 1


def test_the_page_without_javascript_states_its_wait_and_keeps_to_it(sukabumi, settings):
    settings.WBS_FORM_TOKEN_WAIT_SECONDS = 30
    reporter = portal()
    form = reporter.get("/lapor/").content.decode()
    assert "30 detik setelah halaman dibuka" in form
    english = portal()
    english.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "30 seconds after the page was opened" in english.get("/lapor/").content.decode()

    too_soon = reporter.post("/lapor/", FORM | {"form_token": form_token_on(form)})
    assert too_soon.status_code == 400 and "terlalu cepat" in too_soon.content.decode()
    assert reports_in("sukabumi") == 0


@pytest.mark.parametrize("problem", ["missing", "forged", "reused", "expired"])
def test_a_page_without_a_valid_form_token_stores_nothing(sukabumi, monkeypatch, problem):
    reporter = portal()
    if problem == "reused":
        sent = paid_form(reporter, "/lapor/", FORM)
        assert reporter.post("/lapor/", sent).status_code == 303
        before = reports_in("sukabumi")
    else:
        before = 0
        token = {"missing": "", "forged": "eyJub25jZSI6IngifQ:1abc:forged", "expired": "later"}[problem]
        sent = FORM | {"form_token": token}
        if problem == "expired":
            sent = paid_form(reporter, "/lapor/", FORM)
            monkeypatch.setattr(proof_of_work, "CHALLENGE_LIFETIME_SECONDS", -60)
    refused = reporter.post("/lapor/", sent)
    assert refused.status_code == 400
    assert 'id="field-proof"' in refused.content.decode()
    assert reports_in("sukabumi") == before
