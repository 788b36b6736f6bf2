"""Operator changes to an existing tenant."""

from django.db import transaction

from tenants.models import Tenant


def tenant_set_status(*, tenant: Tenant, status: str) -> Tenant:
    with transaction.atomic():
        tenant.status = status
        tenant.save(update_fields=["status"])
    return tenant
