"""Receipts: the reporter's only credential.

20 characters from a 29-letter alphabet without look-alikes (no 0/O, 1/I/L, U/V),
about 97 bits, written in five groups of four for writing down and reading
aloud. Only an HMAC keyed with the tenant's own secret is stored, so a receipt
works only on the tenant that issued it and a database dump cannot test guesses.
"""

import hashlib
import hmac
import secrets

from intake.encryption import receipt_secret

ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
GROUPS = 5
GROUP_LENGTH = 4
LENGTH = GROUPS * GROUP_LENGTH


def new_receipt() -> str:
    # One uniform draw below 29**20, written in base 29: the same distribution as 20
    # independent choices, with one read of the system's randomness instead of 20.
    number = secrets.randbelow(len(ALPHABET) ** LENGTH)
    digits = []
    for _ in range(LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        digits.append(ALPHABET[digit])
    raw = "".join(digits)
    return "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, LENGTH, GROUP_LENGTH))


def normalise(receipt: str) -> str | None:
    """Upper-case, drop spaces and dashes; None when it cannot be a receipt."""
    cleaned = "".join(ch for ch in receipt.upper() if ch not in " -\t\n")
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def receipt_hash(receipt: str) -> str | None:
    normalised = normalise(receipt)
    if normalised is None:
        return None
    return hmac.new(receipt_secret(), normalised.encode(), hashlib.sha256).hexdigest()
