"""Selects the tenant (and its schema and URLs) from the request's host name.

The base domain is the operator's side and uses the public schema. A tenant's
host uses that tenant's schema. Any other host gets a plain 404 page that shows
nothing of the public schema.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import set_urlconf

from tenants.db import connection
from tenants.models import TenantStatus
from tenants.routing import directory


def hostname_of(request: HttpRequest) -> str:
    return request.get_host().rsplit(":", 1)[0].rstrip(".").lower()


def plain_page(template: str, status: int, context: dict[str, object] | None = None) -> HttpResponse:
    return HttpResponse(render_to_string(template, context or {}), status=status)


class TenantRoutingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.operator_hosts = {settings.WBS_BASE_DOMAIN, f"www.{settings.WBS_BASE_DOMAIN}"}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            hostname = hostname_of(request)
        except DisallowedHost:
            return plain_page("tenants/unknown_host.html", 400)

        if hostname in self.operator_hosts:
            connection.set_schema_to_public()
            request.tenant = None  # type: ignore[attr-defined]
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF  # type: ignore[attr-defined]
            set_urlconf(request.urlconf)  # type: ignore[attr-defined]
            return self.get_response(request)

        tenant = directory.tenant_for_host(hostname)
        if tenant is None or tenant.status == TenantStatus.ARCHIVED:
            return plain_page("tenants/unknown_host.html", 404)
        if tenant.status == TenantStatus.SUSPENDED:
            return plain_page("tenants/suspended.html", 503, {"tenant": tenant})

        connection.set_tenant(tenant)
        request.tenant = tenant  # type: ignore[attr-defined]
        request.urlconf = settings.ROOT_URLCONF  # type: ignore[attr-defined]
        set_urlconf(request.urlconf)  # type: ignore[attr-defined]
        return self.get_response(request)
