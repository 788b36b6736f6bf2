"""URLs of the `wbs bench intake` server only: every tenant URL plus two bench endpoints.

``POST /bench/bare-insert`` stores the request body as one row of ``bench_bare`` (a
table the benchmark creates in its own tenant's schema) and answers 201: the least
a submission endpoint can do on this stack. It sits behind the same middleware as
the intake API (tenant routing, sessions, locale, CSRF exempt as DRF views are).

``GET /bench/pid`` names the worker process that answered, so the benchmark can wait
until every gunicorn worker is up before it measures.

Never routed in normal operation: only ``wbs.benchmarks.bare_settings`` names this
URLconf, and only the benchmark's own gunicorn runs with those settings.
"""

import os

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from tenants.db import connection
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


@require_GET
def worker_pid(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"pid": os.getpid()})


urlpatterns = [
    *tenant_urlpatterns,
    path("bench/bare-insert", bare_insert, name="bench-bare-insert"),
    path("bench/pid", worker_pid, name="bench-pid"),
]
