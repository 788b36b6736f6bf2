"""Evidence files: checked and cleaned before anything is written, then sealed with
the report's key and stored under the tenant's prefix with a random name.

Files are stored *before* the transaction that records them (``store_files``, then
``record_files`` inside it): no database lock, and above all not the tenant's
audit-chain lock, is held while storage works. If the transaction fails, the
caller removes what was stored (``remove_files``), so no file outlives its row."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile

from intake.encryption import ReportKey
from intake.evidence_files import CleanedFile, RejectedFile, inspect_and_clean
from intake.models import Attachment, IntakeSettings, Message, Uploader
from tenants.clock import tenant_today
from tenants.errors import InvalidInput
from tenants.storage import date_stored_file, rewrite_stored_file


@dataclass
class PreparedFile:
    cleaned: CleanedFile


def prepare_evidence(
    files: Sequence[UploadedFile], *, already_stored: int = 0, limits: IntakeSettings | None = None
) -> list[PreparedFile]:
    """Check every file against the tenant's limits and clean it; store nothing yet."""
    if not files:
        return []
    limits = limits or IntakeSettings.limits()
    if already_stored + len(files) > limits.max_files_per_report:
        raise InvalidInput(
            {"evidence": f"Paling banyak {limits.max_files_per_report} berkas per laporan. / Too many files."}
        )
    prepared: list[PreparedFile] = []
    total = 0
    for upload in files:
        if upload.size is not None and upload.size > limits.max_file_bytes:
            raise InvalidInput({"evidence": _too_large(upload.name, limits.max_file_bytes)})
        data = upload.read(limits.max_file_bytes + 1)
        try:
            cleaned = inspect_and_clean(
                data,
                upload.name or "",
                max_bytes=limits.max_file_bytes,
                keep_original=limits.keep_original_evidence,
            )
        except RejectedFile as rejected:
            raise InvalidInput({"evidence": f"{_shown_name(upload.name)}: {rejected.message}"}) from rejected
        total += len(cleaned.content)
        if total > limits.max_report_bytes:
            raise InvalidInput(
                {
                    "evidence": f"Total berkas melebihi {limits.max_report_bytes // (1024 * 1024)} MB. / Files too large."
                }
            )
        prepared.append(PreparedFile(cleaned))
    return prepared


def _shown_name(name: str | None) -> str:
    return (name or "berkas").replace("\\", "/").rsplit("/", 1)[-1][:80]


def _too_large(name: str | None, limit: int) -> str:
    return (
        f"{_shown_name(name)}: Berkas terlalu besar (maksimal {limit // (1024 * 1024)} MB). / File too large."
    )


@dataclass
class StoredFile:
    """A cleaned file, sealed and already in storage, waiting for its Attachment row."""

    storage_name: str
    original_storage_name: str
    content_type: str
    size: int
    sealed_display_name: bytes
    metadata_removed: bool

    @property
    def names(self) -> list[str]:
        return [name for name in (self.storage_name, self.original_storage_name) if name]


def store_files(*, key: ReportKey, prepared: Sequence[PreparedFile]) -> list[StoredFile]:
    """Seal and store files, outside any transaction (storage is slow: S3 in production,
    and nothing else should wait for it). If anything fails, what was stored is removed."""
    stored: list[StoredFile] = []
    written: list[str] = []
    try:
        for item in prepared:
            cleaned = item.cleaned
            storage_name = _save_sealed(key, cleaned.content, cleaned.extension, written)
            original_name = ""
            if cleaned.original is not None:
                original_name = _save_sealed(
                    key, cleaned.original, cleaned.extension, written, suffix="original"
                )
            stored.append(
                StoredFile(
                    storage_name=storage_name,
                    original_storage_name=original_name,
                    content_type=cleaned.content_type,
                    size=len(cleaned.content),
                    sealed_display_name=key.seal("attachment-name", cleaned.display_name.encode()),
                    metadata_removed=cleaned.metadata_removed,
                )
            )
    except BaseException:
        remove_files(written)
        raise
    return stored


def record_files(
    *, report_id: int, stored: Sequence[StoredFile], uploaded_by: str, message: Message | None = None
) -> list[Attachment]:
    """The Attachment rows of stored files, in the caller's transaction."""
    today = tenant_today()
    return Attachment.objects.bulk_create(
        Attachment(
            report_id=report_id,
            message=message,
            uploaded_by=uploaded_by,
            storage_name=item.storage_name,
            original_storage_name=item.original_storage_name,
            content_type=item.content_type,
            size=item.size,
            sealed_display_name=item.sealed_display_name,
            metadata_removed=item.metadata_removed,
            uploaded_on=today,
        )
        for item in stored
    )


def stored_names(stored: Sequence[StoredFile]) -> list[str]:
    return [name for item in stored for name in item.names]


def _save_sealed(key: ReportKey, content: bytes, extension: str, written: list[str], suffix: str = "") -> str:
    name = f"evidence/{uuid.uuid4().hex}{'-' + suffix if suffix else ''}.{extension}.sealed"
    stored = default_storage.save(name, ContentFile(key.seal("evidence-file", content)))
    written.append(stored)
    # Its times say the day, not the moment (tenants.storage); the day's batch rewrites it.
    date_stored_file(stored, tenant_today())
    return stored


def rewrite_reporter_files(days: Sequence[date]) -> int:
    """Rewrite the files reporters sent on these days (the held-entry batch runs this before
    it appends their entries), so storage's own times are the batch's. Safe to repeat."""
    rewritten = 0
    for attachment in Attachment.objects.filter(uploaded_by=Uploader.REPORTER, uploaded_on__in=days):
        for name in (attachment.storage_name, attachment.original_storage_name):
            if name:
                rewrite_stored_file(name, attachment.uploaded_on)
                rewritten += 1
    return rewritten


def remove_files(names: Sequence[str]) -> None:
    for name in names:
        default_storage.delete(name)


def read_evidence(attachment: Attachment, key: ReportKey) -> tuple[str, bytes]:
    """(display name, cleaned bytes) of a stored attachment."""
    with default_storage.open(attachment.storage_name) as stored:
        sealed = stored.read()
    name = key.open("attachment-name", bytes(attachment.sealed_display_name)).decode()
    return name, key.open("evidence-file", sealed)
