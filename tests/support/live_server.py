"""A real server for browser tests: gunicorn with our shipped configuration,
serving the pytest database (committed data only), on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

from wbs.local_services import database_url_from

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url_of_tests() -> str:
    return database_url_from(connection.settings_dict)


@dataclass
class LiveServer:
    port: int
    log: Path

    def url(self, tenant_slug: str | None, path: str = "/") -> str:
        host = f"{tenant_slug}.{settings.WBS_BASE_DOMAIN}" if tenant_slug else settings.WBS_BASE_DOMAIN
        return f"http://{host}:{self.port}{path}"


@contextmanager
def gunicorn_server(log_dir: Path, media_root: Path) -> Iterator[LiveServer]:
    port = free_port()
    log = log_dir / "gunicorn.log"
    environment = dict(
        os.environ,
        WBS_PROFILE="test",
        DATABASE_URL=database_url_of_tests(),
        WBS_MEDIA_ROOT=str(media_root),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        PYTHONPATH=os.pathsep.join([str(REPO), str(REPO / "platform")]),
    )
    with log.open("w") as output:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                str(REPO / "infra" / "gunicorn.conf.py"),
                "wbs.wsgi:application",
            ],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                probe = urllib.request.Request(
                    f"http://127.0.0.1:{port}/healthz", headers={"Host": "localhost"}
                )
                urllib.request.urlopen(probe, timeout=2)  # noqa: S310 - loopback only
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"gunicorn did not start:\n{log.read_text()}") from None
                time.sleep(0.2)
        yield LiveServer(port=port, log=log)
    finally:
        server.terminate()
        server.wait(timeout=20)


@contextmanager
def chromium_browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own
    # database calls in between are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser
        finally:
            browser.close()
