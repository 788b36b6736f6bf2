"""Settings of the `wbs bench intake` server only: ``wbs.settings`` with the bench URLconf.

The benchmark's gunicorn runs with ``DJANGO_SETTINGS_MODULE=wbs.benchmarks.bare_settings``;
nothing else names this module, so production settings and URLs are untouched.
"""

from wbs.settings import *  # noqa: F403

ROOT_URLCONF = "wbs.benchmarks.bare_urls"
