"""The tenant's audit trail: one table in each tenant schema (tenants/audit/trail.py)."""

from django.db import models


class AuditEntry(models.Model):
    """Append-only, hash-chained record of everything that matters.

    The database refuses UPDATE, DELETE and TRUNCATE on this table, and a trigger
    links and hashes each inserted entry (migration 0002): an entry's hash covers
    the previous one's, with the one SQL function ``audit_entry_hash``.
    """

    created_at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True)
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=40)
    case_id = models.BigIntegerField(null=True, db_index=True)
    details = models.JSONField(default=dict)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        db_table = "audit_entry"
        ordering = ["id"]
        verbose_name_plural = "audit entries"
        # A constraint rather than unique=True: a unique CharField also gets a LIKE
        # index, which no query on a hash uses and every append would pay for.
        constraints = [models.UniqueConstraint(fields=["entry_hash"], name="audit_entry_hash_unique")]

    def __str__(self) -> str:
        return f"audit {self.pk}: {self.action}"


class HeldAuditEntry(models.Model):
    """An entry about a reporter's own action, held out of the chain until its day is over.

    Its place in the chain would say when in the day the reporter acted (between staff
    actions with real times), so it keeps only the day and is appended later, in a
    batch in random order (``tenants.audit.held_entries``)."""

    day = models.DateField()  # in the tenant's time zone; never a time
    actor_id = models.BigIntegerField(null=True)
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=40)
    case_id = models.BigIntegerField(null=True)
    details = models.JSONField(default=dict)

    class Meta:
        db_table = "audit_held_entry"

    def __str__(self) -> str:
        return f"held audit entry: {self.action} on {self.day}"
