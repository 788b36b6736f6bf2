"""URLs of the `wbs bench intake` server only: every tenant URL plus three bench endpoints.

``POST /bench/bare-insert`` stores the request body as one row of ``bench_bare`` (a
table the benchmark creates in its own tenant's schema) and answers 201: the least
a submission endpoint can do on this stack. It sits behind the same middleware as
the intake API (tenant routing, sessions, locale, CSRF exempt as DRF views are).

``POST /bench/reports-orm-arrival`` is the intake API's ``POST /api/v1/intake/reports``
itself (the same view, parsing, checks, sealing and answer), except that the arrival's
rows (the report, and the case, first event and audit entry that casework gives) are
written by plain ORM inserts (``Model.save``) in one transaction, after the same guard
query, instead of the one statement of ``tenants.linked_insert``. The switch is a
thread-local flag read where ``intake.services.reports`` calls ``insert_linked``, set
by this URLconf in the bench server only. Unlike the one statement, ``save()`` stamps
``auto_now`` columns with the time of the insert.

``GET /bench/pid`` names the worker process that answered, so the benchmark can wait
until every gunicorn worker is up before it measures.

Never routed in normal operation: only ``wbs.benchmarks.bare_settings`` names this
URLconf, and only the benchmark's own gunicorn runs with those settings.
"""

import os
import threading
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from rest_framework.request import Request
from rest_framework.response import Response

from intake.api import ReportsView
from intake.services import reports
from tenants.db import connection
from tenants.linked_insert import NewRow, PreconditionFailed, insert_linked
from wbs.urls_tenant import urlpatterns as tenant_urlpatterns


@csrf_exempt
@require_POST
def bare_insert(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_bare (body) VALUES (%s) RETURNING id", [request.body.decode("utf-8")]
        )
        row = cursor.fetchone()
    assert row is not None
    return JsonResponse({"id": row[0]}, status=201)


def insert_by_orm(rows: Sequence[NewRow], *, guard_sql: str = "", guard_params: Sequence[Any] = ()) -> None:
    """``insert_linked``'s contract, one ``Model.save`` per row in one transaction; the
    guard runs after the first row, whose insert waits for a key rotation to commit."""
    with transaction.atomic():
        for index, row in enumerate(rows):
            instance = row.model(**row.values, **{column: target.pk for column, target in row.links.items()})
            instance.save(force_insert=True)
            row.pk = instance.pk
            if index == 0 and guard_sql:
                with connection.cursor() as cursor:
                    cursor.execute(guard_sql, list(guard_params))
                    if cursor.fetchone() is None:
                        raise PreconditionFailed(guard_sql)


_orm_arrival = threading.local()


def arrival_writer(rows: Sequence[NewRow], **guard: Any) -> None:
    writer = insert_by_orm if getattr(_orm_arrival, "on", False) else insert_linked
    writer(rows, **guard)


reports.insert_linked = arrival_writer  # the bench server only


class OrmArrivalReportsView(ReportsView):
    def post(self, request: Request) -> Response:
        _orm_arrival.on = True
        try:
            return super().post(request)
        finally:
            _orm_arrival.on = False


@require_GET
def worker_pid(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"pid": os.getpid()})


urlpatterns = [
    *tenant_urlpatterns,
    path("bench/bare-insert", bare_insert, name="bench-bare-insert"),
    path("bench/reports-orm-arrival", OrmArrivalReportsView.as_view(), name="bench-reports-orm-arrival"),
    path("bench/pid", worker_pid, name="bench-pid"),
]
