"""The audit trail: append-only and hash-chained per tenant.

Each entry's hash covers its own content and the previous entry's hash, so an
edited entry breaks its own hash and a deleted one breaks the chain after it.
The database refuses UPDATE/DELETE/TRUNCATE on the table as well (migration
0004); ``wbs audit verify --tenant SLUG`` walks the chain.
Entries hold who did what to which case, never report content.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from casework.models import AuditEntry
from tenants.db import connection

GENESIS = "0" * 64


def _entry_hash(
    *,
    previous_hash: str,
    created_at: str,
    actor_id: int | None,
    actor_label: str,
    action: str,
    case_id: int | None,
    details: dict[str, Any],
) -> str:
    canonical = json.dumps(
        [previous_hash, created_at, actor_id, actor_label, action, case_id, details],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def audit_record(
    *, action: str, actor: Any = None, case_id: int | None = None, at: datetime | None = None, **details: Any
) -> AuditEntry:
    """Append an entry inside the caller's transaction (so it commits or rolls back with the change).

    ``at`` replaces the current time for entries about a reporter's own action,
    which are dated to the day only."""
    # No savepoint of its own: the entry belongs to the caller's transaction.
    with transaction.atomic(savepoint=False):
        # One writer at a time per tenant keeps the chain linear.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"audit:{connection.schema_name}"])
        previous = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first() or GENESIS
        # In UTC, as the database hands it back, so the hash can be recomputed.
        created_at = (at or timezone.now()).astimezone(UTC).replace(microsecond=0)
        actor_id = getattr(actor, "pk", None)
        actor_label = str(getattr(actor, "email", "") or actor or "system")
        entry_hash = _entry_hash(
            previous_hash=previous,
            created_at=created_at.isoformat(),
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            case_id=case_id,
            details=details,
        )
        return AuditEntry.objects.create(
            created_at=created_at,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            case_id=case_id,
            details=details,
            previous_hash=previous,
            entry_hash=entry_hash,
        )


@dataclass
class ChainProblem:
    entry_id: int
    problem: str


def audit_verify() -> tuple[int, list[ChainProblem]]:
    """Walk the chain; returns (entries checked, problems found)."""
    problems: list[ChainProblem] = []
    previous = GENESIS
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        checked += 1
        if entry.previous_hash != previous:
            problems.append(
                ChainProblem(entry.pk, "the entry before it was removed or changed (chain broken)")
            )
        expected = _entry_hash(
            previous_hash=entry.previous_hash,
            created_at=entry.created_at.isoformat(),
            actor_id=entry.actor_id,
            actor_label=entry.actor_label,
            action=entry.action,
            case_id=entry.case_id,
            details=entry.details,
        )
        if expected != entry.entry_hash:
            problems.append(ChainProblem(entry.pk, "its content was edited (hash mismatch)"))
        previous = entry.entry_hash
    return checked, problems
