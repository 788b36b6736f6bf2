"""File storage that always writes under the current tenant's own prefix.

The demo uses the local filesystem (``MEDIA_ROOT/<schema>/...``, django-tenants'
storage); production uses S3 through django-storages with server-side
encryption, every key under ``<schema>/``. Neither serves files publicly: staff
open them through short-lived signed links.

Files written for a reporter must not tell when the reporter acted: right after
writing, a local file's times are set to midnight of the day (``date_to_day``); the
batch that appends the day's held audit entries (``tenants.audit.held_entries``)
then rewrites them (``rewrite_for_day``), so the times storage keeps by itself (a
local file's inode change time, S3's LastModified) are the batch's, the day after.
"""

import os
import shutil
import tempfile
from datetime import date, datetime, time

from django.conf import settings
from django.core.files.storage import default_storage
from django_tenants.files.storage import TenantFileSystemStorage as _TenantFileSystemStorage
from storages.backends.s3 import S3Storage

from tenants.clock import tenant_zone
from tenants.db import connection


def _midnight(day: date) -> float:
    """Midnight of ``day`` in the tenant's time zone, as a POSIX timestamp."""
    return datetime.combine(day, time.min, tzinfo=tenant_zone()).timestamp()


class TenantFileSystemStorage(_TenantFileSystemStorage):
    @property
    def relative_media_root(self) -> str:
        # Read from the settings each time, not cached: django-tenants forgets its
        # cached root when MEDIA_ROOT changes (tests point it at a new folder each).
        return os.path.join(settings.MEDIA_ROOT, settings.MULTITENANT_RELATIVE_MEDIA_ROOT)

    def date_to_day(self, name: str, day: date) -> None:
        """The file's (and its folder's) access and modification times become midnight of ``day``."""
        path = self.path(name)
        midnight = _midnight(day)
        os.utime(path, (midnight, midnight))
        os.utime(os.path.dirname(path), (midnight, midnight))

    def rewrite_for_day(self, name: str, day: date) -> None:
        """Write the file anew (its inode change time becomes now), dated midnight of ``day``."""
        path = self.path(name)
        folder = os.path.dirname(path)
        with open(path, "rb") as source, tempfile.NamedTemporaryFile(dir=folder, delete=False) as copy:
            shutil.copyfileobj(source, copy)
        shutil.copymode(path, copy.name)
        os.replace(copy.name, path)
        self.date_to_day(name, day)


class TenantS3Storage(S3Storage):
    @property
    def location(self) -> str:
        return connection.schema_name

    @location.setter
    def location(self, value: str) -> None:
        # S3Storage assigns its configured location on init; the tenant decides instead.
        pass

    def date_to_day(self, name: str, day: date) -> None:
        """S3 sets LastModified itself: the batch's rewrite hides it."""

    def rewrite_for_day(self, name: str, day: date) -> None:
        """Copy the object onto itself, so its LastModified is the batch's time, not the write's."""
        key = f"{self.location}/{name}"
        client = self.connection.meta.client
        head = client.head_object(Bucket=self.bucket_name, Key=key)
        client.copy_object(
            Bucket=self.bucket_name,
            Key=key,
            CopySource={"Bucket": self.bucket_name, "Key": key},
            MetadataDirective="REPLACE",
            ContentType=head.get("ContentType", "application/octet-stream"),
            Metadata=head.get("Metadata", {}),
            **self.object_parameters,
        )


def _tenant_storage() -> TenantFileSystemStorage | TenantS3Storage | None:
    storage = default_storage
    return storage if isinstance(storage, TenantFileSystemStorage | TenantS3Storage) else None


def date_stored_file(name: str, day: date) -> None:
    """Right after writing a reporter's file: its times say the day only, where storage allows."""
    if (storage := _tenant_storage()) is not None:
        storage.date_to_day(name, day)


def rewrite_stored_file(name: str, day: date) -> None:
    """By the day's batch: storage's own times of the file become the batch's."""
    if (storage := _tenant_storage()) is not None:
        storage.rewrite_for_day(name, day)
