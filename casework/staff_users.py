"""Administrators manage their inspectorate's staff: ``/staff/pengguna/``.

Inviting creates the account without a password and emails a one-time link
(wbs.accounts.tasks.send_staff_invitation); deactivating ends the account's
sessions at their next request and voids its open invitations.
"""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.audit import audit_record
from casework.staff_auth import staff_role_required
from wbs.accounts.models import Invitation, StaffRole, User
from wbs.accounts.tasks import send_staff_invitation
from wbs.task_queue import enqueue_on_commit


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email"))
    full_name = forms.CharField(label=gettext_lazy("Nama lengkap"), max_length=150)
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("Peran"), choices=StaffRole.choices, widget=forms.CheckboxSelectMultiple
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists() or User.objects.filter(username=email).exists():
            raise forms.ValidationError(_("Sudah ada akun dengan email ini."))
        return email


def _staff_list() -> list[User]:
    now = timezone.now()
    return list(
        User.objects.annotate(
            has_authenticator=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            invitation_open=Exists(
                Invitation.objects.filter(user=OuterRef("pk"), used_at__isnull=True, expires_at__gt=now)
            ),
        ).order_by("-is_active", "full_name", "email")
    )


@staff_role_required(StaffRole.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def staff_users(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            user = User.objects.create_user(
                username=data["email"],
                email=data["email"],
                full_name=data["full_name"].strip(),
                roles=list(data["roles"]),
                language=request.tenant.default_language,  # type: ignore[attr-defined]
            )
            invitation, token = Invitation.issue(user)
            # The raw token is a one-time credential (7 days); only its hash is stored.
            enqueue_on_commit(send_staff_invitation, invitation.pk, token)
        messages.success(
            request,
            _("Undangan dikirim ke %(email)s. Tautannya berlaku 7 hari dan hanya dapat dipakai sekali.")
            % {"email": user.email},
        )
        return redirect("staff-users")
    role_names = dict(StaffRole.choices)
    staff = _staff_list()
    for member in staff:
        member.role_names = [role_names.get(role, role) for role in member.roles]  # type: ignore[attr-defined]
    return render(
        request,
        "casework/users.html",
        {"form": form, "staff": staff, "now": timezone.now()},
        status=400 if request.method == "POST" else 200,
    )


@staff_role_required(StaffRole.ADMINISTRATOR)
@require_POST
def staff_user_status(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(User, pk=pk)
    if member.pk == request.user.pk:
        messages.error(request, _("Anda tidak dapat menonaktifkan akun Anda sendiri."))
        return redirect("staff-users")
    active = request.POST.get("action") == "activate"
    with transaction.atomic():
        member.is_active = active
        member.save(update_fields=["is_active"])
        if not active:
            Invitation.objects.filter(user=member, used_at__isnull=True).update(expires_at=timezone.now())
    messages.success(
        request,
        (_("%(name)s aktif kembali.") if active else _("%(name)s dinonaktifkan dan tidak dapat masuk lagi."))
        % {"name": member.full_name or member.email},
    )
    return redirect("staff-users")


@staff_role_required(StaffRole.ADMINISTRATOR)
@require_POST
def staff_user_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """A lost phone or a lock: remove the authenticator (the next sign-in sets up a new
    one) and lift the lock. Not for one's own account: another administrator must."""
    member = get_object_or_404(User, pk=pk)
    if member.pk == request.user.pk:
        messages.error(request, _("Minta administrator lain untuk mengatur ulang akun Anda sendiri."))
        return redirect("staff-users")
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=member).delete()[0]
        User.objects.filter(pk=member.pk).update(failed_attempts=0, locked_until=None)
        audit_record(
            action="staff_reset_authenticator", actor=request.user, staff_id=member.pk, devices=removed
        )
    messages.success(
        request,
        _(
            "Autentikator %(name)s dihapus dan kuncinya dibuka; saat masuk berikutnya ia memasang autentikator baru."
        )
        % {"name": member.full_name or member.email},
    )
    return redirect("staff-users")


urlpatterns = [
    path("pengguna/", staff_users, name="staff-users"),
    path("pengguna/<int:pk>/status/", staff_user_status, name="staff-user-status"),
    path("pengguna/<int:pk>/atur-ulang/", staff_user_reset, name="staff-user-reset"),
]
