"""Entries about a reporter's own actions reach the chain only after their day is over.

An entry's place in the chain orders it among the staff actions around it, which carry
real times: a report's arrival written straight into the chain would be dated to the
day but placed to the minute. So whatever a reporter does (a report arrives, a reply,
more evidence) is held in ``audit_held_entry`` with its day only (the tenant's time
zone) and appended later by a batch:

- the entries of day D are appended by the first batch run at or after ``GRACE`` past
  the end of D (tenant time), all of D's entries together, in random order, each dated
  midnight of D. Their place in the chain then says only "before this batch", which the
  date already says. The grace keeps an arrival that commits a moment after midnight
  from missing its day's batch and standing alone in the next one;
- so today's reporter actions show in the audit trail from the next day on (the staff
  page says so);
- a batch takes the tenant's chain lock first and reads the held entries under it, so
  two batches running at once append each entry once: the second finds them gone.

The beat task (every 15 minutes) visits only tenants that hold entries: a Redis set of
schema names (no time, no count) that a reporter's action adds its tenant to. A batch
takes its tenant out of the set before it looks and puts it back if anything is still
held, so an entry that commits meanwhile is never left without its tenant in the set.
If Redis cannot be reached when an entry is held, the action still succeeds; the tenant
is added again by its next held entry.
"""

from __future__ import annotations

import logging
import secrets
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django_redis import get_redis_connection
from redis.exceptions import RedisError

from tenants.audit.models import AuditEntry, HeldAuditEntry
from tenants.audit.trail import actor_label, audit_entry_values, lock_audit_chains
from tenants.clock import tenant_now, tenant_today, tenant_zone
from tenants.db import current_schema_name

logger = logging.getLogger(__name__)

GRACE = timedelta(hours=1)


def _held_tenants_key() -> str:
    # One key for the whole platform (not tenant-prefixed): the beat reads it from the public schema.
    return f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:audit-held-tenants"


def held_entry_values(
    *, action: str, actor: Any = None, case_id: int | None = None, day: date | None = None, **details: Any
) -> dict[str, Any]:
    """A held entry's columns, dated ``day`` or today (tenant time): for ``insert_linked``."""
    return {
        "day": day or tenant_today(),
        "actor_id": getattr(actor, "pk", None),
        "actor_label": actor_label(actor),
        "action": action,
        "case_id": case_id,
        "details": details,
    }


def audit_hold(*, action: str, actor: Any = None, case_id: int | None = None, **details: Any) -> None:
    """Hold an entry about a reporter's action, inside the caller's transaction."""
    HeldAuditEntry.objects.create(**held_entry_values(action=action, actor=actor, case_id=case_id, **details))
    transaction.on_commit(note_held_entries)


def note_held_entries() -> None:
    """Put the current tenant in the set the beat visits (after the held entry committed)."""
    try:
        get_redis_connection("default").sadd(_held_tenants_key(), current_schema_name())
    except RedisError:
        # The reporter's action stands; the entry waits for the tenant's next one.
        logger.warning("audit: could not note held entries of tenant %s", current_schema_name())


def tenants_with_held_entries() -> list[str]:
    members = get_redis_connection("default").smembers(_held_tenants_key())
    return sorted(member.decode() if isinstance(member, bytes) else member for member in members)


def forget_tenant(schema_name: str) -> None:
    get_redis_connection("default").srem(_held_tenants_key(), schema_name)


def days_due(now: datetime | None = None) -> date:
    """Entries of days before this one are due (tenant time)."""
    return ((now or tenant_now()).astimezone(tenant_zone()) - GRACE).date()


def held_days_due(now: datetime | None = None) -> list[date]:
    """The days whose held entries the next batch appends."""
    return list(
        HeldAuditEntry.objects.filter(day__lt=days_due(now))
        .values_list("day", flat=True)
        .distinct()
        .order_by("day")
    )


def append_held_entries(now: datetime | None = None) -> int:
    """Append the held entries of every finished day to the chain; returns how many."""
    forget_tenant(current_schema_name())
    appended = 0
    try:
        with transaction.atomic():
            lock_audit_chains([current_schema_name()])
            due = list(HeldAuditEntry.objects.filter(day__lt=days_due(now)).order_by("day"))
            by_day: dict[date, list[HeldAuditEntry]] = {}
            for held in due:
                by_day.setdefault(held.day, []).append(held)
            entries: list[AuditEntry] = []
            for day, held_that_day in sorted(by_day.items()):
                secrets.SystemRandom().shuffle(held_that_day)
                midnight = datetime.combine(day, time.min, tzinfo=tenant_zone())
                for held in held_that_day:
                    values = audit_entry_values(
                        action=held.action, case_id=held.case_id, at=midnight, **held.details
                    )
                    values.update(actor_id=held.actor_id, actor_label=held.actor_label)
                    entries.append(AuditEntry(**values))
            if entries:
                AuditEntry.objects.bulk_create(entries)
                HeldAuditEntry.objects.filter(pk__in=[held.pk for held in due]).delete()
                appended = len(entries)
    finally:
        if HeldAuditEntry.objects.exists():
            note_held_entries()
    return appended
