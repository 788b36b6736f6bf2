"""The audit table under its own name, its hash defined once, its lock callable.

- ``audit_entry_hash(...)``: the one definition of an entry's hash (SHA-256 of the
  jsonb array: previous hash, UTC time, actor id, actor label, action, case id,
  details). The chain trigger uses it to write an entry, ``wbs audit verify`` to
  recompute it: the two can no longer disagree.
- ``audit_chain_lock(schema)``: the tenant's chain lock (a transaction-level
  advisory lock). The trigger takes it for its own schema; a write that appends to
  two tenants' trails (forwarding) takes both first, in one fixed order, so two
  tenants forwarding to each other cannot deadlock.
- The table, its id sequence, triggers and functions are renamed from casework_*.
Hashes are unchanged: the function computes exactly what migration
casework 0007 did inline.
"""

from django.db import migrations

FORWARD = r"""
ALTER TABLE casework_auditentry RENAME TO audit_entry;
ALTER SEQUENCE casework_auditentry_id_seq RENAME TO audit_entry_id_seq;
DROP TRIGGER casework_auditentry_chain ON audit_entry;
DROP FUNCTION casework_audit_chain();
DROP TRIGGER casework_auditentry_append_only ON audit_entry;
DROP TRIGGER casework_auditentry_no_truncate ON audit_entry;
DROP FUNCTION casework_audit_refuse_change();

CREATE FUNCTION audit_entry_hash(
    previous_hash text, created_at timestamptz, actor_id bigint, actor_label text,
    action text, case_id bigint, details jsonb
) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to(jsonb_build_array(
        previous_hash,
        to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        actor_id, actor_label, action, case_id, details
    )::text, 'UTF8')), 'hex')
$$;

CREATE FUNCTION audit_chain_lock(schema_name text) RETURNS void LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(hashtext('audit:' || schema_name))
$$;

CREATE FUNCTION audit_chain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- One writer at a time per tenant; ids are taken under the lock, so id order is chain order.
    PERFORM audit_chain_lock(TG_TABLE_SCHEMA);
    NEW.id := nextval('audit_entry_id_seq');
    NEW.previous_hash := coalesce(
        (SELECT entry_hash FROM audit_entry ORDER BY id DESC LIMIT 1), repeat('0', 64)
    );
    NEW.entry_hash := audit_entry_hash(
        NEW.previous_hash, NEW.created_at, NEW.actor_id, NEW.actor_label, NEW.action, NEW.case_id, NEW.details
    );
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_entry_chain BEFORE INSERT ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_chain();

CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP;
END;
$$;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    # audit is a tenant app, so the router runs this in tenant schemas only.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AlterModelTable(name="auditentry", table="audit_entry")],
            database_operations=[migrations.RunSQL(FORWARD, hints={"model_name": "auditentry"})],
        )
    ]
