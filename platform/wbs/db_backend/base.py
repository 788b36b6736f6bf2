"""django-tenants' PostgreSQL backend without the redundant ``SET search_path``.

Stock django-tenants forgets the search path whenever a tenant is selected,
so every request pays a ``SET search_path`` round trip on its first query even
when the persistent connection already points at that very schema. We keep the
remembered path when the same schema is selected again. Rollbacks (full and to
a savepoint) still forget it, as in django-tenants 4.0.1, because PostgreSQL
reverts a ``SET`` made inside the rolled-back part.
"""

from typing import Any

import psycopg
from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper


class DatabaseWrapper(TenantDatabaseWrapper):
    def set_tenant(self, tenant: Any, include_public: bool = True) -> None:
        already_there = (
            self.search_path_set_schemas is not None
            and self.schema_name == tenant.schema_name
            and self.include_public_schema == include_public
        )
        if already_there:
            self.tenant = tenant
            return
        super().set_tenant(tenant, include_public)

    def server_binding_cursor(self) -> psycopg.Cursor[Any]:
        """A psycopg cursor that binds parameters on the server (and so can use prepared
        statements), on the selected tenant's schema, checked like Django's own cursors.

        Django's cursors bind client-side; opening one just to get the search path set
        would cost a second cursor per statement."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        cursor = psycopg.Cursor(self.connection)
        with self.wrap_database_errors:
            self._handle_search_path(cursor)
        return cursor
