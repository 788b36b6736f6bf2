"""The printable receipt slip (PDF), for reporters and for reports staff record
from a letter, a visit or a call."""

from __future__ import annotations

from datetime import date

from fpdf import FPDF

from tenants.models import Tenant


def _paragraph(pdf: FPDF, height: float, text: str) -> None:
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")


def receipt_slip_pdf(
    *, tenant: Tenant, receipt: str, channel: str = "", received_on: date | None = None
) -> bytes:
    pdf = FPDF(format=(148, 210))  # A5 in millimetres
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 13)
    _paragraph(pdf, 7, tenant.official_name)
    pdf.set_font("Helvetica", "", 10)
    _paragraph(pdf, 5, "Whistle Blowing System - Tanda terima laporan / Report receipt")
    pdf.ln(4)
    if channel or received_on:
        details = " - ".join(
            part for part in (channel, received_on.isoformat() if received_on else "") if part
        )
        _paragraph(pdf, 5, f"Diterima melalui / Received via: {details}")
        pdf.ln(2)
    pdf.set_font("Helvetica", "", 10)
    _paragraph(pdf, 5, "Kode laporan / Receipt:")
    pdf.set_font("Courier", "B", 16)
    _paragraph(pdf, 10, receipt)
    pdf.set_font("Helvetica", "", 9)
    pdf.ln(2)
    pdf.multi_cell(
        0,
        4.5,
        "Simpan kode ini di tempat aman. Kode ini satu-satunya kunci untuk membaca tanggapan dan hasil "
        "penanganan laporan Anda. Petugas tidak dapat memulihkannya bila hilang.\n"
        "Keep this code somewhere safe. It is the only key to read answers and the outcome of your report. "
        "Staff cannot recover it if it is lost.",
    )
    host = tenant.domains.filter(is_primary=True).values_list("domain", flat=True).first() or ""
    if host:
        pdf.ln(2)
        _paragraph(pdf, 4.5, f"Pantau laporan / Follow up: {host}/pantau/")
    return bytes(pdf.output())
