"""The names of the case-related audit actions on the audit trail page (casework's, and the
reporter's and settings actions intake writes, which staff meet through casework's pages),
registered at start-up (``tenants.audit.action_names``). A workflow step is named as its
button is."""

from __future__ import annotations

from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from casework.models import IdentityRequestStatus
from casework.workflow import TRANSITIONS


def _named(template: Any, value: Any) -> str:
    return str(template) % {"value": value}


named = lazy(_named, str)  # translated when shown, in the reader's language

CASEWORK_ACTION_NAMES: dict[str, Any] = {
    "report_received": _("Laporan diterima"),
    "reporter_reply": _("Balasan pelapor"),
    "reporter_evidence": _("Bukti tambahan dari pelapor"),
    "note": _("Catatan internal"),
    "message_to_reporter": _("Pesan ke pelapor"),
    "assign": _("Penugasan"),
    "exclude": _("Pengecualian (konflik kepentingan)"),
    "exclusion_lifted": _("Pengecualian dicabut"),
    "evidence_upload": _("Bukti diunggah petugas"),
    "evidence_download": _("Bukti diunduh"),
    "export_csv": _("Daftar kasus diekspor"),
    "export_pdf": _("Ringkasan kasus diekspor"),
    "identity_request": _("Permintaan identitas pelapor"),
    "identity_view": _("Identitas pelapor dilihat"),
    "forward": _("Diteruskan ke inspektorat lain"),
    "forward_in": _("Diterima dari inspektorat lain"),
    "shred": _("Data kasus dimusnahkan"),
    "early_deletion_request": _("Permintaan penghapusan dini"),
    "early_deletion_approve": _("Penghapusan dini disetujui"),
    "early_deletion_refuse": _("Penghapusan dini ditolak"),
    "close_as_junk": _("Ditutup sebagai kiriman sampah"),
    "settings_deadlines": _("Tenggat diubah"),
    "settings_retention": _("Masa simpan diubah"),
    "settings_notices": _("Pemberitahuan untuk pelapor diubah"),
    "settings_categories": _("Kategori diubah"),
    "settings_limits": _("Batas pelaporan diubah"),
    **{
        f"identity_{status.value}": named(_("Permintaan identitas: %(value)s"), status.label)
        for status in IdentityRequestStatus
    },
    **{
        f"transition:{name}": named(_("Langkah: %(value)s"), step.label) for name, step in TRANSITIONS.items()
    },
}
