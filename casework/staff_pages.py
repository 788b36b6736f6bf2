"""The staff pages of casework: queue, case page, dashboard, overdue list,
workload, exports and recording reports that arrive by other channels.

Server-rendered, no inline script. Views only read through
``casework.selectors`` and change things through the services
(workflow, cases, identity custody, evidence, exports, intake); a refusal from
a service is shown as a message with 400 (invalid input) or 403 (not allowed),
and a case a person may not see is a 404 exactly like a missing one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework import selectors
from casework.access import NotAllowed, can, case_for
from casework.cases import case_add_note, case_assign, case_exclude
from casework.exports import case_list_csv, case_summary_pdf
from casework.identity_custody import identity_access_until, identity_request, identity_view
from casework.models import Case, CaseState
from casework.staff_auth import staff_verified_required
from casework.staff_evidence import EvidenceLinkInvalid, case_add_evidence, evidence_download
from casework.workflow import case_transition
from intake.mailbox import message_to_reporter
from intake.models import Channel
from intake.portal_views import _form_context, element_labels, submission_from_form
from intake.receipt_slip import receipt_slip_pdf
from intake.receipts import normalise
from intake.report_input import ReportInvalid, parse_report
from intake.reports import report_submit
from tenants.clock import tenant_today, tenant_zone

ViewFunction = Callable[..., HttpResponse]
OFFLINE_CHANNELS = [(value, label) for value, label in Channel.choices if value not in {"web", "forwarded"}]


# --- Helpers --------------------------------------------------------------------


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """Render with dates and times in the tenant's own time zone."""
    with timezone.override(tenant_zone()):
        return render(request, template, context, status=status)


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return _page(request, "casework/forbidden.html", {"message": message}, status=403)


def _needs(action: str) -> Callable[[ViewFunction], ViewFunction]:
    """A page for people whose roles allow ``action`` (others get 403 with a reason).

    Always wrapped in ``staff_verified_required``: signed in with both factors.
    """

    def decorator(view: ViewFunction) -> ViewFunction:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not can(request.user, action):
                return _forbidden(request, str(NotAllowed(action)))
            try:
                return view(request, *args, **kwargs)
            except NotAllowed as refused:
                return _forbidden(request, str(refused))

        return never_cache(staff_verified_required(checked))

    return decorator


def _language() -> str:
    return "en" if get_language() == "en" else "id"


def _query(values: dict[str, str]) -> str:
    return urlencode(values)


def _download(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "no-store, private"
    return response


# --- Queue, overdue, workload ---------------------------------------------------


def _queue_context(request: HttpRequest, filters: selectors.QueueFilters, cases: Any) -> dict[str, Any]:
    paginator = Paginator(selectors.queue_page_cases(cases), selectors.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = filters.as_query()
    return {
        "page": page,
        "filters": filters,
        "query": _query(query),
        "states": CaseState.choices,
        "categories": selectors.category_choices(),
        "handlers": selectors.handler_choices(),
        "today": tenant_today(),
        "language": _language(),
        "may_export": can(request.user, "export_case_list"),
    }


@require_GET
@_needs("view_cases")
def case_queue(request: HttpRequest) -> HttpResponse:
    filters = selectors.QueueFilters.from_query(request.GET)
    cases = selectors.filtered_cases(request.user, filters)
    context = _queue_context(request, filters, cases)
    return _page(request, "casework/queue.html", context, status=400 if filters.problems else 200)


@require_GET
@_needs("view_cases")
def overdue_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.QueueFilters(overdue=True)
    cases = selectors.overdue_cases(request.user)
    context = _queue_context(request, filters, cases)
    return _page(request, "casework/overdue.html", context)


@require_GET
@_needs("view_cases")
def workload_view(request: HttpRequest) -> HttpResponse:
    return _page(request, "casework/workload.html", {"workload": selectors.workload(request.user)})


# --- The case page and its actions ---------------------------------------------


def _case_response(
    request: HttpRequest,
    case: Case,
    *,
    errors: dict[str, str] | None = None,
    failed: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "view": selectors.case_page(case, request.user),
        "errors": errors or {},
        "failed": failed,
        "values": request.POST if errors else {},
        "today": tenant_today(),
        "exclusions": selectors.excluded_people(case) if can(request.user, "exclude_others") else [],
        "elements": element_labels(case.report.present_elements()),
    }
    return _page(request, "casework/case.html", context, status=status)


@require_GET
@_needs("view_cases")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_response(request, case_for(request.user, pk))


def _case_action(
    request: HttpRequest, pk: int, form: str, run: Callable[[Case], Any], done: str
) -> HttpResponse:
    """Run one action on a visible case; back to the case page, or the page with the errors."""
    case = case_for(request.user, pk)
    try:
        run(case)
    except ReportInvalid as invalid:
        return _case_response(request, case, errors=invalid.errors, failed=form, status=400)
    except NotAllowed as refused:
        return _forbidden(request, str(refused))
    messages.success(request, done)
    return redirect(reverse("staff-case", args=[case.pk]) + f"#{form}")


@require_POST
@_needs("view_cases")
def case_transition_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return _case_action(
        request,
        pk,
        "workflow",
        lambda case: case_transition(
            case=case,
            actor=request.user,
            transition=post.get("transition", ""),
            message=post.get("message", ""),
            outcome=post.get("outcome", ""),
            summary=post.get("summary", ""),
        ),
        _("Status kasus diperbarui."),
    )


@require_POST
@_needs("message_reporter")
def case_message_view(request: HttpRequest, pk: int) -> HttpResponse:
    def send(case: Case) -> None:
        message_to_reporter(report=case.report, staff_user=request.user, body=request.POST.get("body", ""))

    return _case_action(request, pk, "messages", send, _("Pesan terkirim ke pelapor."))


@require_POST
@_needs("write_note")
def case_note_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_action(
        request,
        pk,
        "notes",
        lambda case: case_add_note(case=case, actor=request.user, body=request.POST.get("body", "")),
        _("Catatan internal tersimpan."),
    )


@require_POST
@_needs("upload_evidence")
def case_evidence_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_action(
        request,
        pk,
        "evidence",
        lambda case: case_add_evidence(
            case=case, actor=request.user, files=request.FILES.getlist("evidence")
        ),
        _("Bukti tersimpan."),
    )


def _chosen_id(value: str, field: str) -> str | None:
    """A person or team picked in a form: empty, or a row id (anything else is a 400)."""
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise ReportInvalid({field: "Pilihan tidak dikenal. / Unknown choice."})
    return value


@require_POST
@_needs("assign")
def case_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST

    def assign(case: Case) -> None:
        case_assign(
            case=case,
            actor=request.user,
            assignee_id=_chosen_id(post.get("assignee", ""), "assignee"),
            team_id=_chosen_id(post.get("team", ""), "team"),
            reason=post.get("reason", ""),
        )

    return _case_action(request, pk, "assign", assign, _("Penugasan tersimpan."))


@require_POST
@_needs("declare_conflict")
def case_exclude_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request.user, pk)
    person = request.POST.get("user", "")
    own = person in {"self", str(request.user.pk)}
    try:
        case_exclude(
            case=case,
            actor=request.user,
            user_id=request.user.pk if own else _chosen_id(person, "user"),
            reason=request.POST.get("reason", ""),
        )
    except ReportInvalid as invalid:
        return _case_response(request, case, errors=invalid.errors, failed="conflict", status=400)
    except NotAllowed as refused:
        return _forbidden(request, str(refused))
    if own:  # the case is now hidden from this person: back to the queue
        messages.success(
            request, _("Konflik kepentingan Anda tercatat; kasus ini tidak lagi tampil untuk Anda.")
        )
        return redirect("staff-queue")
    messages.success(request, _("Petugas tersebut dikecualikan dari kasus ini."))
    return redirect(reverse("staff-case", args=[case.pk]) + "#conflict")


@require_POST
@_needs("request_identity")
def case_identity_request_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_action(
        request,
        pk,
        "identity",
        lambda case: identity_request(case=case, actor=request.user, reason=request.POST.get("reason", "")),
        _("Permintaan identitas dikirim ke penjaga identitas."),
    )


@require_POST
@_needs("view_cases")
def case_identity_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The reporter's identity, for a handler with live approved access; every view is recorded."""
    case = case_for(request.user, pk)
    try:
        identity = identity_view(case=case, actor=request.user)
    except PermissionError as refused:
        return _forbidden(request, str(refused))
    grant = identity_access_until(case, request.user)
    return _page(request, "casework/identity.html", {"case": case, "identity": identity, "grant": grant})


@require_GET
@never_cache
@staff_verified_required
def evidence_download_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        download = evidence_download(token=token, actor=request.user)
    except EvidenceLinkInvalid as invalid:
        return _forbidden(request, invalid.message)
    return _download(download.content, content_type=download.content_type, filename=download.name)


# --- Exports --------------------------------------------------------------------


@require_GET
@_needs("export_case_list")
def case_list_export(request: HttpRequest) -> HttpResponse:
    filters = selectors.QueueFilters.from_query(request.GET)
    if filters.problems:
        return _page(
            request, "casework/forbidden.html", {"message": "; ".join(filters.problems.values())}, status=400
        )
    cases = selectors.filtered_cases(request.user, filters)
    content = case_list_csv(cases=cases, actor=request.user, filters=filters.as_query())
    return _download(
        content, content_type="text/csv; charset=utf-8", filename=f"kasus-{tenant_today().isoformat()}.csv"
    )


@require_GET
@_needs("export_case_summary")
def case_summary_export(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request.user, pk)
    tenant = request.tenant  # type: ignore[attr-defined]
    content = case_summary_pdf(case=case, actor=request.user, tenant_name=tenant.official_name)
    return _download(
        content, content_type="application/pdf", filename=f"ringkasan-{case.report.reference}.pdf"
    )


# --- Dashboard ------------------------------------------------------------------

CHART_WIDTH = 640
CHART_HEIGHT = 220
CHART_LEFT = 44
CHART_BOTTOM = 34
CHART_TOP = 14


def _axis_step(largest: float) -> int:
    """The smallest whole step of 1, 2 or 5 times a power of ten whose four ticks reach ``largest``."""
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude * 4 >= largest:
                return step * magnitude
        magnitude *= 10


def bar_chart(values: list[float | None], months: list[date], *, unit: str) -> dict[str, Any]:
    """Geometry of a bar chart drawn as inline SVG by the template (no script)."""
    step = _axis_step(max((v for v in values if v is not None), default=0))
    top = step * 4
    plot_width = CHART_WIDTH - CHART_LEFT - 8
    plot_height = CHART_HEIGHT - CHART_BOTTOM - CHART_TOP
    slot = plot_width / max(len(values), 1)
    bars = []
    for index, (value, month) in enumerate(zip(values, months, strict=True)):
        height = 0.0 if value is None else plot_height * value / top
        x = CHART_LEFT + index * slot + slot * 0.15
        bars.append(
            {
                "x": round(x, 1),
                "y": round(CHART_TOP + plot_height - height, 1),
                "width": round(slot * 0.7, 1),
                "height": round(height, 1),
                "label_x": round(x + slot * 0.35, 1),
                "value_y": round(CHART_TOP + plot_height - height - 3, 1),
                "value": "–" if value is None else (f"{value:g}"),
                "month": month,
                "empty": value is None,
                "zero": value == 0,
            }
        )
    ticks = [
        {"y": round(CHART_TOP + plot_height * (1 - index / 4), 1), "label": str(step * index)}
        for index in range(5)
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - 8,
        "baseline": CHART_TOP + plot_height,
        "label_y": CHART_HEIGHT - CHART_BOTTOM + 16,
        "bars": bars,
        "ticks": ticks,
        "unit": unit,
        "no_data": all(value in (None, 0) for value in values),
        "middle_x": (CHART_LEFT + CHART_WIDTH - 8) / 2,
        "middle_y": CHART_TOP + plot_height / 2,
    }


@require_GET
@_needs("view_statistics")
def dashboard(request: HttpRequest) -> HttpResponse:
    stats = selectors.case_statistics(request.user, language=_language())
    context = {
        "stats": stats,
        "received_chart": bar_chart(list(stats.received_per_month), stats.months, unit=_("laporan")),
        "median_chart": bar_chart(list(stats.median_days_to_close), stats.months, unit=_("hari")),
        "aggregate_only": not can(request.user, "view_cases"),
        "month_rows": list(
            zip(stats.months, stats.received_per_month, stats.median_days_to_close, strict=True)
        ),
    }
    return _page(request, "casework/dashboard.html", context)


# --- Reports received by letter, in person, by phone, ... ---------------------


def _offline_context(post: Any, errors: dict[str, str] | None = None) -> dict[str, Any]:
    context = _form_context(post, errors)
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
@_needs("record_offline_report")
def record_report(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request, "casework/record_report.html", _offline_context(None))
    if "check" in request.POST:
        return _page(request, "casework/record_report.html", _offline_context(request.POST))
    channel, received_on, errors = _offline_details(request.POST)
    try:
        draft = parse_report(submission_from_form(request.POST))
    except ReportInvalid as invalid:
        errors = {**errors, **invalid.errors}
        draft = None
    if errors or draft is None or received_on is None:
        return _page(
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
    except ReportInvalid as invalid:
        return _page(
            request, "casework/record_report.html", _offline_context(request.POST, invalid.errors), status=400
        )
    context = {
        "receipt": submitted.receipt,
        "report": submitted.report,
        "case_id": submitted.case_id,
        "channel": channel,
        "channel_label": dict(OFFLINE_CHANNELS)[channel],
        "received_on": received_on,
        "elements": element_labels(draft.present),
    }
    return _page(request, "casework/recorded.html", context, status=201)


@require_POST
@_needs("record_offline_report")
def recorded_receipt_pdf(request: HttpRequest) -> HttpResponse:
    """The printable slip for a report staff recorded; the receipt travels in the POST body only."""
    receipt = request.POST.get("receipt", "")
    if normalise(receipt) is None:
        return _page(
            request,
            "casework/forbidden.html",
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
    return _download(pdf, content_type="application/pdf", filename="tanda-terima-laporan.pdf")
