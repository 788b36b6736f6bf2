"""Onboarding as the platform composes it: the tenancy core creates the tenant, and
each app provisions what it needs, in this order, in the same transaction."""

from __future__ import annotations

from billing.provisioning import provision_billing
from casework.provisioning import provision_casework
from intake.provisioning import provision_intake
from tenants.onboarding import OnboardingResult, TenantApplication, create_tenant

PROVISIONING = (provision_intake, provision_casework, provision_billing)


def tenant_onboard(application: TenantApplication) -> OnboardingResult:
    """Onboard an inspectorate (raises InvalidInput, with nothing written, for bad input)."""
    return create_tenant(application, provisioning=PROVISIONING)
