"""`wbs bench intake`: report submissions under concurrent load, against a bare-insert ceiling.

One run, one throwaway database on the same PostgreSQL server (named after the
configured one plus _bench_intake; dropped at the end, also on failure) with one
onboarded tenant.

- Proof of work: every report carries its own solved challenge (intake.proof_of_work),
  as reporters' clients send them. The challenges are made and solved by this process
  before each round (not timed) with the tenant's key, at a difficulty of
  BENCH_PROOF_MAX_NUMBER, which the server runs with too: the server's cost of a proof
  (one SHA-256, one HMAC, one Redis SET NX) is the same at any difficulty, and solving
  ~10,000 at the production one would take the client minutes. The ceiling's body
  carries a proof too (not checked), so all scenarios send the same bytes.

- Server: gunicorn with our production configuration (infra/gunicorn.conf.py:
  gthread, WEB_CONCURRENCY processes x GUNICORN_THREADS threads, no access log) on
  127.0.0.1 at a free port, serving wbs.wsgi:application with the settings
  wbs.benchmarks.bare_settings (wbs.settings plus the bench URLconf below) and the
  invoking profile. Evidence goes to a temporary folder (filesystem storage); Sentry
  is off.
- Load: generated in this process by --concurrency threads (16 "reporters"), each
  with its own keep-alive HTTP/1.1 connection over loopback, each sending its next
  request as soon as the previous answer is read (closed loop), until the scenario's
  share of --requests is sent or its time cap passes. Latency runs from sending the
  request to reading the whole answer.
- Requests: --requests per JSON scenario and for the ceiling (default 2400),
  --multipart-requests for the photo scenario (default 800, at most --requests),
  each split evenly over the rounds.
- Scenarios, in alternating rounds whose order rotates, so that machine noise hits
  all of them alike:
  1. JSON, anonymous: POST /api/v1/intake/reports, every element of a report filled in.
  2. JSON, confidential: the same plus the reporter's identity and notify e-mail.
  3. Multipart: the anonymous report with a ~1 MB JPEG photo (1600x1200, EXIF with
     GPS), which intake decodes, re-encodes without metadata, seals and stores.
  4. JSON, anonymous, ORM arrival: the same body to POST /bench/reports-orm-arrival,
     the same API view except that the arrival's four rows (report, case, first event,
     audit entry) are written by plain ORM inserts in one transaction instead of the
     one statement of tenants.linked_insert (see wbs.benchmarks.bare_urls).
  5. Ceiling: POST /bench/bare-insert with the same JSON body, through the same
     middleware (tenant routing, sessions, locale, CSRF-exempt like the API), which
     inserts the body as one row and answers 201. It exists only in
     wbs.benchmarks.bare_urls, named only by wbs.benchmarks.bare_settings, which only
     this benchmark's gunicorn runs with: production settings and URLs are untouched.
- Before measuring: every gunicorn worker is seen answering; one submission is made
  alone (it creates the tenant's keys); then 2 x concurrency unmeasured requests per
  scenario. Evidence files are removed between rounds (not timed).
- Reported per scenario: requests sent, errors (any non-2xx answer or failed
  connection), reports per second (2xx answers / wall time of the rounds), p50 and p99
  latency of the 2xx answers. Targets: JSON throughput >= 0.5 x the ceiling's, JSON
  p99 <= 150 ms with 16 concurrent reporters. The one-statement arrival against the
  ORM one: json_anonymous reports/s / ORM-arrival reports/s, overall and round by round,
  and the server CPU per request of each. The throughput ratio is also given
  round by round (each JSON round against the ceiling's round of the same rotation,
  run moments apart) with their median and lowest: a slow phase of the machine that
  hits one round shows there instead of moving the whole figure.
- Client, gunicorn, PostgreSQL and Redis all share this machine's cores.
"""

from __future__ import annotations

import base64
import http.client
import io
import itertools
import json
import os
import random
import runpy
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import redirect_stdout, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from altcha import solve_challenge_v1
from django.conf import settings
from django.db import connections
from django.test import override_settings
from django_tenants.utils import schema_context
from PIL import Image

from intake.models import Category, IntakeSettings
from intake.proof_of_work import challenge_new
from tenants.db import connection
from tenants.onboarding import primary_hostname
from tenants.routing import directory
from tenants.schema_template import refresh_template
from wbs.benchmarks.report import percentile
from wbs.benchmarks.tenancy import application, quietly
from wbs.local_services import database_url_from
from wbs.onboarding import tenant_onboard

BENCH_DATABASE_SUFFIX = "_bench_intake"
BENCH_TENANT = "benchintake"
GUNICORN_CONFIG = Path(settings.REPO_ROOT) / "infra" / "gunicorn.conf.py"
REPORTS_PATH = "/api/v1/intake/reports"
MULTIPART = "multipart_1mb_jpeg"
BARE_PATH = "/bench/bare-insert"
ORM_ARRIVAL = "json_anonymous_orm_arrival"
ORM_ARRIVAL_PATH = "/bench/reports-orm-arrival"
P99_TARGET_MS = 150.0
TARGET_CONCURRENCY = 16
THROUGHPUT_TARGET = 0.5
NO_LIMIT = 2**31 - 1  # the largest PositiveIntegerField
BENCH_PROOF_MAX_NUMBER = 1000


# --- The throwaway database and tenant ----------------------------------------------


def use_bench_database() -> Callable[[], None]:
    """Point the default connection at a fresh, migrated database; returns the undo.

    tenancy.use_bench_database() under a name of our own, so that both benches (and
    benches against other databases on the same server) can run at once."""
    db = connections["default"]
    original_name = db.settings_dict["NAME"]
    test_settings = db.settings_dict.setdefault("TEST", {})
    original_test_name = test_settings.get("NAME")
    test_settings["NAME"] = f"{original_name}{BENCH_DATABASE_SUFFIX}"

    def restore() -> None:
        directory.forget_all()
        connection.set_schema_to_public()
        db.creation.destroy_test_db(original_name, verbosity=0)
        test_settings["NAME"] = original_test_name

    try:
        with redirect_stdout(io.StringIO()):
            db.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    except BaseException:
        test_settings["NAME"] = original_test_name
        raise
    try:
        refresh_template()
    except BaseException:
        restore()
        raise
    return restore


def prepare_tenant() -> str:
    """Onboard the bench tenant, add the ceiling's table. Returns a category code of that tenant."""
    quietly(lambda: tenant_onboard(application(BENCH_TENANT)))()
    with schema_context(BENCH_TENANT):
        IntakeSettings.objects.update_or_create(pk=1, defaults={"receipt_failures_per_10_minutes": NO_LIMIT})
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS bench_bare (id bigserial PRIMARY KEY, body text)")
        codes = list(Category.objects.filter(is_active=True).values_list("code", flat=True))
    connection.set_schema_to_public()
    return "pungli" if "pungli" in codes else codes[0]


# --- What reporters send --------------------------------------------------------------


def anonymous_report(category: str) -> dict[str, Any]:
    return {
        "category": category,
        "what": "Pungutan liar pada pengurusan izin usaha",
        "description": "Petugas loket meminta uang Rp 500.000 di luar tarif resmi agar izin cepat terbit.",
        "who": [{"name": "Ahmad", "position": "Kepala Seksi Perizinan", "unit": "DPMPTSP"}],
        "where": "Kantor DPMPTSP, loket 3",
        "when": "Februari 2026",
        "why": "Tarif resmi nol rupiah menurut Perda.",
        "how": "Diminta tunai, tanpa kuitansi.",
        "how_much": 500000,
        "identity_mode": "anonymous",
        "relation": "public",
    }


def confidential_report(category: str) -> dict[str, Any]:
    return anonymous_report(category) | {
        "identity_mode": "confidential",
        "identity": {"name": "Siti Rahma", "nik": "7271010101900001", "phone": "081234567890"},
        "notify_email": "siti@example.com",
    }


def photo_jpeg(width: int = 1600, height: int = 1200, grain: float = 0.3) -> bytes:
    """A real ~1 MB JPEG: a gradient under seeded noise (so it compresses like a photo,
    not like a flat test card), with a phone's EXIF including GPS."""
    rng = random.Random(2026)
    noise = Image.merge(
        "RGB", [Image.frombytes("L", (width, height), rng.randbytes(width * height)) for _ in "RGB"]
    )
    picture = Image.blend(Image.linear_gradient("L").resize((width, height)).convert("RGB"), noise, grain)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "SAMSUNG", "SM-A145F"  # Make, Model
    gps = exif.get_ifd(0x8825)
    gps.update({1: "S", 2: (0.0, 53.0, 50.0), 3: "E", 4: (119.0, 52.0, 12.0)})  # Palu
    output = io.BytesIO()
    picture.save(output, format="JPEG", quality=90, exif=exif)
    return output.getvalue()


def multipart_body(fields: dict[str, Any], files: list[tuple[str, str, str, bytes]]) -> tuple[bytes, str]:
    """(body, content type) of a multipart/form-data post; structured fields as JSON text."""
    boundary = f"wbsbench{random.Random(7).getrandbits(64):016x}"
    parts: list[bytes] = []
    for name, value in fields.items():
        text = json.dumps(value) if isinstance(value, dict | list) else str(value)
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{text}\r\n'.encode()
        )
    for name, filename, content_type, data in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass(frozen=True)
class Scenario:
    key: str
    measure: str
    path: str
    body: Callable[[str], bytes]  # the request body carrying a proof of work
    content_type: str


def json_with_proof(report: dict[str, Any]) -> Callable[[str], bytes]:
    return lambda proof: json.dumps(report | {"proof": proof}).encode()


def multipart_with_proof(body: bytes, content_type: str) -> Callable[[str], bytes]:
    """The multipart body with a first part carrying the proof (the photo is not copied per proof)."""
    boundary = content_type.split("boundary=", 1)[1]
    return lambda proof: (
        f'--{boundary}\r\nContent-Disposition: form-data; name="proof"\r\n\r\n{proof}\r\n'.encode() + body
    )


def solved_proofs(count: int) -> list[str]:
    """``count`` challenges of the bench tenant, solved (what each reporter's client sends)."""
    proofs = []
    with schema_context(BENCH_TENANT), override_settings(WBS_PROOF_OF_WORK_MAX_NUMBER=BENCH_PROOF_MAX_NUMBER):
        for _ in range(count):
            challenge = challenge_new()
            solution = solve_challenge_v1(
                challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxNumber"]
            )
            assert solution is not None
            fields = {name: challenge[name] for name in ("algorithm", "challenge", "salt", "signature")}
            proofs.append(
                base64.b64encode(json.dumps(fields | {"number": solution.number}).encode()).decode()
            )
    connection.set_schema_to_public()
    return proofs


def scenarios(category: str, photo: bytes) -> list[Scenario]:
    anonymous = json_with_proof(anonymous_report(category))
    form, form_type = multipart_body(
        anonymous_report(category), [("evidence", "IMG_20260214_093012.jpg", "image/jpeg", photo)]
    )
    return [
        Scenario(
            "json_anonymous",
            f"JSON report, anonymous (POST {REPORTS_PATH})",
            REPORTS_PATH,
            anonymous,
            "application/json",
        ),
        Scenario(
            "json_confidential",
            f"JSON report, confidential: identity and notify e-mail (POST {REPORTS_PATH})",
            REPORTS_PATH,
            json_with_proof(confidential_report(category)),
            "application/json",
        ),
        Scenario(
            MULTIPART,
            f"multipart report with a {len(photo) / 1e6:.2f} MB JPEG (POST {REPORTS_PATH})",
            REPORTS_PATH,
            multipart_with_proof(form, form_type),
            form_type,
        ),
        Scenario(
            ORM_ARRIVAL,
            f"JSON report, anonymous, arrival by ORM inserts in one transaction (POST {ORM_ARRIVAL_PATH})",
            ORM_ARRIVAL_PATH,
            anonymous,
            "application/json",
        ),
        Scenario(
            "ceiling_bare_insert",
            f"ceiling: same JSON body, one row inserted (POST {BARE_PATH})",
            BARE_PATH,
            anonymous,
            "application/json",
        ),
    ]


# --- The server -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_configuration() -> dict[str, Any]:
    """What infra/gunicorn.conf.py resolves to in this environment."""
    values = runpy.run_path(str(GUNICORN_CONFIG))
    return {name: values[name] for name in ("worker_class", "workers", "threads", "keepalive", "accesslog")}


class GunicornServer:
    """Our gunicorn on loopback, against the bench database; stopped by stop()."""

    def __init__(self, *, host: str, database: str, workdir: Path) -> None:
        self.host = host
        self.port = free_port()
        self.media_root = workdir / "media"
        self.log_path = workdir / "gunicorn.log"
        self.environment = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="wbs.benchmarks.bare_settings",
            WBS_PROFILE=settings.PROFILE,
            DATABASE_URL=database,
            REDIS_URL=settings.REDIS_URL,
            WBS_STORAGE="filesystem",
            WBS_MEDIA_ROOT=str(self.media_root),
            SENTRY_DSN="",
            # The proofs this process solves are signed with the key both derive from these.
            SECRET_KEY=settings.SECRET_KEY,
            WBS_PROOF_OF_WORK_MAX_NUMBER=str(BENCH_PROOF_MAX_NUMBER),
        )
        self.process: subprocess.Popen[bytes] | None = None
        self.worker_pids: set[int] = set()

    def start(self, workers: int, timeout: float = 90) -> None:
        if not GUNICORN_CONFIG.is_file():
            raise RuntimeError(f"{GUNICORN_CONFIG} not found: run the bench from a checkout")
        self.media_root.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--config",
                    str(GUNICORN_CONFIG),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "wbs.wsgi:application",
                ],
                env=self.environment,
                cwd=settings.REPO_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        seen = self.worker_pids
        while len(seen) < workers:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"only {len(seen)} of {workers} gunicorn workers answered:\n{self.log_tail()}"
                )
            seen |= self._worker_pids(parallel=2 * workers)

    def _worker_pids(self, parallel: int) -> set[int]:
        """Workers that answered one of ``parallel`` simultaneous requests on fresh connections."""
        pids: set[int] = set()

        def ask() -> None:
            try:
                status, body = request_once(self.port, self.host, "GET", "/bench/pid")
            except OSError:
                time.sleep(0.2)  # not listening yet
                return
            if status == 200:
                pids.add(int(json.loads(body)["pid"]))
            else:
                time.sleep(0.2)

        threads = [threading.Thread(target=ask) for _ in range(parallel)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return pids

    def remove_evidence(self) -> None:
        shutil.rmtree(self.media_root / BENCH_TENANT, ignore_errors=True)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # the master stops its workers gracefully
        try:
            self.process.wait(timeout=35)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def request_once(port: int, host: str, method: str, path: str) -> tuple[int, bytes]:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        client.request(method, path, headers={"Host": host, "Connection": "close"})
        response = client.getresponse()
        return response.status, response.read()
    finally:
        client.close()


# --- The reporters ------------------------------------------------------------------------


@dataclass
class Sample:
    """What one scenario's rounds measured."""

    latencies_s: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    elapsed_s: float = 0.0
    sent: int = 0
    first_error: str = ""
    stopped_by_time_cap: bool = False
    server_cpu_s: float = 0.0
    database_cpu_s: float | None = None
    round_rates: list[float] = field(default_factory=list)  # 2xx answers per second, round by round

    @property
    def errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if not status.startswith("2"))


def drive(
    *, port: int, host: str, scenario: Scenario, count: int, concurrency: int, seconds: float, into: Sample
) -> None:
    """``concurrency`` reporters with a keep-alive connection each send ``count`` requests in all,
    each with a proof of work of its own (solved before the clock starts)."""
    proofs = solved_proofs(count)
    tickets = itertools.count()
    lock = threading.Lock()
    clock: dict[str, float] = {}
    finished: list[float] = []
    headers = {"Host": host, "Content-Type": scenario.content_type, "Accept": "application/json"}

    def started() -> None:
        clock["start"] = time.perf_counter()
        clock["deadline"] = clock["start"] + seconds

    barrier = threading.Barrier(concurrency, action=started)

    def reporter() -> None:
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        latencies: list[float] = []
        statuses: Counter[str] = Counter()
        sent = 0
        first_error = ""
        try:
            # Connection set-up is not measured; a failure shows when the first request reconnects.
            with suppress(OSError):
                client.connect()
            barrier.wait()
            while True:
                with lock:
                    ticket = next(tickets)
                if ticket >= count:
                    break
                if time.perf_counter() > clock["deadline"]:
                    into.stopped_by_time_cap = True
                    break
                sent += 1
                body = scenario.body(proofs[ticket])
                began = time.perf_counter()
                try:
                    client.request("POST", scenario.path, body=body, headers=headers)
                    response = client.getresponse()
                    answer = response.read()
                except (OSError, http.client.HTTPException) as failure:
                    client.close()  # the next request reconnects
                    statuses[type(failure).__name__] += 1
                    first_error = first_error or repr(failure)
                    continue
                took = time.perf_counter() - began
                statuses[str(response.status)] += 1
                if 200 <= response.status < 300:
                    latencies.append(took)
                elif not first_error:
                    first_error = f"{response.status}: {answer[:300].decode(errors='replace')}"
        finally:
            client.close()
            with lock:
                finished.append(time.perf_counter())
                into.latencies_s.extend(latencies)
                into.statuses.update(statuses)
                into.sent += sent
                into.first_error = into.first_error or first_error

    threads = [
        threading.Thread(target=reporter, name=f"reporter-{index}", daemon=True)
        for index in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if "start" in clock:
        into.elapsed_s += max(finished) - clock["start"]


# --- CPU spent, read from /proc: unlike wall time, other load on the machine barely moves it ---


def cpu_seconds(pids: set[int]) -> dict[int, float]:
    ticks = os.sysconf("SC_CLK_TCK")
    times: dict[int, float] = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        times[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return times


def database_backend_pids() -> set[int] | None:
    """The bench database's server processes, when they run on this machine."""
    params = connection.settings_dict
    host = params.get("HOST") or (params.get("OPTIONS") or {}).get("host", "")
    if not Path("/proc/self/stat").exists() or not (
        host.startswith("/") or host in {"", "localhost", "127.0.0.1", "::1"}
    ):
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return {int(pid) for (pid,) in cursor.fetchall()}


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def shares(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if index < total % parts else 0) for index in range(parts)]


def scenario_row(scenario: Scenario, sample: Sample, concurrency: int) -> dict[str, Any]:
    ok = sorted(sample.latencies_s)
    row: dict[str, Any] = {
        "measure": scenario.measure,
        "scenario": scenario.key,
        "concurrency": concurrency,
        "requests": sample.sent,
        "errors": sample.errors,
        "reports_per_s": len(ok) / sample.elapsed_s if sample.elapsed_s else 0.0,
        "p50_ms": 1000 * percentile(ok, 0.50) if ok else None,
        "p99_ms": 1000 * percentile(ok, 0.99) if ok else None,
        "max_ms": 1000 * ok[-1] if ok else None,
        "seconds": sample.elapsed_s,
        "server_cpu_ms_per_request": round(1000 * sample.server_cpu_s / sample.sent, 2)
        if sample.sent
        else None,
        "database_cpu_ms_per_request": (
            round(1000 * sample.database_cpu_s / sample.sent, 2)
            if sample.sent and sample.database_cpu_s is not None
            else None
        ),
    }
    if sample.errors:
        row["error_statuses"] = {
            key: value for key, value in sample.statuses.items() if not key.startswith("2")
        }
        row["first_error"] = sample.first_error
    if sample.stopped_by_time_cap:
        row["stopped_by_time_cap"] = True
    return row


def run(
    *,
    concurrency: int = 16,
    requests: int = 2400,
    multipart_requests: int = 800,
    rounds: int = 5,
    max_seconds: float = 120,
) -> list[dict[str, Any]]:
    multipart_requests = min(multipart_requests, requests)
    rounds = max(1, min(rounds, multipart_requests))
    configuration = server_configuration()
    photo = photo_jpeg()
    workdir = Path(tempfile.mkdtemp(prefix="wbs-bench-intake-"))
    restore = use_bench_database()
    server: GunicornServer | None = None
    try:
        category = prepare_tenant()
        host = primary_hostname(BENCH_TENANT)
        server = GunicornServer(
            host=host, database=database_url_from(connection.settings_dict), workdir=workdir
        )
        started = time.perf_counter()
        server.start(workers=configuration["workers"])
        boot_s = time.perf_counter() - started
        port = server.port
        plan = scenarios(category, photo)
        samples = {scenario.key: Sample() for scenario in plan}

        def send(scenario: Scenario, count: int, reporters: int, into: Sample, seconds: float) -> None:
            drive(
                port=port,
                host=host,
                scenario=scenario,
                count=count,
                concurrency=reporters,
                seconds=seconds,
                into=into,
            )

        # The tenant's first report creates its keys: let that happen once, alone.
        warmup = Sample()
        send(plan[0], 1, 1, warmup, max_seconds)
        for scenario in plan:
            send(scenario, 2 * concurrency, concurrency, warmup, max_seconds)
        server.remove_evidence()

        load_before = os.getloadavg()[0]
        counts = {
            scenario.key: shares(multipart_requests if scenario.key == MULTIPART else requests, rounds)
            for scenario in plan
        }
        for round_index in range(rounds):
            order = plan[round_index % len(plan) :] + plan[: round_index % len(plan)]
            for scenario in order:
                sample = samples[scenario.key]
                backends = database_backend_pids()
                server_before = cpu_seconds(server.worker_pids)
                database_before = cpu_seconds(backends) if backends is not None else {}
                answered_before, elapsed_before = len(sample.latencies_s), sample.elapsed_s
                send(scenario, counts[scenario.key][round_index], concurrency, sample, max_seconds / rounds)
                if sample.elapsed_s > elapsed_before:
                    sample.round_rates.append(
                        (len(sample.latencies_s) - answered_before) / (sample.elapsed_s - elapsed_before)
                    )
                sample.server_cpu_s += spent(server_before, cpu_seconds(server.worker_pids))
                if backends is not None:
                    backends |= database_backend_pids() or set()
                    database = spent(database_before, cpu_seconds(backends))
                    sample.database_cpu_s = (sample.database_cpu_s or 0.0) + database
            server.remove_evidence()
        load_after = os.getloadavg()[0]

        rows = [
            {
                "measure": "setup",
                "server": (
                    f"gunicorn {configuration['worker_class']}, {configuration['workers']} workers x "
                    f"{configuration['threads']} threads, keepalive {configuration['keepalive']} s, "
                    f"access log {configuration['accesslog']} ({GUNICORN_CONFIG.relative_to(settings.REPO_ROOT)})"
                ),
                "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
                "profile": settings.PROFILE,
                "concurrency": concurrency,
                "requests_per_scenario": requests,
                "multipart_requests": multipart_requests,
                "rounds": rounds,
                "time_cap_per_scenario_s": max_seconds,
                "jpeg_bytes": len(photo),
                "server_boot_s": boot_s,
                "warmup_requests": warmup.sent,
                "warmup_errors": warmup.errors,
                "load_average_1m_before_after": f"{load_before:.2f} / {load_after:.2f}",
            }
        ]
        rows += [scenario_row(scenario, samples[scenario.key], concurrency) for scenario in plan]
        rows.append(
            targets(rows[1:], concurrency, {key: sample.round_rates for key, sample in samples.items()})
        )
        if any(row.get("errors") for row in rows[1:-1]) or warmup.errors:
            sys.stderr.write(f"errors during the bench; the server's log ends with:\n{server.log_tail()}\n")
        return rows
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        restore()


def targets(
    rows: list[dict[str, Any]], concurrency: int, round_rates: dict[str, list[float]]
) -> dict[str, Any]:
    by_key = {row["scenario"]: row for row in rows}
    ceiling = by_key["ceiling_bare_insert"]["reports_per_s"]

    def ratio(key: str) -> float:
        return by_key[key]["reports_per_s"] / ceiling if ceiling else 0.0

    def round_ratios(key: str, against: str = "ceiling_bare_insert") -> list[float]:
        return [
            mine / base for mine, base in zip(round_rates[key], round_rates[against], strict=False) if base
        ]

    def cpu_times_ceiling(key: str, against: str = "ceiling_bare_insert") -> float | None:
        mine = by_key[key]["server_cpu_ms_per_request"]
        base = by_key[against]["server_cpu_ms_per_request"]
        return mine / base if mine and base else None

    orm = by_key[ORM_ARRIVAL]["reports_per_s"]
    statement_vs_orm = round_ratios("json_anonymous", against=ORM_ARRIVAL)

    json_keys = ("json_anonymous", "json_confidential")
    measured_with = "" if concurrency == TARGET_CONCURRENCY else f" (measured with {concurrency})"
    worst_p99 = max((by_key[key]["p99_ms"] or float("inf")) for key in json_keys)
    return {
        "measure": "targets",
        "json_anonymous_vs_ceiling": ratio("json_anonymous"),
        "json_confidential_vs_ceiling": ratio("json_confidential"),
        "multipart_vs_ceiling": ratio("multipart_1mb_jpeg"),
        "throughput_target": f"JSON reports/s >= {THROUGHPUT_TARGET} x ceiling",
        "throughput_target_met": min(ratio(key) for key in json_keys) >= THROUGHPUT_TARGET,
        **{
            f"{key}_vs_ceiling_by_round": ", ".join(f"{value:.2f}" for value in round_ratios(key))
            for key in json_keys
        },
        **{
            f"{key}_vs_ceiling_{name}": figure(round_ratios(key)) if round_ratios(key) else None
            for key in json_keys
            for name, figure in (("median_round", statistics.median), ("lowest_round", min))
        },
        "json_anonymous_server_cpu_x_ceiling": cpu_times_ceiling("json_anonymous"),
        "json_confidential_server_cpu_x_ceiling": cpu_times_ceiling("json_confidential"),
        "multipart_server_cpu_x_ceiling": cpu_times_ceiling("multipart_1mb_jpeg"),
        "json_anonymous_orm_arrival_vs_ceiling": ratio(ORM_ARRIVAL),
        "one_statement_vs_orm_arrival": by_key["json_anonymous"]["reports_per_s"] / orm if orm else None,
        "one_statement_vs_orm_arrival_by_round": ", ".join(f"{value:.2f}" for value in statement_vs_orm),
        "one_statement_vs_orm_arrival_median_round": statistics.median(statement_vs_orm)
        if statement_vs_orm
        else None,
        "one_statement_server_cpu_x_orm_arrival": cpu_times_ceiling("json_anonymous", against=ORM_ARRIVAL),
        "json_worst_p99_ms": worst_p99,
        "multipart_p99_ms": by_key["multipart_1mb_jpeg"]["p99_ms"],
        "p99_target": (
            f"JSON p99 <= {P99_TARGET_MS:.0f} ms with {TARGET_CONCURRENCY} concurrent reporters{measured_with}"
        ),
        "p99_target_met": worst_p99 <= P99_TARGET_MS,
        "errors_total": sum(row["errors"] for row in rows),
    }
