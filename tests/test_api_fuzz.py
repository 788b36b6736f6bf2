"""No request, however malformed, gets a 5xx from any of the three APIs, and every 4xx
has the one error shape (``{"detail": text, "errors": {field: text}}``).

The requests are generated from the OpenAPI schema each host serves (schemathesis, valid
and invalid cases, some aimed at real objects) and by our own strategies for what the
schema cannot describe (tests/support/api_fuzzing.py): ids in other scripts' digits or
beyond any integer, numbers beyond float, JSON nested deeper than any decoder goes (in a
body and in a form field that carries JSON), NUL, huge text, bodies that are not what
their content type says. Everything runs in-process through the WSGI application, with
a fixed budget of examples per operation and derandomised generation, so that every run
sends the same requests. ``pytest -m fuzz`` runs these alone; the count of requests is
printed at the end of the run."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.api_fuzzing import (
    ANYONE,
    Answer,
    Credentials,
    RawRequest,
    RequestTally,
    always_tried,
    answer_problem,
    caller_for,
    known_path_values,
    load_schema,
    malformed_requests,
    operations_of,
    schema_cases,
    security_schemes,
    send_case,
    send_raw,
)
from wbs.wsgi import application

pytestmark = pytest.mark.fuzz

EXAMPLES_PER_OPERATION = 25
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
REPORTER_SCHEMES = {"reporterSession", ANYONE}


def fuzz_operations(
    operations: list[Any], callers: dict[str, Credentials], api: str, tally: RequestTally, known: dict
) -> list[str]:
    """Every operation, EXAMPLES_PER_OPERATION requests each; the problems found."""
    problems: dict[str, str] = {}
    for operation in operations:
        fuzz_operation(
            operation,
            caller_for(operation, callers),
            known,
            problems,
            lambda status: tally.count(api, status),
        )
    return [f"{problem}\n  {example}" for problem, example in problems.items()]


def fuzz_operation(
    operation: Any, credentials: Credentials, known: dict, problems: dict[str, str], count: Any
) -> None:
    def judge(answer: Answer, shown: str, names_no_object: bool = False) -> None:
        count(answer.status)
        problem = answer_problem(answer)
        if names_no_object and answer.status < 300:
            problem = f"{answer.status} for a path whose id is no id"
        if problem:
            problems.setdefault(f"{operation.label}: {problem}", f"{shown}\n  -> {answer.content[:300]!r}")

    for request in always_tried(operation, known):
        judge(send(request, credentials), repr(request), request.names_no_object)

    @FUZZ_SETTINGS
    @given(
        st.one_of(
            schema_cases(operation, known).map(lambda case: ("case", case)),
            malformed_requests(operation, known).map(lambda raw: ("raw", raw)),
        )
    )
    def one_request(drawn: tuple[str, Any]) -> None:
        kind, request = drawn
        if kind == "case":
            shown = f"{request.method} {request.formatted_path} {request.query} {str(request.body)[:300]}"
            judge(send_case(request, credentials), shown)
        else:
            judge(send(request, credentials), repr(request), request.names_no_object)

    one_request()


def send(request: RawRequest, credentials: Credentials) -> Answer:
    return send_raw(
        application,
        credentials,
        method=request.method,
        path=request.path,
        query=request.query,
        body=request.body,
        content_type=request.content_type,
    )


def test_the_reporter_api_answers_every_request_with_no_server_error_and_one_error_shape(
    tenant_callers, fuzz_tally
):
    schema = load_schema(application, tenant_callers[ANYONE].host)
    reporter_operations = [op for op in operations_of(schema) if security_schemes(op) & REPORTER_SCHEMES]
    assert reporter_operations
    problems = fuzz_operations(reporter_operations, tenant_callers, "reporter API", fuzz_tally, {})
    assert not problems, "\n".join(problems)


def test_the_staff_api_answers_every_request_with_no_server_error_and_one_error_shape(
    tenant_callers, fuzz_tally
):
    schema = load_schema(application, tenant_callers[ANYONE].host)
    staff_operations = [op for op in operations_of(schema) if not security_schemes(op) & REPORTER_SCHEMES]
    assert staff_operations
    staff = {"cookieAuth": tenant_callers["cookieAuth"]}
    known = known_path_values(schema, application, staff)
    assert all(known.values()), known  # every collection has an object to aim at
    problems = fuzz_operations(staff_operations, staff, "staff API", fuzz_tally, known)
    assert not problems, "\n".join(problems)


def test_the_operator_api_answers_every_request_with_no_server_error_and_one_error_shape(
    operator_callers, fuzz_tally
):
    schema = load_schema(application, operator_callers[ANYONE].host)
    operations = operations_of(schema)
    assert operations
    known = known_path_values(schema, application, operator_callers)
    problems = fuzz_operations(operations, operator_callers, "operator API", fuzz_tally, known)
    assert not problems, "\n".join(problems)
