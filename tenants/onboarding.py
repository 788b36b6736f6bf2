"""Onboarding an inspectorate: its tenant row, domains, schema, first administrator
and whatever each app provisions for it (its provisioning steps, which the platform
lists: wbs.onboarding), all in one transaction.

Every input is checked before anything is written; a failure part-way rolls
back the rows and the schema together (PostgreSQL DDL is transactional), so a
failed onboarding leaves nothing behind.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from tenants.accounts.models import Invitation, StaffRole, User
from tenants.audit.trail import audit_record
from tenants.branding import BRANDING_FIELDS, COLOR_PATTERN
from tenants.db import connection
from tenants.errors import InvalidInput
from tenants.models import Domain, RegionKind, Tenant, TenantStatus, TimeZone
from tenants.schema_migrations import existing_schemas
from tenants.schema_template import create_schema_from_template, template_schema

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9]{2,39}$")
HOSTNAME_PATTERN = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
RESERVED_SLUGS = frozenset(
    {
        "public",
        "www",
        "api",
        "admin",
        "operator",
        "static",
        "media",
        "mail",
        "smtp",
        "ftp",
        "status",
        "help",
        "docs",
        "app",
        "staff",
        "test",
        "demo",
        "template",
        "information_schema",
        "postgres",
        "root",
    }
)


@dataclass
class OnboardingResult:
    tenant: Tenant
    admin: User
    invitation_url: str


@dataclass
class TenantApplication:
    slug: str
    official_name: str
    short_name: str
    region_kind: str
    time_zone: str
    admin_email: str
    admin_name: str = ""
    default_language: str = "id"
    parent_province: str | None = None
    custom_domains: Sequence[str] = ()
    branding: dict[str, str] = field(default_factory=dict)


def primary_hostname(slug: str) -> str:
    return f"{slug}.{settings.WBS_BASE_DOMAIN}"


def tenant_url(hostname: str, path: str = "/") -> str:
    port = f":{settings.WBS_URL_PORT}" if settings.WBS_URL_PORT else ""
    return f"{settings.WBS_URL_SCHEME}://{hostname}{port}{path}"


def _validate(application: TenantApplication) -> Tenant | None:
    """Check everything; return the parent province, if any."""
    errors: dict[str, str] = {}
    slug = application.slug
    if not SLUG_PATTERN.match(slug):
        errors["slug"] = (
            "3-40 lowercase letters or digits, starting with a letter (it names the schema and host)."
        )
    elif slug in RESERVED_SLUGS or slug.startswith("pg") or slug == template_schema():
        errors["slug"] = f"'{slug}' is reserved."
    elif Tenant.objects.filter(schema_name=slug).exists() or existing_schemas([slug]):
        errors["slug"] = f"A tenant named '{slug}' already exists."

    if not application.official_name.strip():
        errors["official_name"] = "Required."
    if not application.short_name.strip():
        errors["short_name"] = "Required."
    if application.region_kind not in RegionKind.values:
        errors["region_kind"] = f"Unknown region kind; use one of {', '.join(RegionKind.values)}."
    if application.time_zone not in TimeZone.values:
        errors["time_zone"] = f"Unknown time zone; use one of {', '.join(TimeZone.values)}."
    if application.default_language not in {"id", "en"}:
        errors["default_language"] = "Use 'id' or 'en'."

    parent = None
    if application.parent_province:
        parent = Tenant.objects.filter(
            schema_name=application.parent_province, region_kind=RegionKind.PROVINCE
        ).first()
        if parent is None:
            errors["parent_province"] = f"No province tenant named '{application.parent_province}'."
        elif application.region_kind not in {RegionKind.REGENCY, RegionKind.CITY}:
            errors["parent_province"] = "Only regencies and cities have a parent province."

    hostnames = [primary_hostname(slug), *(d.strip().lower() for d in application.custom_domains)]
    for hostname in hostnames[1:]:
        if not HOSTNAME_PATTERN.match(hostname):
            errors["custom_domains"] = f"'{hostname}' is not a valid host name."
    if len(set(hostnames)) != len(hostnames):
        errors["custom_domains"] = "The same host name is listed twice."
    taken = list(Domain.objects.filter(domain__in=hostnames).values_list("domain", flat=True))
    if taken:
        field_name = "slug" if primary_hostname(slug) in taken else "custom_domains"
        errors.setdefault(field_name, f"Already used by another tenant: {', '.join(sorted(taken))}.")
    if settings.WBS_BASE_DOMAIN in hostnames:
        errors["custom_domains"] = "The platform's own domain cannot be a tenant's."

    try:
        validate_email(application.admin_email)
    except ValidationError:
        errors["admin_email"] = "A valid email address is required for the first administrator."

    for name, value in application.branding.items():
        if name not in BRANDING_FIELDS:
            errors[f"branding.{name}"] = "Unknown branding field."
        elif name.endswith("_color") and not COLOR_PATTERN.match(value):
            errors[f"branding.{name}"] = "Use a colour like #0b5394."
    if errors:
        raise InvalidInput(errors)
    return parent


# A step gets the new tenant (its schema selected) and what was asked for it.
ProvisioningStep = Callable[[Tenant, "TenantApplication"], None]


def create_tenant(
    application: TenantApplication, *, provisioning: Sequence[ProvisioningStep]
) -> OnboardingResult:
    """Create the tenant and run every provisioning step, in one transaction; raises
    InvalidInput (nothing written) for bad input."""
    parent = _validate(application)
    slug = application.slug
    try:
        with transaction.atomic():
            tenant = Tenant.objects.create(
                schema_name=slug,
                official_name=application.official_name.strip(),
                short_name=application.short_name.strip(),
                region_kind=application.region_kind,
                parent_province=parent,
                time_zone=application.time_zone,
                default_language=application.default_language,
                status=TenantStatus.TRIAL,
                **application.branding,
            )
            Domain.objects.bulk_create(
                [Domain(tenant=tenant, domain=primary_hostname(slug), is_primary=True)]
                + [
                    Domain(tenant=tenant, domain=d.strip().lower(), is_primary=False)
                    for d in application.custom_domains
                ]
            )
            create_schema_from_template(slug)
            connection.set_tenant(tenant)
            admin = User.objects.create_user(
                username=application.admin_email.lower(),
                email=application.admin_email.lower(),
                full_name=application.admin_name,
                roles=[StaffRole.ADMINISTRATOR],
                language=application.default_language,
            )
            _invitation, token = Invitation.issue(admin)
            for step in provisioning:
                step(tenant, application)
            audit_record(action="tenant_created", actor="platform", administrator_id=admin.pk)
    finally:
        connection.set_schema_to_public()
    return OnboardingResult(
        tenant=tenant,
        admin=admin,
        invitation_url=tenant_url(primary_hostname(slug), f"/staff/invitation/{token}/"),
    )
