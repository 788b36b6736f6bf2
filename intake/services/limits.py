"""The tenant's intake limits: file sizes and counts, keeping original evidence, and the
abuse counters' thresholds. Administrators edit them on the settings page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from intake.models import IntakeSettings
from tenants.accounts.permissions import MANAGE_SETTINGS
from tenants.audit.trail import audit_record
from tenants.errors import InvalidInput

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class IntakeLimits:
    max_file_mb: int
    max_report_mb: int
    max_files_per_report: int
    keep_original_evidence: bool
    submissions_per_10_minutes: int
    receipt_failures_per_10_minutes: int


def whole_number(value: Any, *, field: str, low: int, high: int, label: str, errors: dict[str, str]) -> int:
    """``value`` as a whole number in [low, high]; a message for ``field`` otherwise."""
    try:
        number = int(str(value).strip())
    except ValueError:
        errors[field] = _("%(label)s: isi bilangan bulat %(low)d–%(high)d.") % {
            "label": label,
            "low": low,
            "high": high,
        }
        return low
    if not low <= number <= high:
        errors[field] = _("%(label)s: harus antara %(low)d dan %(high)d.") % {
            "label": label,
            "low": low,
            "high": high,
        }
    return number


def clean_intake_limits(
    *,
    max_file_mb: Any,
    max_report_mb: Any,
    max_files_per_report: Any,
    keep_original_evidence: bool,
    submissions_per_10_minutes: Any,
    receipt_failures_per_10_minutes: Any,
) -> IntakeLimits:
    """The limits checked, or InvalidInput naming every field that is wrong."""
    errors: dict[str, str] = {}
    limits = IntakeLimits(
        max_file_mb=whole_number(
            max_file_mb,
            field="max_file_mb",
            low=1,
            high=100,
            label=_("Ukuran berkas maksimum (MB)"),
            errors=errors,
        ),
        max_report_mb=whole_number(
            max_report_mb,
            field="max_report_mb",
            low=1,
            high=500,
            label=_("Ukuran total per laporan (MB)"),
            errors=errors,
        ),
        max_files_per_report=whole_number(
            max_files_per_report,
            field="max_files_per_report",
            low=1,
            high=50,
            label=_("Jumlah berkas per laporan"),
            errors=errors,
        ),
        keep_original_evidence=bool(keep_original_evidence),
        submissions_per_10_minutes=whole_number(
            submissions_per_10_minutes,
            field="submissions_per_10_minutes",
            low=1,
            high=100000,
            label=_("Laporan per 10 menit"),
            errors=errors,
        ),
        receipt_failures_per_10_minutes=whole_number(
            receipt_failures_per_10_minutes,
            field="receipt_failures_per_10_minutes",
            low=1,
            high=100000,
            label=_("Kode tanda terima salah per 10 menit"),
            errors=errors,
        ),
    )
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
        row.submissions_per_10_minutes = limits.submissions_per_10_minutes
        row.receipt_failures_per_10_minutes = limits.receipt_failures_per_10_minutes
        row.save()
        audit_record(action="settings_limits", actor=actor, **limits.__dict__)
    return row
