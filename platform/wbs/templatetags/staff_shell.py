"""The staff pages' shell: the navigation, with links only to what the person's roles
allow. It lists pages of every app, so the platform composes it."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from casework.access import PERMISSIONS
from tenants.accounts.permissions import MANAGE_SETTINGS, MANAGE_STAFF, VIEW_AUDIT_TRAIL, Permission

register = template.Library()

# (url name, label, permission needed; None = every signed-in staff member)
NAV_LINKS: list[tuple[str, Any, Permission | None]] = [
    ("staff-home", _("Beranda"), None),
    ("staff-queue", _("Antrian kasus"), PERMISSIONS["view_cases"]),
    ("staff-overdue", _("Terlambat"), PERMISSIONS["view_cases"]),
    ("staff-workload", _("Beban kerja"), PERMISSIONS["view_cases"]),
    ("staff-dashboard", _("Dasbor"), PERMISSIONS["view_statistics"]),
    ("staff-record-report", _("Catat laporan"), PERMISSIONS["record_offline_report"]),
    ("staff-identity-requests", _("Permintaan identitas"), PERMISSIONS["decide_identity"]),
    ("staff-exclusions", _("Pengecualian"), PERMISSIONS["lift_exclusion"]),
    ("staff-retention", _("Retensi"), PERMISSIONS["request_early_deletion"]),
    ("staff-audit", _("Jejak audit"), VIEW_AUDIT_TRAIL),
    ("staff-settings", _("Pengaturan"), MANAGE_SETTINGS),
    ("staff-users", _("Pengguna"), MANAGE_STAFF),
]


@register.inclusion_tag("staff/nav.html", takes_context=True)
def staff_nav(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    current = getattr(match, "url_name", "") or ""
    if current in {"staff-case", "staff-case-identity"}:
        current = "staff-queue"
    links = [
        {"name": name, "label": label, "current": name == current}
        for name, label, permission in NAV_LINKS
        if permission is None or permission.allows(user)
    ]
    return {"links": links, "user": user, "on_home": current == "staff-home"}
