"""URLs of the base domain: the operator console and the operator API (public schema)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from tenants.accounts.pages import sign_in
from wbs.console import api, views
from wbs.health import healthz

# Under /api/ in the APIs' one error shape, elsewhere Django's pages.
handler400 = "tenants.error_answers.bad_request"
handler404 = "tenants.error_answers.not_found"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", views.console_home, name="console-home"),
    path("login/", views.OperatorLoginView.as_view(), name="operator-login"),
    path("login/kode/", sign_in.otp_verify, {"route": views.OPERATOR_SIGN_IN}, name="operator-otp-verify"),
    path("logout/", sign_in.staff_logout, {"route": views.OPERATOR_SIGN_IN}, name="operator-logout"),
    path("tenants/new/", views.tenant_onboard_page, name="console-onboard"),
    path("tenants/<slug:slug>/", views.tenant_detail, name="console-tenant"),
    path("tenants/<slug:slug>/undangan/", views.tenant_invite_again, name="console-invite-again"),
    path("api/v1/operator/", include(api.router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(urlconf="wbs.urls_public"), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
