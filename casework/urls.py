"""Casework's routes: the staff pages (under /staff/) and the staff cases API (under
/api/v1/) of a tenant host. Each route names the page or endpoint module it calls."""

from django.urls import URLPattern, URLResolver, include, path

from casework.api import cases as cases_api
from casework.pages import (
    case,
    dashboard,
    exclusions,
    forwarding,
    home,
    identity,
    queue,
    record_report,
    retention,
    settings,
)

# A case is named by its random reference, never by its row id (which would tell the order
# of arrival and, by its gaps, how many cases a reader cannot see); ``case_for`` answers 404
# for anything that is not the reference of a case the person sees.
urlpatterns: list[URLPattern | URLResolver] = [
    path("", home.staff_home, name="staff-home"),
    path("dasbor/", dashboard.dashboard, name="staff-dashboard"),
    # The queue
    path("kasus/", queue.case_queue, name="staff-queue"),
    path("kasus/terlambat/", queue.overdue_list, name="staff-overdue"),
    path("kasus/ekspor.csv", queue.case_list_export, name="staff-queue-csv"),
    path("kasus/tutup-sampah/", queue.close_as_junk, name="staff-close-junk"),
    path("beban-kerja/", queue.workload_view, name="staff-workload"),
    # One case
    path("kasus/<str:reference>/", case.case_detail, name="staff-case"),
    path("kasus/<str:reference>/ringkasan.pdf", case.case_summary_export, name="staff-case-pdf"),
    path("kasus/<str:reference>/langkah/", case.case_transition_view, name="staff-case-transition"),
    path("kasus/<str:reference>/pesan/", case.case_message_view, name="staff-case-message"),
    path("kasus/<str:reference>/catatan/", case.case_note_view, name="staff-case-note"),
    path("kasus/<str:reference>/bukti/", case.case_evidence_view, name="staff-case-evidence"),
    path("kasus/<str:reference>/penugasan/", case.case_assign_view, name="staff-case-assign"),
    path("kasus/<str:reference>/pengecualian/", case.case_exclude_view, name="staff-case-exclude"),
    path(
        "kasus/<str:reference>/identitas/minta/",
        case.case_identity_request_view,
        name="staff-case-identity-request",
    ),
    path("kasus/<str:reference>/identitas/", case.case_identity_view, name="staff-case-identity"),
    path("kasus/<str:reference>/teruskan/", forwarding.case_forward_view, name="staff-case-forward"),
    path("bukti/<str:token>/", case.evidence_download_view, name="staff-evidence-download"),
    # Reports received by other channels
    path("laporan/catat/", record_report.record_report, name="staff-record-report"),
    path("laporan/tanda-terima.pdf", record_report.recorded_receipt_pdf, name="staff-record-receipt-pdf"),
    # Decisions
    path("identitas/", identity.identity_requests, name="staff-identity-requests"),
    path("identitas/<int:pk>/putuskan/", identity.identity_request_decide, name="staff-identity-decide"),
    path("pengecualian/", exclusions.exclusions_page, name="staff-exclusions"),
    path("pengecualian/<int:pk>/cabut/", exclusions.exclusion_lift_view, name="staff-exclusion-lift"),
    path("retensi/", retention.retention_view, name="staff-retention"),
    path(
        "retensi/<str:reference>/minta/",
        retention.retention_request_view,
        name="staff-retention-request",
    ),
    path(
        "retensi/<str:reference>/putuskan/",
        retention.retention_decide_view,
        name="staff-retention-decide",
    ),
    # Settings (the sections of other apps are saved through their own services)
    path("pengaturan/", settings.settings_page, name="staff-settings"),
    path("pengaturan/kategori/", settings.category_add, name="staff-settings-category-add"),
    path("pengaturan/kategori/<int:pk>/", settings.category_edit, name="staff-settings-category"),
    path("pengaturan/tenggat/", settings.deadlines_save, name="staff-settings-deadlines"),
    path("pengaturan/pemberitahuan/", settings.notice_save, name="staff-settings-notice"),
    path("pengaturan/tampilan/", settings.branding_save, name="staff-settings-branding"),
    path("pengaturan/batas/", settings.limits_save, name="staff-settings-limits"),
]

# /api/v1/cases, /api/v1/cases/<reference>, /api/v1/cases/<reference>/transition, ... (no trailing slashes)
case_api_routes: list[URLPattern | URLResolver] = [
    path("<str:reference>", cases_api.CaseDetailView.as_view(), name="api-case"),
    path("<str:reference>/transition", cases_api.CaseTransitionView.as_view(), name="api-case-transition"),
    path("<str:reference>/assign", cases_api.CaseAssignView.as_view(), name="api-case-assign"),
    path("<str:reference>/messages", cases_api.CaseMessagesView.as_view(), name="api-case-messages"),
    path("<str:reference>/notes", cases_api.CaseNotesView.as_view(), name="api-case-notes"),
    path("<str:reference>/exclusions", cases_api.CaseExclusionsView.as_view(), name="api-case-exclusions"),
]
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("cases", cases_api.CaseListView.as_view(), name="api-cases"),
    path("cases/close-as-junk", cases_api.CasesCloseAsJunkView.as_view(), name="api-cases-close-junk"),
    path("cases/", include(case_api_routes)),
    path("exclusions", cases_api.ExclusionListView.as_view(), name="api-exclusions"),
    path("exclusions/<str:pk>/lift", cases_api.ExclusionLiftView.as_view(), name="api-exclusion-lift"),
]
