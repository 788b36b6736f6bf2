"""The database itself refuses to change or remove audit entries."""

from django.db import migrations

REFUSE = """
CREATE OR REPLACE FUNCTION casework_audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP;
END;
$$;
CREATE TRIGGER casework_auditentry_append_only
    BEFORE UPDATE OR DELETE ON casework_auditentry
    FOR EACH ROW EXECUTE FUNCTION casework_audit_refuse_change();
CREATE TRIGGER casework_auditentry_no_truncate
    BEFORE TRUNCATE ON casework_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION casework_audit_refuse_change();
"""

ALLOW = """
DROP TRIGGER IF EXISTS casework_auditentry_no_truncate ON casework_auditentry;
DROP TRIGGER IF EXISTS casework_auditentry_append_only ON casework_auditentry;
DROP FUNCTION IF EXISTS casework_audit_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("casework", "0003_auditentry_reporternotice_retentionpolicy_and_more")]

    # casework is a tenant app, so the router runs this in tenant schemas only.
    operations = [migrations.RunSQL(REFUSE, ALLOW, hints={"model_name": "auditentry"})]
