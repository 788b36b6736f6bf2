"""Mailbox sessions live in Redis with a time to live (intake/services/mailbox.py): the
table that kept each session's expiry, and so a reporter's last action, goes. Sessions
open at deploy end; reporters open their mailbox again with the receipt."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0005_remove_shared_submission_cap'),
    ]

    operations = [
        migrations.DeleteModel(
            name='ReporterSession',
        ),
    ]
