"""Intake's routes: the reporter's portal pages and the public intake API (under
/api/v1/), plus the administrators' categories API."""

from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import SimpleRouter

from intake import api, api_settings, portal_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", portal_views.portal_home, name="portal-home"),
    path("lapor/", portal_views.report_form, name="report-form"),
    path("lapor/terkirim/", portal_views.report_receipt, name="report-receipt"),
    path("lapor/tanda-terima.pdf", portal_views.receipt_pdf, name="receipt-pdf"),
    path("pantau/", portal_views.follow_up_login, name="follow-up"),
    path("pantau/kotak/", portal_views.mailbox, name="mailbox"),
    path("pantau/keluar/", portal_views.mailbox_logout, name="mailbox-logout"),
    path("privasi/", portal_views.privacy_notice, name="privacy"),
]

settings_router = SimpleRouter(trailing_slash=False)
settings_router.register("categories", api_settings.CategoryViewSet, basename="settings-categories")

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("intake/categories", api.CategoriesView.as_view(), name="intake-categories"),
    path("intake/challenge", api.ChallengeView.as_view(), name="intake-challenge"),
    path("intake/reports", api.ReportsView.as_view(), name="intake-reports"),
    path("intake/session", api.SessionView.as_view(), name="intake-session"),
    path("intake/report", api.ReportView.as_view(), name="intake-report"),
    path("intake/messages", api.MessagesView.as_view(), name="intake-messages"),
    path("intake/attachments", api.AttachmentsView.as_view(), name="intake-attachments"),
    path("settings/", include(settings_router.urls)),
]
