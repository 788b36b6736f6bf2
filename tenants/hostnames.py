"""How a tenant's host is named and how links to it are written."""

from django.conf import settings


def primary_hostname(slug: str) -> str:
    return f"{slug}.{settings.WBS_BASE_DOMAIN}"


def tenant_url(hostname: str, path: str = "/") -> str:
    port = f":{settings.WBS_URL_PORT}" if settings.WBS_URL_PORT else ""
    return f"{settings.WBS_URL_SCHEME}://{hostname}{port}{path}"
