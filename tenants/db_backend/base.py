"""django-tenants' PostgreSQL backend, with two savings and one cursor of our own, all
through documented extension points (``set_tenant``, ``create_cursor``, ``cursor``).

Each was measured in instructions per JSON report submission (cachegrind over an
in-process WSGI loop, the original code against the same code without it):

- Selecting the schema the connection already has selected again does nothing
  (``set_tenant``). django-tenants forgets the search path at every selection, so each
  request paid a ``SET search_path`` on its first query even when the persistent
  connection already pointed at that schema (about 6% of a submission). django-tenants
  still forgets the path itself on rollback and close, and sets it at the next cursor.
- Each thread remembers its own default connection (``selected_connection``): reading
  ``django.db.connection`` asks asgiref's Local, which asks asyncio whether an event
  loop is running by catching an exception, on every attribute read, and a report's
  arrival reads the selected schema about ten times (about 8% of a submission).
- ``server_binding_cursor()``: Django's own ``cursor()`` (the health check, the search
  path, and the wrapper that CaptureQueriesContext, Sentry and the debug toolbar see)
  over a psycopg cursor that binds parameters on the server, so that psycopg can prepare
  the statement (``OPTIONS["prepare_threshold"]``); Django's cursors bind client-side
  and never prepare. The psycopg cursor is kept while its connection lives: a new one
  starts with an empty cache of parameter dumpers, which for a report's 33 parameters
  cost about 10% of a submission. What it ran is logged (DEBUG, CaptureQueriesContext)
  with its parameters written in, as Django logs a query when all cursors bind on the
  server: psycopg keeps no text of a prepared execution.

Django's health check (CONN_HEALTH_CHECKS: a ``SELECT 1`` at each request's first query
on a persistent connection) runs as Django runs it: skipping it for a connection that
worked a moment ago needed Django's undocumented ``health_check_done``, for 2-4%.
"""

import threading
from typing import Any

import psycopg
from django.db import DEFAULT_DB_ALIAS
from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations
from django.db.backends.utils import CursorWrapper
from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper


class DatabaseOperations(PostgresOperations):
    def last_executed_query(self, cursor: Any, sql: Any, params: Any) -> str:
        if isinstance(cursor, psycopg.ClientCursor):  # Django's own cursors
            return super().last_executed_query(cursor, sql, params)
        try:  # written out on the client, as Django does when every cursor binds on the server
            return self.compose_sql(sql, params)
        except psycopg.errors.DataError:
            return str(sql)


class DatabaseWrapper(TenantDatabaseWrapper):
    ops_class = DatabaseOperations
    # The last selection this connection made: schema name and whether public follows it.
    wbs_selected: tuple[str, bool] | None = None
    wbs_wants_server_binding = False  # set only while server_binding_cursor() asks for one
    wbs_server_binding: psycopg.Cursor[Any] | None = None  # kept while its connection lives

    def set_tenant(self, tenant: Any, include_public: bool = True) -> None:
        if self.alias == DEFAULT_DB_ALIAS:
            # Every selection of a schema comes here (set_schema and set_schema_to_public
            # too, and __init__ selects public), so the thread's entry is the connection
            # its tenant was last selected on.
            _this_thread.connection = self
        selection = (tenant.schema_name, include_public)
        if selection == self.wbs_selected:
            self.tenant = tenant
            return
        super().set_tenant(tenant, include_public)
        self.wbs_selected = selection

    def create_cursor(self, name: Any = None) -> Any:
        if name is None and self.wbs_wants_server_binding:
            kept = self.wbs_server_binding
            if kept is None or kept.closed or kept.connection is not self.connection:
                # The connection's own adapters read timestamps in Django's time zone.
                kept = self.wbs_server_binding = psycopg.Cursor(self.connection)
            return kept
        return super().create_cursor(name)

    def server_binding_cursor(self) -> CursorWrapper:
        """A Django cursor, on the selected tenant's schema, whose parameters are bound by
        the server (and so can be prepared). The same psycopg cursor underneath each time
        while the connection lives: do not close it (a closed one is replaced)."""
        self.wbs_wants_server_binding = True
        try:
            return self.cursor()
        finally:
            self.wbs_wants_server_binding = False


_this_thread = threading.local()


def selected_connection() -> DatabaseWrapper | None:
    """This thread's default connection, once it has one (WSGI threads: no event loop)."""
    return getattr(_this_thread, "connection", None)
