from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0007_random_case_references"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="notice",
            field=models.CharField(blank=True, default="", max_length=40),
        ),
    ]
