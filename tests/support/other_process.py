"""Another process of the same deployment (as a second gunicorn worker or a Celery worker
would be): Python with Django set up against the test database and the same Redis,
running one function of the suite and exiting."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable

from django.conf import settings

from tests.support.live_server import REPO, database_url_of_tests

RUN_ONE_FUNCTION = (
    "import importlib, json, sys\n"
    "import django\n"
    "django.setup()\n"
    "module, name, arguments = json.loads(sys.argv[1])\n"
    "getattr(importlib.import_module(module), name)(*arguments)\n"
)


def in_another_process(function: Callable[..., object], *arguments: str) -> None:
    """Run a module-level ``function(*arguments)`` in a new process; its commits are its own."""
    environment = dict(
        os.environ,
        WBS_PROFILE="test",
        DJANGO_SETTINGS_MODULE="wbs.settings",
        DATABASE_URL=database_url_of_tests(),
        REDIS_URL=settings.REDIS_URL,
        PYTHONPATH=os.pathsep.join([str(REPO), str(REPO / "platform")]),
    )
    call = json.dumps([function.__module__, function.__qualname__, arguments])
    done = subprocess.run(
        [sys.executable, "-c", RUN_ONE_FUNCTION, call],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"{function.__qualname__} failed in the other process:\n{done.stderr}"


def eventually(check: Callable[[], bool], *, within: float = 10.0) -> bool:
    """Whether ``check()`` comes true within ``within`` seconds, asking every 50 ms."""
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
