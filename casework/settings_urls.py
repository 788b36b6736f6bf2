"""Staff pages under /staff/ (see the module that defines the views)."""

from django.urls import URLPattern, URLResolver, path

from casework import settings_pages as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("pengaturan/", views.settings_page, name="staff-settings"),
    path("pengaturan/kategori/", views.category_add, name="staff-settings-category-add"),
    path("pengaturan/kategori/<int:pk>/", views.category_edit, name="staff-settings-category"),
    path("pengaturan/tenggat/", views.deadlines_save, name="staff-settings-deadlines"),
    path("pengaturan/pemberitahuan/", views.notice_save, name="staff-settings-notice"),
    path("pengaturan/tampilan/", views.branding_save, name="staff-settings-branding"),
    path("pengaturan/batas/", views.limits_save, name="staff-settings-limits"),
]
