"""The tenant's intake limits: file sizes and counts, keeping original evidence, and the
count of wrong receipts past which receipt checks need a proof of work (intake.receipt_flood). Administrators edit them on the settings page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake.models import IntakeSettings
from tenants.accounts.permissions import MANAGE_SETTINGS
from tenants.audit.trail import audit_record
from tenants.errors import InvalidInput
from tenants.field_checks import whole_number

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class IntakeLimits:
    max_file_mb: int
    max_report_mb: int
    max_files_per_report: int
    keep_original_evidence: bool
    receipt_failures_per_10_minutes: int


# Each limit: its field, the range allowed and its label on the settings page.
_RANGES = (
    ("max_file_mb", 1, 100, gettext_lazy("Ukuran berkas maksimum (MB)")),
    ("max_report_mb", 1, 500, gettext_lazy("Ukuran total per laporan (MB)")),
    ("max_files_per_report", 1, 50, gettext_lazy("Jumlah berkas per laporan")),
    (
        "receipt_failures_per_10_minutes",
        1,
        100000,
        gettext_lazy("Kode tanda terima salah per 10 menit sebelum pemeriksaan meminta bukti kerja"),
    ),
)


def clean_intake_limits(
    *,
    max_file_mb: Any,
    max_report_mb: Any,
    max_files_per_report: Any,
    keep_original_evidence: bool,
    receipt_failures_per_10_minutes: Any,
) -> IntakeLimits:
    """The limits checked, or InvalidInput naming every field that is wrong."""
    given = {
        "max_file_mb": max_file_mb,
        "max_report_mb": max_report_mb,
        "max_files_per_report": max_files_per_report,
        "receipt_failures_per_10_minutes": receipt_failures_per_10_minutes,
    }
    errors: dict[str, str] = {}
    numbers = {
        field: whole_number(given[field], field=field, low=low, high=high, label=str(label), errors=errors)
        for field, low, high, label in _RANGES
    }
    limits = IntakeLimits(keep_original_evidence=bool(keep_original_evidence), **numbers)
    if not errors and limits.max_file_mb > limits.max_report_mb:
        errors["max_file_mb"] = _("Ukuran berkas maksimum tidak boleh melebihi ukuran total per laporan.")
    if errors:
        raise InvalidInput(errors)
    return limits


def intake_limits_update(*, actor: Any, limits: IntakeLimits) -> IntakeSettings:
    MANAGE_SETTINGS.require(actor)
    with transaction.atomic():
        row = IntakeSettings.current()
        row.max_file_bytes = limits.max_file_mb * MEGABYTE
        row.max_report_bytes = limits.max_report_mb * MEGABYTE
        row.max_files_per_report = limits.max_files_per_report
        row.keep_original_evidence = limits.keep_original_evidence
        row.receipt_failures_per_10_minutes = limits.receipt_failures_per_10_minutes
        row.save()
        audit_record(action="settings_limits", actor=actor, **limits.__dict__)
    return row
