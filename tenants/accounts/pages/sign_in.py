"""Sign-in: the password, then the TOTP code (or, for staff, setting up the authenticator
app on a first sign-in), throttled by tenants.accounts.sign_in_throttle; and accepting an
invitation. Staff use these pages on a tenant's host; the operator console mounts the
password and code steps on the base domain with its own ``SignInRoute``."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import logout, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from tenants.accounts import services, sign_in_throttle
from tenants.accounts.authenticator import (
    base32_secret,
    otpauth_url,
    pending_device,
    qr_svg,
    verify_code,
)
from tenants.accounts.models import User
from tenants.accounts.staff_sessions import (
    STAFF_SIGN_IN,
    SignInRoute,
    is_verified,
    password_login,
    safe_next_url,
    second_factor_url,
    start_staff_session,
)
from tenants.errors import InvalidInput, TooManyAttempts

TOO_MANY_ATTEMPTS = gettext_lazy(
    "Terlalu banyak percobaan yang gagal dari perangkat ini. Coba lagi dalam %(seconds)d detik."
)
CODE_REFUSED = gettext_lazy("Kode salah atau sudah kedaluwarsa. Periksa jam ponsel Anda dan coba lagi.")


def _too_many(seconds: int) -> str:
    return str(TOO_MANY_ATTEMPTS) % {"seconds": seconds}


class StaffAuthenticationForm(AuthenticationForm):
    """The password step: the same answer for an unknown account and a wrong password.

    A guarded account (many failures from anywhere: tenants.accounts.sign_in_throttle)
    is asked for its authenticator code together with the password; both are checked at once.
    """

    code = forms.CharField(label=gettext_lazy("Kode 6 angka"), max_length=12, required=False)
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy("Email atau kata sandi salah."),
        "code_required": gettext_lazy(
            "Email, kata sandi atau kode salah. Karena banyak percobaan yang gagal, akun ini meminta "
            "kata sandi dan kode autentikator sekaligus."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device: Any = None
        self.retry_after = 0
        self.asks_for_code = bool(self.data.get("code"))

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password and self.request is not None:
            try:
                self.user_cache, self.device = sign_in_throttle.check_password(
                    self.request, username, password, self.cleaned_data.get("code") or ""
                )
            except TooManyAttempts as waiting:
                self.retry_after = waiting.retry_after
                raise ValidationError(_too_many(waiting.retry_after), code="too_many") from None
            except sign_in_throttle.CodeRequired:
                self.asks_for_code = True
                raise ValidationError(self.error_messages["code_required"], code="code_required") from None
            except sign_in_throttle.SignInRefused:
                raise ValidationError(self.error_messages["invalid_login"], code="invalid_login") from None
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class StaffLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = StaffAuthenticationForm
    redirect_authenticated_user = True
    next_page = "staff-home"
    route: SignInRoute = STAFF_SIGN_IN

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        assert isinstance(form, StaffAuthenticationForm)
        user = form.get_user()
        password_login(self.request, user)
        if form.device is not None:  # a guarded account: the code was checked with the password
            return _signed_in(self.request, user, form.device, self.route)
        return HttpResponseRedirect(second_factor_url(user, self.get_redirect_url(), self.route))

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        if isinstance(form, StaffAuthenticationForm) and form.retry_after:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


@require_POST
def staff_logout(request: HttpRequest, route: SignInRoute = STAFF_SIGN_IN) -> HttpResponse:
    logout(request)
    return redirect(route.login)


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Kode 6 angka"), max_length=12)


def _second_factor_gate(request: HttpRequest, *, setting_up: bool, route: SignInRoute) -> HttpResponse | None:
    """Send a request that does not belong on this step where it belongs."""
    user = request.user
    if not user.is_authenticated:
        return redirect(route.login)
    if is_verified(user):
        return redirect(safe_next_url(request, route))
    if setting_up == user_has_device(user):
        return redirect(second_factor_url(user, request.GET.get("next", ""), route))
    return None


def _check_code(
    request: HttpRequest, form: CodeForm, user: User, route: SignInRoute, device: Any
) -> HttpResponse | None:
    """Whether the code step signs in; a refusal is counted and shown on the form (429
    while this address or account must wait). ``device`` confirms a new authenticator."""
    if wait := sign_in_throttle.code_wait(request, user):
        form.add_error("code", _too_many(wait))
        response = render(request, route.code_template, _code_context(request, form, route), status=429)
        response["Retry-After"] = str(wait)
        return response
    code = form.cleaned_data["code"]
    if device is None:
        device = verify_code(user, code)
        accepted = device is not None
    else:
        accepted = services.authenticator_confirm(user=user, device=device, code=code)
    if accepted:
        return _signed_in(request, user, device, route)
    if route.audited:
        services.second_factor_refused(user=user)
    sign_in_throttle.record_wrong_code(request, user)
    form.add_error("code", CODE_REFUSED)
    return None


def _signed_in(request: HttpRequest, user: User, device: Any, route: SignInRoute) -> HttpResponse:
    if route.audited:
        services.sign_in_completed(user=user)
    sign_in_throttle.record_success(request, user)
    next_url = safe_next_url(request, route)
    request.session.cycle_key()  # a new session id for the fully signed-in session
    otp_login(request, device)
    start_staff_session(request)
    return redirect(next_url)


def _code_context(request: HttpRequest, form: CodeForm, route: SignInRoute) -> dict[str, Any]:
    return {"form": form, "logout_url": reverse(route.logout)}


@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest, route: SignInRoute = STAFF_SIGN_IN) -> HttpResponse:
    """Second step for an account with an authenticator: the current code."""
    if (elsewhere := _second_factor_gate(request, setting_up=False, route=route)) is not None:
        return elsewhere
    user = request.user
    assert isinstance(user, User)
    form = CodeForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and (answer := _check_code(request, form, user, route, device=None)) is not None
    ):
        return answer
    return render(request, route.code_template, _code_context(request, form, route))


@never_cache
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Second step for staff without an authenticator: set one up, then confirm a code."""
    if (elsewhere := _second_factor_gate(request, setting_up=True, route=STAFF_SIGN_IN)) is not None:
        return elsewhere
    user = request.user
    assert isinstance(user, User)
    device = pending_device(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answer = _check_code(request, form, user, STAFF_SIGN_IN, device=device)
        if answer is not None:
            if answer.status_code == 302:
                messages.success(
                    request,
                    _("Aplikasi autentikator tersimpan. Mulai sekarang setiap masuk meminta kodenya."),
                )
            return answer
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
