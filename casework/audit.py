"""The audit trail: append-only and hash-chained per tenant.

Each entry's hash covers its own content and the previous entry's hash, so an
edited entry breaks its own hash and a deleted one breaks the chain after it.
The database keeps the chain itself: a trigger (migration 0007) takes the
tenant's audit lock, links and hashes every inserted entry, and another
(migration 0004) refuses UPDATE/DELETE/TRUNCATE. ``wbs audit verify --tenant
SLUG`` walks the chain. Entries hold who did what to which case, never report
content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models.expressions import RawSQL
from django.utils import timezone

from casework.models import AuditEntry

GENESIS = "0" * 64

# What the chain trigger hashes, over a row of casework_auditentry (kept in step
# with migration 0007: every verify test fails if the two disagree).
ENTRY_HASH_SQL = """encode(sha256(convert_to(jsonb_build_array(
        previous_hash,
        to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        actor_id, actor_label, action, case_id, details
    )::text, 'UTF8')), 'hex')"""


def actor_label(actor: Any) -> str:
    return str(getattr(actor, "email", "") or actor or "system")


def audit_entry_values(
    *, action: str, actor: Any = None, case_id: int | None = None, at: datetime | None = None, **details: Any
) -> dict[str, Any]:
    """An entry's columns; the database fills in its id and hashes on insert."""
    return {
        # Whole seconds, in UTC: the time is part of what is hashed.
        "created_at": (at or timezone.now()).astimezone(UTC).replace(microsecond=0),
        "actor_id": getattr(actor, "pk", None),
        "actor_label": actor_label(actor),
        "action": action,
        "case_id": case_id,
        "details": details,
    }


def audit_record(
    *, action: str, actor: Any = None, case_id: int | None = None, at: datetime | None = None, **details: Any
) -> AuditEntry:
    """Append an entry inside the caller's transaction (so it commits or rolls back with the change).

    ``at`` replaces the current time for entries about a reporter's own action,
    which are dated to the day only. The returned entry has its id, not its hashes
    (read it again for those)."""
    entry = AuditEntry(**audit_entry_values(action=action, actor=actor, case_id=case_id, at=at, **details))
    entry.save(force_insert=True)
    return entry


@dataclass
class ChainProblem:
    entry_id: int
    problem: str


def audit_verify() -> tuple[int, list[ChainProblem]]:
    """Walk the chain; returns (entries checked, problems found)."""
    problems: list[ChainProblem] = []
    previous = GENESIS
    checked = 0
    entries = (
        AuditEntry.objects.order_by("id")
        .annotate(expected_hash=RawSQL(ENTRY_HASH_SQL, []))  # noqa: S611 - a constant, no input
        .values_list("id", "previous_hash", "entry_hash", "expected_hash")
    )
    for entry_id, previous_hash, entry_hash, expected_hash in entries.iterator(chunk_size=2000):
        checked += 1
        if previous_hash != previous:
            problems.append(
                ChainProblem(entry_id, "the entry before it was removed or changed (chain broken)")
            )
        if expected_hash != entry_hash:
            problems.append(ChainProblem(entry_id, "its content was edited (hash mismatch)"))
        previous = entry_hash
    return checked, problems
