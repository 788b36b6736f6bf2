"""URLs of a tenant's host: the reporter portal, staff pages and the tenant API."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from casework import settings_api, staff_views
from intake import api as intake_api
from intake import portal_views
from tenants import views as tenant_views
from wbs.health import healthz

settings_router = SimpleRouter(trailing_slash=False)
settings_router.register("categories", settings_api.CategoryViewSet, basename="settings-categories")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", portal_views.portal_home, name="portal-home"),
    path("branding.css", tenant_views.branding_css, name="branding-css"),
    path("lapor/", portal_views.report_form, name="report-form"),
    path("lapor/tanda-terima.pdf", portal_views.receipt_pdf, name="receipt-pdf"),
    path("pantau/", portal_views.follow_up_login, name="follow-up"),
    path("pantau/kotak/", portal_views.mailbox, name="mailbox"),
    path("pantau/keluar/", portal_views.mailbox_logout, name="mailbox-logout"),
    path("privasi/", portal_views.privacy_notice, name="privacy"),
    path("staff/", include(staff_views.urlpatterns)),
    path("staff/", include("casework.page_urls")),
    path("staff/", include("casework.decision_urls")),
    path("staff/", include("casework.settings_urls")),
    path("api/v1/cases", include("casework.api_urls")),
    path("api/v1/settings/", include(settings_router.urls)),
    path("api/v1/intake/categories", intake_api.CategoriesView.as_view(), name="intake-categories"),
    path("api/v1/intake/reports", intake_api.ReportsView.as_view(), name="intake-reports"),
    path("api/v1/intake/session", intake_api.SessionView.as_view(), name="intake-session"),
    path("api/v1/intake/report", intake_api.ReportView.as_view(), name="intake-report"),
    path("api/v1/intake/messages", intake_api.MessagesView.as_view(), name="intake-messages"),
    path("api/v1/intake/attachments", intake_api.AttachmentsView.as_view(), name="intake-attachments"),
    path("api/schema/", SpectacularAPIView.as_view(urlconf="wbs.urls_tenant"), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
