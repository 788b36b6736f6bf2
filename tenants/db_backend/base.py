"""django-tenants' PostgreSQL backend without redundant round trips.

Stock django-tenants forgets the search path whenever a tenant is selected,
so every request pays a ``SET search_path`` round trip on its first query even
when the persistent connection already points at that very schema. We keep the
remembered path when the same schema is selected again. Rollbacks (full and to
a savepoint) still forget it, as in django-tenants 4.0.1, because PostgreSQL
reverts a ``SET`` made inside the rolled-back part.

With CONN_HEALTH_CHECKS Django tests a persistent connection with ``SELECT 1``
at the first query of every request. A connection that was fine when the
previous request ended, a moment ago, is not tested again: the check is there
for connections that sat idle long enough to be dropped by the server or the
network, and under load it was one blocking round trip in every request.

Each thread remembers its own default connection (``selected_connection``): reaching
it through ``django.db.connection`` asks asyncio whether an event loop is running,
by catching an exception, on every attribute read, and a report's arrival reads the
selected schema about ten times.

The server-binding cursor (for prepared statements) is kept for the life of the
connection: a new psycopg cursor starts with an empty cache of parameter dumpers
and looks one up for every parameter, which for a report's 33 parameters cost
more than a third of the statement's client time.
"""

import threading
import time
from typing import Any

import psycopg
from django.db import DEFAULT_DB_ALIAS
from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper

# How long after a request ended its connection is still trusted without a health check.
RECENTLY_PROVEN_SECONDS = 5.0


class DatabaseWrapper(TenantDatabaseWrapper):
    _proven_at: float | None = None  # when queries last ran on this connection without error
    _used = False  # a cursor was opened since the last request boundary
    _server_binding: psycopg.Cursor[Any] | None = None  # kept while its connection lives

    def close_if_unusable_or_obsolete(self) -> None:
        """Called as each request starts and ends (Django's close_old_connections)."""
        super().close_if_unusable_or_obsolete()
        if self.connection is None:
            self._proven_at, self._used = None, False
            return
        now = time.monotonic()
        if self._used and not self.errors_occurred:
            self._proven_at = now
        self._used = False
        if self._proven_at is not None and now - self._proven_at < RECENTLY_PROVEN_SECONDS:
            self.health_check_done = True

    def create_cursor(self, name: Any = None) -> Any:
        self._used = True
        return super().create_cursor(name)

    def set_tenant(self, tenant: Any, include_public: bool = True) -> None:
        if self.alias == DEFAULT_DB_ALIAS:
            # Every selection of a schema comes here (set_schema and set_schema_to_public
            # too, and __init__ selects public), so the thread's entry is the connection
            # its tenant was last selected on.
            _this_thread.connection = self
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
        The same cursor each time while the connection lives: use it, do not close it
        (a closed one is replaced).

        Django's cursors bind client-side; opening one just to get the search path set
        would cost a second cursor per statement."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        self._used = True
        cursor = self._server_binding
        if cursor is None or cursor.connection is not self.connection or cursor.closed:
            cursor = self._server_binding = psycopg.Cursor(self.connection)
        with self.wrap_database_errors:
            self._handle_search_path(cursor)
        return cursor

    def _close(self) -> None:
        self._server_binding = None
        super()._close()


_this_thread = threading.local()


def selected_connection() -> DatabaseWrapper | None:
    """This thread's default connection, once it has one (WSGI threads: no event loop)."""
    return getattr(_this_thread, "connection", None)
