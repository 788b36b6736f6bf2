"""File storage that always writes under the current tenant's own prefix.

The demo uses the local filesystem (``MEDIA_ROOT/<schema>/...``, django-tenants'
storage); production uses S3 through django-storages with server-side
encryption, every key under ``<schema>/``. Neither serves files publicly: staff
open them through short-lived signed links.
"""

from django_tenants.files.storage import TenantFileSystemStorage as _TenantFileSystemStorage
from storages.backends.s3 import S3Storage

from tenants.db import connection


class TenantFileSystemStorage(_TenantFileSystemStorage):
    def _clear_cached_properties(self, setting: str, **kwargs: object) -> None:
        # django-tenants forgets to drop its cached root when MEDIA_ROOT changes.
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "MEDIA_ROOT":
            self.__dict__.pop("relative_media_root", None)


class TenantS3Storage(S3Storage):
    @property
    def location(self) -> str:
        return connection.schema_name

    @location.setter
    def location(self, value: str) -> None:
        # S3Storage assigns its configured location on init; the tenant decides instead.
        pass
