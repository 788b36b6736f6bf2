"""Plans, each tenant's subscription to one, and daily usage (public schema).
Metering and invoices build on this; onboarding puts every new tenant on the
trial plan (billing.provisioning)."""

from django.db import models
from django.utils import timezone


class Plan(models.Model):
    code = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    monthly_fee_idr = models.PositiveBigIntegerField(default=0)
    staff_seats = models.PositiveIntegerField(default=10)
    storage_gib = models.PositiveIntegerField(default=5)

    def __str__(self) -> str:
        return self.name


TRIAL_PLAN_CODE = "trial"


def trial_plan() -> Plan:
    plan, _ = Plan.objects.get_or_create(
        code=TRIAL_PLAN_CODE, defaults={"name": "Percobaan 90 hari", "staff_seats": 5, "storage_gib": 1}
    )
    return plan


class Subscription(models.Model):
    """The plan a tenant is on. Billing knows the tenant; the tenant knows nothing of billing."""

    tenant = models.OneToOneField("tenants.Tenant", on_delete=models.CASCADE, related_name="subscription")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    started_on = models.DateField(default=timezone.localdate)

    def __str__(self) -> str:
        return f"{self.tenant_id} on {self.plan_id}"


class UsageSnapshot(models.Model):
    """What one tenant used on one day: counted inside the tenant, stored centrally,
    so the operator sees usage without reading anything of the tenant's."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="usage_snapshots")
    taken_on = models.DateField()
    staff_accounts = models.PositiveIntegerField()
    active_categories = models.PositiveIntegerField()
    stored_bytes = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "taken_on"], name="one_usage_snapshot_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id} on {self.taken_on}"
