"""Metering: a daily usage snapshot per tenant, taken inside the tenant's schema."""

from celery import shared_task
from django.utils import timezone

from billing.models import UsageSnapshot
from intake.models import Category
from tenants.db import connection
from tenants.models import Tenant
from wbs.accounts.models import User


@shared_task
def record_usage() -> int:
    """Count what the current tenant uses (the task carries its tenant)."""
    tenant = Tenant.objects.get(schema_name=connection.schema_name)
    snapshot, _ = UsageSnapshot.objects.update_or_create(
        tenant=tenant,
        taken_on=timezone.localdate(),
        defaults={
            "staff_accounts": User.objects.filter(is_active=True).count(),
            "active_categories": Category.objects.filter(is_active=True).count(),
        },
    )
    return snapshot.pk
