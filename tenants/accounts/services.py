"""Every change to a staff account: invitation, roles, (de)activation, a lost
authenticator, the sign-in steps. Each is one transaction with its audit entry.

An administrator manages the staff of their own inspectorate (``/staff/pengguna/``);
nobody changes their own standing (another administrator must), and the last
active administrator cannot be removed, so a tenant never locks itself out.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants.accounts import sign_in_throttle
from tenants.accounts.authenticator import normalise_code
from tenants.accounts.models import Invitation, StaffRole, User, hash_invitation_token
from tenants.accounts.permissions import MANAGE_STAFF
from tenants.accounts.tasks import send_staff_invitation
from tenants.audit.trail import audit_record
from tenants.case_visibility import case_visibility
from tenants.errors import InvalidInput
from tenants.task_queue import enqueue_on_commit

FULL_NAME_MAX = 150


def _clean_roles(roles: Iterable[str]) -> list[str]:
    chosen = [str(role) for role in roles]
    if not chosen:
        raise InvalidInput({"roles": "Pilih setidaknya satu peran. / Choose at least one role."})
    unknown = sorted(set(chosen) - set(StaffRole.values))
    if unknown:
        raise InvalidInput({"roles": f"Peran tidak dikenal: {', '.join(unknown)}. / Unknown roles."})
    return sorted(set(chosen), key=StaffRole.values.index)


def _not_yourself(actor: Any, member: User, message: str) -> None:
    if member.pk == getattr(actor, "pk", None):
        raise InvalidInput({"member": message})


def _keeps_an_administrator(member: User, *, loses_role: bool) -> None:
    """Refuse a change that would leave the tenant without an active administrator."""
    if not loses_role or StaffRole.ADMINISTRATOR not in member.roles or not member.is_active:
        return
    others = User.objects.filter(is_active=True, roles__contains=[StaffRole.ADMINISTRATOR]).exclude(
        pk=member.pk
    )
    if not others.exists():
        raise InvalidInput(
            {"member": "Ini administrator aktif terakhir. / This is the last active administrator."}
        )


def _keeps_every_case_handled(member_before: User) -> None:
    """Refuse (inside the change's transaction, after it) a change that would leave an open
    case this person could handle with nobody able to handle it."""
    orphaned = case_visibility().open_cases_left_without_handler(member_before)
    if orphaned:
        references = ", ".join(orphaned)
        raise InvalidInput(
            {
                "member": f"Kasus terbuka berikut tidak akan punya petugas yang dapat menanganinya: "
                f"{references}. Tugaskan dulu kepada petugas lain. / These open cases would have nobody "
                f"able to handle them: {references}. Assign them to someone else first."
            }
        )


def staff_invite(*, actor: Any, email: str, full_name: str, roles: Iterable[str], language: str) -> User:
    """Create an account without a password and email it a one-time link (7 days)."""
    MANAGE_STAFF.require(actor)
    email = (email or "").strip().lower()
    full_name = (full_name or "").strip()
    errors: dict[str, str] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "Alamat email tidak valid. / Invalid email address."
    else:
        if User.objects.filter(email__iexact=email).exists() or User.objects.filter(username=email).exists():
            errors["email"] = "Sudah ada akun dengan email ini. / An account with this email exists."
    if not full_name:
        errors["full_name"] = "Nama lengkap wajib diisi. / The full name is required."
    elif len(full_name) > FULL_NAME_MAX:
        errors["full_name"] = f"Paling panjang {FULL_NAME_MAX} karakter. / Too long."
    try:
        chosen_roles = _clean_roles(roles)
    except InvalidInput as invalid:
        errors.update(invalid.errors)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        user = User.objects.create_user(
            username=email, email=email, full_name=full_name, roles=chosen_roles, language=language
        )
        invitation, token = Invitation.issue(user)
        audit_record(action="staff_invite", actor=actor, staff_id=user.pk, roles=chosen_roles)
        # The raw token is a one-time credential (7 days); only its hash is stored.
        enqueue_on_commit(send_staff_invitation, invitation.pk, token)
    return user


def staff_set_roles(*, actor: Any, member: User, roles: Iterable[str]) -> User:
    MANAGE_STAFF.require(actor)
    chosen_roles = _clean_roles(roles)
    _not_yourself(actor, member, "Minta administrator lain mengubah peran Anda. / Ask another administrator.")
    with transaction.atomic():
        member = User.objects.select_for_update().get(pk=member.pk)
        _keeps_an_administrator(member, loses_role=StaffRole.ADMINISTRATOR not in chosen_roles)
        as_before = copy.copy(member)
        before = list(member.roles)
        member.roles = chosen_roles
        member.save(update_fields=["roles"])
        _keeps_every_case_handled(as_before)
        audit_record(action="staff_roles", actor=actor, staff_id=member.pk, before=before, after=chosen_roles)
    return member


def staff_set_active(*, actor: Any, member: User, active: bool) -> User:
    """Deactivating ends the account's sessions at their next request and voids its invitations."""
    MANAGE_STAFF.require(actor)
    _not_yourself(actor, member, "Anda tidak dapat menonaktifkan akun Anda sendiri. / Not your own account.")
    with transaction.atomic():
        member = User.objects.select_for_update().get(pk=member.pk)
        _keeps_an_administrator(member, loses_role=not active)
        as_before = copy.copy(member)
        member.is_active = active
        member.save(update_fields=["is_active"])
        _keeps_every_case_handled(as_before)
        if not active:
            Invitation.objects.filter(user=member, used_at__isnull=True).update(expires_at=timezone.now())
        audit_record(
            action="staff_activate" if active else "staff_deactivate", actor=actor, staff_id=member.pk
        )
    return member


def staff_reset_authenticator(*, actor: Any, member: User) -> int:
    """A lost phone or a guarded account: remove the authenticator (the next sign-in sets
    up a new one) and lift the guard. Returns how many devices were removed."""
    MANAGE_STAFF.require(actor)
    _not_yourself(
        actor,
        member,
        "Minta administrator lain untuk mengatur ulang akun Anda sendiri. / Ask another administrator.",
    )
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=member).delete()[0]
        audit_record(action="staff_reset_authenticator", actor=actor, staff_id=member.pk, devices=removed)
    sign_in_throttle.lift_guard(member)
    return removed


def usable_invitation(token: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_related("user").filter(token_hash=hash_invitation_token(token)).first()
    )
    if invitation is None or not invitation.is_usable or not invitation.user.is_active:
        return None
    return invitation


def invitation_accept(*, invitation: Invitation, password: str) -> User:
    """The invited person sets their password (already validated by the page's form)."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
        if not invitation.is_usable:
            raise InvalidInput({"token": "Tautan undangan sudah dipakai. / The invitation was already used."})
        user = invitation.user
        user.set_password(password)
        user.save(update_fields=["password"])
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
        audit_record(action="invitation_accepted", actor=user)
    return user


def authenticator_confirm(*, user: User, device: TOTPDevice, code: str) -> bool:
    """A first sign-in proves the new authenticator app with a code; True when it did."""
    with transaction.atomic():
        if device.user_id != user.pk or not device.verify_token(normalise_code(code)):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(action="authenticator_set_up", actor=user)
    return True


def sign_in_completed(*, user: User) -> None:
    """Both factors are done: the sign-in is recorded (the page clears the throttle's counts)."""
    with transaction.atomic():
        audit_record(action="login", actor=user)


def second_factor_refused(*, user: User) -> None:
    """A wrong code: recorded (the page counts it towards the throttle)."""
    with transaction.atomic():
        audit_record(action="login_failed", actor=user, step="second_factor")
