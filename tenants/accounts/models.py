"""People who sign in: inspectorate staff (in their tenant's schema) and platform
operators (in the public schema). The same tables exist in every schema, so an
account only ever exists where it was created. Reporters never have accounts."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone


class StaffRole(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    INTAKE_OFFICER = "intake_officer", "Petugas penerimaan"
    INVESTIGATOR = "investigator", "Pemeriksa"
    SUPERVISOR = "supervisor", "Inspektur"
    IDENTITY_CUSTODIAN = "identity_custodian", "Penjaga identitas"
    AUDITOR = "auditor", "Auditor"


class User(AbstractUser):
    email = models.EmailField("email", unique=True)
    full_name = models.CharField("nama lengkap", max_length=150, blank=True)
    language = models.CharField(
        max_length=2, choices=[("id", "Bahasa Indonesia"), ("en", "English")], default="id"
    )
    # Staff roles within the tenant this account lives in (empty for operators).
    roles = ArrayField(models.CharField(max_length=32, choices=StaffRole.choices), default=list, blank=True)

    def __str__(self) -> str:
        return self.full_name or self.username

    def has_role(self, role: str) -> bool:
        return role in self.roles


INVITATION_LIFETIME = timedelta(days=7)


def hash_invitation_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """A one-time link that lets a new account set its password.

    Only the token's hash is stored; the link itself is shown once.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"invitation for user {self.user_id}"

    @classmethod
    def issue(cls, user: User) -> tuple["Invitation", str]:
        token = secrets.token_urlsafe(32)
        invitation = cls.objects.create(
            user=user,
            token_hash=hash_invitation_token(token),
            expires_at=timezone.now() + INVITATION_LIFETIME,
        )
        return invitation, token

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()
