"""The audit trail page, under /staff/ on a tenant host."""

from django.urls import URLPattern, URLResolver, path

from tenants.audit import pages

urlpatterns: list[URLPattern | URLResolver] = [
    path("audit/", pages.audit_view, name="staff-audit"),
    path("audit/ekspor.csv", pages.audit_export_view, name="staff-audit-csv"),
    path("audit/verifikasi/", pages.audit_verify_view, name="staff-audit-verify"),
]
