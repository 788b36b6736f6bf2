"""Staff pages under /staff/ (see the module that defines the views)."""

from django.urls import URLPattern, URLResolver, path

from casework import decision_pages as pages

urlpatterns: list[URLPattern | URLResolver] = [
    path("identitas/", pages.identity_requests, name="staff-identity-requests"),
    path("identitas/<int:pk>/putuskan/", pages.identity_request_decide, name="staff-identity-decide"),
    path("kasus/<int:pk>/teruskan/", pages.case_forward_view, name="staff-case-forward"),
    path("retensi/", pages.retention_view, name="staff-retention"),
    path("retensi/<int:pk>/minta/", pages.retention_request_view, name="staff-retention-request"),
    path("retensi/<int:pk>/putuskan/", pages.retention_decide_view, name="staff-retention-decide"),
    path("audit/", pages.audit_view, name="staff-audit"),
    path("audit/verifikasi/", pages.audit_verify_view, name="staff-audit-verify"),
]
