"""Which tenant answers a host name, with no database query on a warm worker.

Each process keeps a host-to-tenant memo (tenants.shared_memo): a change to a
tenant or a domain is announced once its transaction commits, and every process
drops its memo when it hears it.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from tenants.db import connection
from tenants.models import Domain, Tenant
from tenants.shared_memo import SharedMemo


class TenantDirectory(SharedMemo[Tenant]):
    def __init__(self) -> None:
        # Routing happens before any transaction, but tests read hosts inside theirs.
        super().__init__("tenant-routing", keep_reads_in_transactions=True)

    def tenant_for_host(self, hostname: str) -> Tenant | None:
        return self.get(hostname, lambda: self._read(hostname))

    @staticmethod
    def _read(hostname: str) -> Tenant | None:
        connection.set_schema_to_public()
        domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
        return None if domain is None else domain.tenant


directory = TenantDirectory()


def connect_invalidation_signals() -> None:
    for model in (Tenant, Domain):
        post_save.connect(
            directory.announce_change, sender=model, dispatch_uid=f"routing-save-{model.__name__}"
        )
        post_delete.connect(
            directory.announce_change, sender=model, dispatch_uid=f"routing-delete-{model.__name__}"
        )
