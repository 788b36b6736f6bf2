"""pytest plugin (``-p wbs.pytest_services``): the services the suite talks to.

Loaded before Django's settings are read, so the test profile and an embedded
PostgreSQL and Redis (when none is configured) are in place first.
"""

import os

os.environ["WBS_PROFILE"] = "test"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wbs.settings")

from wbs.local_services import ensure_local_services  # noqa: E402

ensure_local_services(database="wbs")
