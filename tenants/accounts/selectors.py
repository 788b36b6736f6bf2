"""Reads of staff accounts."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants.accounts.models import Invitation, StaffRole, User


def staff_list() -> list[User]:
    """Every account of the tenant, active first, with what the staff page shows of each."""
    now = timezone.now()
    staff: list[User] = list(
        User.objects.annotate(
            has_authenticator=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            invitation_open=Exists(
                Invitation.objects.filter(user=OuterRef("pk"), used_at__isnull=True, expires_at__gt=now)
            ),
        ).order_by("-is_active", "full_name", "email")
    )
    role_names = dict(StaffRole.choices)
    for member in staff:
        member.role_names = [role_names.get(role, role) for role in member.roles]  # type: ignore[attr-defined]
    return staff
