"""The operator changes a tenant's status (trial, active, suspended, archived).

The change is also written to the tenant's own audit trail, so the inspectorate's
administrators see what the operator did to their portal."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tenants.utils import schema_context

from tenants.audit.trail import actor_label, audit_record
from tenants.errors import InvalidInput
from tenants.models import Tenant, TenantStatus


def tenant_set_status(*, tenant: Tenant, status: str, actor: Any = None) -> Tenant:
    if status not in TenantStatus.values:
        raise InvalidInput(
            {"status": f"Status tidak dikenal; gunakan {', '.join(TenantStatus.values)}. / Unknown status."}
        )
    with transaction.atomic():
        tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
        before = tenant.status
        tenant.status = status
        tenant.save(update_fields=["status"])
        with schema_context(tenant.schema_name):
            audit_record(
                action="tenant_status", actor=f"operator {actor_label(actor)}", before=before, after=status
            )
    return tenant
