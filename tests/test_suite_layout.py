"""The suite's own layout: no test module imports another test module or the conftest
(shared helpers are plain modules in tests/support, fixtures are plugins in tests/fixtures)."""

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


def imports_of_test_modules(source: str, package: str = "tests") -> list[str]:
    """The test modules (``tests.test_*``) and conftests a module's source imports, at any depth."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from . import x, from .test_x import y
                base = ".".join([package, base]) if base else package
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            last = name.split(".")[-1]
            if name.startswith("tests.") and (last.startswith("test_") or last == "conftest"):
                found.append(name)
    return sorted(set(found))


def modules_of_the_suite() -> list[Path]:
    return sorted(path for path in TESTS.rglob("*.py") if path.name != "conftest.py")


@pytest.mark.parametrize(
    "source",
    [
        "from tests.test_intake_api import FULL_REPORT",
        "import tests.test_intake_api",
        "from tests.conftest import client_for",
        "from tests import conftest",
        "from tests import test_routing as routing",
        "from .test_routing import x",
        "from . import conftest",
        "def helper():\n    from tests.test_intake_api import api\n",
    ],
)
def test_the_check_finds_every_way_of_importing_a_test_module(source):
    assert imports_of_test_modules(source) != []


def test_the_check_leaves_shared_modules_alone():
    source = (
        "from tests.support.clients import client_for\nfrom tests.factories.casework import CaseFactory\n"
    )
    assert imports_of_test_modules(source) == []


def test_no_module_of_the_suite_imports_a_test_module_or_the_conftest():
    modules = modules_of_the_suite()
    assert len([path for path in modules if path.name.startswith("test_")]) > 30
    offenders = {}
    for path in modules:
        package = ".".join(path.relative_to(TESTS.parent).parent.parts)  # tests, tests.support...
        imported = imports_of_test_modules(path.read_text(), package)
        if imported:
            offenders[str(path.relative_to(TESTS))] = imported
    assert offenders == {}
