"""A tenant's branding on its portal: colours, welcome text, contact details and logo,
as its administrators edit them (the settings page)."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from tenants.accounts.permissions import MANAGE_SETTINGS
from tenants.audit.trail import audit_record
from tenants.errors import InvalidInput
from tenants.models import Tenant

COLOR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
WELCOME_MAX = 2000
# Every branding field and the longest text it takes (colours are #rrggbb).
BRANDING_LIMITS = {
    "primary_color": 7,
    "accent_color": 7,
    "welcome_text_id": WELCOME_MAX,
    "welcome_text_en": WELCOME_MAX,
    "address": 300,
    "phone": 40,
    "email": 254,
    "office_hours": 120,
}
BRANDING_FIELDS = tuple(BRANDING_LIMITS)


def clean_branding(values: dict[str, Any]) -> dict[str, str]:
    """Every branding field checked (missing ones are empty), or InvalidInput."""
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for name, limit in BRANDING_LIMITS.items():
        value = str(values.get(name, "") or "").strip()
        if name.endswith("_color"):
            if not COLOR_PATTERN.match(value):
                errors[name] = _("Warna: gunakan bentuk #rrggbb, misalnya #0b5394.")
            value = value.lower()
        elif len(value) > limit:
            errors[name] = _("Paling panjang %(limit)d karakter.") % {"limit": limit}
        elif name == "email" and value:
            try:
                validate_email(value)
            except ValidationError:
                errors[name] = _("Alamat email tidak valid.")
        cleaned[name] = value
    if errors:
        raise InvalidInput(errors)
    return cleaned


def tenant_branding_update(
    *,
    actor: Any,
    tenant: Tenant,
    values: dict[str, Any],
    logo: tuple[bytes, str] | None = None,
    remove_logo: bool = False,
) -> Tenant:
    """Save the branding. ``logo`` is an image already checked and cleaned by the caller
    (content, extension); it is stored before the audited transaction and removed again
    if that fails. The replaced logo leaves storage once the change commits."""
    MANAGE_SETTINGS.require(actor)
    cleaned = clean_branding(values)
    new_logo = ""
    if logo is not None:
        content, extension = logo
        new_logo = default_storage.save(
            f"branding/logo-{uuid.uuid4().hex[:12]}.{extension}", ContentFile(content)
        )
    try:
        with transaction.atomic():
            tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
            changed = [name for name, value in cleaned.items() if getattr(tenant, name) != value]
            for name, value in cleaned.items():
                setattr(tenant, name, value)
            old_logo = tenant.logo.name or ""
            if new_logo:
                tenant.logo.name = new_logo
                changed.append("logo")
            elif remove_logo and old_logo:
                tenant.logo.name = ""
                changed.append("logo")
            tenant.save(update_fields=[*BRANDING_FIELDS, "logo"])
            audit_record(action="settings_branding", actor=actor, fields=sorted(changed))
            if old_logo and tenant.logo.name != old_logo:
                transaction.on_commit(lambda: default_storage.delete(old_logo))
    except BaseException:
        if new_logo:
            default_storage.delete(new_logo)
        raise
    return tenant
