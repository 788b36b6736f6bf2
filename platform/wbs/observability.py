"""Error reporting and logging that never carry a reporter's traces.

Sentry events are tagged with the tenant slug and stripped of everything that
could identify a person: request bodies, cookies, headers, query strings, the
client's IP address and user agent. Log records lose their request object.
"""

from __future__ import annotations

import logging
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.types import Event, Hint

# Request parts that are safe to keep: they say where, not who.
_KEPT_REQUEST_KEYS = {"method", "url"}


def current_tenant_slug() -> str:
    from django.db import connection

    return getattr(connection, "schema_name", None) or "public"


def scrub_event(event: Event, hint: Hint | None = None) -> Event | None:
    request = event.get("request")
    if isinstance(request, dict):
        event["request"] = {key: value for key, value in request.items() if key in _KEPT_REQUEST_KEYS}
        if "url" in event["request"]:
            event["request"]["url"] = str(event["request"]["url"]).split("?", 1)[0]
    event.pop("user", None)
    # Task arguments can hold one-time credentials (staff invitation links); keep the task name only.
    celery_job = (event.get("extra") or {}).get("celery-job")
    if isinstance(celery_job, dict):
        celery_job.pop("args", None)
        celery_job.pop("kwargs", None)
    event.pop("server_name", None)
    contexts = event.get("contexts") or {}
    contexts.pop("client_os", None)
    contexts.pop("browser", None)
    contexts.pop("device", None)
    breadcrumbs = event.get("breadcrumbs")
    if isinstance(breadcrumbs, dict):
        for breadcrumb in breadcrumbs.get("values", []):
            breadcrumb.pop("data", None)
    tags: dict[str, Any] = dict(event.get("tags") or {})
    tags["tenant"] = current_tenant_slug()
    event["tags"] = tags
    return event


def init_sentry(*, dsn: str, environment: str, transport: Any = None) -> None:
    if not dsn:
        return
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # Collect no user, body, SQL parameters or local variables in the first place;
        # scrub_event then removes whatever an integration still attaches.
        data_collection={
            "user_info": False,
            "http_bodies": [],
            "database_query_data": False,
            "stack_frame_variables": False,
        },
        max_request_body_size="never",
        include_local_variables=False,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        transport=transport,
    )


class DropClientDetails(logging.Filter):
    """Remove the request (and with it the client's address) from log records."""

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        return True
