"""Administrators manage their inspectorate's staff: ``/staff/pengguna/``.

Every change is a service of ``tenants.accounts.services`` (audited); a refusal is
shown on the page with 400.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tenants.accounts import services
from tenants.accounts.models import StaffRole, User
from tenants.accounts.permissions import MANAGE_STAFF
from tenants.accounts.selectors import staff_list
from tenants.accounts.staff_sessions import staff_permission_required
from tenants.errors import InvalidInput


def _staff_page(
    request: HttpRequest, *, errors: dict[str, str] | None = None, values: Any = None, status: int = 200
) -> HttpResponse:
    context = {
        "staff": staff_list(),
        "roles": StaffRole.choices,
        "errors": errors or {},
        "values": values or {},
        "chosen_roles": values.getlist("roles") if values is not None else [],
    }
    return render(request, "accounts/users.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_permission_required(MANAGE_STAFF)
def staff_users(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _staff_page(request)
    try:
        user = services.staff_invite(
            actor=request.user,
            email=request.POST.get("email", ""),
            full_name=request.POST.get("full_name", ""),
            roles=request.POST.getlist("roles"),
            language=request.tenant.default_language,  # type: ignore[attr-defined]
        )
    except InvalidInput as invalid:
        return _staff_page(request, errors=invalid.errors, values=request.POST, status=400)
    messages.success(
        request,
        _("Undangan dikirim ke %(email)s. Tautannya berlaku 7 hari dan hanya dapat dipakai sekali.")
        % {"email": user.email},
    )
    return redirect("staff-users")


def _refused(request: HttpRequest, invalid: InvalidInput) -> HttpResponse:
    return _staff_page(request, errors=invalid.errors, status=400)


@require_POST
@staff_permission_required(MANAGE_STAFF)
def staff_user_status(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(User, pk=pk)
    active = request.POST.get("action") == "activate"
    try:
        services.staff_set_active(actor=request.user, member=member, active=active)
    except InvalidInput as invalid:
        return _refused(request, invalid)
    messages.success(
        request,
        (_("%(name)s aktif kembali.") if active else _("%(name)s dinonaktifkan dan tidak dapat masuk lagi."))
        % {"name": member.full_name or member.email},
    )
    return redirect("staff-users")


@require_POST
@staff_permission_required(MANAGE_STAFF)
def staff_user_roles(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(User, pk=pk)
    try:
        services.staff_set_roles(actor=request.user, member=member, roles=request.POST.getlist("roles"))
    except InvalidInput as invalid:
        return _refused(request, invalid)
    messages.success(request, _("Peran %(name)s disimpan.") % {"name": member.full_name or member.email})
    return redirect("staff-users")


@require_POST
@staff_permission_required(MANAGE_STAFF)
def staff_user_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """A lost phone or a lock. Not for one's own account: another administrator must."""
    member = get_object_or_404(User, pk=pk)
    try:
        services.staff_reset_authenticator(actor=request.user, member=member)
    except InvalidInput as invalid:
        return _refused(request, invalid)
    messages.success(
        request,
        _(
            "Autentikator %(name)s dihapus dan kuncinya dibuka; saat masuk berikutnya ia memasang autentikator baru."
        )
        % {"name": member.full_name or member.email},
    )
    return redirect("staff-users")
