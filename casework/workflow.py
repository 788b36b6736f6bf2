"""The case workflow as an explicit state machine.

    received -> verification -> (clarification: waiting on the reporter, clocks stop)
             -> desk review -> examination -> concluded (with an outcome) -> closed
    concluded/closed -> desk review again on the reporter's objection (reopen)

Each transition says who may make it, what it needs, and what the reporter is
told; ``casework.services.transitions.case_transition`` makes one, in one
transaction with its timeline event and audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from casework.models import Case, CaseState, ReporterNotice
from tenants.accounts.models import StaffRole
from tenants.accounts.permissions import roles_of
from tenants.db import current_tenant

S = CaseState
R = StaffRole


@dataclass(frozen=True)
class Transition:
    name: str
    label: Any
    sources: frozenset[str]
    target: str  # "" = back to the state before the pause
    roles: frozenset[str]
    needs_message: bool = False  # a message to the reporter is part of it
    needs_outcome: bool = False  # an outcome and a summary for the reporter
    notifies_reporter: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "start_verification",
            _("Mulai verifikasi"),
            frozenset({S.RECEIVED}),
            S.VERIFICATION,
            frozenset({R.INTAKE_OFFICER, R.SUPERVISOR}),
            notifies_reporter=True,
        ),
        Transition(
            "request_clarification",
            _("Minta klarifikasi pelapor"),
            frozenset({S.VERIFICATION, S.DESK_REVIEW, S.EXAMINATION}),
            S.CLARIFICATION,
            frozenset({R.INTAKE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR}),
            needs_message=True,
        ),
        Transition(
            "resume",
            _("Lanjutkan (klarifikasi diterima)"),
            frozenset({S.CLARIFICATION}),
            "",
            frozenset({R.INTAKE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR}),
        ),
        Transition(
            "accept_for_review",
            _("Lengkap: lanjut ke telaah"),
            frozenset({S.VERIFICATION}),
            S.DESK_REVIEW,
            frozenset({R.INTAKE_OFFICER, R.SUPERVISOR}),
            notifies_reporter=True,
        ),
        Transition(
            "start_examination",
            _("Mulai pemeriksaan"),
            frozenset({S.DESK_REVIEW}),
            S.EXAMINATION,
            frozenset({R.SUPERVISOR}),
            notifies_reporter=True,
        ),
        Transition(
            "conclude",
            _("Simpulkan hasil"),
            frozenset({S.VERIFICATION, S.DESK_REVIEW, S.EXAMINATION}),
            S.CONCLUDED,
            frozenset({R.INVESTIGATOR, R.SUPERVISOR}),
            needs_outcome=True,
            notifies_reporter=True,
        ),
        Transition(
            "close",
            _("Tutup"),
            frozenset({S.CONCLUDED}),
            S.CLOSED,
            # Those who see a concluded case (casework.access): not intake officers.
            frozenset({R.INVESTIGATOR, R.SUPERVISOR}),
        ),
        Transition(
            "reopen",
            _("Buka kembali (keberatan pelapor)"),
            frozenset({S.CONCLUDED, S.CLOSED}),
            S.DESK_REVIEW,
            frozenset({R.SUPERVISOR}),
            notifies_reporter=True,
        ),
    ]
}

DEFAULT_NOTICES: dict[str, tuple[str, str]] = {
    "start_verification": (
        "Laporan Anda sedang diperiksa kelengkapannya oleh petugas.",
        "An officer is now checking your report for completeness.",
    ),
    "accept_for_review": (
        "Laporan Anda lengkap dan sedang ditelaah untuk menentukan tindak lanjutnya.",
        "Your report is complete and is being reviewed to decide how to follow it up.",
    ),
    "start_examination": (
        "Laporan Anda ditindaklanjuti dengan pemeriksaan oleh tim inspektorat.",
        "Your report is being followed up by an examination by an inspectorate team.",
    ),
    "conclude": (
        "Penanganan laporan Anda sudah selesai. Hasil dan penjelasannya dapat Anda baca di halaman laporan. "
        "Bila Anda tidak puas, Anda dapat menyampaikan keberatan melalui pesan.",
        "Your report has been dealt with. You can read the outcome and explanation on your report page. "
        "If you disagree, you may object by replying here.",
    ),
    "reopen": (
        "Keberatan Anda kami terima; laporan Anda ditelaah kembali.",
        "We have received your objection; your report is being reviewed again.",
    ),
}


def available_transitions(case: Case, user: Any) -> list[Transition]:
    roles = roles_of(user)
    return [t for t in TRANSITIONS.values() if case.state in t.sources and roles & t.roles]


def reporter_notice_in(transition: str, language: str) -> str:
    """The tenant's wording of what the reporter is told at ``transition``, in ``language``."""
    stored = ReporterNotice.objects.filter(transition=transition).first()
    body_id, body_en = (stored.body_id, stored.body_en) if stored else DEFAULT_NOTICES[transition]
    return body_en if language == "en" else body_id


def reporter_notice(transition: str) -> str:
    """The notice as stored with the message, in the tenant's language; the mailbox shows
    it in the reader's language (``reporter_notice_in``), this text when it cannot."""
    return reporter_notice_in(transition, current_tenant().default_language)
