"""Slowing down password and code guessing without locking the real person out.

Used by staff on a tenant's host and by operators on the base domain alike.

- **Per account and client address** (the staff member's or operator's address,
  never a reporter's: reporters do not sign in): after ``FREE_FAILURES`` failures
  the address must wait before its next attempt for that account, 1 s, then twice
  as long after every further failure (2 s, 4 s …, at most ``MAX_WAIT_SECONDS``). An attempt during the wait is answered 429 with
  ``Retry-After`` and checks nothing, so guessing faster gains nothing. The real
  person, at another address, is not slowed.
- **Per account, from every address**: after ``GUARD_AFTER`` failures the password
  alone is no longer checked; the sign-in form asks for the authenticator code
  together with the password and checks both at once, answering only "wrong".
  Guessing from many addresses then learns nothing without the phone, while the
  real person, who has both, signs in at once however many strangers failed. The
  guard ends with a complete sign-in (or a day without failures) or an
  administrator's reset of the account's authenticator.
- **Wrong codes for an account**, from every address: past ``FREE_CODE_FAILURES``
  each code attempt waits, doubling likewise. Only someone who knows the password
  reaches the code step, so strangers cannot slow the real person's code.

An identifier that names no account is counted and answered exactly like one that
does. Counts live only in the tenant-keyed cache (Redis), under keyed hashes of the
account and the address, and are forgotten a day after the last failure; nothing is
written to the database or a log. django-axes was considered: it blocks
``authenticate()`` once a count is reached (the lock-out this replaces), cannot
let a second factor through, and stores addresses and user agents in a table.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants.accounts.authenticator import verify_code
from tenants.accounts.models import User
from tenants.errors import TooManyAttempts

FREE_FAILURES = 5
GUARD_AFTER = 10
FREE_CODE_FAILURES = 5
MAX_WAIT_SECONDS = 15 * 60
FAILURE_MEMORY_SECONDS = 24 * 3600


def now() -> float:
    """The clock (a function of its own so tests can move it forward)."""
    return time.time()


class SignInRefused(Exception):
    """Wrong identifier or password; deliberately says no more."""


class CodeRequired(SignInRefused):
    """Guarded account: the password is checked only together with the authenticator code."""


def client_address(request: HttpRequest) -> str:
    """The address of the person signing in, as the last trusted proxy saw it.

    ``WBS_TRUSTED_PROXIES`` proxies (the load balancer) each append the address they
    saw to X-Forwarded-For; the entry the outermost trusted one appended is the client.
    """
    proxies = settings.WBS_TRUSTED_PROXIES
    if proxies:
        forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies and forwarded[-proxies]:
            return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


def find_account(identifier: str) -> User | None:
    """The account an identifier (email, any case, or username) names, if any."""
    identifier = identifier.strip()
    if not identifier:
        return None
    return (
        User.objects.filter(email__iexact=identifier).first()
        or User.objects.filter(username=identifier).first()
    )


def _hashed(*parts: str) -> str:
    return salted_hmac("wbs.sign-in-throttle", "\x00".join(parts)).hexdigest()


@dataclass(frozen=True)
class Subject:
    """Whose failures are counted: an account, or an identifier that names none."""

    name: str

    @classmethod
    def of(cls, identifier: str, account: User | None) -> Subject:
        if account is not None:
            return cls(f"account:{account.pk}")
        return cls("identifier:" + identifier.strip().lower())

    def _account_key(self) -> str:
        return "sign-in:account:" + _hashed(self.name)

    def _address_key(self, address: str) -> str:
        return "sign-in:address:" + _hashed(self.name, address)

    def _read(self, key: str) -> dict[str, float]:
        value = cache.get(key)
        return value if isinstance(value, dict) else {}

    def _write(self, key: str, value: dict[str, float]) -> None:
        cache.set(key, value, timeout=FAILURE_MEMORY_SECONDS)

    # --- reading ---------------------------------------------------------------

    def wait_for(self, address: str, *, code_step: bool = False) -> int:
        """Seconds this address must still wait before its next attempt (0: go ahead)."""
        waits = [self._read(self._address_key(address)).get("until", 0.0)]
        if code_step:
            waits.append(self._read(self._account_key()).get("code_until", 0.0))
        return max(0, math.ceil(max(waits) - now()))

    def is_guarded(self) -> bool:
        return self._read(self._account_key()).get("failures", 0) >= GUARD_AFTER

    # --- writing ---------------------------------------------------------------

    def record_failure(self, address: str, *, wrong_code: bool = False) -> None:
        at = now()
        pair = self._read(self._address_key(address))
        failures = int(pair.get("failures", 0)) + 1
        pair = {"failures": failures, "until": at + _wait_after(failures, FREE_FAILURES)}
        self._write(self._address_key(address), pair)
        account = self._read(self._account_key())
        account["failures"] = account.get("failures", 0) + 1
        if wrong_code:
            code_failures = int(account.get("code_failures", 0)) + 1
            account["code_failures"] = code_failures
            account["code_until"] = at + _wait_after(code_failures, FREE_CODE_FAILURES)
        self._write(self._account_key(), account)

    def forget(self, address: str | None = None) -> None:
        """A complete sign-in (or an administrator's reset): the guard ends; the
        signing-in address is no longer slowed (others' addresses still are)."""
        keys = [self._account_key()]
        if address is not None:
            keys.append(self._address_key(address))
        cache.delete_many(keys)


def _wait_after(failures: int, free: int) -> float:
    if failures < free:
        return 0.0
    return float(min(2 ** (failures - free), MAX_WAIT_SECONDS))


def check_password(request: HttpRequest, identifier: str, password: str, code: str = "") -> tuple[User, Any]:
    """The account for these credentials and, when a code was checked too, its device.

    Raises TooManyAttempts while this address must wait, CodeRequired when the account
    is guarded and the code was missing or either secret was wrong, SignInRefused
    otherwise. Success here clears nothing: only a complete sign-in does.
    """
    address = client_address(request)
    account = find_account(identifier)
    subject = Subject.of(identifier, account)
    if wait := subject.wait_for(address):
        raise TooManyAttempts(wait)
    guarded = subject.is_guarded()
    if guarded and not code.strip():
        raise CodeRequired()
    # Runs the password hasher for an unknown identifier too, so both take as long.
    user = authenticate(
        request, username=account.get_username() if account else identifier, password=password
    )
    device: TOTPDevice | None = None
    if user is not None and guarded:
        device = verify_code(user, code)
    if account is None or user is None or (guarded and device is None):
        subject.record_failure(address)
        raise CodeRequired() if subject.is_guarded() else SignInRefused()
    assert isinstance(user, User)
    return user, device


def code_wait(request: HttpRequest, user: User) -> int:
    """Seconds before this address may try a code for ``user`` (0: go ahead)."""
    return Subject.of("", user).wait_for(client_address(request), code_step=True)


def record_wrong_code(request: HttpRequest, user: User) -> None:
    Subject.of("", user).record_failure(client_address(request), wrong_code=True)


def record_success(request: HttpRequest, user: User) -> None:
    Subject.of("", user).forget(client_address(request))


def lift_guard(user: User) -> None:
    """An administrator vouches for the account (a reset authenticator)."""
    Subject.of("", user).forget()
