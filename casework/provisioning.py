"""What a new tenant's casework starts with: its deadlines, by region kind.

Deadlines follow the norms in the guide: SP4N-LAPOR! (acknowledge/forward in 3
working days, answer in 5, close 10 after the answer), Perpres 76/2013 (settle in
60 days). Provinces oversee more bodies and get more time to verify. Run by
onboarding inside its transaction, with the new tenant's schema selected.
"""

from __future__ import annotations

from dataclasses import dataclass

from casework.models import DeadlinePolicy
from tenants.models import RegionKind, Tenant
from tenants.onboarding import TenantApplication


@dataclass(frozen=True)
class DeadlineDefaults:
    acknowledge_days: int
    verification_days: int
    answer_days: int
    conclude_days: int
    close_after_answer_days: int = 10


DEADLINES_BY_REGION_KIND: dict[str, DeadlineDefaults] = {
    RegionKind.PROVINCE: DeadlineDefaults(
        acknowledge_days=3, verification_days=10, answer_days=14, conclude_days=60
    ),
    RegionKind.REGENCY: DeadlineDefaults(
        acknowledge_days=3, verification_days=5, answer_days=14, conclude_days=60
    ),
    RegionKind.CITY: DeadlineDefaults(
        acknowledge_days=3, verification_days=5, answer_days=14, conclude_days=60
    ),
    RegionKind.AGENCY: DeadlineDefaults(
        acknowledge_days=3, verification_days=5, answer_days=5, conclude_days=60
    ),
}


def provision_casework(tenant: Tenant, application: TenantApplication) -> None:
    deadlines = DEADLINES_BY_REGION_KIND[application.region_kind]
    DeadlinePolicy.objects.create(
        acknowledge_days=deadlines.acknowledge_days,
        verification_days=deadlines.verification_days,
        answer_days=deadlines.answer_days,
        conclude_days=deadlines.conclude_days,
        close_after_answer_days=deadlines.close_after_answer_days,
    )
