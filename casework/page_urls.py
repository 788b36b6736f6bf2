"""Staff pages for casework, under /staff/ on a tenant host."""

from django.urls import URLPattern, URLResolver, path

from casework import staff_pages as pages

urlpatterns: list[URLPattern | URLResolver] = [
    path("dasbor/", pages.dashboard, name="staff-dashboard"),
    path("kasus/", pages.case_queue, name="staff-queue"),
    path("kasus/terlambat/", pages.overdue_list, name="staff-overdue"),
    path("kasus/ekspor.csv", pages.case_list_export, name="staff-queue-csv"),
    path("kasus/<int:pk>/", pages.case_detail, name="staff-case"),
    path("kasus/<int:pk>/ringkasan.pdf", pages.case_summary_export, name="staff-case-pdf"),
    path("kasus/<int:pk>/langkah/", pages.case_transition_view, name="staff-case-transition"),
    path("kasus/<int:pk>/pesan/", pages.case_message_view, name="staff-case-message"),
    path("kasus/<int:pk>/catatan/", pages.case_note_view, name="staff-case-note"),
    path("kasus/<int:pk>/bukti/", pages.case_evidence_view, name="staff-case-evidence"),
    path("kasus/<int:pk>/penugasan/", pages.case_assign_view, name="staff-case-assign"),
    path("kasus/<int:pk>/pengecualian/", pages.case_exclude_view, name="staff-case-exclude"),
    path(
        "kasus/<int:pk>/identitas/minta/",
        pages.case_identity_request_view,
        name="staff-case-identity-request",
    ),
    path("kasus/<int:pk>/identitas/", pages.case_identity_view, name="staff-case-identity"),
    path("bukti/<str:token>/", pages.evidence_download_view, name="staff-evidence-download"),
    path("beban-kerja/", pages.workload_view, name="staff-workload"),
    path("laporan/catat/", pages.record_report, name="staff-record-report"),
    path("laporan/tanda-terima.pdf", pages.recorded_receipt_pdf, name="staff-record-receipt-pdf"),
]
