"""Staff sign-in throttling slows an attacker and never locks the real person out:
failures slow the address they come from, and an account under attack from many
addresses asks for the password and the authenticator's code together (a person with
both always gets in)."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from tenants.accounts import sign_in_throttle
from tenants.accounts.models import User
from tests.support.clients import authenticator_of, client_for, staff_client, totp_code, wrong_code
from tests.support.pages import form_error

ADMIN = "admin@sukabumi.example"
OFFICER = "verifikator@sukabumi.example"
PASSWORD = "wbs-demo-2026"
WRONG = "Email atau kata sandi salah."
BOTH_NEEDED = "meminta kata sandi dan kode autentikator sekaligus"
REAL_PERSON = "192.0.2.7"


class Clock:
    """The throttle's clock, moved forward by the test instead of waiting."""

    def __init__(self, start: float) -> None:
        self.at = start

    def __call__(self) -> float:
        return self.at


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    moved = Clock(1_900_000_000.0)
    monkeypatch.setattr(sign_in_throttle, "now", moved)
    return moved


def attempt(client: Client, email: str, password: str, address: str, code: str = ""):
    data = {"username": email, "password": password}
    if code:
        data["code"] = code
    return client.post("/staff/login/", data, REMOTE_ADDR=address)


def answer(response) -> tuple[int, str, str]:
    """What a person sees: the status, the message and whether the code field appears."""
    page = response.content.decode()
    return response.status_code, form_error(page), str('name="code"' in page)


def test_an_attackers_attempts_get_slower_and_the_real_person_is_not_slowed(sukabumi, clock):
    device = authenticator_of(sukabumi, OFFICER)
    attacker = client_for(sukabumi)
    for _free in range(sign_in_throttle.FREE_FAILURES):
        refused = attempt(attacker, OFFICER, "guess", "203.0.113.9")
        assert refused.status_code == 200 and form_error(refused.content.decode()) == WRONG

    # From now on each failure doubles the wait before the next attempt from that address.
    waits = []
    for _slower in range(4):
        waiting = attempt(attacker, OFFICER, "guess", "203.0.113.9")
        assert waiting.status_code == 429
        waits.append(int(waiting["Retry-After"]))
        assert f"Coba lagi dalam {waits[-1]} detik" in form_error(waiting.content.decode())
        # Even the right password is not checked during the wait.
        assert attempt(attacker, OFFICER, PASSWORD, "203.0.113.9").status_code == 429
        clock.at += waits[-1]
        assert attempt(attacker, OFFICER, "guess", "203.0.113.9").status_code == 200
    assert waits == [1, 2, 4, 8]

    # The real person at their own desk signs in as usual.
    person = client_for(sukabumi)
    password_step = attempt(person, OFFICER, PASSWORD, REAL_PERSON)
    assert password_step.status_code == 302 and password_step["Location"] == "/staff/login/kode/"
    signed_in = person.post("/staff/login/kode/", {"code": totp_code(device)}, REMOTE_ADDR=REAL_PERSON)
    assert signed_in.status_code == 302 and signed_in["Location"] == "/staff/"


def test_strangers_many_failures_never_keep_out_the_person_with_password_and_code(sukabumi, clock):
    device = authenticator_of(sukabumi, ADMIN)
    strangers = client_for(sukabumi)
    # Guessing spread over many addresses, each staying under its own free failures.
    for number in range(30):
        attempt(strangers, ADMIN, f"guess-{number}", f"198.51.100.{number % 10}")

    # The account is guarded now: the password alone is not checked, right or wrong,
    # and the form asks for the code with it.
    person = client_for(sukabumi)
    right_alone = attempt(person, ADMIN, PASSWORD, REAL_PERSON)
    wrong_alone = attempt(person, ADMIN, "guess", REAL_PERSON)
    assert answer(right_alone) == answer(wrong_alone)
    assert right_alone.status_code == 200 and BOTH_NEEDED in form_error(right_alone.content.decode())
    assert 'name="code"' in right_alone.content.decode()
    assert "_auth_user_id" not in person.session
    # A stranger who guessed the password still needs the phone.
    assert BOTH_NEEDED in form_error(
        attempt(strangers, ADMIN, PASSWORD, "198.51.100.99", wrong_code(device)).content.decode()
    )
    assert "_auth_user_id" not in strangers.session

    # The real person: password and code together, signed in at once.
    authenticator_of(sukabumi, ADMIN)
    signed_in = attempt(person, ADMIN, PASSWORD, REAL_PERSON, totp_code(device))
    assert signed_in.status_code == 302 and signed_in["Location"] == "/staff/"
    assert person.get("/staff/").status_code == 200

    # A complete sign-in ends the guard: the next sign-in is the usual two steps.
    again = attempt(client_for(sukabumi), ADMIN, PASSWORD, REAL_PERSON)
    assert again.status_code == 302 and again["Location"] == "/staff/login/kode/"


def test_an_unknown_identifier_is_answered_exactly_like_a_known_account(sukabumi, clock):
    browser = client_for(sukabumi)

    def story(email: str) -> list[tuple[int, str, str]]:
        seen = []
        for number in range(sign_in_throttle.GUARD_AFTER + 2):
            address = f"203.0.113.{number % 3}"
            seen.append(answer(attempt(browser, email, "guess", address)))
            clock.at += 3600  # waits over: every attempt is checked
        seen.append(answer(attempt(browser, email, "guess", "203.0.113.1")))
        for _attempt in range(sign_in_throttle.FREE_FAILURES + 1):
            seen.append(answer(attempt(browser, email, "guess", "203.0.113.50", code="123456")))
        return seen

    known, unknown = story(OFFICER), story("nobody@sukabumi.example")
    assert known == unknown
    assert {status for status, _message, _code in known} == {200, 429}
    assert any(BOTH_NEEDED in message for _status, message, _code in known)


def test_wrong_codes_slow_only_the_code_step_and_only_someone_with_the_password_makes_them(sukabumi, clock):
    device = authenticator_of(sukabumi, OFFICER)
    holder = client_for(sukabumi)
    assert attempt(holder, OFFICER, PASSWORD, "203.0.113.9")["Location"] == "/staff/login/kode/"
    for _free in range(sign_in_throttle.FREE_CODE_FAILURES):
        refused = holder.post("/staff/login/kode/", {"code": wrong_code(device)}, REMOTE_ADDR="203.0.113.9")
        assert refused.status_code == 200 and "Kode salah" in refused.content.decode()
    waiting = holder.post("/staff/login/kode/", {"code": totp_code(device)}, REMOTE_ADDR="203.0.113.9")
    assert waiting.status_code == 429 and int(waiting["Retry-After"]) == 1
    assert holder.get("/staff/").status_code == 302

    clock.at += 1
    authenticator_of(sukabumi, OFFICER)
    signed_in = holder.post("/staff/login/kode/", {"code": totp_code(device)}, REMOTE_ADDR="203.0.113.9")
    assert signed_in.status_code == 302 and signed_in["Location"] == "/staff/"


def test_an_administrators_reset_lifts_the_guard(sukabumi, clock):
    with schema_context("sukabumi"):
        officer = User.objects.get(email=OFFICER)
    strangers = client_for(sukabumi)
    for number in range(sign_in_throttle.GUARD_AFTER):
        attempt(strangers, OFFICER, "guess", f"198.51.100.{number}")
    assert BOTH_NEEDED in form_error(
        attempt(client_for(sukabumi), OFFICER, PASSWORD, REAL_PERSON).content.decode()
    )

    admin = staff_client(sukabumi, ADMIN)
    assert admin.post(f"/staff/pengguna/{officer.pk}/atur-ulang/").status_code == 302
    # The officer lost their phone: the password alone leads to setting up a new authenticator.
    again = attempt(client_for(sukabumi), OFFICER, PASSWORD, REAL_PERSON)
    assert again.status_code == 302 and again["Location"] == "/staff/login/autentikator/"
