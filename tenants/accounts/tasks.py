"""Email for staff accounts."""

from zoneinfo import ZoneInfo

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from tenants.accounts.models import Invitation, hash_invitation_token
from tenants.db import current_tenant
from tenants.hostnames import primary_hostname, tenant_url
from tenants.models import TimeZone


@shared_task
def send_staff_invitation(invitation_id: int, token: str) -> bool:
    """Email an invited staff member their one-time link to set a password.

    ``token`` is the raw invitation token, a one-time credential that expires
    seven days after it was issued (``INVITATION_LIFETIME``). The database keeps
    only its hash, so the caller passes it here; it is not logged, and an
    invitation that was used, voided or has expired is not sent.
    """
    invitation = Invitation.objects.select_related("user").filter(pk=invitation_id).first()
    if (
        invitation is None
        or not invitation.is_usable
        or not invitation.user.is_active
        or invitation.token_hash != hash_invitation_token(token)
    ):
        return False
    tenant = current_tenant()
    link = tenant_url(primary_hostname(tenant.schema_name), f"/staff/invitation/{token}/")
    local_expiry = timezone.localtime(invitation.expires_at, timezone=ZoneInfo(tenant.time_zone))
    zone_name = TimeZone(tenant.time_zone).name if tenant.time_zone in TimeZone.values else tenant.time_zone
    expires = f"{local_expiry:%d-%m-%Y %H:%M} {zone_name}"
    user = invitation.user
    send_mail(
        subject=f"[{tenant.short_name}] Undangan akun petugas / Staff account invitation",
        message=(
            f"Yth. {user.full_name or user.email},\n\n"
            f"Anda diundang sebagai petugas {tenant.official_name}. Buka tautan ini untuk membuat kata sandi:\n\n"
            f"{link}\n\n"
            f"Tautan hanya dapat dipakai sekali dan berlaku sampai {expires}. Setelah membuat kata sandi, "
            "Anda akan memasang aplikasi autentikator di ponsel (mis. Google Authenticator, Aegis atau "
            "FreeOTP); setiap kali masuk, aplikasi itu memberi kode 6 angka.\n"
            "Jangan teruskan email ini. Bila Anda tidak merasa diundang, abaikan saja.\n\n"
            f"You have been invited as staff of {tenant.official_name}. Open the link above to set your "
            f"password; it works once and expires on {expires}. You will then set up an authenticator app "
            "on your phone. Do not forward this email.\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    return True
