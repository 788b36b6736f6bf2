"""`wbs bench casework`: the staff case queue over a tenant with 100,000 cases.

One run, one throwaway database on the same PostgreSQL server (tenancy's
``use_bench_database``; dropped at the end, also on failure):

- Data: one onboarded tenant, 20 case handlers and one supervisor, and N cases
  (default 100,000) written with COPY: report rows that all share one narrative
  sealed once with one report key (this measures the queue, not encryption) and
  case rows with varied states (most closed, about a third open), categories,
  channels, received dates over four years, deadlines (some overdue), assignees
  (some unassigned, some the supervisor's own) and outcomes, plus 200 conflict
  of interest exclusions (50 of them of the supervisor). Then ANALYZE.
- Requests: in this process, through Django's full WSGI stack (every middleware:
  tenant routing from the Host header, sessions, locale, CSRF, authentication,
  django-otp, the staff session timeout, ...) with a signed-in supervisor's
  session cookie (a database session made with SessionStore, the TOTP step
  marked done as django-otp does after a correct code). No network, no
  gunicorn: what is measured is the server's own work for one request.
- Measured: GET of the staff queue page (its 50-row first or a later page) with
  mixed filters taken in turn: open cases, all, one state, one category,
  overdue, mine, unassigned, a due-date window, newest deadline first, page 20
  of all cases. Side by side, in alternating rounds, the same stack answering
  GET /healthz on the same tenant host with the same cookie (no query):
  the difference is the queue's own cost. Warm-up requests of every kind
  first (not measured).
- Reported: p50, p95, p99 and mean latency of each, the queue's p95 per filter,
  the SQL queries one queue page makes and the time spent in them per filter
  (recorded in a separate pass), and the machine's load average around the
  measured requests (client, server and PostgreSQL share its cores).
  Target: queue p95 <= 200 ms.
"""

from __future__ import annotations

import io
import os
import random
import sys
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from casework.models import Case, CaseState, Exclusion, Outcome
from casework.services.retention import retention_end
from intake.encryption import ReportKey, current_tenant_key, new_report_key, seal
from intake.models import Category, Channel, IdentityMode, KeyPurpose, ReporterRelation
from intake.references import new_reference
from tenants import db as tenant_db
from tenants.accounts.models import StaffRole, User
from tenants.accounts.staff_sessions import LAST_ACTIVITY, SIGNED_IN_AT
from tenants.clock import tenant_today
from tenants.onboarding import primary_hostname
from wbs.benchmarks import tenancy
from wbs.benchmarks.report import percentile
from wbs.onboarding import tenant_onboard

BENCH_TENANT = "benchcases"
HANDLERS = 20
EXCLUSIONS = 200
SUPERVISOR_EXCLUSIONS = 50
P95_TARGET_MS = 200.0
QUEUE_URL_NAME = "staff-queue"

# (state, weight): a tenant a few years in, most cases closed.
STATE_WEIGHTS = [
    (CaseState.RECEIVED, 6),
    (CaseState.VERIFICATION, 8),
    (CaseState.CLARIFICATION, 3),
    (CaseState.DESK_REVIEW, 9),
    (CaseState.EXAMINATION, 6),
    (CaseState.CONCLUDED, 13),
    (CaseState.CLOSED, 55),
]
CHANNELS = [Channel.WEB] * 6 + [
    Channel.LETTER,
    Channel.IN_PERSON,
    Channel.PHONE,
    Channel.WHATSAPP,
    Channel.EMAIL,
    Channel.SOCIAL_MEDIA,
    Channel.FORWARDED,
]

REPORT_COLUMNS = (
    "uid",
    "category_id",
    "channel",
    "identity_mode",
    "relation",
    "received_on",
    "receipt_hash",
    "key_version",
    "wrapped_key",
    "sealed_narrative",
    "how_much",
    "completeness",
    "staff_notified",
    "consent_to_forward_identity",
    "reference",
)
CASE_COLUMNS = (
    "report_id",
    "state",
    "outcome",
    "assignee_id",
    "received_on",
    "acknowledge_due",
    "verification_due",
    "answer_due",
    "conclude_due",
    "next_due",
    "acknowledged_on",
    "verified_on",
    "answered_on",
    "concluded_on",
    "closed_on",
    "paused_on",
    "state_before_pause",
    "forwarded_to_slug",
    "forwarded_to_name",
    "forwarded_from_slug",
    "forwarded_from_name",
    "reopened_count",
    "retain_until",
    "updated_at",
    "reference",
)


def use_bench_database() -> Callable[[], None]:
    """tenancy.use_bench_database() (a database named after the configured one), undone completely."""
    test_settings = connections["default"].settings_dict.setdefault("TEST", {})
    original_test_name = test_settings.get("NAME")
    restore = tenancy.use_bench_database()

    def undo() -> None:
        tenant_db.connection.set_schema_to_public()
        restore()
        test_settings["NAME"] = original_test_name

    return undo


# --- Data -------------------------------------------------------------------------


def _received(rng: random.Random, state: str, today: date) -> date:
    if state in {CaseState.CONCLUDED, CaseState.CLOSED}:
        return today - timedelta(days=rng.randint(30, 1460))
    return today - timedelta(days=rng.randint(0, 75))


def _case_row(
    rng: random.Random,
    state: str,
    received: date,
    report_id: int,
    today: date,
    handler_ids: list[int],
    supervisor_id: int,
    reference: str,
) -> tuple[Any, ...]:
    acknowledge, verification = received + timedelta(days=4), received + timedelta(days=9)
    answer, conclude = received + timedelta(days=20), received + timedelta(days=84)
    acknowledged = verified = answered = concluded = closed = paused = retain = None
    before_pause = outcome = ""
    next_due: date | None = None
    if state != CaseState.RECEIVED:
        acknowledged = received + timedelta(days=rng.randint(0, 3))
    if state == CaseState.RECEIVED:
        next_due = acknowledge
    elif state == CaseState.VERIFICATION:
        next_due = verification
    elif state == CaseState.CLARIFICATION:
        paused, before_pause = today - timedelta(days=rng.randint(0, 10)), CaseState.VERIFICATION
    elif state in {CaseState.DESK_REVIEW, CaseState.EXAMINATION}:
        verified = received + timedelta(days=rng.randint(3, 8))
        next_due = answer if state == CaseState.DESK_REVIEW else conclude
    else:
        verified = received + timedelta(days=rng.randint(3, 8))
        answered = concluded = received + timedelta(days=rng.randint(10, 80))
        outcome = rng.choice(Outcome.values)
        if state == CaseState.CLOSED:
            closed = concluded + timedelta(days=10)
            retain = retention_end(closed, 10)
    roll = rng.random()
    if state == CaseState.RECEIVED or roll < 0.12:
        assignee = None
    elif roll < 0.2:
        assignee = supervisor_id
    else:
        assignee = rng.choice(handler_ids)
    forwarded_to = ("provinsi", "Inspektorat Provinsi") if outcome == Outcome.FORWARDED else ("", "")
    return (
        report_id,
        state,
        outcome,
        assignee,
        received,
        acknowledge,
        verification,
        answer,
        conclude,
        next_due,
        acknowledged,
        verified,
        answered,
        concluded,
        closed,
        paused,
        before_pause,
        forwarded_to[0],
        forwarded_to[1],
        "",
        "",
        0,
        retain,
        time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime()),
        reference,
    )


def _distinct_references(years: list[int]) -> list[str]:
    """One random reference per report, none twice (as the unique constraint wants)."""
    taken: set[str] = set()
    references = []
    for year in years:
        reference = new_reference(year)
        while reference in taken:
            reference = new_reference(year)
        taken.add(reference)
        references.append(reference)
    return references


def build_cases(count: int, *, seed: int = 2026) -> dict[str, Any]:
    """Onboard the bench tenant and fill it; returns what was made (the tenant selected)."""
    tenancy.quietly(lambda: tenant_onboard(tenancy.application(BENCH_TENANT)))()
    started = time.perf_counter()
    rng = random.Random(seed)
    with schema_context(BENCH_TENANT):
        supervisor = User.objects.create_user(
            username="inspektur@benchcases.example",
            email="inspektur@benchcases.example",
            full_name="Inspektur Bench",
            roles=[StaffRole.SUPERVISOR],
        )
        handlers = User.objects.bulk_create(
            User(
                username=f"pemeriksa{index}@benchcases.example",
                email=f"pemeriksa{index}@benchcases.example",
                full_name=f"Pemeriksa {index:02d}",
                roles=[StaffRole.INVESTIGATOR if index % 3 else StaffRole.INTAKE_OFFICER],
                password="!",  # noqa: S106 - an unusable password
            )
            for index in range(HANDLERS)
        )
        handler_ids = [user.pk for user in handlers]
        category_ids = list(Category.objects.values_list("pk", flat=True))
        today = tenant_today()
        # One report key and one narrative for every row, sealed per row (the seal is bound
        # to the report's uid): the queue decrypts each shown row's subject.
        key_version, data_key = current_tenant_key(KeyPurpose.DATA)
        shared_key = new_report_key(str(uuid.uuid4())).key
        narrative_content = {
            "what": "Dugaan pungutan liar pada pelayanan perizinan",
            "description": "Petugas meminta uang di luar tarif resmi. " * 20,
            "who": [{"name": "", "position": "Kepala Seksi", "unit": "DPMPTSP"}],
            "where": "Kantor DPMPTSP",
        }
        states = [state for state, weight in STATE_WEIGHTS for _ in range(weight)]
        plans = [
            (state, _received(rng, state, today)) for state in (rng.choice(states) for _ in range(count))
        ]

        references = _distinct_references([received.year for _state, received in plans])
        with tenant_db.connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY intake_report ({', '.join(REPORT_COLUMNS)}) FROM STDIN") as copy:
                for index, (_state, received) in enumerate(plans):
                    uid = uuid.uuid4()
                    wrapped = seal(data_key, shared_key, context=f"report:{uid}")
                    narrative = ReportKey(str(uid), shared_key).seal_json("narrative", narrative_content)
                    copy.write_row(
                        (
                            uid,
                            rng.choice(category_ids),
                            rng.choice(CHANNELS),
                            rng.choice(IdentityMode.values),
                            rng.choice(ReporterRelation.values),
                            received,
                            f"{index:064x}",
                            key_version,
                            wrapped,
                            narrative,
                            rng.randint(1, 2000) * 100_000 if rng.random() < 0.4 else None,
                            rng.randint(1, 127),
                            True,
                            False,
                            references[index],
                        )
                    )
            cursor.execute("SELECT id FROM intake_report ORDER BY id")
            report_ids = [row[0] for row in cursor.fetchall()]
            with raw.copy(f"COPY casework_case ({', '.join(CASE_COLUMNS)}) FROM STDIN") as copy:
                for index, ((state, received), report_id) in enumerate(zip(plans, report_ids, strict=True)):
                    copy.write_row(
                        _case_row(
                            rng,
                            state,
                            received,
                            report_id,
                            today,
                            handler_ids,
                            supervisor.pk,
                            references[index],
                        )
                    )
        case_ids = list(Case.objects.order_by("?").values_list("pk", flat=True)[:EXCLUSIONS])
        Exclusion.objects.bulk_create(
            Exclusion(
                case_id=case_id,
                user_id=supervisor.pk if index < SUPERVISOR_EXCLUSIONS else rng.choice(handler_ids),
                reason="Benturan kepentingan",
                created_by=supervisor,
            )
            for index, case_id in enumerate(case_ids)
        )
        with tenant_db.connection.cursor() as cursor:
            cursor.execute("ANALYZE intake_report; ANALYZE casework_case; ANALYZE casework_exclusion")
        open_cases = Case.objects.exclude(state__in=[CaseState.CONCLUDED, CaseState.CLOSED]).count()
        overdue = Case.objects.filter(next_due__lt=today).count()
        categories = list(Category.objects.values_list("code", flat=True))
    return {
        "supervisor": supervisor,
        "today": today,
        "categories": categories,
        "build_s": time.perf_counter() - started,
        "open_cases": open_cases,
        "overdue_cases": overdue,
    }


# --- A signed-in supervisor --------------------------------------------------------


def supervisor_session(user: User) -> str:
    """A session as after password and TOTP code (what the sign-in page leaves: tenants.accounts.pages.sign_in)."""
    with schema_context(BENCH_TENANT):
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = SessionStore()
        now = int(time.time())
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[SIGNED_IN_AT] = now
        session[LAST_ACTIVITY] = now
        session.create()
        assert session.session_key is not None
        return session.session_key


# --- Requests ---------------------------------------------------------------------


def queue_filters(today: date, categories: list[str]) -> list[tuple[str, str]]:
    """(label, query string) of the mixed queue requests."""
    return [
        ("open (default)", ""),
        ("all states", "state=all"),
        ("examination", "state=examination"),
        ("category", f"state=all&category={categories[2 % len(categories)]}"),
        ("overdue", "overdue=1"),
        ("mine", "assignee=me&state=all"),
        ("unassigned", "assignee=unassigned"),
        (
            "due window",
            f"due_from={(today - timedelta(days=30)).isoformat()}&due_to={(today + timedelta(days=30)).isoformat()}",
        ),
        ("latest deadline first", "sort=-next_due"),
        ("all, page 20", "state=all&page=20"),
    ]


def environ(host: str, path: str, query: str, cookie: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": host,
        "SERVER_PORT": "443",
        "HTTP_HOST": host,
        "HTTP_COOKIE": cookie,
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_ACCEPT_LANGUAGE": "id",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }


class Client:
    """Requests through a WSGIHandler, one at a time, each timed until its body is read."""

    def __init__(self, host: str, cookie: str) -> None:
        self.handler = WSGIHandler()
        self.host = host
        self.cookie = cookie

    def get(self, path: str, query: str = "") -> tuple[float, bytes]:
        status: list[str] = []

        def start_response(code: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status.append(code)
            return lambda _data: None

        started = time.perf_counter()
        response = self.handler(environ(self.host, path, query, self.cookie), start_response)
        try:
            body = b"".join(response)
        finally:
            close = getattr(response, "close", None)
            if close is not None:
                close()
        elapsed = time.perf_counter() - started
        if not status or not status[0].startswith("200"):
            raise RuntimeError(f"GET {path}?{query} answered {status[:1]}: {body[:300]!r}")
        return elapsed, body


def sql_of_page(client: Client, path: str, query: str) -> tuple[int, float]:
    """(queries, seconds spent in them) of one page, recorded outside the timed requests."""
    with CaptureQueriesContext(tenant_db.connection) as captured:
        client.get(path, query)
    return len(captured.captured_queries), sum(float(item["time"]) for item in captured.captured_queries)


def summary_ms(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": 1000 * percentile(values, 0.50),
        "p95_ms": 1000 * percentile(values, 0.95),
        "p99_ms": 1000 * percentile(values, 0.99),
        "mean_ms": 1000 * sum(values) / len(values),
    }


def run(*, cases: int = 100_000, requests: int = 1000, rounds: int = 5) -> list[dict[str, Any]]:
    restore = use_bench_database()
    try:
        built = build_cases(cases)
        tenant_db.connection.set_schema_to_public()
        cookie = f"{settings.SESSION_COOKIE_NAME}={supervisor_session(built['supervisor'])}"
        client = Client(primary_hostname(BENCH_TENANT), cookie)
        with schema_context(BENCH_TENANT):
            queue_path = reverse(QUEUE_URL_NAME)
        filters = queue_filters(built["today"], built["categories"])

        # Warm up every kind of request (templates, URL resolvers, host cache, plans).
        for _ in range(3):
            client.get("/healthz")
            for _label, query in filters:
                _elapsed, body = client.get(queue_path, query)
        assert b"<table" in body or b"<tr" in body, "the queue page shows no rows"
        sql = {label: sql_of_page(client, queue_path, query) for label, query in filters}
        queries = max(count for count, _seconds in sql.values())
        load_before = os.getloadavg()[0]

        rounds = max(1, min(rounds, requests))
        per_round = max(1, requests // rounds)
        queue: list[float] = []
        baseline: list[float] = []
        by_filter: dict[str, list[float]] = {label: [] for label, _query in filters}
        position = 0
        for round_index in range(rounds):
            batches = [("baseline", per_round), ("queue", per_round)]
            for kind, count in batches if round_index % 2 == 0 else reversed(batches):
                for _ in range(count):
                    if kind == "baseline":
                        baseline.append(client.get("/healthz")[0])
                    else:
                        label, query = filters[position % len(filters)]
                        position += 1
                        elapsed = client.get(queue_path, query)[0]
                        queue.append(elapsed)
                        by_filter[label].append(elapsed)
        load_after = os.getloadavg()[0]
        queue_stats = summary_ms(queue)
        baseline_stats = summary_ms(baseline)
        return [
            {
                "measure": "setup",
                "cases": cases,
                "open_cases": built["open_cases"],
                "overdue_cases": built["overdue_cases"],
                "exclusions": EXCLUSIONS,
                "handlers": HANDLERS + 1,
                "data_build_s": built["build_s"],
                "profile": settings.PROFILE,
                "debug": settings.DEBUG,
                "conn_max_age": connections["default"].settings_dict.get("CONN_MAX_AGE"),
                "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
                "load_average_before": load_before,
                "load_average_after": load_after,
            },
            {
                "measure": f"staff queue page {queue_path} as a supervisor, mixed filters (ms)",
                "requests": len(queue),
                "rounds": rounds,
                **queue_stats,
                "sql_queries_per_page": queries,
                "target": f"p95 <= {P95_TARGET_MS:.0f} ms",
                "target_met": queue_stats["p95_ms"] <= P95_TARGET_MS,
            },
            {
                "measure": "baseline: /healthz through the same stack, same host and cookie (ms)",
                "requests": len(baseline),
                **baseline_stats,
                "queue_minus_baseline_p50_ms": queue_stats["p50_ms"] - baseline_stats["p50_ms"],
            },
            {
                "measure": "staff queue page p95 by filter (ms)",
                **{label: 1000 * percentile(values, 0.95) for label, values in by_filter.items() if values},
            },
            {
                "measure": "time in SQL of one queue page by filter (ms, one recorded pass, not timed above)",
                **{label: 1000 * seconds for label, (_count, seconds) in sql.items()},
            },
        ]
    finally:
        restore()
