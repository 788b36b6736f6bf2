"""The administrator's settings pages: ``/staff/pengaturan/``.

One page with a form per section (categories, deadlines, reporter notices,
branding, intake limits and retention); each form posts to its own endpoint.
Only administrators (``manage_settings``) may open them. Every input of a
section is checked before anything is written: bad input answers 400 with the
messages and changes nothing; each change writes an audit entry (names and
numbers only, never free text).

The tenant's branding lives on its row in the public schema; it is saved with
a normal ORM save (the search path includes public) and the routing cache is
dropped by the tenant's post_save signal (tenants/routing.py).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from casework.audit import audit_record
from casework.models import DeadlinePolicy, ReporterNotice, RetentionPolicy
from casework.staff_pages import _needs, _page
from casework.workflow import DEFAULT_NOTICES, TRANSITIONS
from intake.evidence_files import RejectedFile, inspect_and_clean
from intake.models import Category, IntakeSettings
from tenants.models import Tenant
from tenants.onboarding import BRANDING_FIELDS, COLOR_PATTERN

MEGABYTE = 1024 * 1024
LOGO_MAX_BYTES = 1 * MEGABYTE
LOGO_TYPES = frozenset({"image/png", "image/jpeg"})
CATEGORY_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,39}$")
NAME_MAX = 120
NOTICE_MAX = 2000
WELCOME_MAX = 2000
DEADLINE_FIELDS = (
    ("acknowledge_days", gettext_lazy("Konfirmasi penerimaan")),
    ("verification_days", gettext_lazy("Verifikasi kelengkapan")),
    ("answer_days", gettext_lazy("Jawaban kepada pelapor")),
    ("conclude_days", gettext_lazy("Penyelesaian")),
    ("close_after_answer_days", gettext_lazy("Penutupan setelah jawaban")),
)
# Text fields of the branding form and their longest length.
BRANDING_LIMITS = {
    "welcome_text_id": WELCOME_MAX,
    "welcome_text_en": WELCOME_MAX,
    "address": 300,
    "phone": 40,
    "email": 254,
    "office_hours": 120,
}

Errors = dict[str, str]


class Invalid(ValueError):
    def __init__(self, errors: Errors):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


# --- Reading form input ---------------------------------------------------------


def _text(data: Any, name: str) -> str:
    return str(data.get(name, "")).strip()


def _whole_number(data: Any, name: str, low: int, high: int, label: str, errors: Errors) -> int:
    raw = _text(data, name)
    try:
        value = int(raw)
    except ValueError:
        errors[name] = _("%(label)s: isi bilangan bulat %(low)d–%(high)d.") % {
            "label": label,
            "low": low,
            "high": high,
        }
        return low
    if not low <= value <= high:
        errors[name] = _("%(label)s: harus antara %(low)d dan %(high)d.") % {
            "label": label,
            "low": low,
            "high": high,
        }
    return value


def _required_text(data: Any, name: str, limit: int, label: str, errors: Errors) -> str:
    value = _text(data, name)
    if not value:
        errors[name] = _("%(label)s wajib diisi.") % {"label": label}
    elif len(value) > limit:
        errors[name] = _("%(label)s paling panjang %(limit)d karakter.") % {"label": label, "limit": limit}
    return value


# --- The page -------------------------------------------------------------------


def _notice_rows() -> list[dict[str, Any]]:
    stored = {notice.transition: notice for notice in ReporterNotice.objects.all()}
    rows = []
    for key, (default_id, default_en) in DEFAULT_NOTICES.items():
        notice = stored.get(key)
        transition = TRANSITIONS.get(key)
        rows.append(
            {
                "key": key,
                "label": transition.label if transition else key,
                "body_id": notice.body_id if notice else default_id,
                "body_en": notice.body_en if notice else default_en,
                "customised": notice is not None,
            }
        )
    return rows


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    policy = DeadlinePolicy.objects.order_by("pk").first() or DeadlinePolicy()
    limits = IntakeSettings.current()
    context = {
        "categories": Category.objects.all(),
        "deadline_fields": [(name, label, getattr(policy, name)) for name, label in DEADLINE_FIELDS],
        "notices": _notice_rows(),
        "branding": Tenant.objects.get(pk=request.tenant.pk),  # type: ignore[attr-defined]
        "limits": limits,
        "max_file_mb": limits.max_file_bytes // MEGABYTE,
        "max_report_mb": limits.max_report_bytes // MEGABYTE,
        "retention_years": RetentionPolicy.current().years_after_closure,
        "errors": {},
        "failed": "",
        "values": {},
    }
    context.update(extra)
    return context


def _refused(request: HttpRequest, section: str, errors: Errors, values: Any = None) -> HttpResponse:
    context = _context(request, errors=errors, failed=section, values=values or {})
    return _page(request, "casework/settings.html", context, status=400)


def _done(request: HttpRequest, message: str, anchor: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(f"{reverse('staff-settings')}#{anchor}")


@require_GET
@_needs("manage_settings")
def settings_page(request: HttpRequest) -> HttpResponse:
    return _page(request, "casework/settings.html", _context(request))


# --- 1. Categories --------------------------------------------------------------


def _category_names(data: Any, errors: Errors) -> tuple[str, str, int]:
    name_id = _required_text(data, "name_id", NAME_MAX, _("Nama (Indonesia)"), errors)
    name_en = _required_text(data, "name_en", NAME_MAX, _("Nama (Inggris)"), errors)
    position = _whole_number(data, "position", 0, 32767, _("Urutan"), errors)
    return name_id, name_en, position


@require_POST
@_needs("manage_settings")
def category_add(request: HttpRequest) -> HttpResponse:
    data = request.POST.copy()
    if not _text(data, "position"):
        last = Category.objects.order_by("-position").values_list("position", flat=True).first() or 0
        data["position"] = str(min(last + 10, 32767))
    errors: Errors = {}
    code = _text(data, "code").lower()
    if not CATEGORY_CODE.match(code):
        errors["code"] = _("Kode: 2–40 huruf kecil, angka, - atau _, tanpa spasi.")
    elif Category.objects.filter(code=code).exists():
        errors["code"] = _("Kode '%(code)s' sudah dipakai kategori lain.") % {"code": code}
    name_id, name_en, position = _category_names(data, errors)
    if errors:
        return _refused(request, "category-add", errors, data)
    with transaction.atomic():
        Category.objects.create(code=code, name_id=name_id, name_en=name_en, position=position)
        audit_record(action="settings_categories", actor=request.user, change="add", code=code)
    return _done(request, _("Kategori ditambahkan."), "kategori")


@require_POST
@_needs("manage_settings")
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    category = get_object_or_404(Category, pk=pk)
    action = _text(request.POST, "action") or "save"
    if action in {"deactivate", "reactivate"}:
        with transaction.atomic():
            category.is_active = action == "reactivate"
            category.save(update_fields=["is_active"])
            audit_record(action="settings_categories", actor=request.user, change=action, code=category.code)
        done = _("Kategori diaktifkan kembali.") if category.is_active else _("Kategori dinonaktifkan.")
        return _done(request, done, "kategori")
    if action != "save":
        return _refused(request, f"category-{pk}", {"action": _("Tindakan tidak dikenal.")})
    errors: Errors = {}
    name_id, name_en, position = _category_names(request.POST, errors)
    if errors:
        return _refused(request, f"category-{pk}", errors)
    with transaction.atomic():
        category.name_id, category.name_en, category.position = name_id, name_en, position
        category.save(update_fields=["name_id", "name_en", "position"])
        audit_record(
            action="settings_categories",
            actor=request.user,
            change="edit",
            code=category.code,
            position=position,
        )
    return _done(request, _("Kategori disimpan."), "kategori")


# --- 2. Deadlines ---------------------------------------------------------------


@require_POST
@_needs("manage_settings")
def deadlines_save(request: HttpRequest) -> HttpResponse:
    errors: Errors = {}
    values = {
        name: _whole_number(request.POST, name, 1, 365, str(label), errors) for name, label in DEADLINE_FIELDS
    }
    if errors:
        return _refused(request, "deadlines", errors)
    with transaction.atomic():
        policy = DeadlinePolicy.objects.select_for_update().order_by("pk").first() or DeadlinePolicy()
        for name, value in values.items():
            setattr(policy, name, value)
        policy.save()
        audit_record(action="settings_deadlines", actor=request.user, days=values)
    return _done(request, _("Tenggat waktu disimpan."), "tenggat")


# --- 3. Reporter notices --------------------------------------------------------


@require_POST
@_needs("manage_settings")
def notice_save(request: HttpRequest) -> HttpResponse:
    key = _text(request.POST, "transition")
    if key not in DEFAULT_NOTICES:
        return _refused(request, "notices", {"transition": _("Pemberitahuan tidak dikenal.")})
    if _text(request.POST, "action") == "restore":
        with transaction.atomic():
            ReporterNotice.objects.filter(transition=key).delete()
            audit_record(
                action="settings_notices", actor=request.user, transition=key, change="restore_default"
            )
        return _done(request, _("Teks bawaan dipulihkan."), f"pemberitahuan-{key}")
    errors: Errors = {}
    body_id = _required_text(request.POST, "body_id", NOTICE_MAX, _("Teks (Indonesia)"), errors)
    body_en = _required_text(request.POST, "body_en", NOTICE_MAX, _("Teks (Inggris)"), errors)
    if errors:
        return _refused(request, f"notice-{key}", errors)
    with transaction.atomic():
        ReporterNotice.objects.update_or_create(
            transition=key, defaults={"body_id": body_id, "body_en": body_en}
        )
        audit_record(action="settings_notices", actor=request.user, transition=key, change="save")
    return _done(request, _("Teks pemberitahuan disimpan."), f"pemberitahuan-{key}")


# --- 4. Branding ----------------------------------------------------------------


def _checked_logo(upload: UploadedFile, errors: Errors) -> tuple[bytes, str] | None:
    if upload.size is not None and upload.size > LOGO_MAX_BYTES:
        errors["logo"] = _("Logo paling besar 1 MB.")
        return None
    data = upload.read(LOGO_MAX_BYTES + 1)
    try:
        cleaned = inspect_and_clean(data, upload.name or "logo", max_bytes=LOGO_MAX_BYTES)
    except RejectedFile as refused:
        errors["logo"] = str(refused)
        return None
    if cleaned.content_type not in LOGO_TYPES:
        errors["logo"] = _("Logo harus berupa gambar PNG atau JPEG.")
        return None
    return cleaned.content, cleaned.extension


@require_POST
@_needs("manage_settings")
def branding_save(request: HttpRequest) -> HttpResponse:
    errors: Errors = {}
    values: dict[str, str] = {}
    for name in BRANDING_FIELDS:
        value = _text(request.POST, name)
        if name.endswith("_color"):
            if not COLOR_PATTERN.match(value):
                errors[name] = _("Warna: gunakan bentuk #rrggbb, misalnya #0b5394.")
            value = value.lower()
        elif len(value) > BRANDING_LIMITS[name]:
            errors[name] = _("Paling panjang %(limit)d karakter.") % {"limit": BRANDING_LIMITS[name]}
        elif name == "email" and value:
            try:
                validate_email(value)
            except ValidationError:
                errors[name] = _("Alamat email tidak valid.")
        values[name] = value
    upload = request.FILES.get("logo")
    logo = _checked_logo(upload, errors) if upload else None
    remove_logo = bool(request.POST.get("remove_logo")) and not upload
    if errors:
        return _refused(request, "branding", errors, values)

    with transaction.atomic():
        tenant = Tenant.objects.select_for_update().get(pk=request.tenant.pk)  # type: ignore[attr-defined]
        changed = [name for name, value in values.items() if getattr(tenant, name) != value]
        for name, value in values.items():
            setattr(tenant, name, value)
        old_logo = tenant.logo.name or ""
        if logo is not None:
            content, extension = logo
            tenant.logo.name = default_storage.save(
                f"branding/logo-{uuid.uuid4().hex[:12]}.{extension}", ContentFile(content)
            )
            changed.append("logo")
        elif remove_logo and old_logo:
            tenant.logo.name = ""
            changed.append("logo")
        tenant.save(update_fields=[*BRANDING_FIELDS, "logo"])
        audit_record(action="settings_branding", actor=request.user, fields=sorted(changed))
        if old_logo and tenant.logo.name != old_logo:
            transaction.on_commit(lambda: default_storage.delete(old_logo))
    return _done(request, _("Tampilan portal disimpan."), "tampilan")


# --- 5. Intake limits and retention ---------------------------------------------


@require_POST
@_needs("manage_settings")
def limits_save(request: HttpRequest) -> HttpResponse:
    data = request.POST
    errors: Errors = {}
    max_file_mb = _whole_number(data, "max_file_mb", 1, 100, _("Ukuran berkas maksimum (MB)"), errors)
    max_report_mb = _whole_number(data, "max_report_mb", 1, 500, _("Ukuran total per laporan (MB)"), errors)
    files = _whole_number(data, "max_files_per_report", 1, 50, _("Jumlah berkas per laporan"), errors)
    submissions = _whole_number(
        data, "submissions_per_10_minutes", 1, 100000, _("Laporan per 10 menit"), errors
    )
    failures = _whole_number(
        data, "receipt_failures_per_10_minutes", 1, 100000, _("Kode tanda terima salah per 10 menit"), errors
    )
    years = _whole_number(data, "years_after_closure", 1, 100, _("Masa simpan (tahun)"), errors)
    if not errors and max_file_mb > max_report_mb:
        errors["max_file_mb"] = _("Ukuran berkas maksimum tidak boleh melebihi ukuran total per laporan.")
    if errors:
        return _refused(request, "limits", errors, data)
    keep_original = bool(data.get("keep_original_evidence"))
    with transaction.atomic():
        limits = IntakeSettings.current()
        limits.max_file_bytes = max_file_mb * MEGABYTE
        limits.max_report_bytes = max_report_mb * MEGABYTE
        limits.max_files_per_report = files
        limits.keep_original_evidence = keep_original
        limits.submissions_per_10_minutes = submissions
        limits.receipt_failures_per_10_minutes = failures
        limits.save()
        retention = RetentionPolicy.current()
        retention.years_after_closure = years
        retention.save(update_fields=["years_after_closure"])
        audit_record(
            action="settings_limits",
            actor=request.user,
            max_file_mb=max_file_mb,
            max_report_mb=max_report_mb,
            max_files_per_report=files,
            keep_original_evidence=keep_original,
            submissions_per_10_minutes=submissions,
            receipt_failures_per_10_minutes=failures,
            retention_years=years,
        )
    return _done(request, _("Batas penerimaan dan masa simpan disimpan."), "batas")
