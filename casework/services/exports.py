"""Exports for staff: the case list as CSV and one case's summary as PDF.

Neither ever carries the reporter's identity; the CSV carries no report content
at all. Every export is recorded in the audit trail.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils.translation import get_language
from fpdf import FPDF

from casework.access import require
from casework.models import Case
from casework.selectors.exports import CSV_COLUMNS, case_list_rows, case_summary_events
from casework.selectors.queue import QueueFilters, filtered_cases
from intake.encryption import KeyUnavailable, report_key
from tenants.audit.trail import audit_record
from tenants.clock import tenant_today
from tenants.spreadsheet import csv_bytes

# A TrueType font covers every character a report may hold; the PDF core fonts only Latin-1.
_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def case_list_csv(*, actor: Any, filters: QueueFilters) -> bytes:
    """The case list the queue's filters select, as CSV (``tenants.spreadsheet``: UTF-8 with
    BOM, ``;`` between fields for Indonesian readers)."""
    require(actor, "export_case_list")
    cases = filtered_cases(actor, filters)
    content, count = csv_bytes(CSV_COLUMNS, case_list_rows(cases), language=(get_language() or "id")[:2])
    audit_record(action="export_csv", actor=actor, rows=count, filters=filters.as_query())
    return content


class _SummaryPdf(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self.summary_title = title
        self.unicode = (_FONT_DIR / "DejaVuSans.ttf").exists() and (
            _FONT_DIR / "DejaVuSans-Bold.ttf"
        ).exists()
        if self.unicode:
            self.add_font("DejaVu", "", str(_FONT_DIR / "DejaVuSans.ttf"))
            self.add_font("DejaVu", "B", str(_FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.family = "DejaVu" if self.unicode else "Helvetica"
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(18, 16, 18)

    def text_of(self, value: Any) -> str:
        text = str(value if value is not None else "")
        return text if self.unicode else text.encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.cell(0, 5, self.text_of(f"{self.summary_title} - {self.page_no()}/{{nb}}"), align="R")

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font(self.family, "B", 12)
        self.multi_cell(0, 7, self.text_of(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, "", 10)

    def field(self, label: str, value: Any) -> None:
        if value in (None, "", []):
            return
        self.set_font(self.family, "B", 10)
        self.multi_cell(0, 5.5, self.text_of(label), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, "", 10)
        self.multi_cell(0, 5.5, self.text_of(value), new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)


def case_summary_pdf(*, case: Case, actor: Any, tenant_name: str) -> bytes:
    """The case summary: report narrative, timeline and outcome; never the reporter's identity."""
    require(actor, "export_case_summary")
    report = case.report
    narrative: dict[str, Any] = {}
    summary = ""
    shredded = False
    try:
        key = report_key(report)
    except KeyUnavailable:
        shredded = True
    else:
        narrative = key.open_json("narrative", bytes(report.sealed_narrative))
        if case.sealed_outcome_summary is not None:
            summary = key.open("outcome-summary", bytes(case.sealed_outcome_summary)).decode()

    pdf = _SummaryPdf(f"{report.reference}")
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font(pdf.family, "B", 14)
    pdf.multi_cell(0, 7, pdf.text_of(tenant_name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "", 10)
    pdf.multi_cell(
        0,
        5,
        pdf.text_of(
            f"Ringkasan kasus / Case summary {report.reference} - dicetak {tenant_today().isoformat()}"
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.multi_cell(
        0,
        5,
        pdf.text_of("RAHASIA - tanpa identitas pelapor / CONFIDENTIAL - reporter's identity withheld"),
        new_x="LMARGIN",
        new_y="NEXT",
    )

    pdf.heading("Data kasus / Case")
    pdf.field("Kategori / Category", report.category.name_id)
    pdf.field("Saluran / Channel", report.get_channel_display())
    pdf.field("Diterima / Received", report.received_on.isoformat())
    pdf.field("Status / State", case.get_state_display())
    pdf.field("Mode identitas / Identity mode", report.get_identity_mode_display())
    pdf.field("Petugas / Assignee", (case.assignee.full_name or case.assignee.email) if case.assignee else "")
    pdf.field("Tim / Team", case.team.name if case.team else "")

    pdf.heading("Isi laporan / Report")
    if shredded:
        pdf.field("", "Isi laporan sudah dimusnahkan. / The report's content was destroyed.")
    else:
        pdf.field("Apa / What", narrative.get("what"))
        pdf.field("Uraian / Description", narrative.get("description"))
        parties = [
            ", ".join(part for part in (p.get("name"), p.get("position"), p.get("unit")) if part)
            for p in narrative.get("who") or []
        ]
        pdf.field("Siapa / Who", "\n".join(f"- {party}" for party in parties if party))
        pdf.field("Di mana / Where", narrative.get("where"))
        pdf.field("Kapan / When", narrative.get("when"))
        pdf.field("Mengapa / Why", narrative.get("why"))
        pdf.field("Bagaimana / How", narrative.get("how"))
        if report.how_much is not None:
            pdf.field("Berapa / How much", f"Rp {report.how_much:,}".replace(",", "."))

    pdf.heading("Riwayat / Timeline")
    for day, what, who in case_summary_events(case):
        pdf.multi_cell(
            0,
            5.5,
            pdf.text_of(f"{day.isoformat()}  {what}" + (f" ({who})" if who else "")),
            new_x="LMARGIN",
            new_y="NEXT",
        )

    pdf.heading("Hasil / Outcome")
    pdf.field("Hasil / Outcome", case.get_outcome_display() if case.outcome else "-")
    pdf.field("Ringkasan untuk pelapor / Summary for the reporter", summary)

    audit_record(action="export_pdf", actor=actor, case_id=case.pk)
    return bytes(pdf.output())
