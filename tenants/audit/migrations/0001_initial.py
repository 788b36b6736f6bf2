"""The audit trail becomes its own app in the tenancy core.

The table already exists in every tenant schema (casework's migrations 0003 to
0008 made it, with its triggers), so this only takes the model over in Django's
state; casework 0009 lets go of it. Migration 0002 renames the table.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("casework", "0008_drop_useless_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField()),
                        ("actor_id", models.BigIntegerField(null=True)),
                        ("actor_label", models.CharField(max_length=200)),
                        ("action", models.CharField(max_length=40)),
                        ("case_id", models.BigIntegerField(db_index=True, null=True)),
                        ("details", models.JSONField(default=dict)),
                        ("previous_hash", models.CharField(max_length=64)),
                        ("entry_hash", models.CharField(max_length=64)),
                    ],
                    options={
                        "verbose_name_plural": "audit entries",
                        "ordering": ["id"],
                        "db_table": "casework_auditentry",
                        "constraints": [
                            models.UniqueConstraint(fields=("entry_hash",), name="audit_entry_hash_unique")
                        ],
                    },
                )
            ],
            database_operations=[],
        )
    ]
