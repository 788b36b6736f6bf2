"""Tenants (one per regional inspectorate) and the host names they answer on.

These live in the public schema. Everything a tenant owns lives in its own
schema, named after its slug.
"""

from django.db import models
from django_tenants.models import DomainMixin, TenantMixin


class RegionKind(models.TextChoices):
    PROVINCE = "province", "Provinsi"
    REGENCY = "regency", "Kabupaten"
    CITY = "city", "Kota"
    AGENCY = "agency", "Instansi lain"


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", "WIB (Asia/Jakarta)"
    WITA = "Asia/Makassar", "WITA (Asia/Makassar)"
    WIT = "Asia/Jayapura", "WIT (Asia/Jayapura)"


class TenantStatus(models.TextChoices):
    TRIAL = "trial", "Percobaan"
    ACTIVE = "active", "Aktif"
    SUSPENDED = "suspended", "Ditangguhkan"
    ARCHIVED = "archived", "Diarsipkan"


class Tenant(TenantMixin):
    # The schema is created by onboarding (tenants/onboarding.py), not on save().
    auto_create_schema = False
    auto_drop_schema = False

    official_name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=80)
    region_kind = models.CharField(max_length=16, choices=RegionKind.choices)
    parent_province = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="child_regions",
        limit_choices_to={"region_kind": RegionKind.PROVINCE},
    )
    time_zone = models.CharField(max_length=32, choices=TimeZone.choices, default=TimeZone.WIB)
    default_language = models.CharField(max_length=2, choices=[("id", "Bahasa Indonesia"), ("en", "English")])
    status = models.CharField(max_length=16, choices=TenantStatus.choices, default=TenantStatus.TRIAL)
    created_at = models.DateTimeField(auto_now_add=True)

    # Branding shown on the tenant's portal.
    logo = models.FileField(upload_to="branding/", blank=True)
    primary_color = models.CharField(max_length=7, default="#0b5394")
    accent_color = models.CharField(max_length=7, default="#f1c232")
    welcome_text_id = models.TextField(blank=True)
    welcome_text_en = models.TextField(blank=True)
    address = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    office_hours = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["official_name"]

    def __str__(self) -> str:
        return self.short_name

    @property
    def slug(self) -> str:
        return self.schema_name

    @property
    def accepts_reports(self) -> bool:
        return self.status in {TenantStatus.TRIAL, TenantStatus.ACTIVE}

    def welcome_text(self, language: str) -> str:
        return self.welcome_text_en if language == "en" and self.welcome_text_en else self.welcome_text_id


class Domain(DomainMixin):
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant"], condition=models.Q(is_primary=True), name="one_primary_domain_per_tenant"
            )
        ]

    def __str__(self) -> str:
        return self.domain


class SchemaTemplate(models.Model):
    """The SQL that recreates a fully migrated tenant schema, replayed at onboarding.

    ``fingerprint`` names the set of migrations it was built from; onboarding
    refuses to use a template whose fingerprint differs from the code's.
    """

    fingerprint = models.CharField(max_length=64)
    sql = models.TextField()
    built_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"tenant schema template {self.fingerprint[:12]}"
