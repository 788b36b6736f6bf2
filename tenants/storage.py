"""File storage that always writes under the current tenant's own prefix.

The demo uses the local filesystem (``MEDIA_ROOT/<schema>/...``, django-tenants'
storage); production uses S3 through django-storages with server-side
encryption, every key under ``<schema>/``. Neither serves files publicly: staff
open them through short-lived signed links.
"""

import os

from django.conf import settings
from django_tenants.files.storage import TenantFileSystemStorage as _TenantFileSystemStorage
from storages.backends.s3 import S3Storage

from tenants.db import connection


class TenantFileSystemStorage(_TenantFileSystemStorage):
    @property
    def relative_media_root(self) -> str:
        # Read from the settings each time, not cached: django-tenants forgets its
        # cached root when MEDIA_ROOT changes (tests point it at a new folder each).
        return os.path.join(settings.MEDIA_ROOT, settings.MULTITENANT_RELATIVE_MEDIA_ROOT)


class TenantS3Storage(S3Storage):
    @property
    def location(self) -> str:
        return connection.schema_name

    @location.setter
    def location(self, value: str) -> None:
        # S3Storage assigns its configured location on init; the tenant decides instead.
        pass
