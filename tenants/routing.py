"""Which tenant answers a host name, with no database query on a warm worker.

Each process keeps a host-to-tenant map. A change to a tenant or a domain is
published on a Redis channel once its transaction commits; every process
listens on a background thread and drops its map when it hears one. In case a
message is ever missed (a Redis restart), the map is also dropped after
``WBS_ROUTING_CACHE_SECONDS``.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

import redis
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from tenants.db import connection
from tenants.models import Domain, Tenant

logger = logging.getLogger(__name__)

ROUTING_CHANNEL = "wbs:tenant-routing-changed"


class TenantDirectory:
    def __init__(self) -> None:
        self._tenants: dict[str, Tenant] = {}
        self._generation = 0
        self._filled_at = time.monotonic()
        self._lock = threading.Lock()
        self._listener_pid: int | None = None

    def tenant_for_host(self, hostname: str) -> Tenant | None:
        self._ensure_listener()
        if time.monotonic() - self._filled_at > settings.WBS_ROUTING_CACHE_SECONDS:
            self.forget_all()
        tenant = self._tenants.get(hostname)
        if tenant is not None:
            return tenant
        generation = self._generation
        connection.set_schema_to_public()
        domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
        if domain is None:
            return None
        with self._lock:
            # Only keep what we read if no change was announced while we read it.
            if generation == self._generation:
                self._tenants[hostname] = domain.tenant
        return domain.tenant

    def forget_all(self) -> None:
        with self._lock:
            self._generation += 1
            self._tenants = {}
            self._filled_at = time.monotonic()

    def _ensure_listener(self) -> None:
        # A thread does not survive fork(): start one per process, lazily.
        if self._listener_pid == os.getpid():
            return
        with self._lock:
            if self._listener_pid == os.getpid():
                return
            self._listener_pid = os.getpid()
            self._tenants = {}
        subscribed = threading.Event()
        threading.Thread(
            target=self._listen, args=(subscribed,), name="tenant-routing-listener", daemon=True
        ).start()
        # Cache nothing before we can hear about changes (bounded, in case Redis is down).
        subscribed.wait(timeout=2)

    def _listen(self, subscribed: threading.Event) -> None:
        while True:
            try:
                pubsub = redis.Redis.from_url(settings.REDIS_URL).pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(ROUTING_CHANNEL)
                pubsub.get_message(timeout=1)  # the subscription's confirmation
                if subscribed.is_set():
                    self.forget_all()  # anything could have changed while we were not listening
                subscribed.set()
                for _message in pubsub.listen():
                    self.forget_all()
            except redis.RedisError:
                logger.warning("tenant routing listener lost Redis; retrying in 5 s")
                time.sleep(5)


directory = TenantDirectory()


def announce_routing_change(**_: Any) -> None:
    def publish() -> None:
        directory.forget_all()
        try:
            redis.Redis.from_url(settings.REDIS_URL).publish(ROUTING_CHANNEL, "changed")
        except redis.RedisError:
            logger.warning(
                "could not announce a tenant routing change; other processes catch up within %s s",
                settings.WBS_ROUTING_CACHE_SECONDS,
            )

    transaction.on_commit(publish)


def connect_invalidation_signals() -> None:
    for model in (Tenant, Domain):
        post_save.connect(
            announce_routing_change, sender=model, dispatch_uid=f"routing-save-{model.__name__}"
        )
        post_delete.connect(
            announce_routing_change, sender=model, dispatch_uid=f"routing-delete-{model.__name__}"
        )
