"""The errors every app raises for a refusal a person should read.

Services raise these; the API's one exception handler (tenants.api_base) and the
pages turn them into the same answer for the same problem:

- ``InvalidInput`` (400): what is wrong with each field, nothing was written.
- ``NotAllowed`` (403): the person's roles do not allow the action.
- ``TooManyAttempts`` (429): a counter ran out; try again after ``retry_after`` seconds.
- ``ContentGone`` (410): the content was destroyed (crypto-shredded) and cannot be read.
"""

from __future__ import annotations

from collections.abc import Iterable


class InvalidInput(ValueError):
    """Bad input: ``errors`` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


class NotAllowed(PermissionError):
    """The person's roles do not allow this."""

    def __init__(self, action: str, allowed_roles: Iterable[str] = ()):
        self.action = action
        self.allowed_roles = frozenset(allowed_roles)
        roles = ", ".join(sorted(self.allowed_roles))
        super().__init__(f"Tindakan ini memerlukan peran: {roles}. / This needs one of these roles: {roles}.")


class TooManyAttempts(Exception):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(f"try again in {retry_after} s")


class ContentGone(RuntimeError):
    """What was asked for was destroyed and cannot be read any more."""
