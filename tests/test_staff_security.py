"""Staff sign-in is serious: password then TOTP code, idle timeout, and staff accounts
that only administrators create, by email (throttling: test_sign_in_throttle.py)."""

import html
import re
import time

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from tenants.accounts.authenticator import base32_secret, otpauth_url, qr_svg
from tenants.accounts.models import Invitation, User
from tenants.accounts.staff_sessions import LAST_ACTIVITY, SIGNED_IN_AT
from tests.support.clients import authenticator_of, client_for, staff_client, totp_code, wrong_code
from tests.support.pages import form_error

ADMIN = "admin@sukabumi.example"
OFFICER = "verifikator@sukabumi.example"
PASSWORD = "wbs-demo-2026"
GENERIC_REFUSAL = "Email atau kata sandi salah."


def sign_in(client: Client, email: str, password: str = PASSWORD):
    return client.post("/staff/login/", {"username": email, "password": password})


def next_code(device: TOTPDevice) -> str:
    """The code the app shows in the next time step (accepted: one step of tolerance)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + 1):06d}"


def error_of(response) -> str:
    return form_error(response.content.decode())


def account(email: str) -> User:
    with schema_context("sukabumi"):
        return User.objects.get(email=email)


def test_first_sign_in_sets_up_the_app_and_every_later_one_asks_for_a_code(sukabumi):
    browser = client_for(sukabumi)

    # The password is right, but the administrator has no authenticator yet: set one up.
    password_step = sign_in(browser, ADMIN)
    assert password_step.status_code == 302 and password_step["Location"] == "/staff/login/autentikator/"
    assert browser.get("/staff/")["Location"] == "/staff/login/autentikator/"
    assert browser.get("/api/v1/settings/categories").status_code == 403

    setup = browser.get("/staff/login/autentikator/")
    assert setup.status_code == 200
    with schema_context("sukabumi"):
        device = TOTPDevice.objects.get(user__email=ADMIN, confirmed=False)
    page = setup.content.decode()
    # The secret as text, and as a server-rendered QR code of the otpauth:// URI (no script).
    assert base32_secret(device) in page
    uri = otpauth_url(device, issuer=sukabumi.short_name, account=ADMIN)
    assert uri.startswith("otpauth://totp/WBS%20Inspektorat%20Kota%20Sukabumi%3Aadmin%40sukabumi.example?")
    assert uri.endswith("&issuer=WBS%20Inspektorat%20Kota%20Sukabumi")
    assert str(qr_svg(uri, "Kode QR untuk aplikasi autentikator")) in page
    assert "<script" not in page

    # Reloading keeps the same secret (the app may already have it).
    assert base32_secret(device) in browser.get("/staff/login/autentikator/").content.decode()

    refused = browser.post("/staff/login/autentikator/", {"code": wrong_code(device)})
    assert refused.status_code == 200
    assert "Kode salah" in refused.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert browser.get("/staff/").status_code == 302

    setup_code = totp_code(device)
    confirmed = browser.post("/staff/login/autentikator/", {"code": setup_code})
    assert confirmed.status_code == 302 and confirmed["Location"] == "/staff/"
    device.refresh_from_db()
    assert device.confirmed
    assert browser.get("/staff/").status_code == 200
    assert browser.get("/api/v1/settings/categories").status_code == 200

    # Signing in again asks for a code; the setup page is closed now that there is a device.
    browser.post("/staff/logout/")
    again = client_for(sukabumi)
    assert sign_in(again, ADMIN)["Location"] == "/staff/login/kode/"
    assert again.get("/staff/login/autentikator/")["Location"] == "/staff/login/kode/"
    assert again.get("/staff/")["Location"] == "/staff/login/kode/"
    # The code already used during setup does not work a second time.
    # (the same code string, even if the 30-second step has rolled over since)
    replayed = again.post("/staff/login/kode/", {"code": setup_code})
    assert replayed.status_code == 200 and "Kode salah" in replayed.content.decode()
    assert again.post("/staff/login/kode/", {"code": wrong_code(device)}).status_code == 200
    verified = again.post("/staff/login/kode/", {"code": next_code(device)})
    assert verified.status_code == 302 and verified["Location"] == "/staff/"
    assert again.get("/staff/").status_code == 200


def test_a_password_alone_opens_no_staff_page_and_no_staff_api(sukabumi):
    authenticator_of(sukabumi, ADMIN)
    browser = client_for(sukabumi)
    assert sign_in(browser, ADMIN).status_code == 302

    assert browser.get("/staff/")["Location"] == "/staff/login/kode/"
    users_page = browser.get("/staff/pengguna/")
    assert users_page.status_code == 302
    assert users_page["Location"] == "/staff/login/kode/?next=%2Fstaff%2Fpengguna%2F"
    assert browser.post("/staff/pengguna/", {"email": "x@sukabumi.example"}).status_code == 302
    assert browser.get("/api/v1/settings/categories").status_code == 403
    assert browser.post("/api/v1/settings/categories", {"code": "x"}).status_code == 403
    # Someone holding only the password cannot register their own authenticator either.
    assert browser.get("/staff/login/autentikator/")["Location"] == "/staff/login/kode/"
    with schema_context("sukabumi"):
        assert not TOTPDevice.objects.filter(user__email=ADMIN, confirmed=False).exists()


def test_the_code_step_returns_to_the_page_asked_for(sukabumi):
    device = authenticator_of(sukabumi, ADMIN)
    browser = client_for(sukabumi)
    asked = browser.get("/staff/pengguna/")
    assert asked["Location"] == "/staff/login/?next=/staff/pengguna/"
    password_step = browser.post(asked["Location"], {"username": ADMIN, "password": PASSWORD})
    assert password_step["Location"] == "/staff/login/kode/?next=%2Fstaff%2Fpengguna%2F"
    code_step = browser.post(password_step["Location"], {"code": totp_code(device)})
    assert code_step["Location"] == "/staff/pengguna/"

    # Elsewhere is not a place to return to.
    other = client_for(sukabumi)
    sign_in(other, ADMIN)
    authenticator_of(sukabumi, ADMIN)
    redirected = other.post("/staff/login/kode/?next=https://evil.example/", {"code": totp_code(device)})
    assert redirected["Location"] == "/staff/"


def test_idle_staff_sessions_end_after_30_minutes(sukabumi):
    browser = staff_client(sukabumi, OFFICER)
    cookie = browser.cookies["wbs_session"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # gone when the browser closes

    session = browser.session
    session[LAST_ACTIVITY] = int(time.time()) - 29 * 60
    session.save()
    requested_at = int(time.time())
    assert browser.get("/staff/").status_code == 200  # 29 minutes idle: still signed in

    session = browser.session
    assert session[LAST_ACTIVITY] >= requested_at  # the request counted as activity
    session[LAST_ACTIVITY] = int(time.time()) - 31 * 60
    session.save()
    expired = browser.get("/staff/")
    assert expired.status_code == 302 and expired["Location"].startswith("/staff/login/")
    assert "30 menit tidak ada aktivitas" in browser.get(expired["Location"]).content.decode()
    assert browser.get("/staff/").status_code == 302
    assert browser.get("/api/v1/settings/categories").status_code == 403


def test_busy_staff_sessions_still_end_after_the_absolute_lifetime(sukabumi, settings):
    browser = staff_client(sukabumi, ADMIN)
    session = browser.session
    session[SIGNED_IN_AT] = int(time.time()) - settings.SESSION_COOKIE_AGE - 60
    session.save()
    assert browser.get("/api/v1/settings/categories").status_code == 403
    assert browser.get("/staff/").status_code == 302


def test_administrator_invites_a_colleague_by_email(sukabumi, mailoutbox, django_capture_on_commit_callbacks):
    admin = staff_client(sukabumi, ADMIN)
    listing = admin.get("/staff/pengguna/")
    assert listing.status_code == 200
    assert OFFICER in listing.content.decode() and "Petugas penerimaan" in listing.content.decode()

    with schema_context("sukabumi"), django_capture_on_commit_callbacks(execute=True):
        invited = admin.post(
            "/staff/pengguna/",
            {
                "email": "Rina@Sukabumi.example",
                "full_name": "Rina Marlina",
                "roles": ["investigator", "auditor"],
            },
        )
    assert invited.status_code == 302 and invited["Location"] == "/staff/pengguna/"
    with schema_context("sukabumi"):
        rina = User.objects.get(email="rina@sukabumi.example")
        assert rina.roles == ["investigator", "auditor"] and not rina.has_usable_password()
        assert Invitation.objects.filter(user=rina, used_at__isnull=True).count() == 1

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["rina@sukabumi.example"]
    link = re.search(r"http://sukabumi\.localhost/staff/invitation/([\w-]+)/", mail.body)
    assert link, mail.body
    path = link.group(0).removeprefix("http://sukabumi.localhost")

    # The link opens the password page, which explains the validators' refusals.
    newcomer = client_for(sukabumi)
    assert newcomer.get(path).status_code == 200
    weak = newcomer.post(path, {"password": "rina", "password_again": "rina"})
    assert weak.status_code == 200
    assert "Kata sandi terlalu pendek" in html.unescape(weak.content.decode())
    common = newcomer.post(path, {"password": "password1234", "password_again": "password1234"})
    assert "terlalu umum" in html.unescape(common.content.decode())
    accepted = newcomer.post(path, {"password": "Lembah-Hijau-2026", "password_again": "Lembah-Hijau-2026"})
    assert accepted.status_code == 302 and accepted["Location"] == "/staff/login/autentikator/"
    # Signed in with the password only: nothing opens before the authenticator is set up.
    assert newcomer.get("/staff/").status_code == 302

    # The link works once.
    assert client_for(sukabumi).get(path).status_code == 404
    assert (
        client_for(sukabumi).post(path, {"password": "x" * 20, "password_again": "x" * 20}).status_code == 404
    )


def test_a_duplicate_invitation_is_refused(sukabumi):
    admin = staff_client(sukabumi, ADMIN)
    again = admin.post("/staff/pengguna/", {"email": OFFICER.upper(), "full_name": "X", "roles": ["auditor"]})
    assert again.status_code == 400
    assert "Sudah ada akun dengan email ini." in html.unescape(again.content.decode())
    no_role = admin.post("/staff/pengguna/", {"email": "new@sukabumi.example", "full_name": "X"})
    assert no_role.status_code == 400


def test_administrator_deactivates_a_colleague(sukabumi):
    officer = staff_client(sukabumi, OFFICER)
    admin = staff_client(sukabumi, ADMIN)
    target = account(OFFICER)
    done = admin.post(f"/staff/pengguna/{target.pk}/status/", {"action": "deactivate"})
    assert done.status_code == 302
    assert not account(OFFICER).is_active

    # Their open session ends at once and the password no longer works.
    assert officer.get("/staff/")["Location"].startswith("/staff/login/")
    assert error_of(sign_in(client_for(sukabumi), OFFICER)) == GENERIC_REFUSAL
    # An administrator cannot lock themselves out.
    admin.post(f"/staff/pengguna/{account(ADMIN).pk}/status/", {"action": "deactivate"})
    assert account(ADMIN).is_active


@pytest.mark.parametrize("email", [OFFICER, "auditor@sukabumi.example", "inspektur@sukabumi.example"])
def test_only_administrators_manage_staff(sukabumi, email):
    colleague = staff_client(sukabumi, email)
    assert colleague.get("/staff/pengguna/").status_code == 403
    invite = {"email": "mole@sukabumi.example", "full_name": "Mole", "roles": ["administrator"]}
    assert colleague.post("/staff/pengguna/", invite).status_code == 403
    assert (
        colleague.post(f"/staff/pengguna/{account(ADMIN).pk}/status/", {"action": "deactivate"}).status_code
        == 403
    )
    assert account(ADMIN).is_active
    with schema_context("sukabumi"):
        assert not User.objects.filter(email="mole@sukabumi.example").exists()
    assert "Kelola pengguna" not in colleague.get("/staff/").content.decode()


def test_the_sign_in_steps_read_in_english(sukabumi):
    browser = client_for(sukabumi)
    browser.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert sign_in(browser, ADMIN)["Location"] == "/staff/login/autentikator/"
    setup = html.unescape(browser.get("/staff/login/autentikator/").content.decode())
    assert "Set up an authenticator app" in setup and "Cannot scan? Enter this key by hand" in setup
    refused = sign_in(client_for(sukabumi), OFFICER, "wrong")
    assert error_of(refused) == GENERIC_REFUSAL  # Indonesian without the switch
