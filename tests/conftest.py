"""The suite's fixtures live in per-domain plugins (``tests/fixtures``); helpers that
tests share are plain modules in ``tests/support`` and factories in ``tests/factories``.
No test module imports another one, nor this file (``test_suite_layout.py`` checks)."""

pytest_plugins = [
    "tests.fixtures.tenants",
    "tests.fixtures.operator",
    "tests.fixtures.intake",
    "tests.fixtures.api_fuzzing",
]
