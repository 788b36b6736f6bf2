"""Fuzzing our own APIs in-process: the OpenAPI schema a host serves, loaded from the
WSGI application itself (schemathesis), requests generated from it (schemathesis's
positive and negative cases) and malformed ones the schema does not describe
(hypothesis strategies of our own), each sent through the WSGI application.

Nothing here names an endpoint: which caller an operation needs is read from its
``security`` in the schema, and the real objects to aim at are read from the list
operation the schema documents at the parent path."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import strategies as st
from schemathesis import GenerationMode
from werkzeug.test import Client as WSGIClient

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ANYONE = ""  # the security requirement ``{}``: no credentials needed


# --- Who calls -------------------------------------------------------------------------------


@dataclass
class Credentials:
    """What one caller sends with every request: the host it talks to, headers, cookies."""

    host: str
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)

    def environ_headers(self) -> dict[str, str]:
        headers = {"Host": self.host, **self.headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return headers


def browser_credentials(client: Client, host: str) -> Credentials:
    """A signed-in test client's session as a browser sends it with an API call: its
    cookies, and the CSRF token its pages carry (unsafe methods need it)."""
    page = client.get("/", HTTP_HOST=host)
    token = CSRF_FIELD.search(page.content.decode(errors="replace"))
    assert token, f"no page with a CSRF token on {host}"
    header = settings.CSRF_HEADER_NAME.removeprefix("HTTP_").replace("_", "-")
    return Credentials(
        host=host,
        headers={header: token.group(1)},
        cookies={name: morsel.value for name, morsel in client.cookies.items()},
    )


def security_schemes(operation: Any) -> set[str]:
    """The security schemes an operation accepts (ANYONE: it needs none)."""
    requirements = operation.definition.raw.get("security")
    if requirements is None:
        requirements = operation.schema.raw_schema.get("security", [{}])
    schemes = {name for requirement in requirements for name in requirement}
    return schemes | ({ANYONE} if {} in requirements else set())


def caller_for(operation: Any, callers: dict[str, Credentials]) -> Credentials:
    """The credentials of the first scheme the operation accepts that we have a caller for
    (an operation open to anyone is called by whoever is listed under ANYONE)."""
    accepted = security_schemes(operation)
    for scheme, credentials in callers.items():
        if scheme in accepted:
            return credentials
    raise AssertionError(f"{operation.label}: no caller for {sorted(accepted)}")


# --- Sending, in-process ---------------------------------------------------------------------


@contextmanager
def connection_kept_open() -> Iterator[None]:
    """The test's transaction survives the request: Django's own test client does the
    same (a request would otherwise end with closing the test's database connection)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@dataclass
class Answer:
    status: int
    content_type: str
    content: bytes


def load_schema(application: Any, host: str) -> Any:
    """The OpenAPI schema ``host`` serves, asked of the application itself."""
    with connection_kept_open():
        return schemathesis.openapi.from_wsgi(
            "/api/schema/?format=json", application, headers={"Host": host, "Accept": "application/json"}
        )


def send_case(case: Any, credentials: Credentials) -> Answer:
    """A schemathesis case through the WSGI application, as ``credentials``' caller."""
    headers = {"Host": credentials.host, **credentials.headers}
    with connection_kept_open():
        response = case.call(headers=headers, cookies=credentials.cookies)
    return Answer(response.status_code, response.headers.get("content-type", [""])[0], response.content)


def send_raw(
    application: Any,
    credentials: Credentials,
    *,
    method: str,
    path: str,
    query: str = "",
    body: bytes = b"",
    content_type: str | None = None,
) -> Answer:
    """Bytes as they are, through the WSGI application (what the schema cannot describe)."""
    headers = credentials.environ_headers()
    if content_type is not None:
        headers["Content-Type"] = content_type
    with connection_kept_open():
        response = WSGIClient(application, use_cookies=False).open(
            path=path, method=method, query_string=query, data=body, headers=headers
        )
        content = response.get_data()
        response.close()
    return Answer(response.status_code, response.headers.get("Content-Type", ""), content)


# --- What every answer must be ---------------------------------------------------------------


def answer_problem(answer: Answer) -> str | None:
    """None if the answer is no server error and, for a 4xx, has the APIs' one error shape:
    JSON ``{"detail": text, "errors": {field: text}}`` (errors optional)."""
    if answer.status >= 500:
        return f"server error {answer.status}"
    if not 400 <= answer.status < 500:
        return None
    if not answer.content_type.startswith("application/json"):
        return f"{answer.status} answered as {answer.content_type!r}, not JSON"
    try:
        body = json.loads(answer.content)
    except ValueError:
        return f"{answer.status} whose body is not JSON"
    if not isinstance(body, dict) or not isinstance(body.get("detail"), str):
        return f"{answer.status} without a text 'detail'"
    errors = body.get("errors", {})
    if not isinstance(errors, dict) or not all(
        isinstance(name, str) and isinstance(message, str) for name, message in errors.items()
    ):
        return f"{answer.status} whose 'errors' is not {{field: text}}"
    return None


@dataclass
class RequestTally:
    """How many requests the fuzz tests sent, by API and by status class."""

    by_api: Counter[str] = field(default_factory=Counter)
    by_status: Counter[str] = field(default_factory=Counter)

    def count(self, api: str, status: int) -> None:
        self.by_api[api] += 1
        self.by_status[f"{status // 100}xx"] += 1

    def total(self) -> int:
        return sum(self.by_api.values())

    def summary(self) -> str:
        return ", ".join(
            f"{key}: {value}" for key, value in [*self.by_api.items(), *sorted(self.by_status.items())]
        )


# --- Real objects to aim at ------------------------------------------------------------------


def parent_list(operation: Any) -> str | None:
    """The path of the collection an operation on one object belongs to."""
    if "{" not in operation.path:
        return None
    return operation.path.split("{", 1)[0].rstrip("/")


def known_path_values(schema: Any, application: Any, callers: dict[str, Credentials]) -> dict[str, list]:
    """For each collection the schema lists, the values its items have under the name of
    the path parameter that picks one of them (``id`` for ``/cases/{id}``)."""
    found: dict[str, list] = {}
    for operation in operations_of(schema):
        collection = parent_list(operation)
        if collection is None or collection in found:
            continue
        found[collection] = []
        lister = next(
            (other for other in operations_of(schema) if other.path == collection and other.method == "get"),
            None,
        )
        if lister is None:
            continue
        answer = send_raw(application, caller_for(lister, callers), method="GET", path=collection)
        items = json.loads(answer.content) if answer.status == 200 else []
        if isinstance(items, dict):
            items = items.get("results", [])
        name = re.findall(r"{(\w+)}", operation.path)[0]
        found[collection] = [item[name] for item in items if isinstance(item, dict) and name in item]
    return found


def operations_of(schema: Any) -> list[Any]:
    return [result.ok() for result in schema.get_all_operations()]


# --- What to send ----------------------------------------------------------------------------

DEEP = 100_000  # far deeper than any JSON decoder goes
NESTED_ARRAYS = "[" * DEEP + "]" * DEEP
NESTED_OBJECTS = '{"a":' * DEEP + "1" + "}" * DEEP

# Ids and numbers as no schema would describe them: other scripts' digits, beyond any
# integer column, beyond float, and text that int() or float() would still read.
ODD_NUMBERS = [
    "١٢٣",  # Arabic-Indic
    "１２３",  # fullwidth
    "²",
    "߁",  # NKo digit one
    "9" * 30,
    "9223372036854775808",
    "-9223372036854775809",
    "9" * 5000,  # longer than int() reads
    "1e400",
    "-1e400",
    "NaN",
    "Infinity",
    "0x10",
    " 12 ",
    "1_000",
    "-0",
    "0",
    "1.5",
]
ODD_TEXT = ["\x00", "a\x00b", "\u202e", "%00", "../x", "{{7*7}}", "[" * 2000]
HUGE_TEXT = ["x" * 100_000, "\u4e00" * 50_000]
ODD_JSON_NUMBERS = [
    "1e400",
    "-1e400",
    "1" * 500,
    "-" + "9" * 30,
    "1.0e-400",
    "123456789012345678901234567890.5",
]


def odd_in_url() -> st.SearchStrategy[str]:
    """An odd id or query value, no longer than a URL a server takes."""
    return st.sampled_from(ODD_NUMBERS + ODD_TEXT)


def odd_value() -> st.SearchStrategy[str]:
    """An odd value of a body's member (form fields carry JSON as text: nested ones too)."""
    return st.sampled_from(ODD_NUMBERS + ODD_TEXT + HUGE_TEXT + [NESTED_ARRAYS, NESTED_OBJECTS])


def odd_json_value() -> st.SearchStrategy[str]:
    """A JSON value (as text) that decoders and number fields choke on."""
    return st.one_of(
        st.sampled_from(ODD_JSON_NUMBERS + ["[" * 5000 + "]" * 5000, NESTED_ARRAYS, NESTED_OBJECTS]),
        st.sampled_from(ODD_NUMBERS + ODD_TEXT + HUGE_TEXT).map(json.dumps),
    )


def body_members(operation: Any) -> list[str]:
    """The members the operation's request body documents (any media type)."""
    request_body = operation.definition.raw.get("requestBody", {})
    members: list[str] = []
    for content in request_body.get("content", {}).values():
        schema = resolve(operation.schema.raw_schema, content.get("schema", {}))
        members.extend(name for name in schema.get("properties", {}) if name not in members)
    return members


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def query_names(operation: Any) -> list[str]:
    return [item["name"] for item in operation.definition.raw.get("parameters", []) if item["in"] == "query"]


@dataclass
class RawRequest:
    method: str
    path: str
    query: str
    body: bytes
    content_type: str | None
    names_no_object: bool  # an id in the path that is no id: nothing may be found by it

    def __repr__(self) -> str:
        body = self.body[:200] + (b"..." if len(self.body) > 200 else b"")
        return f"{self.method} {self.path[:200]}?{self.query[:200]} [{self.content_type}] {body!r}"


def fill_path(operation: Any, values: dict[str, Any]) -> str:
    return re.sub(r"{(\w+)}", lambda match: quote(str(values[match.group(1)]), safe=""), operation.path)


OVER_THE_BODY_LIMIT = "[" + "1," * 600_000 + "1]"  # more than DATA_UPLOAD_MAX_MEMORY_SIZE
TOO_MANY_FIELDS = "&".join(f"f{number}=1" for number in range(2000))  # DATA_UPLOAD_MAX_NUMBER_FIELDS
WHOLE_BODIES = [
    NESTED_ARRAYS,
    NESTED_OBJECTS,
    OVER_THE_BODY_LIMIT,
    "1e400",
    "[]",
    '"x"',
    "null",
    "",
    "{",
    "\ufeff{}",
]
WRONG_CONTENT_TYPES = [
    "text/plain",
    "application/xml",
    "application/json; charset=latin-1",
    "application/json; charset=nope",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "",
    "*/*",
]


OTHER_ZEROS = "٠０०߀"  # Arabic-Indic, fullwidth, Devanagari, NKo


def in_other_digits(value: Any) -> str:
    """``12`` as ``١٢`` (int() reads both alike; an id is ASCII digits only)."""
    zero = OTHER_ZEROS[sum(map(ord, str(value))) % len(OTHER_ZEROS)]
    return str(value).translate({ord(str(digit)): chr(ord(zero) + digit) for digit in range(10)})


def always_tried(operation: Any, known: dict[str, list]) -> list[RawRequest]:
    """The malformed requests every operation gets, whatever hypothesis draws: a real
    object's id in other scripts' digits; bodies nested too deep, over the upload limits,
    and a form field carrying JSON nested too deep."""
    names = re.findall(r"{(\w+)}", operation.path)
    real = known.get(parent_list(operation) or "", [])
    method = operation.method.upper()
    tried = []
    if names and real:
        path = fill_path(operation, {name: in_other_digits(real[0]) for name in names})
        tried.append(RawRequest(method, path, "", b"", None, True))
    if "requestBody" in operation.definition.raw:
        path = fill_path(operation, {name: real[0] if real else 1 for name in names})
        member = (body_members(operation) or ["body"])[0]
        for body, content_type in [
            (NESTED_ARRAYS, "application/json"),
            ("{" + json.dumps(member) + ": " + NESTED_OBJECTS + "}", "application/json"),
            (OVER_THE_BODY_LIMIT, "application/json"),
            (TOO_MANY_FIELDS, "application/x-www-form-urlencoded"),
            (urlencode({member: NESTED_ARRAYS}), "application/x-www-form-urlencoded"),
        ]:
            tried.append(RawRequest(method, path, "", body.encode(), content_type, False))
    return tried


@st.composite
def malformed_requests(draw: Any, operation: Any, known: dict[str, list]) -> RawRequest:
    """One request to ``operation`` that the schema does not describe: odd ids in the
    path, odd values in the query, bodies nested too deep, numbers beyond range, NUL,
    huge text, bodies over the upload limits or not what their content type says."""
    names = re.findall(r"{(\w+)}", operation.path)
    real = known.get(parent_list(operation) or "", [])
    aim = draw(st.sampled_from(["real", "real in other digits", "odd"] if real else ["odd"]))
    ids = {"real": st.sampled_from(real), "real in other digits": st.sampled_from(real).map(in_other_digits)}
    values = {name: draw(ids.get(aim, odd_in_url())) for name in names}
    path = fill_path(operation, values)
    query_names_drawn = draw(
        st.lists(st.sampled_from(query_names(operation) + ["id", "page", "format"]), max_size=3)
    )
    query = urlencode([(name, draw(odd_in_url())) for name in query_names_drawn])
    method = operation.method.upper()
    odd_path = bool(names) and aim != "real"
    if "requestBody" not in operation.definition.raw:
        return RawRequest(method, path, query, b"", None, odd_path)
    member = draw(st.sampled_from(body_members(operation) or ["body"]))
    kind = draw(st.sampled_from(["json-member", "json-whole", "form", "multipart", "wrong-type"]))
    if kind == "json-member":
        text = "{" + json.dumps(member) + ": " + draw(odd_json_value()) + "}"
        return RawRequest(method, path, query, text.encode(), "application/json", odd_path)
    if kind == "json-whole":
        whole = draw(st.sampled_from(WHOLE_BODIES)).encode(draw(st.sampled_from(["utf-8", "utf-16"])))
        return RawRequest(method, path, query, whole, "application/json", odd_path)
    value = draw(odd_value())
    if kind == "form":
        body = draw(
            st.sampled_from(
                [
                    f"{quote(member)}={quote(value, safe='')}",
                    f"{quote(member)}=x&y=%ZZ%FF%C0",
                    TOO_MANY_FIELDS,
                ]
            )
        )
        return RawRequest(method, path, query, body.encode(), "application/x-www-form-urlencoded", odd_path)
    if kind == "multipart":
        boundary = "fuzzboundary"
        part = f'--{boundary}\r\nContent-Disposition: form-data; name="{member}"\r\n\r\n{value}\r\n--{boundary}--\r\n'
        return RawRequest(
            method, path, query, part.encode(), f"multipart/form-data; boundary={boundary}", odd_path
        )
    content_type = draw(st.sampled_from(WRONG_CONTENT_TYPES))
    return RawRequest(method, path, query, json.dumps({member: value}).encode(), content_type, odd_path)


def schema_cases(operation: Any, known: dict[str, list]) -> st.SearchStrategy[Any]:
    """schemathesis's cases for the operation, valid and invalid, some aimed at real objects."""
    real = known.get(parent_list(operation) or "", [])
    names = re.findall(r"{(\w+)}", operation.path)
    modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    strategies = [operation.as_strategy(mode) for mode in modes]
    if real:
        strategies += [st.sampled_from(real).flatmap(aimed_at(operation, names, mode)) for mode in modes]
    return st.one_of(strategies)


def aimed_at(operation: Any, names: list[str], mode: GenerationMode) -> Any:
    """Cases whose path names a real object (its id in every path parameter)."""
    return lambda value: operation.as_strategy(mode, path_parameters={name: value for name in names})
