"""The ``wbs`` command: every Django management command as ``wbs <command>``.

``wbs migrate`` is the platform-wide migration (public schema, template and
every tenant), not Django's single-schema one. With no DATABASE_URL or
REDIS_URL set, an embedded PostgreSQL and Redis are started first.
"""

import os
import sys

ALIASES = {"migrate": "migrate_platform"}
PROFILE_BY_COMMAND = {"demo": "demo", "test": "test"}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "wbs"
    command = argv[1] if len(argv) > 1 else "help"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wbs.settings")
    # A machine with no database configured is a laptop running the demo;
    # a deployment sets DATABASE_URL and gets the production profile.
    local_default = "production" if os.environ.get("DATABASE_URL") else "demo"
    os.environ.setdefault("WBS_PROFILE", PROFILE_BY_COMMAND.get(command, local_default))
    if command not in {"help", "--help", "-h", "version", "--version"}:
        from wbs.local_services import ensure_local_services

        ensure_local_services()
    if command in ALIASES:
        argv[1] = ALIASES[command]

    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
