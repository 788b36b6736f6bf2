"""Casework's Celery tasks: thin wrappers that call services.

The beat runs the ``*_due`` tasks for the whole platform; each queues the tenants
whose turn it is, spread over the hour (``tenant-schemas-celery`` carries the
tenant with each queued task).
"""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from casework.services import reminders, retention
from tenants.models import Tenant, TenantStatus


@shared_task
def send_reminders_due() -> int:
    """Runs every five minutes (beat); queues the reminders of the tenants whose slot it is."""
    now = timezone.now()
    queued = 0
    tenants = (
        Tenant.objects.filter(status__in=[TenantStatus.TRIAL, TenantStatus.ACTIVE])
        .exclude(schema_name=get_public_schema_name())
        .values_list("schema_name", "time_zone")
    )
    for schema_name, time_zone in tenants:
        if reminders.reminders_run_now(schema_name, time_zone, now):
            with schema_context(schema_name):
                send_deadline_reminders.delay()
            queued += 1
    return queued


@shared_task
def send_deadline_reminders() -> int:
    """This tenant's due reminders and escalations, each sent once."""
    return reminders.send_deadline_reminders()


@shared_task
def shred_expired_cases() -> int:
    """This tenant's cases whose retention has passed."""
    return retention.shred_expired_cases()


@shared_task
def shred_expired_cases_due() -> int:
    """Runs hourly (beat): queues every tenant's shredding, each at its own point in the hour."""
    queued = 0
    for schema_name in Tenant.objects.exclude(schema_name=get_public_schema_name()).values_list(
        "schema_name", flat=True
    ):
        with schema_context(schema_name):
            shred_expired_cases.apply_async(
                countdown=retention.retention_slot(schema_name) * retention.SLOT_SECONDS
            )
        queued += 1
    return queued
