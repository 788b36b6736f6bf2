"""The plan now lives in billing's Subscription (billing 0003 copied it there)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("tenants", "0001_initial"), ("billing", "0003_subscription")]

    operations = [migrations.RemoveField(model_name="tenant", name="plan")]
