"""The deployment as production runs it: requests answered by a new process that loads
the settings with ``WBS_PROFILE=production`` (against the test database and Redis)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from typing import Any

from django.conf import settings

from tests.support.live_server import REPO, database_url_of_tests

ANSWER_REQUESTS = (
    "import json, sys\n"
    "import django\n"
    "django.setup()\n"
    "from django.conf import settings\n"
    "from django.test import Client\n"
    "answers = []\n"
    "for host, path, secure in json.loads(sys.argv[1]):\n"
    "    response = Client(HTTP_HOST=host).get(path, secure=secure)\n"
    "    answers.append({'status': response.status_code, 'headers': dict(response.headers)})\n"
    "names = ['SESSION_COOKIE_NAME', 'CSRF_COOKIE_NAME', 'WBS_MAILBOX_COOKIE_NAME', 'SESSION_COOKIE_SECURE',\n"
    "         'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_AGE', 'SECURE_SSL_REDIRECT']\n"
    "print(json.dumps({'answers': answers, 'settings': {name: getattr(settings, name) for name in names}}))\n"
)


def in_production(requests: list[tuple[str, str, bool]]) -> dict[str, Any]:
    """Each ``(host, path, over_https)`` answered in production; and the cookie settings."""
    environment = dict(
        os.environ,
        WBS_PROFILE="production",
        DJANGO_SETTINGS_MODULE="wbs.settings",
        SECRET_KEY="production-profile-under-test",
        WBS_KEY_ENCRYPTION_KEYS=base64.b64encode(b"k" * 32).decode(),
        DATABASE_URL=database_url_of_tests(),
        REDIS_URL=settings.REDIS_URL,
        WBS_DATA_DIR=str(settings.DATA_DIR),
        PYTHONPATH=os.pathsep.join([str(REPO), str(REPO / "platform")]),
    )
    done = subprocess.run(
        [sys.executable, "-c", ANSWER_REQUESTS, json.dumps(requests)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])
