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
