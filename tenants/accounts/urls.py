"""Staff sign-in and staff administration, under /staff/ on a tenant host."""

from django.urls import URLPattern, URLResolver, path

from tenants.accounts.pages import sign_in, staff

urlpatterns: list[URLPattern | URLResolver] = [
    path("login/", sign_in.StaffLoginView.as_view(), name="staff-login"),
    path("login/kode/", sign_in.otp_verify, name="staff-otp-verify"),
    path("login/autentikator/", sign_in.otp_setup, name="staff-otp-setup"),
    path("logout/", sign_in.staff_logout, name="staff-logout"),
    path("invitation/<str:token>/", sign_in.accept_invitation, name="staff-invitation"),
    path("pengguna/", staff.staff_users, name="staff-users"),
    path("pengguna/<int:pk>/status/", staff.staff_user_status, name="staff-user-status"),
    path("pengguna/<int:pk>/peran/", staff.staff_user_roles, name="staff-user-roles"),
    path("pengguna/<int:pk>/atur-ulang/", staff.staff_user_reset, name="staff-user-reset"),
]
