"""The operator console on the base domain: every tenant's registration and
health, never a report's content."""

from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import user_has_device

from tenants.accounts.models import User
from tenants.accounts.pages.sign_in import StaffAuthenticationForm, StaffLoginView
from tenants.accounts.staff_sessions import SignInRoute, is_verified, second_factor_url
from tenants.errors import InvalidInput
from tenants.models import RegionKind, Tenant, TenantStatus, TimeZone
from tenants.onboarding import TenantApplication, first_administrator_invite_again
from tenants.tenant_status import tenant_set_status
from wbs.onboarding import tenant_onboard

ViewFunction = Callable[..., HttpResponse]


# Operators sign in like staff (password, then the authenticator's code, the same
# throttle and idle timeout); their authenticator is enrolled with `wbs operator`, never on the web.
OPERATOR_SIGN_IN = SignInRoute(
    login="operator-login",
    code="operator-otp-verify",
    setup=None,
    logout="operator-logout",
    home="console-home",
    code_template="console/otp_verify.html",
    audited=False,  # the operator audit trail is another issue's (12)
)


def operator_required(view: ViewFunction) -> ViewFunction:
    """A console page: an operator account, signed in with both factors in this session."""

    @wraps(view)
    @never_cache
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        user = request.user
        if not (user.is_authenticated and user.is_staff):
            return redirect_to_login(request.get_full_path(), reverse("operator-login"))
        if not is_verified(user):
            return redirect(second_factor_url(user, request.get_full_path(), OPERATOR_SIGN_IN))
        return view(request, *args, **kwargs)

    return wrapper


class OperatorAuthenticationForm(StaffAuthenticationForm):
    """Operator accounts only, and only once `wbs operator` has enrolled their authenticator."""

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        if not user_has_device(user):
            raise ValidationError(NO_AUTHENTICATOR, code="no_authenticator")


NO_AUTHENTICATOR = gettext_lazy(
    "Akun operator ini belum punya aplikasi autentikator. Jalankan `wbs operator EMAIL "
    "--new-authenticator` di server untuk memasangnya."
)


class OperatorLoginView(StaffLoginView):
    template_name = "console/login.html"
    authentication_form = OperatorAuthenticationForm
    next_page = "console-home"
    route = OPERATOR_SIGN_IN


@operator_required
def console_home(request: HttpRequest) -> HttpResponse:
    tenants = Tenant.objects.select_related("parent_province").prefetch_related("domains")
    counts = {status: 0 for status in TenantStatus.values}
    for tenant in tenants:
        counts[tenant.status] += 1
    return render(request, "console/home.html", {"tenants": tenants, "counts": counts})


class OnboardingForm(forms.Form):
    slug = forms.CharField(
        max_length=40, help_text="Huruf kecil dan angka; menjadi nama skema dan subdomain."
    )
    official_name = forms.CharField(max_length=200)
    short_name = forms.CharField(max_length=80)
    region_kind = forms.ChoiceField(choices=RegionKind.choices)
    parent_province = forms.CharField(max_length=40, required=False)
    time_zone = forms.ChoiceField(choices=TimeZone.choices)
    default_language = forms.ChoiceField(choices=[("id", "Bahasa Indonesia"), ("en", "English")])
    custom_domains = forms.CharField(
        required=False, help_text="Satu nama host per baris, mis. wbs.sukabumikota.go.id"
    )
    admin_email = forms.EmailField()
    admin_name = forms.CharField(max_length=150, required=False)


@operator_required
@require_http_methods(["GET", "POST"])
def tenant_onboard_page(request: HttpRequest) -> HttpResponse:
    form = OnboardingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        application = TenantApplication(
            slug=data["slug"],
            official_name=data["official_name"],
            short_name=data["short_name"],
            region_kind=data["region_kind"],
            time_zone=data["time_zone"],
            default_language=data["default_language"],
            parent_province=data["parent_province"] or None,
            custom_domains=[line.strip() for line in data["custom_domains"].splitlines() if line.strip()],
            admin_email=data["admin_email"],
            admin_name=data["admin_name"],
        )
        try:
            result = tenant_onboard(application)
        except InvalidInput as error:
            for field_name, message in error.errors.items():
                form.add_error(field_name if field_name in form.fields else None, message)
        else:
            return render(request, "console/onboarded.html", {"result": result})
    return render(request, "console/onboard.html", {"form": form}, status=400 if form.errors else 200)


@operator_required
@require_http_methods(["GET", "POST"])
def tenant_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tenant = Tenant.objects.prefetch_related("domains").filter(schema_name=slug).first()
    if tenant is None:
        raise Http404("No such tenant")
    if request.method == "POST":
        try:
            tenant = tenant_set_status(
                tenant=tenant, status=request.POST.get("status", ""), actor=request.user
            )
        except InvalidInput:
            messages.error(request, "Status tidak dikenal.")
            return render(request, "console/tenant.html", {"inspectorate": tenant}, status=400)
        messages.success(request, f"Status {tenant.short_name} sekarang: {tenant.get_status_display()}.")
        return redirect("console-tenant", slug=slug)
    # Not "tenant": the page shell would take it for the host's own tenant (branding).
    return render(request, "console/tenant.html", {"inspectorate": tenant, "statuses": TenantStatus.choices})


@operator_required
@require_POST
def tenant_invite_again(request: HttpRequest, slug: str) -> HttpResponse:
    """Send the first administrator a new invitation, to their address only."""
    tenant = Tenant.objects.filter(schema_name=slug).first()
    if tenant is None:
        raise Http404("No such tenant")
    try:
        sent_to = first_administrator_invite_again(tenant=tenant)
    except InvalidInput as refused:
        messages.error(request, " ".join(refused.errors.values()))
    else:
        messages.success(request, f"Undangan baru dikirim ke {sent_to}.")
    return redirect("console-tenant", slug=slug)
