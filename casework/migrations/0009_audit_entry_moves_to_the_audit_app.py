"""AuditEntry now belongs to the audit app of the tenancy core (audit 0001 took it
over); the table stays where it is, so this changes Django's state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("casework", "0008_drop_useless_indexes"), ("audit", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEntry")], database_operations=[]
        )
    ]
