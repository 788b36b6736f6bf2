"""The case page and everything done on it."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from rest_framework.exceptions import ValidationError

from casework.access import can, case_for, sees
from casework.models import Case
from casework.pages.common import needs
from casework.selectors.case_page import case_page, excluded_people
from casework.selectors.identity import identity_access_until
from casework.services.cases import case_add_note, case_assign, case_exclude
from casework.services.evidence import EvidenceLinkInvalid, case_add_evidence, evidence_download
from casework.services.exports import case_summary_pdf
from casework.services.identity import identity_request, identity_view
from casework.services.messages import case_message_reporter
from casework.services.transitions import case_transition
from casework.staff_input import UNKNOWN_CHOICE, CaseAssignInput, chosen_id
from intake.portal_views import element_labels
from tenants.accounts.staff_sessions import forbidden_page, render_staff_page, staff_verified_required
from tenants.clock import tenant_today
from tenants.downloads import download
from tenants.errors import InvalidInput, NotAllowed
from tenants.input_fields import validated

ViewFunction = Callable[..., HttpResponse]

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
        "view": case_page(case, request.user),
        "errors": errors or {},
        "failed": failed,
        "values": request.POST if errors else {},
        "today": tenant_today(),
        "exclusions": excluded_people(case) if can(request.user, "exclude_others") else [],
        "elements": element_labels(case.report.present_elements()),
    }
    return render_staff_page(request, "casework/case.html", context, status=status)


@require_GET
@needs("view_cases")
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_response(request, case_for(request.user, reference))


def _case_action(
    request: HttpRequest, reference: str, form: str, run: Callable[[Case], Any], done: str
) -> HttpResponse:
    """Run one action on a visible case; back to the case page, or the page with the errors."""
    case = case_for(request.user, reference)
    try:
        run(case)
    except InvalidInput as invalid:
        return _case_response(request, case, errors=invalid.errors, failed=form, status=400)
    except NotAllowed as refused:
        return forbidden_page(request, str(refused))
    messages.success(request, done)
    if not sees(request.user, case):  # e.g. a step out of intake: now with those who handle it next
        messages.info(request, _("Kasus ini kini ditangani petugas lain dan tidak lagi tampil untuk Anda."))
        return redirect("staff-queue")
    return redirect(reverse("staff-case", args=[case.report.reference]) + f"#{form}")


@require_POST
@needs("view_cases")
def case_transition_view(request: HttpRequest, reference: str) -> HttpResponse:
    post = request.POST
    return _case_action(
        request,
        reference,
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
@needs("message_reporter")
def case_message_view(request: HttpRequest, reference: str) -> HttpResponse:
    def send(case: Case) -> None:
        case_message_reporter(case=case, actor=request.user, body=request.POST.get("body", ""))

    return _case_action(request, reference, "messages", send, _("Pesan terkirim ke pelapor."))


@require_POST
@needs("write_note")
def case_note_view(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_action(
        request,
        reference,
        "notes",
        lambda case: case_add_note(case=case, actor=request.user, body=request.POST.get("body", "")),
        _("Catatan internal tersimpan."),
    )


@require_POST
@needs("upload_evidence")
def case_evidence_view(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_action(
        request,
        reference,
        "evidence",
        lambda case: case_add_evidence(
            case=case, actor=request.user, files=request.FILES.getlist("evidence")
        ),
        _("Bukti tersimpan."),
    )


def _chosen_id(value: str, field: str) -> int | None:
    """A person or team picked in a form: empty, or a row id (anything else is a 400)."""
    try:
        return chosen_id(value)
    except ValidationError as refused:
        raise InvalidInput({field: UNKNOWN_CHOICE}) from refused


@require_POST
@needs("assign")
def case_assign_view(request: HttpRequest, reference: str) -> HttpResponse:
    def assign(case: Case) -> None:
        given = validated(CaseAssignInput, request.POST)  # as the API reads its body
        case_assign(
            case=case,
            actor=request.user,
            assignee_id=given["assignee"],
            team_id=given["team"],
            reason=given["reason"],
        )

    return _case_action(request, reference, "assign", assign, _("Penugasan tersimpan."))


@require_POST
@needs("declare_conflict")
def case_exclude_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for(request.user, reference)
    person = request.POST.get("user", "")
    own = person in {"self", str(request.user.pk)}
    try:
        case_exclude(
            case=case,
            actor=request.user,
            user_id=request.user.pk if own else _chosen_id(person, "user"),
            reason=request.POST.get("reason", ""),
        )
    except InvalidInput as invalid:
        return _case_response(request, case, errors=invalid.errors, failed="conflict", status=400)
    except NotAllowed as refused:
        return forbidden_page(request, str(refused))
    if own:  # the case is now hidden from this person: back to the queue
        messages.success(
            request, _("Konflik kepentingan Anda tercatat; kasus ini tidak lagi tampil untuk Anda.")
        )
        return redirect("staff-queue")
    messages.success(request, _("Petugas tersebut dikecualikan dari kasus ini."))
    return redirect(reverse("staff-case", args=[case.report.reference]) + "#conflict")


@require_POST
@needs("request_identity")
def case_identity_request_view(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_action(
        request,
        reference,
        "identity",
        lambda case: identity_request(case=case, actor=request.user, reason=request.POST.get("reason", "")),
        _("Permintaan identitas dikirim ke penjaga identitas."),
    )


@require_POST
@needs("view_cases")
def case_identity_view(request: HttpRequest, reference: str) -> HttpResponse:
    """The reporter's identity, for a handler with live approved access; every view is recorded."""
    case = case_for(request.user, reference)
    try:
        identity = identity_view(case=case, actor=request.user)
    except PermissionError as refused:
        return forbidden_page(request, str(refused))
    grant = identity_access_until(case, request.user)
    return render_staff_page(
        request, "casework/identity.html", {"case": case, "identity": identity, "grant": grant}
    )


@require_GET
@never_cache
@staff_verified_required
def evidence_download_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        file = evidence_download(token=token, actor=request.user)
    except EvidenceLinkInvalid as invalid:
        return forbidden_page(request, invalid.message)
    return download(file.content, content_type=file.content_type, filename=file.name)


@require_GET
@needs("export_case_summary")
def case_summary_export(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for(request.user, reference)
    tenant = request.tenant  # type: ignore[attr-defined]
    content = case_summary_pdf(case=case, actor=request.user, tenant_name=tenant.official_name)
    return download(
        content, content_type="application/pdf", filename=f"ringkasan-{case.report.reference}.pdf"
    )
