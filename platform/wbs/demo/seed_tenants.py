"""The two seed tenants (Sulteng and Sukabumi) and their demo accounts.

Used by ``wbs demo`` and the test suite. Idempotent: a tenant that already
exists is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from tenants.accounts.models import StaffRole, User
from tenants.db import connection
from tenants.models import RegionKind, Tenant, TenantStatus, TimeZone
from tenants.onboarding import TenantApplication
from wbs.console.operators import OperatorEnrolment, operator_enrol
from wbs.onboarding import tenant_onboard

DEMO_PASSWORD = "wbs-demo-2026"  # noqa: S105 - demo accounts only, printed by `wbs demo`
DEMO_OPERATOR_EMAIL = "operator@wbs.example"

SEED_APPLICATIONS = [
    TenantApplication(
        slug="sulteng",
        official_name="Pemerintah Provinsi Sulawesi Tengah, Dinas Komunikasi, Informatika, Persandian dan Statistik",
        short_name="WBS Provinsi Sulawesi Tengah",
        region_kind=RegionKind.PROVINCE,
        time_zone=TimeZone.WITA,
        admin_email="admin@sulteng.example",
        admin_name="Administrator WBS Sulteng",
        branding={
            "primary_color": "#0f5132",
            "accent_color": "#f2b705",
            "welcome_text_id": (
                "Laporkan dugaan korupsi, kolusi dan nepotisme, penyalahgunaan wewenang, atau hambatan pelayanan "
                "publik oleh ASN di lingkungan Pemerintah Provinsi Sulawesi Tengah. Pegawai, pihak luar dan "
                "masyarakat dapat melapor tanpa menyebutkan nama."
            ),
            "welcome_text_en": (
                "Report suspected corruption, collusion and nepotism, abuse of authority or obstruction of public "
                "service by civil servants of the Central Sulawesi provincial government. Employees, outside parties "
                "and the public may report without giving their name."
            ),
            "address": "Jl. Sam Ratulangi No. 101, Palu, Sulawesi Tengah",
            "phone": "(0451) 421-000",
            "email": "wbs@sultengprov.example",
            "office_hours": "Senin-Jumat 08.00-16.00 WITA",
        },
    ),
    TenantApplication(
        slug="sukabumi",
        official_name="Inspektorat Daerah Kota Sukabumi",
        short_name="WBS Inspektorat Kota Sukabumi",
        region_kind=RegionKind.CITY,
        time_zone=TimeZone.WIB,
        admin_email="admin@sukabumi.example",
        admin_name="Administrator WBS Sukabumi",
        branding={
            "primary_color": "#7a1f2b",
            "accent_color": "#e0a526",
            "welcome_text_id": (
                "Saluran tertutup Inspektorat Daerah Kota Sukabumi untuk melaporkan dugaan pelanggaran oleh ASN. "
                "Identitas pelapor dan pihak terlapor dirahasiakan, dan hasil penanganan selalu disampaikan kepada "
                "pelapor. Laporan juga dapat disampaikan melalui surat atau datang langsung."
            ),
            "welcome_text_en": (
                "The closed channel of the Sukabumi City Inspectorate for reporting suspected misconduct by civil "
                "servants. The reporter and the reported party are kept secret, and the outcome is always reported "
                "back. Reports are also accepted by letter or in person."
            ),
            "address": "Jl. Ir. H. Juanda No. 2, Kota Sukabumi, Jawa Barat",
            "phone": "(0266) 221-123",
            "email": "inspektorat@sukabumikota.example",
            "office_hours": "Senin-Jumat 07.30-16.00 WIB",
        },
    ),
]

# One demo account per role, per seed tenant.
DEMO_STAFF = [
    ("verifikator", "Petugas Penerimaan", [StaffRole.INTAKE_OFFICER]),
    ("pemeriksa", "Pemeriksa", [StaffRole.INVESTIGATOR]),
    ("inspektur", "Inspektur", [StaffRole.SUPERVISOR]),
    ("kustodian", "Penjaga Identitas", [StaffRole.IDENTITY_CUSTODIAN]),
    ("auditor", "Auditor", [StaffRole.AUDITOR]),
]


@dataclass
class SeededTenant:
    tenant: Tenant
    logins: list[tuple[str, str]]  # (email, roles)


def seed_demo_tenants() -> list[SeededTenant]:
    seeded = []
    for application in SEED_APPLICATIONS:
        tenant = Tenant.objects.filter(schema_name=application.slug).first()
        if tenant is None:
            tenant = tenant_onboard(application).tenant
            with transaction.atomic():
                tenant.status = TenantStatus.ACTIVE
                tenant.save(update_fields=["status"])
        seeded.append(SeededTenant(tenant=tenant, logins=_ensure_demo_staff(tenant, application)))
    return seeded


def _ensure_demo_staff(tenant: Tenant, application: TenantApplication) -> list[tuple[str, str]]:
    logins = []
    with schema_context(tenant.schema_name), transaction.atomic():
        admin = User.objects.get(email=application.admin_email)
        if not admin.has_usable_password():
            admin.set_password(DEMO_PASSWORD)
            admin.save(update_fields=["password"])
        logins.append((admin.email, "administrator"))
        for local_part, name, roles in DEMO_STAFF:
            email = f"{local_part}@{tenant.schema_name}.example"
            user, created = User.objects.get_or_create(
                email=email,
                defaults={"username": email, "full_name": f"{name} {tenant.short_name}", "roles": roles},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            logins.append((email, ", ".join(roles)))
    connection.set_schema_to_public()
    return logins


def ensure_demo_operator() -> OperatorEnrolment:
    """The demo's operator, with the demo password and an authenticator (made once; the
    demo prints its QR code every run, which only a demo may do)."""
    operator = User.objects.filter(email=DEMO_OPERATOR_EMAIL).first()
    device = TOTPDevice.objects.filter(user=operator, confirmed=True).first() if operator else None
    if operator is None or device is None:
        return operator_enrol(
            email=DEMO_OPERATOR_EMAIL,
            full_name="Operator Platform",
            password=DEMO_PASSWORD,
            new_authenticator=True,
        )
    return OperatorEnrolment(operator=operator, created=False, password=None, device=device)
