"""A case carries its report's random reference (intake 0006): staff URLs and the API
name cases by it, and the queue breaks ties between equal deadlines by it instead of by
id, which ordered each day's arrivals."""

from django.db import migrations, models
from django.db.models import F

COPY_REFERENCES = """
UPDATE casework_case SET reference = intake_report.reference
FROM intake_report WHERE intake_report.id = casework_case.report_id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0010_exclusion_lifting"),
        ("intake", "0007_random_case_references"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="reference",
            field=models.CharField(default="", max_length=20),
            preserve_default=False,
        ),
        migrations.RunSQL(COPY_REFERENCES, migrations.RunSQL.noop, hints={"model_name": "case"}),
        migrations.RemoveIndex(model_name="case", name="case_next_due"),
        migrations.RemoveIndex(model_name="case", name="case_latest_due"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                models.OrderBy(F("next_due"), nulls_last=True), F("reference"), name="case_next_due_reference"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                models.OrderBy(F("next_due"), descending=True, nulls_last=True),
                F("reference"),
                name="case_latest_due_reference",
            ),
        ),
    ]
