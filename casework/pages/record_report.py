"""Reports received by letter, in person, by phone, WhatsApp, email or social media:
staff record them, and the reporter still gets a receipt."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_http_methods, require_POST

from casework.pages.common import needs
from intake.models import Channel
from intake.portal_views import element_labels, report_form_context, submission_from_form
from intake.receipt_slip import receipt_slip_pdf
from intake.receipts import normalise
from intake.report_input import parse_report
from intake.services.reports import report_submit
from tenants.accounts.staff_sessions import render_staff_page
from tenants.clock import tenant_today
from tenants.downloads import download
from tenants.errors import InvalidInput

ViewFunction = Callable[..., HttpResponse]

OFFLINE_CHANNELS = [(value, label) for value, label in Channel.choices if value not in {"web", "forwarded"}]

# --- Reports received by letter, in person, by phone, ... ---------------------


def _offline_context(post: Any, errors: dict[str, str] | None = None) -> dict[str, Any]:
    context = report_form_context(post, errors)
    context.update(
        {
            "channels": OFFLINE_CHANNELS,
            "today": tenant_today(),
            "received_on": (post or {}).get("received_on", "") or tenant_today().isoformat(),
        }
    )
    return context


def _offline_details(post: Any) -> tuple[str, date | None, dict[str, str]]:
    errors: dict[str, str] = {}
    channel = post.get("channel", "")
    if channel not in dict(OFFLINE_CHANNELS):
        errors["channel"] = "Pilih saluran penerimaan. / Choose how the report arrived."
    raw = (post.get("received_on") or "").strip()
    try:
        received_on = parse_date(raw) if raw else None
    except ValueError:
        received_on = None
    if received_on is None:
        errors["received_on"] = "Isi tanggal diterima (YYYY-MM-DD). / Enter the date it was received."
    elif received_on > tenant_today():
        errors["received_on"] = "Tanggal diterima tidak boleh di masa depan. / Cannot be in the future."
    return channel, received_on, errors


@require_http_methods(["GET", "POST"])
@needs("record_offline_report")
def record_report(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render_staff_page(request, "casework/record_report.html", _offline_context(None))
    if "check" in request.POST:
        return render_staff_page(request, "casework/record_report.html", _offline_context(request.POST))
    channel, received_on, errors = _offline_details(request.POST)
    try:  # the portal's and the API's rules: ReportSubmissionSerializer
        draft = parse_report(submission_from_form(request.POST))
    except InvalidInput as invalid:
        errors = {**errors, **invalid.errors}
        draft = None
    if errors or draft is None or received_on is None:
        return render_staff_page(
            request, "casework/record_report.html", _offline_context(request.POST, errors), status=400
        )
    try:
        submitted = report_submit(
            draft=draft,
            files=request.FILES.getlist("evidence"),
            channel=channel,
            received_on=received_on,
            staff_user=request.user,
        )
    except InvalidInput as invalid:
        return render_staff_page(
            request, "casework/record_report.html", _offline_context(request.POST, invalid.errors), status=400
        )
    context = {
        "receipt": submitted.receipt,
        "report": submitted.report,
        "channel": channel,
        "channel_label": dict(OFFLINE_CHANNELS)[channel],
        "received_on": received_on,
        "elements": element_labels(draft.present),
    }
    return render_staff_page(request, "casework/recorded.html", context, status=201)


@require_POST
@needs("record_offline_report")
def recorded_receipt_pdf(request: HttpRequest) -> HttpResponse:
    """The printable slip for a report staff recorded; the receipt travels in the POST body only."""
    receipt = request.POST.get("receipt", "")
    if normalise(receipt) is None:
        return render_staff_page(
            request,
            "staff/forbidden.html",
            {"message": "Kode laporan tidak valid. / Invalid receipt."},
            status=400,
        )
    channel = request.POST.get("channel", "")
    raw_date = request.POST.get("received_on", "")
    try:
        received_on = parse_date(raw_date) if raw_date else None
    except ValueError:
        received_on = None
    pdf = receipt_slip_pdf(
        tenant=request.tenant,  # type: ignore[attr-defined]
        receipt=receipt,
        channel=str(dict(OFFLINE_CHANNELS).get(channel, "")),
        received_on=received_on,
    )
    return download(pdf, content_type="application/pdf", filename="tanda-terima-laporan.pdf")
