"""A tenant's plan moves from the tenant row to billing's own Subscription, so the
tenancy core knows nothing of billing. Existing tenants keep their plan (copied
here, before tenants 0002 drops the column)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def copy_plans(apps, schema_editor):
    Tenant = apps.get_model("tenants", "Tenant")
    Subscription = apps.get_model("billing", "Subscription")
    Subscription.objects.bulk_create(
        Subscription(tenant_id=tenant_id, plan_id=plan_id)
        for tenant_id, plan_id in Tenant.objects.exclude(plan=None).values_list("pk", "plan_id")
    )


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_usagesnapshot"), ("tenants", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="Subscription",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("started_on", models.DateField(default=django.utils.timezone.localdate)),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="subscriptions", to="billing.plan"
                    ),
                ),
                (
                    "tenant",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE, related_name="subscription", to="tenants.tenant"
                    ),
                ),
            ],
        ),
        migrations.RunPython(copy_plans, migrations.RunPython.noop),
    ]
