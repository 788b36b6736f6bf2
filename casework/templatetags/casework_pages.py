"""Template helpers for the staff pages: the navigation (links only to what the
person's roles allow) and small formatting filters."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from casework.access import can

register = template.Library()

# (url name, label, permission needed; None = every signed-in staff member)
NAV_LINKS: list[tuple[str, Any, str | None]] = [
    ("staff-home", _("Beranda"), None),
    ("staff-queue", _("Antrian kasus"), "view_cases"),
    ("staff-overdue", _("Terlambat"), "view_cases"),
    ("staff-workload", _("Beban kerja"), "view_cases"),
    ("staff-dashboard", _("Dasbor"), "view_statistics"),
    ("staff-record-report", _("Catat laporan"), "record_offline_report"),
    ("staff-identity-requests", _("Permintaan identitas"), "decide_identity"),
    ("staff-retention", _("Retensi"), "request_early_deletion"),
    ("staff-audit", _("Jejak audit"), "view_audit_trail"),
    ("staff-settings", _("Pengaturan"), "manage_settings"),
]


@register.inclusion_tag("casework/staff_nav.html", takes_context=True)
def staff_nav(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    current = getattr(match, "url_name", "") or ""
    if current in {"staff-case", "staff-case-identity"}:
        current = "staff-queue"
    links = [
        {"name": name, "label": label, "current": name == current}
        for name, label, action in NAV_LINKS
        if action is None or can(user, action)
    ]
    return {"links": links, "user": user, "on_home": current == "staff-home"}


@register.filter
def rupiah(value: Any) -> str:
    """150000000 -> "Rp 150.000.000"."""
    if value in (None, ""):
        return ""
    try:
        return "Rp " + f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return str(value)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``mapping|get_item:key`` for keys templates cannot spell (dots, dashes)."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""
