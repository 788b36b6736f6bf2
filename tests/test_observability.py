"""Errors reach Sentry tagged with the tenant and without anything about the person."""

import io
import json
import logging

import pytest
import sentry_sdk

from tests.support.clients import client_for
from tests.support.sentry import CapturingTransport
from wbs import observability

CLIENT_IP = "203.0.113.77"
USER_AGENT = "Mozilla/5.0 (Linux; Android 13; SM-A145F) ReporterPhone"
SECRET_TEXT = "Kepala dinas meminta setoran 5 juta"


@pytest.fixture
def sentry_events(settings):
    transport = CapturingTransport()
    observability.init_sentry(dsn="http://key@127.0.0.1:9/1", environment="test", transport=transport)
    settings.ROOT_URLCONF = "tests.exploding_urls"
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.init(dsn=None)


@pytest.fixture
def platform_log():
    """What our configured log handler would write, for the duration of a test."""
    configured = next(h for h in logging.getLogger().handlers if h.filters)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        logging.Formatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request)s", defaults={"request": None}
        )
    )
    for log_filter in configured.filters:
        handler.addFilter(log_filter)
    logging.getLogger().addHandler(handler)
    yield stream
    logging.getLogger().removeHandler(handler)


def test_a_crash_on_a_tenant_host_is_reported_without_the_reporter(sentry_events, platform_log, sulteng):
    browser = client_for(sulteng)
    browser.raise_request_exception = False
    browser.cookies["wbs_session"] = "reporter-session-cookie"
    response = browser.post(
        "/explode/?receipt=ABCD-EFGH",
        {"description": SECRET_TEXT},
        REMOTE_ADDR=CLIENT_IP,
        HTTP_USER_AGENT=USER_AGENT,
        HTTP_X_FORWARDED_FOR=CLIENT_IP,
    )
    assert response.status_code == 500
    sentry_sdk.flush()

    events = sentry_events.events()
    assert len(events) == 1
    event = events[0]
    assert event["tags"]["tenant"] == "sulteng"
    assert event["exception"]["values"][0]["type"] == "ValueError"
    serialized = json.dumps(event)
    for secret in (CLIENT_IP, USER_AGENT, SECRET_TEXT, "reporter-session-cookie", "ABCD-EFGH"):
        assert secret not in serialized, f"{secret!r} reached Sentry"

    written = platform_log.getvalue()
    assert "Internal Server Error: /explode/" in written
    for secret in (CLIENT_IP, USER_AGENT, SECRET_TEXT):
        assert secret not in written


def test_task_arguments_never_reach_sentry():
    event = {
        "extra": {
            "celery-job": {"task_name": "send_staff_invitation", "args": [7, "one-time-token"], "kwargs": {}}
        }
    }
    scrubbed = observability.scrub_event(event)
    assert scrubbed["extra"]["celery-job"] == {"task_name": "send_staff_invitation"}
    assert "one-time-token" not in json.dumps(scrubbed)
