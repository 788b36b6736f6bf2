"""Abuse limits that track no person: counters per tenant, never per address.

Receipt guessing: failed receipts are counted per tenant in fixed ten-minute
windows; past the tenant's limit every receipt check answers 429 until the
window ends (with ~97-bit receipts, guessing is hopeless anyway; this keeps
it from costing us). Submission spam: reports per tenant per ten minutes are
capped: each submission that passed validation is counted, in one Redis round
trip (two for the first of a window), and refused once the window's count is past the limit. The form also
carries a honeypot field.
Counters live in the tenant-prefixed cache (Redis).
"""

import time

from django.core.cache import cache
from django_redis import get_redis_connection

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


def admit(name: str, limit: int) -> None:
    """Count one attempt in the current window and refuse it past ``limit`` (one round trip)."""
    key = cache.make_key(_count_key(name))
    redis = get_redis_connection("default")
    count = int(redis.incr(key))
    if count == 1:
        # The key names its window, so if this never ran the key would only linger
        # unused: later windows count under keys of their own.
        redis.expire(key, WINDOW_SECONDS + 5)
    if count > limit:
        raise TooManyAttempts(_window()[1])
