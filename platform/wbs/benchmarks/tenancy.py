"""`wbs bench tenancy`: our tenancy paths against stock django-tenants, side by side.

Everything runs in one process, against one throwaway database on the same
server, alternating ours and stock so that machine noise hits both alike:

1. Onboarding one tenant: ours replays the template schema; stock is
   django-tenants' ``Tenant.create_schema()`` (what ``auto_create_schema`` runs:
   CREATE SCHEMA + ``migrate_schemas`` for it). The rest of onboarding (rows,
   default categories and deadlines, first administrator) is the same code.
2. A migrate with nothing to apply over N tenants: ``wbs migrate`` against
   stock ``migrate_schemas``.
3. Per-request cost of tenant resolution: the same view (``/healthz``, no
   query) through the full middleware stack, with the tenant middleware on a
   tenant host against without it.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from typing import Any
from unittest import mock

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import connections
from django.test.utils import override_settings
from psycopg import sql

from tenants import onboarding
from tenants.db import connection
from tenants.models import Domain, Tenant
from tenants.onboarding import TenantApplication
from tenants.routing import directory
from tenants.schema_template import refresh_template
from wbs.benchmarks.report import median, timed
from wbs.onboarding import tenant_onboard


def application(slug: str) -> TenantApplication:
    return TenantApplication(
        slug=slug,
        official_name=f"Inspektorat {slug}",
        short_name=slug,
        region_kind="regency",
        time_zone="Asia/Makassar",
        admin_email=f"admin@{slug}.example",
    )


def stock_create_schema(schema_name: str) -> None:
    """django-tenants' own schema creation, as `auto_create_schema` does it."""
    Tenant.objects.get(schema_name=schema_name).create_schema(check_if_exists=True, verbosity=0)


def drop_tenant(slug: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(slug)))
    Domain.objects.filter(tenant__schema_name=slug).delete()
    Tenant.objects.filter(schema_name=slug).delete()


def quietly(action: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            return action()

    return run


def bench_onboarding(rounds: int) -> dict[str, Any]:
    ours: list[float] = []
    stock: list[float] = []
    for index in range(rounds):
        slug_ours, slug_stock = f"benchours{index}", f"benchstock{index}"
        ours.append(timed(lambda s=slug_ours: tenant_onboard(application(s))))  # type: ignore[misc]
        with mock.patch.object(onboarding, "create_schema_from_template", stock_create_schema):
            stock.append(timed(quietly(lambda s=slug_stock: tenant_onboard(application(s)))))  # type: ignore[misc]
        drop_tenant(slug_ours)
        drop_tenant(slug_stock)
    return {
        "measure": "onboarding one tenant (median seconds)",
        "rounds": rounds,
        "ours_s": median(ours),
        "stock_s": median(stock),
        "speedup": median(stock) / median(ours),
        "target": "speedup >= 4 and ours < 0.3 s",
    }


def bench_noop_migrate(tenants: int, rounds: int) -> dict[str, Any]:
    existing = Tenant.objects.count()
    for index in range(existing, tenants):
        tenant_onboard(application(f"benchnoop{index}"))
    ours: list[float] = []
    stock: list[float] = []
    for _ in range(rounds):
        ours.append(timed(quietly(lambda: call_command("migrate_platform", no_progress=True))))
        stock.append(timed(quietly(lambda: call_command("migrate_schemas", interactive=False, verbosity=0))))
    return {
        "measure": f"migrate with nothing to apply, {tenants} tenants (median seconds)",
        "rounds": rounds,
        "ours_s": median(ours),
        "stock_s": median(stock),
        "ours_per_schema_ms": 1000 * median(ours) / tenants,
        "stock_per_schema_ms": 1000 * median(stock) / tenants,
        "speedup": median(stock) / median(ours),
        "target": "speedup >= 20",
    }


def wsgi_environ(host: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/healthz",
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "HTTP_HOST": host,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }


def requests_per_second(handler: WSGIHandler, hosts: list[str], count: int) -> float:
    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], None]:
        assert status.startswith("200"), status
        return lambda _body: None

    environs = [wsgi_environ(hosts[index % len(hosts)]) for index in range(count)]

    def run() -> None:
        for environ in environs:
            environ["wsgi.input"] = io.BytesIO()
            for _chunk in handler(environ, start_response):
                pass

    return count / timed(run)


def bench_request_resolution(requests: int, rounds: int) -> dict[str, Any]:
    tenant_hosts = [f"benchreq{index}.{settings.WBS_BASE_DOMAIN}" for index in range(2)]
    for host in tenant_hosts:
        slug = host.split(".", 1)[0]
        if not Tenant.objects.filter(schema_name=slug).exists():
            tenant_onboard(application(slug))
    with_tenancy = WSGIHandler()
    without = [path for path in settings.MIDDLEWARE if path != "tenants.middleware.TenantRoutingMiddleware"]
    with override_settings(MIDDLEWARE=without):
        plain = WSGIHandler()

    # Warm both (host cache, connection, URL resolvers).
    requests_per_second(with_tenancy, tenant_hosts, 200)
    requests_per_second(plain, ["localhost"], 200)
    one_tenant: list[float] = []
    two_tenants: list[float] = []
    baseline: list[float] = []
    for _ in range(rounds):
        # Each round measures the baseline right before and after the tenant variants;
        # ratios are taken within a round, so load from elsewhere cancels out.
        before = requests_per_second(plain, ["localhost"], requests)
        one_tenant.append(requests_per_second(with_tenancy, tenant_hosts[:1], requests))
        two_tenants.append(requests_per_second(with_tenancy, tenant_hosts, requests))
        after = requests_per_second(plain, ["localhost"], requests)
        baseline.append((before + after) / 2)
    one_ratios = [base / rate for base, rate in zip(baseline, one_tenant, strict=True)]
    two_ratios = [base / rate for base, rate in zip(baseline, two_tenants, strict=True)]
    return {
        "measure": "per-request cost, same view with and without tenant resolution (median microseconds)",
        "requests_per_round": requests,
        "rounds": rounds,
        "plain_view_us": 1e6 / median(baseline),
        "tenant_view_us": 1e6 / median(one_tenant),
        "tenant_view_alternating_2_tenants_us": 1e6 / median(two_tenants),
        "ratio": median(one_ratios),
        "ratio_alternating": median(two_ratios),
        "target": "ratio <= 1.2",
    }


def use_bench_database() -> Callable[[], None]:
    """Point the default connection at a fresh, fully migrated throwaway database."""
    db = connections["default"]
    original_name = db.settings_dict["NAME"]
    # Named after the configured database, so benchmarks against different databases
    # on one server never share (and drop) each other's.
    db.settings_dict.setdefault("TEST", {})["NAME"] = f"{original_name}_bench"
    with redirect_stdout(io.StringIO()):
        db.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    refresh_template()

    def restore() -> None:
        directory.forget_all()
        db.creation.destroy_test_db(original_name, verbosity=0)

    return restore


def run(*, tenants: int, onboarding_rounds: int, migrate_rounds: int, requests: int) -> list[dict[str, Any]]:
    restore = use_bench_database()
    try:
        return [
            bench_onboarding(onboarding_rounds),
            bench_noop_migrate(tenants, migrate_rounds),
            bench_request_resolution(requests, rounds=9),
        ]
    finally:
        restore()
