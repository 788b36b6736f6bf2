"""Receipts: the reporter's only credential.

20 characters from a 29-letter alphabet without look-alikes (no 0/O, 1/I/L, U/V),
about 97 bits, written in five groups of four for writing down and reading
aloud. Only an HMAC keyed with the tenant's own secret is stored, so a receipt
works only on the tenant that issued it and a database dump cannot test guesses.
"""

import hmac
import secrets

from intake.encryption import receipt_secret

ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
GROUPS = 5
GROUP_LENGTH = 4
LENGTH = GROUPS * GROUP_LENGTH


# Random bytes become letters in one pass: a byte below 232 (8 x 29) names the letter
# byte % 29, each equally likely; the 24 larger values are dropped rather than folded
# in, which would favour some letters.
_ACCEPTED = len(ALPHABET) * (256 // len(ALPHABET))
_BYTE_TO_LETTER = bytes(ord(ALPHABET[byte % len(ALPHABET)]) for byte in range(_ACCEPTED)) + bytes(
    256 - _ACCEPTED
)
_REJECTED = bytes(range(_ACCEPTED, 256))


def new_receipt() -> str:
    letters = b""
    while len(letters) < LENGTH:  # 40 bytes give 20 letters but about once in 10^11 draws
        letters += secrets.token_bytes(2 * LENGTH).translate(_BYTE_TO_LETTER, _REJECTED)
    raw = letters[:LENGTH].decode()
    return "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, LENGTH, GROUP_LENGTH))


_SEPARATORS = str.maketrans("", "", " -\t\n")
_LETTERS = frozenset(ALPHABET)


def normalise(receipt: str) -> str | None:
    """Upper-case, drop spaces and dashes; None when it cannot be a receipt."""
    cleaned = receipt.upper().translate(_SEPARATORS)
    if len(cleaned) != LENGTH or not _LETTERS.issuperset(cleaned):
        return None
    return cleaned


def receipt_hash(receipt: str) -> str | None:
    normalised = normalise(receipt)
    if normalised is None:
        return None
    return hmac.digest(receipt_secret(), normalised.encode(), "sha256").hex()
