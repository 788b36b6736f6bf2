"""What a new tenant's intake starts with: its categories (by region kind) and its own keys.

Run by onboarding (tenants.onboarding) inside its transaction, with the new
tenant's schema selected; the platform lists it among the provisioning steps.
"""

from __future__ import annotations

from intake.encryption import ensure_tenant_keys
from intake.models import Category
from tenants.models import RegionKind, Tenant
from tenants.onboarding import TenantApplication

# (code, Indonesian name, English name)
DEFAULT_CATEGORIES: list[tuple[str, str, str]] = [
    ("korupsi", "Korupsi", "Corruption"),
    ("kolusi-nepotisme", "Kolusi dan nepotisme", "Collusion and nepotism"),
    ("pungli", "Pungutan liar", "Illegal levies"),
    ("gratifikasi", "Gratifikasi", "Gratification"),
    ("penyalahgunaan-wewenang", "Penyalahgunaan wewenang", "Abuse of authority"),
    ("benturan-kepentingan", "Benturan kepentingan", "Conflict of interest"),
    ("penyalahgunaan-aset", "Penyalahgunaan aset negara", "Misuse of state assets"),
    ("disiplin-asn", "Pelanggaran disiplin atau etika ASN", "Civil servant discipline or ethics"),
    ("hambatan-layanan", "Hambatan pelayanan publik", "Obstruction of public service"),
    ("lainnya", "Lainnya", "Other"),
]

PROCUREMENT_CATEGORY = ("pengadaan", "Penyimpangan pengadaan barang/jasa", "Procurement irregularities")


def categories_for(region_kind: str) -> list[tuple[str, str, str]]:
    # Provinces and regencies run the large procurement budgets: give that its own category.
    if region_kind in {RegionKind.PROVINCE, RegionKind.REGENCY}:
        return [*DEFAULT_CATEGORIES[:-1], PROCUREMENT_CATEGORY, DEFAULT_CATEGORIES[-1]]
    return list(DEFAULT_CATEGORIES)


def provision_intake(tenant: Tenant, application: TenantApplication) -> None:
    Category.objects.bulk_create(
        Category(code=code, name_id=name_id, name_en=name_en, position=position)
        for position, (code, name_id, name_en) in enumerate(categories_for(application.region_kind))
    )
    ensure_tenant_keys()
