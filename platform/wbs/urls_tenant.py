"""URLs of a tenant's host: the reporter portal, staff pages and the tenant API,
each app's own routes (intake.urls, casework.urls, tenants.accounts.urls, ...)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from casework import urls as casework_urls
from intake import urls as intake_urls
from tenants import views as tenant_views
from tenants.accounts import urls as accounts_urls
from tenants.audit import urls as audit_urls
from wbs.health import healthz

# Under /api/ in the APIs' one error shape, elsewhere Django's pages.
handler400 = "tenants.error_answers.bad_request"
handler404 = "tenants.error_answers.not_found"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("branding.css", tenant_views.branding_css, name="branding-css"),
    path("", include(intake_urls.urlpatterns)),
    path("staff/", include(accounts_urls.urlpatterns)),
    path("staff/", include(audit_urls.urlpatterns)),
    path("staff/", include(casework_urls.urlpatterns)),
    path("api/v1/", include(intake_urls.api_urlpatterns)),
    path("api/v1/", include(casework_urls.api_urlpatterns)),
    path("api/schema/", SpectacularAPIView.as_view(urlconf="wbs.urls_tenant"), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
