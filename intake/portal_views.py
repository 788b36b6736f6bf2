"""The reporter-facing pages of a tenant's portal: server-rendered, usable without
JavaScript, never cached, and never carrying the receipt in a URL."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from intake.case_handling import case_handling
from intake.evidence_files.file_types import ALLOWED_CLAIMS
from intake.models import ELEMENTS, Category, IdentityMode, IntakeSettings, ReporterRelation
from intake.proof_of_work import form_challenge, form_proof, proof_spend
from intake.receipt_slip import receipt_slip_pdf
from intake.receipts import normalise
from intake.report_input import in_language, parse_report, present_elements
from intake.services.mailbox import (
    SESSION_LIFETIME,
    ReceiptRejected,
    mailbox_add_evidence,
    mailbox_close,
    mailbox_open,
    mailbox_reply,
    mailbox_report,
    mailbox_view,
)
from intake.services.reports import report_submit
from tenants.errors import InvalidInput

PARTY_ROWS = 3
ELEMENT_LABELS = {
    "what": ("Apa", "What"),
    "who": ("Siapa", "Who"),
    "where": ("Di mana", "Where"),
    "when": ("Kapan", "When"),
    "why": ("Mengapa", "Why"),
    "how": ("Bagaimana", "How"),
    "how_much": ("Berapa", "How much"),
}

# The short names the error summary puts before each message ("Judul laporan: wajib diisi").
FIELD_LABELS = {
    "category": _("Jenis pelanggaran"),
    "what": _("Judul laporan"),
    "description": _("Cerita kejadian"),
    "who": _("Terlapor"),
    "where": _("Di mana"),
    "when": _("Kapan"),
    "why": _("Mengapa"),
    "how": _("Bagaimana"),
    "how_much": _("Perkiraan kerugian"),
    "evidence": _("Bukti"),
    "identity_mode": _("Identitas Anda"),
    "identity": _("Identitas Anda"),
    "identity_name": _("Nama"),
    "identity_nik": "NIK",
    "identity_phone": _("Telepon"),
    "identity_email": _("Email"),
    "notify_email": _("Email untuk pemberitahuan"),
    "relation": _("Hubungan Anda dengan instansi"),
    "proof": _("Pengiriman"),
}
# Where the summary's link for a field leads, when the field's own id differs.
FIELD_ANCHORS = {"identity": "field-identity_mode"}
# The receipt waits this long for the redirect's GET, then is gone: it is shown once.
RECEIPT_SLOT_SECONDS = 300
RECEIPT_COOKIE = "wbs_receipt_slot"


def _language() -> str:
    return "en" if get_language() == "en" else "id"


def element_labels(present: list[str]) -> list[dict[str, Any]]:
    index = 1 if _language() == "en" else 0
    return [
        {"name": name, "label": ELEMENT_LABELS[name][index], "present": name in present} for name in ELEMENTS
    ]


@require_GET
@never_cache
def portal_home(request: HttpRequest) -> HttpResponse:
    tenant = request.tenant  # type: ignore[attr-defined]
    return render(
        request,
        "intake/home.html",
        {
            "welcome_text": tenant.welcome_text(_language()),
            "deadlines": case_handling().promised_working_days(),
        },
    )


@require_GET
@never_cache
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/privacy.html")


def submission_from_form(post: Any) -> dict[str, Any]:
    """The form's flat fields in the API's shape, for ``ReportSubmissionSerializer``: one
    set of rules and messages for the form, the API and the staff page for letters."""
    parties = []
    for row in range(PARTY_ROWS):
        party = {key: post.get(f"who-{row}-{key}", "") for key in ("name", "position", "unit")}
        if any(value.strip() for value in party.values()):
            parties.append(party)
    data: dict[str, Any] = {
        key: post.get(key, "")
        for key in ("category", "what", "description", "where", "when", "why", "how", "how_much", "relation")
    }
    data["identity_mode"] = post.get("identity_mode", IdentityMode.ANONYMOUS)
    data["who"] = parties
    # Sent whatever the mode: identity typed under "Anonim" is refused with a message naming
    # the choice (intake.report_input), never silently dropped.
    data["identity"] = {key: post.get(f"identity-{key}", "") for key in ("name", "nik", "phone", "email")}
    data["notify_email"] = post.get("notify_email", "")
    if data["identity_mode"] != IdentityMode.ANONYMOUS:
        data["consent_to_forward_identity"] = post.get("consent_to_forward_identity", "")
    return data


def error_summary(errors: dict[str, str]) -> list[dict[str, str]]:
    """Each problem in the page's language, with the field's name and a link to it."""
    summary = []
    for field, message in errors.items():
        label = FIELD_LABELS.get(field)
        text = in_language(message, _language())
        summary.append(
            {
                "anchor": FIELD_ANCHORS.get(field, f"field-{field}"),
                "text": f"{label}: {text}" if label else text,
            }
        )
    return summary


def evidence_limits() -> dict[str, Any]:
    limits = IntakeSettings.limits()
    return {
        "files": limits.max_files_per_report,
        "file_mb": limits.max_file_bytes // (1024 * 1024),
        "report_mb": limits.max_report_bytes // (1024 * 1024),
        "types": ", ".join(sorted(ALLOWED_CLAIMS)),
    }


def report_form_context(post: Any, errors: dict[str, str] | None = None) -> dict[str, Any]:
    data = submission_from_form(post) if post else {}
    narrative = {key: data.get(key, "") for key in ("what", "description", "where", "when", "why", "how")}
    narrative["who"] = data.get("who", [])
    how_much = data.get("how_much") or None
    present = present_elements(narrative, 1 if how_much else None)
    language = _language()
    return {
        "categories": [(c.code, c.name(language)) for c in Category.objects.filter(is_active=True)],
        # Templates cannot read "identity-name" or "identity.name": use underscores.
        "values": {key.replace("-", "_"): value for key, value in (post or {}).items()},
        "party_rows": [
            {key: (post or {}).get(f"who-{row}-{key}", "") for key in ("name", "position", "unit")}
            | {"index": row}
            for row in range(PARTY_ROWS)
        ],
        "errors": {key.replace(".", "_"): message for key, message in (errors or {}).items()},
        "elements": element_labels(present),
        "identity_modes": IdentityMode.choices,
        "relations": ReporterRelation.choices,
        "checked": bool(post),
        "proof": form_challenge(),
    }


def portal_form_context(
    post: Any, errors: dict[str, str] | None = None, files_dropped: bool = False
) -> dict[str, Any]:
    """The reporter's form: each message in the page's language, named in the summary, and
    the evidence limits stated before upload."""
    context = report_form_context(post, errors)
    language = _language()
    field_errors = context["errors"]
    return context | {
        "errors": {key: in_language(message, language) for key, message in field_errors.items()},
        "error_summary": error_summary(field_errors),
        "files_dropped": files_dropped,
        "evidence_limits": evidence_limits(),
    }


@require_http_methods(["GET", "POST"])
@never_cache
def report_form(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "intake/report_form.html", portal_form_context(None))
    if request.POST.get("website"):  # the honeypot field people never see
        return render(
            request, "intake/report_form.html", portal_form_context(request.POST, {"form": "?"}), status=400
        )
    if "check" in request.POST:  # "check completeness" without JavaScript: show, do not submit
        return render(request, "intake/report_form.html", portal_form_context(request.POST))
    try:
        draft = parse_report(submission_from_form(request.POST))  # ReportSubmissionSerializer
        proof_spend(form_proof(request.POST))  # what the sender paid: nothing is stored without it
        submitted = report_submit(draft=draft, files=request.FILES.getlist("evidence"))
    except InvalidInput as error:
        context = portal_form_context(request.POST, error.errors, files_dropped=bool(request.FILES))
        return render(request, "intake/report_form.html", context, status=400)
    # POST/redirect/GET: the receipt waits in a one-time server-side slot named by a cookie,
    # so a refresh or Back never sends the report again and the receipt is never in a URL.
    slot = secrets.token_urlsafe(24)
    cache.set(
        f"receipt-slot:{slot}",
        {"receipt": submitted.receipt, "present": draft.present},
        RECEIPT_SLOT_SECONDS,
    )
    response = redirect("report-receipt")
    response.status_code = 303  # See Other: the browser fetches the receipt with a GET
    response.set_cookie(
        RECEIPT_COOKIE,
        slot,
        max_age=RECEIPT_SLOT_SECONDS,
        httponly=True,
        samesite="Strict",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@require_GET
@never_cache
def report_receipt(request: HttpRequest) -> HttpResponse:
    """The receipt, once: a refresh finds the slot empty and says the report was already sent."""
    slot = request.COOKIES.get(RECEIPT_COOKIE, "")
    held = cache.get(f"receipt-slot:{slot}") if slot else None
    if held is None:
        response = render(request, "intake/receipt.html", {"already_shown": True})
    else:
        cache.delete(f"receipt-slot:{slot}")
        response = render(
            request,
            "intake/receipt.html",
            {"receipt": held["receipt"], "elements": element_labels(held["present"])},
        )
    response.delete_cookie(RECEIPT_COOKIE)
    return response


@require_POST
@never_cache
def receipt_pdf(request: HttpRequest) -> HttpResponse:
    """The receipt as a printable slip; the receipt comes in the POST body, never the URL."""
    receipt = request.POST.get("receipt", "")
    if normalise(receipt) is None:
        return HttpResponse(
            "Kode laporan tidak valid. / Invalid receipt.", status=400, content_type="text/plain"
        )
    pdf = receipt_slip_pdf(tenant=request.tenant, receipt=receipt)  # type: ignore[attr-defined]
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="tanda-terima-laporan.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@never_cache
def follow_up_login(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "intake/follow_up.html", {"proof": form_challenge()})
    try:
        token, _report = mailbox_open(receipt=request.POST.get("receipt", ""), proof=form_proof(request.POST))
    except ReceiptRejected as rejected:
        return render(
            request,
            "intake/follow_up.html",
            {"error": rejected.message, "proof": form_challenge()},
            status=400,
        )
    except InvalidInput as refused:  # the proof of work a flood of wrong receipts calls for
        return render(
            request,
            "intake/follow_up.html",
            {"errors": refused.errors, "proof": form_challenge()},
            status=400,
        )
    response = redirect("mailbox")
    response.set_cookie(
        settings.WBS_MAILBOX_COOKIE_NAME,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="Strict",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@require_http_methods(["GET", "POST"])
@never_cache
def mailbox(request: HttpRequest) -> HttpResponse:
    report = mailbox_report(request.COOKIES.get(settings.WBS_MAILBOX_COOKIE_NAME))
    if report is None:
        response = render(
            request, "intake/follow_up.html", {"expired": True, "proof": form_challenge()}, status=401
        )
        response.delete_cookie(settings.WBS_MAILBOX_COOKIE_NAME)
        return response
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "evidence":
                mailbox_add_evidence(report=report, files=request.FILES.getlist("evidence"))
            else:
                mailbox_reply(
                    report=report, body=request.POST.get("body", ""), files=request.FILES.getlist("evidence")
                )
        except InvalidInput as error:
            errors = error.errors
        else:
            return redirect("mailbox")
    return render(
        request,
        "intake/mailbox.html",
        {"view": mailbox_view(report, language=_language()), "errors": errors, "values": request.POST},
        status=400 if errors else 200,
    )


@require_POST
@never_cache
def mailbox_logout(request: HttpRequest) -> HttpResponse:
    mailbox_close(request.COOKIES.get(settings.WBS_MAILBOX_COOKIE_NAME))
    response = redirect("portal-home")
    response.delete_cookie(settings.WBS_MAILBOX_COOKIE_NAME)
    return response
