"""Entries about a reporter's own actions wait here, dated to the day only, until the
batch after their day appends them to the chain (tenants/audit/held_entries.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_hash_defined_once'),
    ]

    operations = [
        migrations.CreateModel(
            name='HeldAuditEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('actor_id', models.BigIntegerField(null=True)),
                ('actor_label', models.CharField(max_length=200)),
                ('action', models.CharField(max_length=40)),
                ('case_id', models.BigIntegerField(null=True)),
                ('details', models.JSONField(default=dict)),
            ],
            options={
                'db_table': 'audit_held_entry',
            },
        ),
    ]
