"""Per-process memos of rarely-changing rows, dropped everywhere when one process changes them.

Each process keeps its own dict (nothing reporter-related goes in: host names,
tenant settings, categories, keys already held in memory). A change is
announced on a Redis channel once its transaction commits; one background
thread per process listens and drops the named memo. In case a message is ever
missed (a Redis restart), every memo is also dropped after
``WBS_ROUTING_CACHE_SECONDS``.

A value read inside a transaction is returned but not kept: it may be the
transaction's own uncommitted write, which must not outlive a rollback.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from tenants.db import connection, current_schema_name

logger = logging.getLogger(__name__)


def changes_channel() -> str:
    """The channel changes are announced on: one per Redis database, so deployments (or
    test runs) sharing a Redis server but not a database do not drop each other's memos
    (Redis publishes to every database's subscribers alike)."""
    database = urlsplit(settings.REDIS_URL).path.strip("/") or "0"
    return f"wbs:memo-changed:{database}"


Value = TypeVar("Value")

_memos: dict[str, SharedMemo[Any]] = {}
_listener_lock = threading.Lock()
_listener_started = False  # in this process (reset in a forked child)


class SharedMemo(Generic[Value]):
    def __init__(self, name: str, *, keep_reads_in_transactions: bool = False) -> None:
        self.name = name
        self._keep_reads_in_transactions = keep_reads_in_transactions
        self._values: dict[Hashable, Value] = {}
        self._generation = 0
        self._filled_at = time.monotonic()
        self._lock = threading.Lock()
        _memos[name] = self

    def get(self, key: Hashable, load: Callable[[], Value | None]) -> Value | None:
        """The remembered value, or ``load()``'s (kept unless it is None)."""
        _ensure_listener()
        if time.monotonic() - self._filled_at > settings.WBS_ROUTING_CACHE_SECONDS:
            self.forget_all()
        try:
            return self._values[key]
        except KeyError:
            pass
        generation = self._generation
        value = load()
        if value is None or (connection.in_atomic_block and not self._keep_reads_in_transactions):
            return value
        with self._lock:
            # Only keep what we read if no change was announced while we read it.
            if generation == self._generation:
                self._values[key] = value
        return value

    def forget_all(self) -> None:
        with self._lock:
            self._generation += 1
            self._values = {}
            self._filled_at = time.monotonic()

    def announce_change(self, **_: Any) -> None:
        """Drop the memo here now, and in every process once the change commits (a signal receiver)."""
        self.forget_all()

        def publish() -> None:
            self.forget_all()
            try:
                redis.Redis.from_url(settings.REDIS_URL).publish(changes_channel(), self.name)
            except redis.RedisError:
                logger.warning(
                    "could not announce a change to %s; other processes catch up within %s s",
                    self.name,
                    settings.WBS_ROUTING_CACHE_SECONDS,
                )

        transaction.on_commit(publish)


def forget_every_memo() -> None:
    for memo in list(_memos.values()):
        memo.forget_all()


def _ensure_listener() -> None:
    # A thread does not survive fork(): start one per process, lazily.
    global _listener_started
    if _listener_started:
        return
    with _listener_lock:
        if _listener_started:
            return
        _listener_started = True
        forget_every_memo()  # whatever a parent process remembered, we heard nothing of
    subscribed = threading.Event()
    threading.Thread(target=_listen, args=(subscribed,), name="shared-memo-listener", daemon=True).start()
    # Keep nothing before we can hear about changes (bounded, in case Redis is down).
    subscribed.wait(timeout=2)


def _forget_listener_in_child() -> None:
    # Checked here once, not by a getpid() system call on every memo read.
    global _listener_started
    _listener_started = False


os.register_at_fork(after_in_child=_forget_listener_in_child)


def _listen(subscribed: threading.Event) -> None:
    while True:
        try:
            pubsub = redis.Redis.from_url(settings.REDIS_URL).pubsub(ignore_subscribe_messages=True)
            pubsub.subscribe(changes_channel())
            pubsub.get_message(timeout=1)  # the subscription's confirmation
            if subscribed.is_set():
                forget_every_memo()  # anything could have changed while we were not listening
            subscribed.set()
            for message in pubsub.listen():
                memo = _memos.get(message["data"].decode(errors="replace"))
                if memo is not None:
                    memo.forget_all()
        except redis.RedisError:
            logger.warning("shared memo listener lost Redis; retrying in 5 s")
            time.sleep(5)


# --- Rows of a tenant's own schema that change rarely (settings, categories, keys) ------

tenant_rows: SharedMemo[Any] = SharedMemo("tenant-rows")


def remembered_for_tenant(name: str, load: Callable[[], Value]) -> Value:
    """``load()`` for the current tenant, remembered until one of its rows changes."""
    return tenant_rows.get((current_schema_name(), name), load)  # type: ignore[return-value]


def forget_tenant_rows_when_changed(*models: type[Model]) -> None:
    for model in models:
        label = model._meta.label
        post_save.connect(tenant_rows.announce_change, sender=model, dispatch_uid=f"memo-save-{label}")
        post_delete.connect(tenant_rows.announce_change, sender=model, dispatch_uid=f"memo-delete-{label}")
