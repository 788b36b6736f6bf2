"""Is the tenant under a flood of wrong receipts? Counted per tenant, never per sender.

Wrong receipts are counted in fixed ten-minute windows in the tenant-prefixed cache
(Redis). Past the tenant's threshold, a receipt is checked only with a proof of work
(intake.proof_of_work) until the window ends: the flood then costs its sender a
solved challenge per guess, and costs us no database lookup for a guess without one.
A right receipt is never refused for it: the portal's follow-up form always carries
a proof, and an API client gets one from GET /api/v1/intake/challenge. (Receipts
carry ~97 bits: guessing one online is hopeless; this only bounds what the guessing
costs.)
"""

import time

from django.core.cache import cache

WINDOW_SECONDS = 600


def _window_key() -> str:
    now = int(time.time())
    return f"receipt-flood:{now - now % WINDOW_SECONDS}"


def wrong_receipt_counted() -> None:
    key = _window_key()
    cache.add(key, 0, WINDOW_SECONDS + 5)
    cache.incr(key)


def under_receipt_flood(threshold: int) -> bool:
    return int(cache.get(_window_key()) or 0) >= threshold
