"""django-tenants' PostgreSQL backend, with three savings and one cursor of our own, all
through documented extension points (``set_tenant``, ``create_cursor``, ``cursor``,
``is_usable``).

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
- ``is_usable()``, Django's health check (CONN_HEALTH_CHECKS, at each request's first
  query on a persistent connection), asks the connection's socket before paying Django's
  ``SELECT 1`` round trip: a server that ends a session (a restart, pg_terminate_backend,
  an idle timeout, a pooler closing it) sends its farewell and closes the socket, which
  leaves it readable; an idle healthy session has nothing to say. Only then, or for a
  session that is not idle, does Django's own check run. The round trip was 2-4% of a
  submission's instructions and about 0.15 ms of database CPU (``wbs bench intake``).
"""

import select
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

    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed:
            return False
        idle = connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        if idle and not select.select([connection.fileno()], [], [], 0)[0]:
            return True  # nothing pending on the socket: no farewell from the server
        return bool(super().is_usable())

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
