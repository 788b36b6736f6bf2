"""Dates as the tenant sees them (its own time zone: WIB, WITA or WIT)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from tenants.db import current_tenant


def tenant_zone() -> ZoneInfo:
    return ZoneInfo(current_tenant().time_zone)


def tenant_today() -> date:
    return timezone.localdate(timezone=tenant_zone())


def tenant_now() -> datetime:
    return timezone.localtime(timezone=tenant_zone())
