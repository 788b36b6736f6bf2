"""Case references become random per year (intake/references.py): a column on the
report, backfilled for existing reports, unique per tenant. Existing references
change: the old sequential ones told the order of arrival and, by their gaps, how many
cases a reader could not see."""

import secrets

from django.db import migrations, models

SYMBOLS = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # as intake/references.py, frozen here


def backfill(apps, schema_editor):
    Report = apps.get_model("intake", "Report")
    taken: set[str] = set()
    reports = list(Report.objects.filter(reference="").only("pk", "received_on"))
    for report in reports:
        while True:
            reference = f"WBS-{report.received_on.year:04d}-{''.join(secrets.choice(SYMBOLS) for _ in range(5))}"
            if reference not in taken:
                break
        taken.add(reference)
        report.reference = reference
    Report.objects.bulk_update(reports, ["reference"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("intake", "0006_mailbox_sessions_leave_the_database")]

    operations = [
        migrations.AddField(
            model_name="report", name="reference", field=models.CharField(default="", max_length=20),
            preserve_default=False,
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.UniqueConstraint(fields=("reference",), name="report_reference_unique"),
        ),
    ]
