"""Subscription plans a tenant is on (public schema). Metering and invoices
build on this; onboarding puts every new tenant on the trial plan."""

from django.db import models


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
