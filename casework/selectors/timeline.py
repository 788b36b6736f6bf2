"""How the case timeline names its events and people (pages, PDFs and the API alike)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from casework.workflow import TRANSITIONS
from tenants.accounts.models import User

EVENT_LABELS: dict[str, Any] = {
    "received": _("Laporan diterima"),
    "assigned": _("Ditugaskan"),
    "note": _("Catatan internal ditambahkan"),
    "message_to_reporter": _("Pesan dikirim kepada pelapor"),
    "evidence_added": _("Bukti ditambahkan petugas"),
    "identity_requested": _("Identitas pelapor diminta"),
    "identity_approved": _("Permintaan identitas disetujui"),
    "identity_refused": _("Permintaan identitas ditolak"),
    "closed_as_junk": _("Ditutup sebagai kiriman sampah"),
    **{name: step.label for name, step in TRANSITIONS.items()},
}


def person_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.full_name or user.email or user.username
