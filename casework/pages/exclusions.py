"""Exclusions (conflicts of interest) for supervisors and administrators: the ones in
force on the cases they may know, with who made them, and lifting one with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casework.access import exclusion_for, sees
from casework.pages.common import needs
from casework.selectors.exclusions import exclusion_rows
from casework.services.cases import exclusion_lift
from tenants.accounts.staff_sessions import render_staff_page
from tenants.errors import InvalidInput


def _exclusions_page(
    request: HttpRequest, *, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    in_force, lifted = exclusion_rows(request.user)
    context = {"in_force": in_force, "lifted": lifted, "errors": errors or {}}
    return render_staff_page(request, "casework/exclusions.html", context, status=status)


@require_GET
@needs("lift_exclusion")
def exclusions_page(request: HttpRequest) -> HttpResponse:
    return _exclusions_page(request)


@require_POST
@needs("lift_exclusion")
def exclusion_lift_view(request: HttpRequest, pk: int) -> HttpResponse:
    exclusion = exclusion_for(request.user, pk)
    try:
        exclusion_lift(exclusion=exclusion, actor=request.user, reason=request.POST.get("reason", ""))
    except InvalidInput as invalid:
        return _exclusions_page(request, errors=invalid.errors, status=400)
    messages.success(
        request, _("Pengecualian dicabut; petugas itu kembali dapat melihat kasus sesuai perannya.")
    )
    if request.POST.get("back") == "case" and sees(request.user, exclusion.case):
        return redirect(reverse("staff-case", args=[exclusion.case_id]) + "#conflict")
    return redirect("staff-exclusions")
