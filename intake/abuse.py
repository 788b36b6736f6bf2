"""Abuse limits that track no person: counters per tenant, never per address.

Receipt guessing: failed receipts are counted per tenant in fixed ten-minute
windows; past the tenant's limit every receipt check answers 429 until the
window ends (with ~97-bit receipts, guessing is hopeless anyway; this keeps
it from costing us). Submission spam: reports per tenant per ten minutes are
capped the same way, and the form carries a honeypot field.
Counters live in the tenant-prefixed cache (Redis).
"""

import time

from django.core.cache import cache

WINDOW_SECONDS = 600


class TooManyAttempts(Exception):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(f"try again in {retry_after} s")


def _window() -> tuple[int, int]:
    now = int(time.time())
    start = now - now % WINDOW_SECONDS
    return start, start + WINDOW_SECONDS - now


def _count_key(name: str) -> str:
    return f"abuse:{name}:{_window()[0]}"


def check_limit(name: str, limit: int) -> None:
    if (cache.get(_count_key(name)) or 0) >= limit:
        raise TooManyAttempts(_window()[1])


def record(name: str) -> int:
    key = _count_key(name)
    cache.add(key, 0, WINDOW_SECONDS + 5)
    return int(cache.incr(key))
