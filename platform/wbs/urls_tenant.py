"""URLs of a tenant's host: the reporter portal, staff pages and the tenant API."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from casework import settings_api, staff_views
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
    path("staff/", include(staff_views.urlpatterns)),
    path("api/v1/settings/", include(settings_router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(urlconf="wbs.urls_tenant"), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
