"""The names of the tenancy core's own audit actions (accounts, branding, onboarding, the
trail itself), registered by the audit app when it starts."""

from django.utils.translation import gettext_lazy as _

CORE_ACTION_NAMES = {
    "login": _("Masuk"),
    "login_failed": _("Gagal masuk"),
    "authenticator_set_up": _("Autentikator dipasang"),
    "staff_invite": _("Petugas diundang"),
    "staff_roles": _("Peran petugas diubah"),
    "staff_activate": _("Status akun petugas diubah"),
    "staff_reset_authenticator": _("Autentikator petugas diatur ulang"),
    "invitation_accepted": _("Undangan diterima"),
    "invitation_resent": _("Undangan dikirim ulang"),
    "tenant_created": _("Inspektorat didaftarkan"),
    "tenant_status": _("Status inspektorat diubah"),
    "settings_branding": _("Tampilan portal diubah"),
    "audit_export": _("Jejak audit diekspor"),
}
