"""Abuse limits that track no person: counters per tenant, never per address.

Receipt guessing: failed receipts are counted per tenant in fixed ten-minute
windows; past the tenant's limit every receipt check answers 429 until the
window ends (with ~97-bit receipts, guessing is hopeless anyway; this keeps
it from costing us). Submission spam: reports per tenant per ten minutes are
capped: each submission that passed validation is counted and refused once the
window's count is past the limit. The form also carries a honeypot field.
Counters live in the tenant-prefixed cache (Redis).

Submissions are counted in small blocks: a process reserves a few counts at once
(one INCRBY) and admits from its reserve without asking Redis again, which takes
a blocking round trip (and, under load, a wait for the interpreter lock) off most
submissions. Reserved counts are already counted, so a tenant's cap is never
exceeded; near the cap, counts another process holds in reserve are not
available to this one, so a submission can be refused before the cap (by at
most block - 1 per other process). The block is limit // 50, between 1 and 10:
exact for caps under 100.
"""

import threading
import time

from django.core.cache import cache
from django_redis import get_redis_connection

from tenants.db import current_schema_name
from tenants.errors import TooManyAttempts

WINDOW_SECONDS = 600


def _window() -> tuple[int, int]:
    now = int(time.time())
    start = now - now % WINDOW_SECONDS
    return start, start + WINDOW_SECONDS - now


def _count_key(name: str, window_start: int | None = None) -> str:
    return f"abuse:{name}:{_window()[0] if window_start is None else window_start}"


def check_limit(name: str, limit: int) -> None:
    if (cache.get(_count_key(name)) or 0) >= limit:
        raise TooManyAttempts(_window()[1])


def record(name: str) -> int:
    key = _count_key(name)
    cache.add(key, 0, WINDOW_SECONDS + 5)
    return int(cache.incr(key))


_reserved: dict[tuple[str, str, int], int] = {}  # (schema, counter, window start) -> counts left
_reserved_lock = threading.Lock()


def admit(name: str, limit: int) -> None:
    """Count one attempt in the current window; refuse it past ``limit``."""
    window_start, retry_after = _window()
    local_key = (current_schema_name(), name, window_start)
    with _reserved_lock:
        if _reserved.get(local_key, 0) > 0:
            _reserved[local_key] -= 1
            return
    block = max(1, min(10, limit // 50))
    key = cache.make_key(_count_key(name, window_start))
    redis = get_redis_connection("default")
    counted_before = int(redis.incrby(key, block)) - block
    if counted_before == 0:
        # The key names its window, so if this never ran the key would only linger
        # unused: later windows count under keys of their own.
        redis.expire(key, WINDOW_SECONDS + 5)
    granted = min(block, limit - counted_before)
    if granted <= 0:
        raise TooManyAttempts(retry_after)
    with _reserved_lock:
        for stale in [reserve for reserve in _reserved if reserve[2] != window_start]:
            del _reserved[stale]
        _reserved[local_key] = _reserved.get(local_key, 0) + granted - 1


def forget_reserved() -> None:
    """Drop this process's reserves (tests clear the counters between cases)."""
    with _reserved_lock:
        _reserved.clear()
