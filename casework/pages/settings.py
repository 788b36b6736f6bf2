"""The administrator's settings page: ``/staff/pengaturan/``.

One page with a form per section (categories, deadlines, reporter notices,
branding, intake limits and retention); each form posts to its own endpoint,
which calls the owning app's service: intake's categories and limits, casework's
deadlines, notices and retention, the core's branding. Only administrators
(``manage_settings``) may open it. A service checks every input before writing
anything: bad input answers 400 with the messages and changes nothing; each
change writes its audit entry (names and numbers only, never free text).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casework.deadlines import current_policy
from casework.models import ReporterNotice, RetentionPolicy
from casework.pages.common import needs
from casework.services import settings as casework_settings
from casework.workflow import DEFAULT_NOTICES, TRANSITIONS
from intake.evidence_files import RejectedFile, inspect_and_clean
from intake.models import Category, IntakeSettings
from intake.services import categories, limits
from intake.services.limits import MEGABYTE
from tenants.accounts.staff_sessions import render_staff_page
from tenants.branding import BRANDING_FIELDS, tenant_branding_update
from tenants.errors import InvalidInput
from tenants.models import Tenant

LOGO_MAX_BYTES = 1 * MEGABYTE
LOGO_TYPES = frozenset({"image/png", "image/jpeg"})


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
    policy = current_policy()
    intake_limits = IntakeSettings.current()
    context = {
        "categories": Category.objects.all(),
        "deadline_fields": [
            (name, label, getattr(policy, name)) for name, label in casework_settings.DEADLINE_FIELDS
        ],
        "notices": _notice_rows(),
        "branding": Tenant.objects.get(pk=request.tenant.pk),  # type: ignore[attr-defined]
        "limits": intake_limits,
        "max_file_mb": intake_limits.max_file_bytes // MEGABYTE,
        "max_report_mb": intake_limits.max_report_bytes // MEGABYTE,
        "retention_years": RetentionPolicy.current().years_after_closure,
        "errors": {},
        "failed": "",
        "values": {},
    }
    context.update(extra)
    return context


def _refused(request: HttpRequest, section: str, errors: dict[str, str], values: Any = None) -> HttpResponse:
    context = _context(request, errors=errors, failed=section, values=values or {})
    return render_staff_page(request, "casework/settings.html", context, status=400)


def _done(request: HttpRequest, message: str, anchor: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(f"{reverse('staff-settings')}#{anchor}")


@require_GET
@needs("manage_settings")
def settings_page(request: HttpRequest) -> HttpResponse:
    return render_staff_page(request, "casework/settings.html", _context(request))


# --- 1. Categories --------------------------------------------------------------


@require_POST
@needs("manage_settings")
def category_add(request: HttpRequest) -> HttpResponse:
    post = request.POST
    try:
        categories.category_create(
            actor=request.user,
            code=post.get("code", ""),
            name_id=post.get("name_id", ""),
            name_en=post.get("name_en", ""),
            position=post.get("position", ""),
        )
    except InvalidInput as invalid:
        return _refused(request, "category-add", invalid.errors, post)
    return _done(request, _("Kategori ditambahkan."), "kategori")


@require_POST
@needs("manage_settings")
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    category = get_object_or_404(Category, pk=pk)
    action = request.POST.get("action", "").strip() or "save"
    if action in {"deactivate", "reactivate"}:
        category = categories.category_set_active(
            actor=request.user, category=category, active=action == "reactivate"
        )
        done = _("Kategori diaktifkan kembali.") if category.is_active else _("Kategori dinonaktifkan.")
        return _done(request, done, "kategori")
    if action != "save":
        return _refused(request, f"category-{pk}", {"action": _("Tindakan tidak dikenal.")})
    try:
        categories.category_update(
            actor=request.user,
            category=category,
            name_id=request.POST.get("name_id", ""),
            name_en=request.POST.get("name_en", ""),
            position=request.POST.get("position", ""),
        )
    except InvalidInput as invalid:
        return _refused(request, f"category-{pk}", invalid.errors)
    return _done(request, _("Kategori disimpan."), "kategori")


# --- 2. Deadlines ---------------------------------------------------------------


@require_POST
@needs("manage_settings")
def deadlines_save(request: HttpRequest) -> HttpResponse:
    try:
        casework_settings.deadline_policy_update(actor=request.user, days=request.POST.dict())
    except InvalidInput as invalid:
        return _refused(request, "deadlines", invalid.errors)
    return _done(request, _("Tenggat waktu disimpan."), "tenggat")


# --- 3. Reporter notices --------------------------------------------------------


@require_POST
@needs("manage_settings")
def notice_save(request: HttpRequest) -> HttpResponse:
    key = request.POST.get("transition", "").strip()
    try:
        if request.POST.get("action", "").strip() == "restore":
            casework_settings.reporter_notice_restore(actor=request.user, transition=key)
            return _done(request, _("Teks bawaan dipulihkan."), f"pemberitahuan-{key}")
        casework_settings.reporter_notice_save(
            actor=request.user,
            transition=key,
            body_id=request.POST.get("body_id", ""),
            body_en=request.POST.get("body_en", ""),
        )
    except InvalidInput as invalid:
        section = f"notice-{key}" if key in DEFAULT_NOTICES else "notices"
        return _refused(request, section, invalid.errors)
    return _done(request, _("Teks pemberitahuan disimpan."), f"pemberitahuan-{key}")


# --- 4. Branding ----------------------------------------------------------------


def _checked_logo(upload: UploadedFile) -> tuple[bytes, str]:
    """The logo cleaned of metadata like any evidence file (intake's checks), PNG or JPEG."""
    if upload.size is not None and upload.size > LOGO_MAX_BYTES:
        raise InvalidInput({"logo": _("Logo paling besar 1 MB.")})
    data = upload.read(LOGO_MAX_BYTES + 1)
    try:
        cleaned = inspect_and_clean(data, upload.name or "logo", max_bytes=LOGO_MAX_BYTES)
    except RejectedFile as refused:
        raise InvalidInput({"logo": str(refused)}) from refused
    if cleaned.content_type not in LOGO_TYPES:
        raise InvalidInput({"logo": _("Logo harus berupa gambar PNG atau JPEG.")})
    return cleaned.content, cleaned.extension


@require_POST
@needs("manage_settings")
def branding_save(request: HttpRequest) -> HttpResponse:
    values = {name: request.POST.get(name, "") for name in BRANDING_FIELDS}
    upload = request.FILES.get("logo")
    try:
        logo = _checked_logo(upload) if upload else None
        tenant_branding_update(
            actor=request.user,
            tenant=request.tenant,  # type: ignore[attr-defined]
            values=values,
            logo=logo,
            remove_logo=bool(request.POST.get("remove_logo")) and not upload,
        )
    except InvalidInput as invalid:
        return _refused(request, "branding", invalid.errors, values)
    return _done(request, _("Tampilan portal disimpan."), "tampilan")


# --- 5. Intake limits and retention ---------------------------------------------


@require_POST
@needs("manage_settings")
def limits_save(request: HttpRequest) -> HttpResponse:
    """One form, two apps' settings: both are checked before either is written."""
    post = request.POST
    errors: dict[str, str] = {}
    checked_limits = None
    try:
        checked_limits = limits.clean_intake_limits(
            max_file_mb=post.get("max_file_mb", ""),
            max_report_mb=post.get("max_report_mb", ""),
            max_files_per_report=post.get("max_files_per_report", ""),
            keep_original_evidence=bool(post.get("keep_original_evidence")),
            receipt_failures_per_10_minutes=post.get("receipt_failures_per_10_minutes", ""),
        )
    except InvalidInput as invalid:
        errors.update(invalid.errors)
    try:
        casework_settings.clean_retention_years(post.get("years_after_closure", ""))
    except InvalidInput as invalid:
        errors.update(invalid.errors)
    if errors or checked_limits is None:
        return _refused(request, "limits", errors, post)
    with transaction.atomic():
        limits.intake_limits_update(actor=request.user, limits=checked_limits)
        casework_settings.retention_policy_update(
            actor=request.user, years_after_closure=post.get("years_after_closure", "")
        )
    return _done(request, _("Batas penerimaan dan masa simpan disimpan."), "batas")
