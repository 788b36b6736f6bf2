"""Metering: a daily usage snapshot per tenant, counted inside the tenant's schema.

It counts what several apps hold (staff accounts, intake's categories), so the
platform composes it; billing only stores the figures."""

from celery import shared_task
from django.utils import timezone

from billing.services import usage_snapshot_record
from intake.models import Category
from tenants.accounts.models import User
from tenants.db import current_tenant


@shared_task
def record_usage() -> int:
    """Count what the current tenant uses (the task carries its tenant)."""
    snapshot = usage_snapshot_record(
        tenant=current_tenant(),
        taken_on=timezone.localdate(),
        staff_accounts=User.objects.filter(is_active=True).count(),
        active_categories=Category.objects.filter(is_active=True).count(),
    )
    return snapshot.pk
