"""After a full reporter session, nothing anywhere knows who or where the reporter was."""

import io
import json
import logging
import subprocess
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import sentry_sdk
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from intake.models import Report
from tenants.onboarding import primary_hostname
from tenants.schema_template import _libpq_environment, pg_dump_binary
from tests.support.evidence import jpeg_with_gps
from tests.support.intake_api import FULL_REPORT, with_proof
from tests.support.sentry import CapturingTransport
from wbs import observability

CLIENT_IP = "198.51.100.23"
USER_AGENT = "Mozilla/5.0 (Linux; Android 12; Redmi Note 11) WhistlePhone/7.3"
SECRETS = [
    FULL_REPORT["description"],
    FULL_REPORT["identity"]["name"],
    FULL_REPORT["identity"]["nik"],
    FULL_REPORT["identity"]["phone"],
    FULL_REPORT["notify_email"],
    "Kepala Seksi Perizinan",
    "Foto kuitansi terlampir di sini",
]


@pytest.fixture
def committed(django_db_setup, django_db_blocker, settings, tmp_path):
    """Real commits (a dump sees only those), cleaned up afterwards."""
    settings.MEDIA_ROOT = str(tmp_path)
    with django_db_blocker.unblock():
        yield
        with schema_context("sukabumi"):
            Report.objects.all().delete()


@pytest.fixture
def everything_logged():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    configured = next(h for h in logging.getLogger().handlers if h.filters)
    handler.setFormatter(configured.formatter)
    for log_filter in configured.filters:
        handler.addFilter(log_filter)
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(previous)


@pytest.fixture
def sentry_events(settings):
    transport = CapturingTransport()
    observability.init_sentry(dsn="http://key@127.0.0.1:9/1", environment="test", transport=transport)
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.init(dsn=None)


def reporter() -> Client:
    return Client(
        HTTP_HOST=primary_hostname("sukabumi"),
        REMOTE_ADDR=CLIENT_IP,
        HTTP_USER_AGENT=USER_AGENT,
        HTTP_X_FORWARDED_FOR=CLIENT_IP,
        HTTP_X_REAL_IP=CLIENT_IP,
    )


def database_dump() -> str:
    result = subprocess.run(
        [pg_dump_binary(), "--inserts", "--no-owner"],
        env=_libpq_environment(connection),
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_a_full_reporter_session_leaves_no_trace_of_the_reporter(committed, everything_logged, sentry_events):
    client = reporter()
    client.get("/")
    client.get("/lapor/")
    submitted = client.post(
        "/api/v1/intake/reports",
        {
            **{
                k: json.dumps(v) if isinstance(v, dict | list) else v
                for k, v in with_proof(client, FULL_REPORT).items()
            },
            "evidence": [SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps())],
        },
    )
    assert submitted.status_code == 201
    receipt = submitted.json()["receipt"]
    assert (
        client.post(
            "/api/v1/intake/session", {"receipt": "2222-2222-2222-2222-2222"}, content_type="application/json"
        ).status_code
        == 400
    )
    token = client.post(
        "/api/v1/intake/session", {"receipt": receipt}, content_type="application/json"
    ).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/intake/report", **auth).status_code == 200
    assert (
        client.post(
            "/api/v1/intake/messages", {"body": SECRETS[-1]}, content_type="application/json", **auth
        ).status_code
        == 201
    )
    assert client.post("/pantau/", {"receipt": receipt}).status_code == 302
    assert client.get("/pantau/kotak/").status_code == 200
    assert client.get("/tidak-ada/").status_code == 404
    sentry_sdk.capture_message("a warning while a reporter was on the site")
    sentry_sdk.flush()

    dump = database_dump()
    assert "sukabumi" in dump and "intake_report" in dump  # the dump really holds the data
    for trace in (CLIENT_IP, USER_AGENT, "WhistlePhone"):
        assert trace not in dump, f"{trace!r} is in the database"
        assert trace not in everything_logged.getvalue(), f"{trace!r} was logged"
        assert trace not in json.dumps(sentry_events.events()), f"{trace!r} reached Sentry"
    for secret in SECRETS:
        assert secret not in dump, f"{secret!r} is readable in a database dump"
    assert receipt not in dump and receipt.replace("-", "") not in dump


def test_nothing_records_the_time_of_day_a_reporter_acted(sulteng):
    from casework.models import Case, CaseEvent
    from intake.services.reporter_traces import settle_reporter_traces
    from tenants.audit.models import AuditEntry

    client = Client(HTTP_HOST=primary_hostname("sulteng"))
    receipt = client.post(
        "/api/v1/intake/reports",
        json.dumps(with_proof(client, FULL_REPORT | {"category": "korupsi"})),
        content_type="application/json",
    ).json()["receipt"]
    token = client.post(
        "/api/v1/intake/session", {"receipt": receipt}, content_type="application/json"
    ).json()["token"]
    client.post(
        "/api/v1/intake/messages",
        {"body": "Tambahan keterangan."},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    with schema_context("sulteng"):
        case = Case.objects.get()
        # The reporter's entries reach the trail in the batch after their day.
        settle_reporter_traces(timezone.now() + timedelta(days=2))
        received = CaseEvent.objects.get(case=case, kind="received")
        arrival = AuditEntry.objects.get(action="report_received")
        local = [
            timestamp.astimezone(ZoneInfo("Asia/Makassar"))
            for timestamp in (received.created_at, arrival.created_at, case.updated_at)
        ]
    assert all((t.hour, t.minute, t.second) == (0, 0, 0) for t in local), local
    assert {t.date() for t in local} == {case.received_on}
