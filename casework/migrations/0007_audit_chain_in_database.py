"""The database links each audit entry to the one before it, inside the INSERT.

A BEFORE INSERT trigger takes the tenant's audit lock, numbers the entry after
every entry already committed, and computes both hashes. So every writer (the
ORM, a report arriving in a single statement, a psql session) gets the same
chain without a lock-and-read round trip of its own, and no code path can
append an entry with a wrong link.

The hash covers the jsonb array (previous hash, UTC time, actor id, actor
label, action, case id, details), as PostgreSQL prints it; casework.audit
recomputes it with the same expression to verify. Entries written under the
earlier Python-computed scheme are re-hashed here, in order.
"""

from django.db import migrations

# Kept in step with casework.audit.ENTRY_HASH_SQL, which verification recomputes
# (tests/test_audit_trail.py fails if the two disagree).
CHAIN = """
CREATE OR REPLACE FUNCTION casework_audit_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- One writer at a time per tenant; ids are taken under the lock, so id order is chain order.
    PERFORM pg_advisory_xact_lock(hashtext('audit:' || TG_TABLE_SCHEMA));
    NEW.id := nextval('casework_auditentry_id_seq');
    NEW.previous_hash := coalesce(
        (SELECT entry_hash FROM casework_auditentry ORDER BY id DESC LIMIT 1), repeat('0', 64)
    );
    NEW.entry_hash := encode(sha256(convert_to(jsonb_build_array(
        NEW.previous_hash,
        to_char(NEW.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        NEW.actor_id, NEW.actor_label, NEW.action, NEW.case_id, NEW.details
    )::text, 'UTF8')), 'hex');
    RETURN NEW;
END;
$$;
CREATE TRIGGER casework_auditentry_chain
    BEFORE INSERT ON casework_auditentry
    FOR EACH ROW EXECUTE FUNCTION casework_audit_chain();
"""

REHASH_EXISTING = """
ALTER TABLE casework_auditentry DISABLE TRIGGER casework_auditentry_append_only;
DO $$
DECLARE
    entry record;
    previous text := repeat('0', 64);
BEGIN
    FOR entry IN SELECT * FROM casework_auditentry ORDER BY id LOOP
        UPDATE casework_auditentry SET previous_hash = previous, entry_hash = encode(sha256(convert_to(
            jsonb_build_array(
                previous,
                to_char(entry.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                entry.actor_id, entry.actor_label, entry.action, entry.case_id, entry.details
            )::text, 'UTF8')), 'hex')
        WHERE id = entry.id
        RETURNING entry_hash INTO previous;
    END LOOP;
END;
$$;
ALTER TABLE casework_auditentry ENABLE TRIGGER casework_auditentry_append_only;
"""

UNCHAIN = """
DROP TRIGGER IF EXISTS casework_auditentry_chain ON casework_auditentry;
DROP FUNCTION IF EXISTS casework_audit_chain();
"""


class Migration(migrations.Migration):
    dependencies = [("casework", "0006_event_time_settable")]

    # casework is a tenant app, so the router runs these in tenant schemas only.
    operations = [
        migrations.RunSQL(REHASH_EXISTING, migrations.RunSQL.noop, hints={"model_name": "auditentry"}),
        migrations.RunSQL(CHAIN, UNCHAIN, hints={"model_name": "auditentry"}),
    ]
