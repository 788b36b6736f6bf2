"""The database backend's own savings: no repeated SET search_path (see test_routing),
and each thread reading the tenant selected on its own connection."""

from typing import Any

import pytest
from django.db import connections, transaction

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
