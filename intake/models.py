"""Everything a reporter touches. Lives in each tenant's schema.

Reporter content (narrative, identity, messages, file bytes) is stored sealed
with a per-report key (see ``intake/encryption.py``); what stays in clear is
what staff filter and count by: category, channel, identity mode, the date a
report arrived, which of the seven report elements are present.
No IP address, user agent or time of day of a reporter's action is stored.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.shared_memo import remembered_for_tenant


class Category(models.Model):
    """A kind of misconduct a reporter can choose; each tenant edits its own list."""

    code = models.SlugField(max_length=40, unique=True)
    name_id = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name_id

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_id


class KeyPurpose(models.TextChoices):
    DATA = "data", "wraps report keys"
    RECEIPT = "receipt", "keys receipt hashes"


class TenantKey(models.Model):
    """A tenant secret, stored only wrapped by the platform's key-encryption key."""

    purpose = models.CharField(max_length=16, choices=KeyPurpose.choices)
    version = models.PositiveIntegerField()
    wrapped = models.BinaryField()
    kek_id = models.CharField(max_length=64, help_text="which key-encryption key wrapped it")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["purpose", "version"], name="one_key_per_purpose_version")
        ]

    def __str__(self) -> str:
        return f"{self.purpose} key v{self.version}"


class Channel(models.TextChoices):
    WEB = "web", _("Portal web")
    FORWARDED = "forwarded", _("Diteruskan dari inspektorat lain")
    LETTER = "letter", _("Surat")
    IN_PERSON = "in_person", _("Datang langsung")
    PHONE = "phone", _("Telepon")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Email")
    SOCIAL_MEDIA = "social_media", _("Media sosial")


class IdentityMode(models.TextChoices):
    ANONYMOUS = "anonymous", _("Anonim")
    CONFIDENTIAL = "confidential", _("Rahasia")
    OPEN = "open", _("Terbuka")


class ReporterRelation(models.TextChoices):
    PUBLIC = "public", _("Masyarakat")
    EMPLOYEE = "employee", _("Pegawai/ASN")
    OTHER = "other", _("Lainnya")


# The seven report elements, in the order shown to reporters (5W + 2H).
ELEMENTS = ("what", "who", "where", "when", "why", "how", "how_much")


class Report(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="reports")
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.WEB)
    identity_mode = models.CharField(
        max_length=16, choices=IdentityMode.choices, default=IdentityMode.ANONYMOUS
    )
    relation = models.CharField(
        max_length=16, choices=ReporterRelation.choices, default=ReporterRelation.PUBLIC
    )
    # A date, never a time: the hour a report was sent can point at its sender.
    received_on = models.DateField()
    # Random, not a sequence: it tells neither the order of arrival nor how many exist
    # (intake/references.py).
    reference = models.CharField(max_length=20)
    receipt_hash = models.CharField(max_length=64)
    # Per-report key, wrapped by the tenant's data key of this version.
    key_version = models.PositiveIntegerField()
    wrapped_key = models.BinaryField(null=True)  # NULL once crypto-shredded
    sealed_narrative = models.BinaryField()
    sealed_identity = models.BinaryField(null=True)
    sealed_notify_email = models.BinaryField(null=True)
    how_much = models.PositiveBigIntegerField(null=True, blank=True, help_text="estimated loss in rupiah")
    completeness = models.PositiveSmallIntegerField(default=0, help_text="bit i set = ELEMENTS[i] present")
    staff_notified = models.BooleanField(default=False)
    # The reporter agrees that their identity may be passed on if the report is
    # forwarded to another inspectorate or competent body.
    consent_to_forward_identity = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["staff_notified"], condition=models.Q(staff_notified=False), name="report_unnotified"
            )
        ]
        # Not unique=True on the field: that also builds a LIKE index, useless on a hash.
        constraints = [
            models.UniqueConstraint(fields=["receipt_hash"], name="report_receipt_hash_unique"),
            models.UniqueConstraint(fields=["reference"], name="report_reference_unique"),
        ]

    def __str__(self) -> str:
        return self.reference

    def present_elements(self) -> list[str]:
        return [name for index, name in enumerate(ELEMENTS) if self.completeness & (1 << index)]


class MessageAuthor(models.TextChoices):
    REPORTER = "reporter", _("Pelapor")
    STAFF = "staff", _("Petugas")


class Message(models.Model):
    """The mailbox between a reporter and the inspectorate."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=16, choices=MessageAuthor.choices)
    staff_author = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL)
    sealed_body = models.BinaryField()
    # A notice the workflow sent (its transition, e.g. "conclude"): shown in the reader's
    # language, the sealed body (the tenant's language when sent) when it cannot be.
    notice = models.CharField(max_length=40, blank=True, default="")
    created_on = models.DateField()
    staff_notified = models.BooleanField(default=False)
    read_by_reporter = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"message {self.pk} on report {self.report_id}"


class Uploader(models.TextChoices):
    REPORTER = "reporter", _("Pelapor")
    STAFF = "staff", _("Petugas")


class Attachment(models.Model):
    """An evidence file. The bytes are sealed with the report's key before storage."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL)
    uploaded_by = models.CharField(max_length=16, choices=Uploader.choices)
    storage_name = models.CharField(max_length=200, unique=True)
    original_storage_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sealed_display_name = models.BinaryField()
    metadata_removed = models.BooleanField(default=False)
    uploaded_on = models.DateField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"attachment {self.pk} of report {self.report_id}"


class IntakeSettings(models.Model):
    """The tenant's intake limits and policies (one row)."""

    max_file_bytes = models.PositiveIntegerField(default=10 * 1024 * 1024)
    max_report_bytes = models.PositiveIntegerField(default=50 * 1024 * 1024)
    max_files_per_report = models.PositiveSmallIntegerField(default=10)
    keep_original_evidence = models.BooleanField(
        default=False, help_text="keep the untouched upload (with its metadata) beside the cleaned copy"
    )
    receipt_failures_per_10_minutes = models.PositiveIntegerField(default=50)

    class Meta:
        verbose_name_plural = "intake settings"

    def __str__(self) -> str:
        return "intake settings"

    @classmethod
    def current(cls) -> "IntakeSettings":
        """The row itself, to read and change (settings pages)."""
        settings, _ = cls.objects.get_or_create(pk=1)
        return settings

    @classmethod
    def limits(cls) -> "IntakeSettings":
        """The row as every submission reads it, remembered per process; not to be changed."""
        return remembered_for_tenant("intake-settings", cls.current)
