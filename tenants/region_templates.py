"""What a new tenant starts with, by region kind: its categories and deadlines.

Deadlines follow the norms in the guide: SP4N-LAPOR! (acknowledge/forward in 3
working days, answer in 5, close 10 after the answer), Perpres 76/2013 (settle in
60 days). Provinces oversee more bodies and get more time to verify.
"""

from dataclasses import dataclass

from tenants.models import RegionKind

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


def categories_for(region_kind: str) -> list[tuple[str, str, str]]:
    # Provinces and regencies run the large procurement budgets: give that its own category.
    if region_kind in {RegionKind.PROVINCE, RegionKind.REGENCY}:
        return [*DEFAULT_CATEGORIES[:-1], PROCUREMENT_CATEGORY, DEFAULT_CATEGORIES[-1]]
    return list(DEFAULT_CATEGORIES)
