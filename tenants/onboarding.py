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
from django.utils import timezone

from tenants.accounts.models import Invitation, StaffRole, User
from tenants.accounts.tasks import send_staff_invitation
from tenants.audit.trail import audit_record
from tenants.branding import BRANDING_FIELDS, COLOR_PATTERN
from tenants.db import connection
from tenants.errors import InvalidInput
from tenants.hostnames import primary_hostname as primary_hostname
from tenants.hostnames import tenant_url as tenant_url
from tenants.models import Domain, RegionKind, Tenant, TenantStatus, TimeZone
from tenants.schema_migrations import existing_schemas
from tenants.schema_template import create_schema_from_template, template_schema
from tenants.task_queue import enqueue_on_commit

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
    """The new tenant. The first administrator's invitation went to their address only
    (the link is a credential: whoever holds it becomes the administrator); the operator
    sees where it was sent, masked."""

    tenant: Tenant
    admin: User
    invitation_sent_to: str


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


def masked_email(address: str) -> str:
    """An address as the operator sees it: enough to recognise, not to read (a***n@bogor.example)."""
    local, _at, domain = address.partition("@")
    shown = local[0] + "***" + (local[-1] if len(local) > 2 else "")
    return f"{shown}@{domain}"


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
            invitation, token = Invitation.issue(admin)
            enqueue_on_commit(send_staff_invitation, invitation.pk, token)
            for step in provisioning:
                step(tenant, application)
            audit_record(action="tenant_created", actor="platform", administrator_id=admin.pk)
    finally:
        connection.set_schema_to_public()
    return OnboardingResult(tenant=tenant, admin=admin, invitation_sent_to=masked_email(admin.email))


def first_administrator_invite_again(*, tenant: Tenant) -> str:
    """Send the first administrator a new invitation (the earlier links stop working);
    returns where it went, masked. Refused once they have set a password: from then on
    the tenant's own administrators invite and reset their staff."""
    try:
        connection.set_tenant(tenant)
        with transaction.atomic():
            admin = (
                User.objects.select_for_update()
                .filter(roles__contains=[StaffRole.ADMINISTRATOR])
                .order_by("pk")
                .first()
            )
            if admin is None or admin.has_usable_password() or not admin.is_active:
                raise InvalidInput(
                    {
                        "invitation": "Administrator pertama sudah aktif; undangan tidak dapat dikirim ulang. "
                        "/ The first administrator has already signed up."
                    }
                )
            Invitation.objects.filter(user=admin, used_at__isnull=True).update(expires_at=timezone.now())
            invitation, token = Invitation.issue(admin)
            enqueue_on_commit(send_staff_invitation, invitation.pk, token)
            audit_record(action="invitation_resent", actor="platform", staff_id=admin.pk)
    finally:
        connection.set_schema_to_public()
    return masked_email(admin.email)
