"""The tenant's report categories, as its administrators edit them (settings page and
``/api/v1/settings/categories`` alike: same rules, same messages, same audit entry)."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake.models import Category
from tenants.accounts.permissions import MANAGE_SETTINGS
from tenants.audit.trail import audit_record
from tenants.errors import InvalidInput
from tenants.field_checks import required_text, whole_number

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{1,39}$")
CODE_MESSAGE = gettext_lazy("Kode: 2–40 huruf kecil, angka, - atau _, tanpa spasi.")
NAME_MAX = 120
POSITION_MAX = 32767


def _names(name_id: str, name_en: str, position: Any, errors: dict[str, str]) -> tuple[str, str, int]:
    return (
        required_text(name_id, field="name_id", label=_("Nama (Indonesia)"), limit=NAME_MAX, errors=errors),
        required_text(name_en, field="name_en", label=_("Nama (Inggris)"), limit=NAME_MAX, errors=errors),
        whole_number(position, field="position", low=0, high=POSITION_MAX, label=_("Urutan"), errors=errors),
    )


def category_create(*, actor: Any, code: str, name_id: str, name_en: str, position: Any = None) -> Category:
    """A new active category; without a position it goes last."""
    MANAGE_SETTINGS.require(actor)
    errors: dict[str, str] = {}
    code = str(code or "").strip().lower()
    if not CODE_PATTERN.match(code):
        errors["code"] = str(CODE_MESSAGE)
    elif Category.objects.filter(code=code).exists():
        errors["code"] = _("Kode '%(code)s' sudah dipakai kategori lain.") % {"code": code}
    if position in (None, ""):
        last = Category.objects.order_by("-position").values_list("position", flat=True).first() or 0
        position = min(last + 10, POSITION_MAX)
    name_id, name_en, number = _names(name_id, name_en, position, errors)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        category = Category.objects.create(code=code, name_id=name_id, name_en=name_en, position=number)
        audit_record(action="settings_categories", actor=actor, change="add", code=code)
    return category


def category_update(*, actor: Any, category: Category, name_id: str, name_en: str, position: Any) -> Category:
    """New names and position (the code never changes: reports and exports name it)."""
    MANAGE_SETTINGS.require(actor)
    errors: dict[str, str] = {}
    name_id, name_en, number = _names(name_id, name_en, position, errors)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        category.name_id, category.name_en, category.position = name_id, name_en, number
        category.save(update_fields=["name_id", "name_en", "position"])
        audit_record(
            action="settings_categories", actor=actor, change="edit", code=category.code, position=number
        )
    return category


def category_set_active(*, actor: Any, category: Category, active: bool) -> Category:
    """A deactivated category is no longer offered to reporters; its reports keep it."""
    MANAGE_SETTINGS.require(actor)
    with transaction.atomic():
        category.is_active = active
        category.save(update_fields=["is_active"])
        audit_record(
            action="settings_categories",
            actor=actor,
            change="reactivate" if active else "deactivate",
            code=category.code,
        )
    return category
