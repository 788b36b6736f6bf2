"""Writes of billing."""

from __future__ import annotations

from datetime import date

from billing.models import UsageSnapshot
from tenants.models import Tenant


def usage_snapshot_record(
    *, tenant: Tenant, taken_on: date, staff_accounts: int, active_categories: int, stored_bytes: int = 0
) -> UsageSnapshot:
    """What a tenant used on a day (counted by the platform's metering, wbs.metering)."""
    snapshot, _ = UsageSnapshot.objects.update_or_create(
        tenant=tenant,
        taken_on=taken_on,
        defaults={
            "staff_accounts": staff_accounts,
            "active_categories": active_categories,
            "stored_bytes": stored_bytes,
        },
    )
    return snapshot
