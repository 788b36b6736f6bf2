"""Staff sign-in and the staff home page on a tenant's host."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login, logout, password_validation
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casework.models import DeadlinePolicy
from intake.models import Category
from wbs.accounts.models import Invitation, StaffRole, hash_invitation_token


class StaffLoginView(LoginView):
    template_name = "casework/login.html"
    redirect_authenticated_user = True
    next_page = "staff-home"


@require_POST
def staff_logout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("staff-login")


class SetPasswordForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput, label="Kata sandi baru")
    password_again = forms.CharField(widget=forms.PasswordInput, label="Ulangi kata sandi")

    def __init__(self, *args: object, user: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password") != data.get("password_again"):
            raise forms.ValidationError(_("Kedua kata sandi tidak sama."))
        if data.get("password"):
            password_validation.validate_password(str(data["password"]), self.user)  # type: ignore[arg-type]
        return data


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = (
        Invitation.objects.select_related("user").filter(token_hash=hash_invitation_token(token)).first()
    )
    if invitation is None or not invitation.is_usable:
        return render(request, "casework/invitation_invalid.html", status=404)
    form = SetPasswordForm(request.POST or None, user=invitation.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = invitation.user
            user.set_password(form.cleaned_data["password"])
            user.save(update_fields=["password"])
            invitation.used_at = timezone.now()
            invitation.save(update_fields=["used_at"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Kata sandi tersimpan. Selamat datang."))
        return redirect("staff-home")
    return render(request, "casework/invitation.html", {"form": form, "invited": invitation.user})


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    role_names = dict(StaffRole.choices)
    return render(
        request,
        "casework/home.html",
        {
            "roles": [role_names.get(role, role) for role in request.user.roles],  # type: ignore[union-attr]
            "categories": Category.objects.filter(is_active=True),
            "deadlines": DeadlinePolicy.objects.first(),
        },
    )


urlpatterns = [
    path("", staff_home, name="staff-home"),
    path("login/", StaffLoginView.as_view(), name="staff-login"),
    path("logout/", staff_logout, name="staff-logout"),
    path("invitation/<str:token>/", accept_invitation, name="staff-invitation"),
]
