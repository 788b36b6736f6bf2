"""Every page whose URL names an object (a case, a category, a staff member, a request,
a tenant, a link's token) answers an id that is no id (digits of other scripts, numbers
beyond any integer column, text int() cannot read) with a 4xx, never a 500 and never
the object: for staff signed in with every role, for reporters and for the operator.

The routes are read from the URL confs, so pages added later are covered too (the APIs
are fuzzed from their schemas in test_api_fuzz.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tenants.accounts.models import StaffRole
from tests.factories.accounts import StaffFactory
from tests.support.casework import LetterCaseFactory
from tests.support.clients import client_for, staff_client
from wbs.demo.seed_tenants import DEMO_PASSWORD

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def in_arabic_indic(number: int) -> str:
    return str(number).translate({ord(str(digit)): chr(0x660 + digit) for digit in range(10)})


def odd_ids(real_id: int) -> list[str]:
    return [
        in_arabic_indic(real_id),
        str(real_id).translate({ord(str(digit)): chr(0xFF10 + digit) for digit in range(10)}),
        "٧",
        "9" * 30,
        "9223372036854775808",
        "9" * 5000,  # more digits than int() reads
        "%00",
    ]


def routes_with_parameters(urlconf: str) -> list[str]:
    """Every route of the URL conf that names something, outside the API."""
    found: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and PARAMETER.search(route) and not route.startswith("api/"):
                found.append(route)

    walk(get_resolver(urlconf).url_patterns, "")
    return found


def wrong_answers(client: Any, route: str, value: str) -> list[tuple[str, str, int]]:
    """GET and POST with ``value`` in every parameter of ``route``: those not answered with
    a 4xx (or, for someone not signed in, the way to sign in)."""
    client.raise_request_exception = False
    path = "/" + PARAMETER.sub(value, route)
    wrong = []
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        to_sign_in = response.status_code == 302 and "/login/" in response["Location"]
        if response.status_code not in (400, 403, 404, 405) and not to_sign_in:
            wrong.append((method, path[:80], response.status_code))
    return wrong


def test_the_route_reading_finds_the_pages_that_name_objects():
    tenant_routes = routes_with_parameters("wbs.urls_tenant")
    assert "staff/kasus/<str:reference>/" in tenant_routes
    assert "staff/bukti/<str:token>/" in tenant_routes
    assert routes_with_parameters("wbs.urls_public") == [
        "tenants/<slug:slug>/",
        "tenants/<slug:slug>/undangan/",
    ]


@pytest.mark.parametrize("who", ["staff", "reporter"])
def test_a_tenant_page_given_an_id_that_is_no_id_answers_4xx(sukabumi, who):
    case = LetterCaseFactory()
    case_id = case.pk
    StaffFactory(
        tenant=sukabumi,
        email="semua-peran@sukabumi.example",
        roles=list(StaffRole.values),
        password=DEMO_PASSWORD,
    )

    def caller() -> Any:
        # A new session for each page: some end the one they are given (an invitation link).
        return (
            staff_client(sukabumi, "semua-peran@sukabumi.example") if who == "staff" else client_for(sukabumi)
        )

    assert caller().get(f"/staff/kasus/{case.reference}/").status_code == (200 if who == "staff" else 302)
    wrong = []
    for route in routes_with_parameters("wbs.urls_tenant"):
        client = caller()
        for value in odd_ids(case_id):
            wrong += wrong_answers(client, route, value)
    assert not wrong, wrong


def test_a_console_page_given_a_name_that_is_no_tenant_answers_4xx(operator_client):
    wrong = []
    for route in routes_with_parameters("wbs.urls_public"):
        for value in [*odd_ids(1), "x" * 300, "sukabumi%00"]:
            wrong += wrong_answers(operator_client, route, value)
    assert not wrong, wrong
