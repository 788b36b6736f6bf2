"""Envelope encryption of reporter content, so a database dump alone reveals nothing.

    key-encryption key (settings, or AWS KMS)      -- never in the database
      └─ tenant data key (TenantKey, wrapped)      -- one live version per tenant
           └─ report key (Report.wrapped_key)      -- one per report
                └─ narrative, identity, messages, file bytes (AES-256-GCM)

Deleting a report's wrapped key makes everything sealed with it unreadable
(crypto-shredding). Rotating the tenant data key re-wraps the report keys only;
rotating the key-encryption key re-wraps the tenant keys only. Unwrapped keys
are kept in process memory, never in a shared cache.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import IntegrityError, transaction

from intake.models import KeyPurpose, Report, TenantKey
from tenants.db import connection
from tenants.errors import ContentGone
from tenants.shared_memo import remembered_for_tenant

FORMAT_VERSION = b"\x01"
NONCE_BYTES = 12


class KeyUnavailable(ContentGone):
    """The key needed to open a value is gone (shredded) or cannot be unwrapped."""


def seal(key: bytes, plaintext: bytes, *, context: str) -> bytes:
    return _seal_with(AESGCM(key), plaintext, context)


def open_sealed(key: bytes, sealed: bytes, *, context: str) -> bytes:
    return _open_with(AESGCM(key), sealed, context)


def _seal_with(cipher: AESGCM, plaintext: bytes, context: str) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return FORMAT_VERSION + nonce + cipher.encrypt(nonce, plaintext, context.encode())


def _open_with(cipher: AESGCM, sealed: bytes, context: str) -> bytes:
    sealed = bytes(sealed)
    if sealed[:1] != FORMAT_VERSION:
        raise ValueError("unknown sealed format")
    nonce, ciphertext = sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :]
    return cipher.decrypt(nonce, ciphertext, context.encode())


# --- The key-encryption key ------------------------------------------------------


class KeyEncryptionKey(Protocol):
    @property
    def kek_id(self) -> str: ...

    def wrap(self, key: bytes, *, context: str) -> bytes: ...

    def unwrap(self, wrapped: bytes, *, context: str) -> bytes: ...


@dataclass(frozen=True)
class LocalKeyEncryptionKey:
    """A 256-bit key from settings (WBS_KEY_ENCRYPTION_KEYS)."""

    secret: bytes

    @property
    def kek_id(self) -> str:
        return "local:" + hashlib.sha256(b"kek-id" + self.secret).hexdigest()[:16]

    def wrap(self, key: bytes, *, context: str) -> bytes:
        return seal(self.secret, key, context=context)

    def unwrap(self, wrapped: bytes, *, context: str) -> bytes:
        return open_sealed(self.secret, wrapped, context=context)


@dataclass(frozen=True)
class KmsKeyEncryptionKey:
    """An AWS KMS key: tenant keys are wrapped and unwrapped by KMS itself."""

    key_id: str

    @property
    def kek_id(self) -> str:
        return "kms:" + self.key_id

    def _client(self) -> Any:
        import boto3

        return boto3.client("kms", region_name=settings.AWS_S3_REGION_NAME)

    def wrap(self, key: bytes, *, context: str) -> bytes:
        response = self._client().encrypt(
            KeyId=self.key_id, Plaintext=key, EncryptionContext={"wbs": context}
        )
        return bytes(response["CiphertextBlob"])

    def unwrap(self, wrapped: bytes, *, context: str) -> bytes:
        response = self._client().decrypt(CiphertextBlob=bytes(wrapped), EncryptionContext={"wbs": context})
        return bytes(response["Plaintext"])


def _local_secret(encoded: str) -> bytes:
    secret = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    if len(secret) != 32:
        raise ValueError("each WBS_KEY_ENCRYPTION_KEYS entry must be 32 bytes, base64-encoded")
    return secret


def key_encryption_keys() -> list[KeyEncryptionKey]:
    """The current key-encryption key first, then older ones still accepted for unwrapping."""
    keys: list[KeyEncryptionKey] = []
    if settings.WBS_KMS_KEY_ID:
        keys.append(KmsKeyEncryptionKey(settings.WBS_KMS_KEY_ID))
    keys.extend(LocalKeyEncryptionKey(_local_secret(encoded)) for encoded in settings.WBS_KEY_ENCRYPTION_KEYS)
    if not keys:
        # Demo and tests only (settings refuse to start production without a key).
        derived = HKDF(algorithm=SHA256(), length=32, salt=None, info=b"wbs-kek").derive(
            settings.SECRET_KEY.encode()
        )
        keys.append(LocalKeyEncryptionKey(derived))
    return keys


def _kek_by_id(kek_id: str) -> KeyEncryptionKey:
    for kek in key_encryption_keys():
        if kek.kek_id == kek_id:
            return kek
    raise KeyUnavailable(f"the key-encryption key {kek_id} is not configured")


# --- Tenant keys -------------------------------------------------------------------

# Keyed by the wrapped bytes themselves, so a row that was rolled back and made
# again by another process can never be answered from a stale entry.
_unwrapped_tenant_keys: dict[tuple[str, bytes], bytes] = {}


def _tenant_key_context(purpose: str, version: int) -> str:
    return f"{connection.schema_name}:{purpose}:{version}"


def _unwrap_tenant_key(row: TenantKey) -> bytes:
    cache_key = (connection.schema_name, hashlib.sha256(bytes(row.wrapped)).digest())
    key = _unwrapped_tenant_keys.get(cache_key)
    if key is None:
        key = _kek_by_id(row.kek_id).unwrap(
            bytes(row.wrapped), context=_tenant_key_context(row.purpose, row.version)
        )
        _unwrapped_tenant_keys[cache_key] = key
    return key


def _create_tenant_key(purpose: str, version: int) -> TenantKey:
    kek = key_encryption_keys()[0]
    key = AESGCM.generate_key(bit_length=256)
    return TenantKey.objects.create(
        purpose=purpose,
        version=version,
        wrapped=kek.wrap(key, context=_tenant_key_context(purpose, version)),
        kek_id=kek.kek_id,
    )


def current_tenant_key(purpose: str) -> tuple[int, bytes]:
    """The tenant's live key for ``purpose``, created on first use; remembered per process
    (a rotation elsewhere is announced, and writes check the version: see reports.py)."""
    return remembered_for_tenant(f"key:{purpose}:current", lambda: _read_current_tenant_key(purpose))


def _read_current_tenant_key(purpose: str) -> tuple[int, bytes]:
    row = TenantKey.objects.filter(purpose=purpose).order_by("-version").first()
    if row is None:
        try:
            with transaction.atomic():
                row = _create_tenant_key(purpose, 1)
        except IntegrityError:  # another request made it first: use theirs
            row = TenantKey.objects.get(purpose=purpose, version=1)
    return row.version, _unwrap_tenant_key(row)


def ensure_tenant_keys() -> None:
    """Create the tenant's own keys (at onboarding: never copied from a template)."""
    for purpose in KeyPurpose.values:
        current_tenant_key(purpose)


def tenant_key(purpose: str, version: int) -> bytes:
    def read() -> bytes | None:
        row = TenantKey.objects.filter(purpose=purpose, version=version).first()
        return None if row is None else _unwrap_tenant_key(row)

    key = remembered_for_tenant(f"key:{purpose}:{version}", read)
    if key is None:
        raise KeyUnavailable(f"{purpose} key v{version} no longer exists")
    return key


def receipt_secret() -> bytes:
    """The tenant's secret for receipt hashes (never rotated: old receipts must keep working)."""
    return current_tenant_key(KeyPurpose.RECEIPT)[1]


# --- Report keys -----------------------------------------------------------------


@dataclass(frozen=True)
class ReportKey:
    """A report's own key and what it is bound to."""

    uid: str
    key: bytes
    # Set up once for the several fields a report seals or opens.
    cipher: AESGCM = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "cipher", AESGCM(self.key))

    def seal(self, field: str, value: bytes) -> bytes:
        return _seal_with(self.cipher, value, f"{self.uid}:{field}")

    def open(self, field: str, sealed: bytes) -> bytes:
        return _open_with(self.cipher, sealed, f"{self.uid}:{field}")

    def seal_json(self, field: str, value: Any) -> bytes:
        return self.seal(field, json.dumps(value, ensure_ascii=False).encode())

    def open_json(self, field: str, sealed: bytes) -> Any:
        return json.loads(self.open(field, sealed))


def new_report_key(uid: str) -> ReportKey:
    """A fresh report key (wrap it with ``wrap_report_key`` to store it)."""
    return ReportKey(uid, AESGCM.generate_key(bit_length=256))


def wrap_report_key(key: ReportKey) -> tuple[int, bytes]:
    """The tenant's current data key version and the report key wrapped by it."""
    version, data_key = current_tenant_key(KeyPurpose.DATA)
    return version, seal(data_key, key.key, context=f"report:{key.uid}")


def report_key(report: Report) -> ReportKey:
    if report.wrapped_key is None:
        raise KeyUnavailable("this report's key was destroyed")
    return _unwrapped_report_key(report, tenant_key(KeyPurpose.DATA, report.key_version))


def report_keys(reports: Iterable[Report]) -> dict[int, ReportKey]:
    """The keys of a list's reports by report id, reading each data key version once (so a
    list costs no query per row even where the tenant key is not remembered, in a
    transaction); a shredded report, or one whose key version is gone, is left out."""
    data_keys: dict[int, bytes | None] = {}
    keys: dict[int, ReportKey] = {}
    for report in reports:
        if report.wrapped_key is None:
            continue
        if report.key_version not in data_keys:
            try:
                data_keys[report.key_version] = tenant_key(KeyPurpose.DATA, report.key_version)
            except KeyUnavailable:
                data_keys[report.key_version] = None
        data_key = data_keys[report.key_version]
        if data_key is not None:
            keys[report.pk] = _unwrapped_report_key(report, data_key)
    return keys


def _unwrapped_report_key(report: Report, data_key: bytes) -> ReportKey:
    uid = str(report.uid)
    return ReportKey(uid, open_sealed(data_key, bytes(report.wrapped_key or b""), context=f"report:{uid}"))


# --- Rotation --------------------------------------------------------------------


def rotate_tenant_data_key() -> int:
    """Start a new data-key version and re-wrap every report key under it.

    Field ciphertexts do not change; the old version is deleted afterwards.
    Returns the new version.
    """
    with transaction.atomic():
        # New reports wait until the re-wrap commits, then see that the old version is
        # gone and seal again under the new one (intake.services.reports._write_report).
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE intake_report IN SHARE ROW EXCLUSIVE MODE")
        old_rows = list(TenantKey.objects.select_for_update().filter(purpose=KeyPurpose.DATA))
        new_version = max((row.version for row in old_rows), default=0) + 1
        new_key = _unwrap_tenant_key(_create_tenant_key(KeyPurpose.DATA, new_version))
        old_keys = {row.version: _unwrap_tenant_key(row) for row in old_rows}
        for report in Report.objects.exclude(wrapped_key=None).only("uid", "key_version", "wrapped_key"):
            uid = str(report.uid)
            key = open_sealed(
                old_keys[report.key_version], bytes(report.wrapped_key or b""), context=f"report:{uid}"
            )
            report.wrapped_key = seal(new_key, key, context=f"report:{uid}")
            report.key_version = new_version
            report.save(update_fields=["wrapped_key", "key_version"])
        TenantKey.objects.filter(purpose=KeyPurpose.DATA, version__lt=new_version).delete()
    return new_version


def rewrap_tenant_keys() -> int:
    """Re-wrap this tenant's keys with the current key-encryption key. Returns how many changed."""
    current = key_encryption_keys()[0]
    changed = 0
    with transaction.atomic():
        for row in TenantKey.objects.select_for_update().exclude(kek_id=current.kek_id):
            key = _unwrap_tenant_key(row)
            row.wrapped = current.wrap(key, context=_tenant_key_context(row.purpose, row.version))
            row.kek_id = current.kek_id
            row.save(update_fields=["wrapped", "kek_id"])
            changed += 1
    return changed
