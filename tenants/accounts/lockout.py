"""Locking an account after repeated failed sign-in attempts.

Counted per account, never per address (the platform does not keep client
addresses): a wrong password and a wrong TOTP code count alike, five failures
lock the account for 15 minutes, and a complete sign-in clears the count.

Identifiers that match no account get the same treatment from a counter in the
(tenant-keyed) cache, so neither the error message nor the lock tells an
attacker whether an account exists.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from tenants.accounts.models import User

MAX_FAILED_ATTEMPTS = 5
LOCKOUT_DURATION = timedelta(minutes=15)
# How long failures against an unknown identifier are remembered (an account's
# count has no expiry; a day is long enough to look the same).
UNKNOWN_FAILURES_MEMORY = 24 * 3600


class SignInRefused(Exception):
    """Wrong identifier or password; deliberately says no more."""


class AccountLocked(SignInRefused):
    """Too many failed attempts; the account refuses to sign in for a while."""


def find_account(identifier: str) -> User | None:
    """The account an identifier (email, any case, or username) names, if any."""
    identifier = identifier.strip()
    if not identifier:
        return None
    return (
        User.objects.filter(email__iexact=identifier).first()
        or User.objects.filter(username=identifier).first()
    )


def is_locked(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > timezone.now()


def record_failure(user: User) -> bool:
    """Count one failed attempt; True when the account is locked (now or already)."""
    now = timezone.now()
    with transaction.atomic():
        row = User.objects.select_for_update().only("failed_attempts", "locked_until").get(pk=user.pk)
        if row.locked_until is not None and row.locked_until > now:
            return True
        attempts = row.failed_attempts + 1
        locked_until = now + LOCKOUT_DURATION if attempts >= MAX_FAILED_ATTEMPTS else None
        User.objects.filter(pk=user.pk).update(
            failed_attempts=0 if locked_until else attempts, locked_until=locked_until
        )
    user.failed_attempts, user.locked_until = (0 if locked_until else attempts), locked_until
    return locked_until is not None


def record_success(user: User) -> None:
    """A complete sign-in (password and code) clears the count."""
    User.objects.filter(Q(pk=user.pk) & (Q(failed_attempts__gt=0) | Q(locked_until__isnull=False))).update(
        failed_attempts=0, locked_until=None
    )
    user.failed_attempts, user.locked_until = 0, None


def _unknown_key(identifier: str) -> str:
    return "sign-in-failures:" + hashlib.sha256(identifier.strip().lower().encode()).hexdigest()


def _unknown_is_locked(identifier: str) -> bool:
    return int(cache.get(_unknown_key(identifier), 0)) >= MAX_FAILED_ATTEMPTS


def _record_unknown_failure(identifier: str) -> bool:
    key = _unknown_key(identifier)
    cache.add(key, 0, timeout=UNKNOWN_FAILURES_MEMORY)
    failures = cache.incr(key)
    if failures >= MAX_FAILED_ATTEMPTS:
        cache.set(key, MAX_FAILED_ATTEMPTS, timeout=int(LOCKOUT_DURATION.total_seconds()))
        return True
    cache.touch(key, UNKNOWN_FAILURES_MEMORY)
    return False


def check_password(request: HttpRequest | None, identifier: str, password: str) -> User:
    """The account for these credentials, or SignInRefused / AccountLocked.

    A locked account is refused even with the right password. Success here
    does not clear the count: only the second factor completes a sign-in.
    """
    account = find_account(identifier)
    if account is None:
        if _unknown_is_locked(identifier):
            raise AccountLocked()
        # Runs the password hasher once, so an unknown identifier takes as long as a known one.
        authenticate(request, username=identifier, password=password)
        if _record_unknown_failure(identifier):
            raise AccountLocked()
        raise SignInRefused()
    if is_locked(account):
        raise AccountLocked()
    user = authenticate(request, username=account.get_username(), password=password)
    if user is None:
        if record_failure(account):
            raise AccountLocked()
        raise SignInRefused()
    assert isinstance(user, User)
    return user
