"""The database backend's own round-trip savings: no repeated SET search_path (see
test_routing) and no health check for a connection that worked a moment ago."""

import time
from typing import Any

from django.db import connections

from tenants.db_backend import base as backend


def test_a_connection_proven_a_moment_ago_is_not_health_checked_again(
    django_db_setup: None, django_db_blocker: Any, monkeypatch: Any
) -> None:
    db = connections["default"]
    checks: list[bool] = []
    real_is_usable = type(db).is_usable

    def counted_is_usable(self: Any) -> bool:
        checks.append(True)
        return bool(real_is_usable(self))

    monkeypatch.setattr(type(db), "is_usable", counted_is_usable)
    clock = [time.monotonic()]
    monkeypatch.setattr(backend.time, "monotonic", lambda: clock[0])

    def request(*, uses_database: bool) -> None:
        db.close_if_unusable_or_obsolete()  # request_started
        if uses_database:
            with db.cursor() as cursor:
                cursor.execute("SELECT 1")
        db.close_if_unusable_or_obsolete()  # request_finished

    with django_db_blocker.unblock():
        db.ensure_connection()
        monkeypatch.setattr(db, "close_at", None)  # a persistent connection (CONN_MAX_AGE > 0)
        monkeypatch.setattr(db, "health_check_enabled", True)
        request(uses_database=True)
        checks.clear()

        clock[0] += 1
        request(uses_database=True)
        assert checks == [], "used successfully a second ago: no SELECT 1 first"

        clock[0] += 1
        request(uses_database=False)  # requests that do not touch the database prove nothing
        clock[0] += backend.RECENTLY_PROVEN_SECONDS
        request(uses_database=True)
        assert checks == [True], "idle past the window: checked before use"
    db.close()


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
