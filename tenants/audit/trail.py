"""The audit trail: append-only and hash-chained per tenant.

Each entry's hash covers its own content and the previous entry's hash, so an
edited entry breaks its own hash and a deleted one breaks the chain after it.
The database keeps the chain itself (migration 0002): a trigger takes the
tenant's chain lock, links and hashes every inserted entry with the SQL function
``audit_entry_hash``, and other triggers refuse UPDATE, DELETE and TRUNCATE.
``audit_verify`` (``wbs audit verify --tenant SLUG``) recomputes every hash with
the same function. Entries hold who did what to which case, never report content.

An entry is written inside the service's transaction, so it commits or rolls back
with the change; the chain lock is then held until that commit, which is why no
service does slow work (file storage, mail) after its first audited write.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.db.models import CharField, F, Func
from django.utils import timezone

from tenants.audit.models import AuditEntry

GENESIS = "0" * 64


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


def lock_audit_chains(schema_names: Iterable[str]) -> None:
    """Take the chain locks of several tenants, always in the same (sorted) order, before
    appending to their trails in one transaction; the trigger's own lock is then a no-op."""
    with connection.cursor() as cursor:
        for schema_name in sorted(set(schema_names)):
            cursor.execute("SELECT audit_chain_lock(%s)", [schema_name])


class EntryHash(Func):
    """The database's own hash of an entry (the chain trigger's function)."""

    function = "audit_entry_hash"
    output_field = CharField()

    def __init__(self) -> None:
        columns = ("previous_hash", "created_at", "actor_id", "actor_label", "action", "case_id", "details")
        super().__init__(*(F(column) for column in columns))


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
        .annotate(expected_hash=EntryHash())
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
