"""Operator accounts (the public schema): enrolled from the server's shell with
``wbs operator``, which is the root of trust: the web never creates an operator nor
sets up an operator's authenticator, so a stolen password alone opens nothing."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass

import qrcode
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants.accounts import sign_in_throttle
from tenants.accounts.authenticator import otpauth_url
from tenants.accounts.models import User
from tenants.db import connection
from tenants.errors import InvalidInput

AUTHENTICATOR_ISSUER = "WBS Operator"


@dataclass
class OperatorEnrolment:
    operator: User
    created: bool
    password: str | None  # a new password, shown once
    device: TOTPDevice | None  # a new authenticator, its secret shown once

    @property
    def provisioning_uri(self) -> str | None:
        if self.device is None:
            return None
        return otpauth_url(self.device, issuer=AUTHENTICATOR_ISSUER, account=self.operator.email)

    def authenticator_for_terminal(self) -> str:
        """The provisioning URI as a QR code drawn in text, and the URI itself."""
        uri = self.provisioning_uri
        if uri is None:
            return ""
        code = qrcode.QRCode(border=1)
        code.add_data(uri)
        drawing = io.StringIO()
        code.print_ascii(out=drawing, invert=True)
        return f"{drawing.getvalue()}  {uri}"


def operator_enrol(
    *,
    email: str,
    full_name: str = "",
    password: str | None = None,
    new_password: bool = False,
    new_authenticator: bool = False,
) -> OperatorEnrolment:
    """Create an operator (a new password and authenticator), or give an existing one a new
    password and/or authenticator (the old authenticator stops working at once).

    ``password`` sets a chosen password instead of a generated one (the demo's).
    """
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput({"email": "Alamat email tidak valid. / Invalid email address."}) from None
    connection.set_schema_to_public()
    with transaction.atomic():
        operator = User.objects.select_for_update().filter(email__iexact=email).first()
        created = operator is None
        if operator is None:
            operator = User.objects.create_user(
                username=email, email=email, full_name=full_name, is_staff=True
            )
        elif not operator.is_staff:
            raise InvalidInput({"email": "Akun ini bukan operator. / This account is not an operator."})
        chosen = None
        if created or new_password or password is not None:
            chosen = password if password is not None else secrets.token_urlsafe(18)
            operator.set_password(chosen)
            operator.save(update_fields=["password"])
        device = None
        if created or new_authenticator:
            TOTPDevice.objects.filter(user=operator).delete()
            device = TOTPDevice.objects.create(user=operator, name="Autentikator operator", confirmed=True)
    if device is not None:
        sign_in_throttle.lift_guard(operator)
    return OperatorEnrolment(
        operator=operator,
        created=created,
        password=chosen if password is None else None,
        device=device,
    )
