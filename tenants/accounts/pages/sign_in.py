"""Staff sign-in on a tenant's host: the password, then the TOTP code (or setting up the
authenticator app on a first sign-in), and accepting an invitation."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import logout, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from tenants.accounts import lockout, services
from tenants.accounts.authenticator import (
    base32_secret,
    otpauth_url,
    pending_device,
    qr_svg,
    verify_code,
)
from tenants.accounts.models import User
from tenants.accounts.staff_sessions import (
    is_verified,
    password_login,
    safe_next_url,
    second_factor_url,
    start_staff_session,
)
from tenants.errors import InvalidInput

LOCKED_MESSAGE = gettext_lazy(
    "Terlalu banyak percobaan masuk yang gagal. Akun ini dikunci selama 15 menit; coba lagi nanti."
)


class StaffAuthenticationForm(AuthenticationForm):
    """The password step: the same answer for an unknown account and a wrong password."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy("Email atau kata sandi salah."),
        "locked": LOCKED_MESSAGE,
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = lockout.check_password(self.request, username, password)
            except lockout.AccountLocked:
                raise ValidationError(self.error_messages["locked"], code="locked") from None
            except lockout.SignInRefused:
                raise ValidationError(self.error_messages["invalid_login"], code="invalid_login") from None
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class StaffLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = StaffAuthenticationForm
    redirect_authenticated_user = True
    next_page = "staff-home"

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        password_login(self.request, user)
        return HttpResponseRedirect(second_factor_url(user, self.get_redirect_url()))


@require_POST
def staff_logout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("staff-login")


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Kode 6 angka"), max_length=12)


def _second_factor_gate(request: HttpRequest, *, setting_up: bool) -> HttpResponse | None:
    """Send a request that does not belong on this step where it belongs."""
    user = request.user
    if not user.is_authenticated:
        return redirect("staff-login")
    if is_verified(user):
        return redirect(safe_next_url(request))
    assert isinstance(user, User)
    if lockout.is_locked(user):
        return _locked_out(request)
    if setting_up == user_has_device(user):
        return redirect(second_factor_url(user, request.GET.get("next", "")))
    return None


def _locked_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.error(request, LOCKED_MESSAGE)
    return redirect("staff-login")


def _code_refused(request: HttpRequest, form: CodeForm, user: User) -> HttpResponse | None:
    """Count the failure; sign the half-finished session out once the account locks."""
    if services.second_factor_refused(user=user):
        return _locked_out(request)
    form.add_error("code", _("Kode salah atau sudah kedaluwarsa. Periksa jam ponsel Anda dan coba lagi."))
    return None


def _signed_in(request: HttpRequest, user: User, device: Any) -> HttpResponse:
    services.sign_in_completed(user=user)
    next_url = safe_next_url(request)
    request.session.cycle_key()  # a new session id for the fully signed-in session
    otp_login(request, device)
    start_staff_session(request)
    return redirect(next_url)


@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second step for staff with an authenticator: the current code."""
    if (elsewhere := _second_factor_gate(request, setting_up=False)) is not None:
        return elsewhere
    user = request.user
    assert isinstance(user, User)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = verify_code(user, form.cleaned_data["code"])
        if device is not None:
            return _signed_in(request, user, device)
        if (locked := _code_refused(request, form, user)) is not None:
            return locked
    return render(request, "accounts/otp_verify.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Second step for staff without an authenticator: set one up, then confirm a code."""
    if (elsewhere := _second_factor_gate(request, setting_up=True)) is not None:
        return elsewhere
    user = request.user
    assert isinstance(user, User)
    device = pending_device(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.authenticator_confirm(user=user, device=device, code=form.cleaned_data["code"]):
            messages.success(
                request, _("Aplikasi autentikator tersimpan. Mulai sekarang setiap masuk meminta kodenya.")
            )
            return _signed_in(request, user, device)
        if (locked := _code_refused(request, form, user)) is not None:
            return locked
    tenant = request.tenant  # type: ignore[attr-defined]
    uri = otpauth_url(device, issuer=tenant.short_name, account=user.email or user.get_username())
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr": qr_svg(uri, _("Kode QR untuk aplikasi autentikator")),
            "secret": base32_secret(device),
            "otpauth_uri": uri,
            "account": user.email or user.get_username(),
        },
    )


class SetPasswordForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput, label=gettext_lazy("Kata sandi baru"))
    password_again = forms.CharField(widget=forms.PasswordInput, label=gettext_lazy("Ulangi kata sandi"))

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password and data.get("password_again") and password != data["password_again"]:
            self.add_error("password_again", _("Kedua kata sandi tidak sama."))
        elif password:
            try:
                password_validation.validate_password(str(password), self.user)
            except ValidationError as weak:
                self.add_error("password", weak)
        return data


@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.usable_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = SetPasswordForm(request.POST or None, user=invitation.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(invitation=invitation, password=form.cleaned_data["password"])
        except InvalidInput:
            return render(request, "accounts/invitation_invalid.html", status=404)
        password_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Kata sandi tersimpan. Sekarang pasang aplikasi autentikator."))
        return redirect(second_factor_url(user))
    return render(
        request,
        "accounts/invitation.html",
        {
            "form": form,
            "invited": invitation.user,
            "password_rules": password_validation.password_validators_help_texts(),
        },
    )
