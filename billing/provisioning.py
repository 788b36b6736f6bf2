"""A new tenant starts on the trial plan (run by onboarding, in its transaction)."""

from __future__ import annotations

from billing.models import Subscription, trial_plan
from tenants.models import Tenant
from tenants.onboarding import TenantApplication


def provision_billing(tenant: Tenant, application: TenantApplication) -> None:
    Subscription.objects.create(tenant=tenant, plan=trial_plan())
