"""Operators sign in to the console like staff: password, then the authenticator's code,
the same throttle and idle timeout; the operator API needs a verified operator too. An
operator and their authenticator are enrolled from the server's shell (`wbs operator`)."""

import io
import re
import time
from base64 import b32decode
from urllib.parse import parse_qs, urlparse

from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants.accounts import sign_in_throttle
from tenants.accounts.models import User
from tenants.accounts.staff_sessions import LAST_ACTIVITY
from tests.support.clients import authenticator_of, client_for, operator_client, totp_code, wrong_code
from tests.support.pages import form_error
from wbs.demo.seed_tenants import DEMO_OPERATOR_EMAIL, DEMO_PASSWORD


def code_from_uri(uri: str) -> str:
    """What an authenticator app that scanned this otpauth:// URI shows now."""
    secret = parse_qs(urlparse(uri).query)["secret"][0]
    key = b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, 30, 0, 6, 0):06d}"


def test_a_password_alone_opens_neither_the_console_nor_the_operator_api(db):
    authenticator_of(None, DEMO_OPERATOR_EMAIL)
    browser = client_for(None)
    password_step = browser.post("/login/", {"username": DEMO_OPERATOR_EMAIL, "password": DEMO_PASSWORD})
    assert password_step.status_code == 302 and password_step["Location"] == "/login/kode/"

    assert browser.get("/")["Location"] == "/login/kode/"
    assert browser.get("/tenants/new/")["Location"] == "/login/kode/?next=%2Ftenants%2Fnew%2F"
    assert browser.post("/tenants/sukabumi/", {"status": "suspended"}).status_code == 302
    assert browser.get("/api/v1/operator/tenants").status_code == 403
    onboarding = browser.post("/api/v1/operator/tenants", {"slug": "x"}, content_type="application/json")
    assert onboarding.status_code == 403

    refused = browser.post("/login/kode/", {"code": wrong_code(authenticator_of(None, DEMO_OPERATOR_EMAIL))})
    assert refused.status_code == 200 and "Kode salah" in refused.content.decode()
    signed_in = browser.post("/login/kode/", {"code": totp_code(authenticator_of(None, DEMO_OPERATOR_EMAIL))})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/"
    assert browser.get("/").status_code == 200
    assert browser.get("/api/v1/operator/tenants").status_code == 200


def test_operator_sign_in_is_throttled_like_staffs(db, monkeypatch):
    monkeypatch.setattr(sign_in_throttle, "now", lambda: 1_900_000_000.0)
    attacker = client_for(None)
    for _free in range(sign_in_throttle.FREE_FAILURES):
        refused = attacker.post("/login/", {"username": DEMO_OPERATOR_EMAIL, "password": "guess"})
        assert refused.status_code == 200
        assert form_error(refused.content.decode()) == "Email atau kata sandi salah."
    waiting = attacker.post("/login/", {"username": DEMO_OPERATOR_EMAIL, "password": DEMO_PASSWORD})
    assert waiting.status_code == 429 and waiting["Retry-After"] == "1"
    # The operator at another address is not slowed.
    operator_client(DEMO_OPERATOR_EMAIL, address="192.0.2.7")


def test_idle_operator_sessions_end_after_30_minutes(operator_client):
    session = operator_client.session
    session[LAST_ACTIVITY] = int(time.time()) - 31 * 60
    session.save()
    expired = operator_client.get("/")
    assert expired.status_code == 302 and expired["Location"].startswith("/login/")
    assert "30 menit tidak ada aktivitas" in operator_client.get(expired["Location"]).content.decode()
    assert operator_client.get("/api/v1/operator/tenants").status_code == 403


def test_wbs_operator_enrols_an_operator_with_a_password_and_an_authenticator_shown_once(db):
    printed = io.StringIO()
    call_command("operator", "Ops@WBS.example", "--full-name", "Operator Dua", stdout=printed)
    output = printed.getvalue()
    password = re.search(r"Password \(shown once\): (\S+)", output).group(1)
    uri = re.search(r"otpauth://totp/\S+", output).group(0)
    assert "WBS%20Operator%3Aops%40wbs.example" in uri and "█" in output  # the QR code, drawn in text

    browser = client_for(None)
    assert (
        browser.post("/login/", {"username": "ops@wbs.example", "password": password})["Location"]
        == "/login/kode/"
    )
    assert browser.post("/login/kode/", {"code": code_from_uri(uri)})["Location"] == "/"
    assert browser.get("/").status_code == 200

    # A lost phone: a new authenticator replaces the old one, which stops working at once.
    renewed = io.StringIO()
    call_command("operator", "ops@wbs.example", "--new-authenticator", stdout=renewed)
    assert "Password" not in renewed.getvalue()
    new_uri = re.search(r"otpauth://totp/\S+", renewed.getvalue()).group(0)
    assert new_uri != uri
    again = client_for(None)
    again.post("/login/", {"username": "ops@wbs.example", "password": password})
    assert again.post("/login/kode/", {"code": code_from_uri(uri)}).status_code == 200
    assert again.post("/login/kode/", {"code": code_from_uri(new_uri)})["Location"] == "/"


def test_an_operator_without_an_authenticator_is_told_how_to_get_one(db):
    call_command("operator", "bare@wbs.example", "--new-password", stdout=io.StringIO())
    TOTPDevice.objects.filter(user=User.objects.get(email="bare@wbs.example")).delete()
    printed = io.StringIO()
    call_command("operator", "bare@wbs.example", "--new-password", stdout=printed)
    password = re.search(r"Password \(shown once\): (\S+)", printed.getvalue()).group(1)
    refused = client_for(None).post("/login/", {"username": "bare@wbs.example", "password": password})
    assert refused.status_code == 200 and "wbs operator" in form_error(refused.content.decode())


def test_the_operator_sign_in_and_the_throttle_read_in_english(db, monkeypatch):
    monkeypatch.setattr(sign_in_throttle, "now", lambda: 1_900_000_000.0)
    browser = client_for(None)
    browser.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Operator sign-in" in browser.get("/login/").content.decode()
    for _free in range(sign_in_throttle.FREE_FAILURES):
        browser.post("/login/", {"username": DEMO_OPERATOR_EMAIL, "password": "guess"})
    waiting = browser.post("/login/", {"username": DEMO_OPERATOR_EMAIL, "password": "guess"})
    assert (
        form_error(waiting.content.decode())
        == "Too many failed attempts from this device. Wait 1 s, then try again."
    )
