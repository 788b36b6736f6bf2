"""The database backend's own savings: no repeated SET search_path (see test_routing),
each thread reading the tenant selected on its own connection, and a health check that
asks the socket before sending SELECT 1."""

from typing import Any

import pytest
from django.db import connections, transaction
from django.db.backends.postgresql.base import DatabaseWrapper as PostgresDatabaseWrapper

from tenants.db import connection


def test_each_thread_reads_the_tenant_selected_on_its_own_connection(sulteng, sukabumi) -> None:
    """The memos and the abuse counters key on tenant_connection()'s schema: a thread must
    never see the tenant another thread selected."""
    import threading

    from tenants.db import connection, current_schema_name, current_tenant, tenant_connection

    connection.set_tenant(sulteng)
    seen: dict[str, Any] = {}

    def another_request() -> None:
        connection.set_tenant(sukabumi)
        seen["schema"], seen["tenant"] = current_schema_name(), current_tenant()
        seen["own connection"] = tenant_connection() is connections["default"]

    thread = threading.Thread(target=another_request)
    thread.start()
    thread.join()

    assert seen == {"schema": "sukabumi", "tenant": sukabumi, "own connection": True}
    assert current_schema_name() == "sulteng" and current_tenant() == sulteng
    assert tenant_connection() is connections["default"]


def test_the_same_tenant_selected_again_after_a_rollback_still_reads_its_own_schema(sulteng, sukabumi):
    """Selecting the selected schema again sends nothing, but a rollback that undid the
    SET search_path is still followed by a new one."""
    connection.set_tenant(sulteng)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    with pytest.raises(RuntimeError), transaction.atomic():
        connection.set_tenant(sukabumi)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")  # SET search_path to sukabumi, inside the savepoint
        raise RuntimeError  # back to the savepoint: PostgreSQL's path is sulteng's again

    connection.set_tenant(sukabumi)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        assert cursor.fetchone() == ("sukabumi",)


def test_an_idle_connection_is_health_checked_without_a_round_trip_and_replaced_once_the_server_ended_it(
    django_db_setup: None, django_db_blocker: Any, monkeypatch: Any
) -> None:
    db = connections["default"]
    round_trips: list[bool] = []
    real_check = PostgresDatabaseWrapper.is_usable

    def counted_check(self: Any) -> bool:
        round_trips.append(True)
        return bool(real_check(self))

    monkeypatch.setattr(PostgresDatabaseWrapper, "is_usable", counted_check)

    def request() -> int:
        db.close_if_unusable_or_obsolete()  # request_started
        with db.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        db.close_if_unusable_or_obsolete()  # request_finished
        return int(pid)

    with django_db_blocker.unblock():
        monkeypatch.setitem(db.settings_dict, "CONN_MAX_AGE", None)  # persistent, as in production
        db.close()
        first = request()
        assert request() == first and round_trips == [], "a healthy idle connection: no SELECT 1"

        other = connections.create_connection("default")
        with other.cursor() as cursor:  # as a restart or an idle timeout would, and wait for it
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [first])
        other.close()

        assert request() != first, "the next request runs on a new connection, without an error"
        assert round_trips == [True], "the server's farewell on the socket: Django's own check ran"
    db.close()
