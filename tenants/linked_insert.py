"""Insert several new rows that point at each other in one SQL statement.

A report's arrival writes four rows (report, case, its first event, an audit
entry), each pointing at the one before. Through the ORM that is four
statements in a transaction, six round trips to PostgreSQL with BEGIN and
COMMIT, and the per-statement SQL compilation dominated a submission's cost.
Here they become one statement of data-modifying CTEs, which PostgreSQL runs
atomically even outside a transaction block:

    WITH guard AS (SELECT 1 FROM ... WHERE ...),             -- optional precondition
         row0 AS (INSERT INTO a (...) SELECT %s, ... FROM guard RETURNING id),
         row1 AS (INSERT INTO b (a_id, ...) SELECT row0.id, %s, ... FROM row0 RETURNING id)
    SELECT row0.id, row1.id FROM row0, row1

If the guard finds nothing, nothing is inserted and ``PreconditionFailed`` is
raised.

Rows are given as column values, not model instances: building four instances
(a case has 27 fields) cost more than the rest of the statement's preparation.
A column left out takes its field's default, as ``Model()`` would give it, or
the current time for ``auto_now``/``auto_now_add`` ones, as ``save()`` would;
model signals are not sent. The statement's text is
kept per shape (which rows, which columns are NULL, empty or parameters), so the
same text object is executed again and psycopg keeps its parameter dumpers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any
from uuid import UUID

from django.db import connections, models
from django.db.models import (
    BinaryField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKey,
    IntegerField,
    UUIDField,
)
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone

from tenants.db import connection


class PreconditionFailed(Exception):
    """The guard query found no row, so nothing was written."""


@dataclass(eq=False)
class NewRow:
    model: type[models.Model]
    # column -> value; the columns left out take their field's default
    values: dict[str, Any]
    # column -> the earlier NewRow whose id it takes
    links: dict[str, NewRow] = field(default_factory=dict)
    pk: Any = None  # the database's number for the row, once inserted


@dataclass(frozen=True)
class _Column:
    model_field: models.Field[Any, Any]
    name: str
    quoted: str
    placeholder: str  # a typed parameter: "%s::uuid"
    primary_key: bool
    plain_types: frozenset[type]  # values of these types go to psycopg as they are
    default: Callable[[], Any] | None  # None: the constant below
    constant_default: Any


@dataclass(frozen=True)
class _Layout:
    table: str
    columns: tuple[_Column, ...]
    pk_column: str


def _plain_types(model_field: models.Field[Any, Any]) -> frozenset[type]:
    """The types of value that the field's get_db_prep_save hands back unchanged, so they
    can go to psycopg as they are (the call costs a few microseconds, and a report's four
    rows have about sixty columns). Datetimes only when aware: Django makes a naive one
    aware, with a warning."""
    if isinstance(model_field, DateTimeField):
        return frozenset({datetime})
    for field_class, value_type in _PLAIN_VALUE_OF:
        if isinstance(model_field, field_class):
            return frozenset({value_type})
    return frozenset()


_PLAIN_VALUE_OF: tuple[tuple[type[models.Field[Any, Any]], type], ...] = (
    (CharField, str),
    (IntegerField, int),
    (BooleanField, bool),
    (BinaryField, bytes),
    (UUIDField, UUID),
    (DateField, date),
    (ForeignKey, int),  # to an integer primary key
)

# How a column is written into the statement (one entry of a row's shape).
_NULL, _EMPTY, _PARAMETER = "N", "E", "P"


@cache
def _layout(model: type[models.Model]) -> _Layout:
    quote = connection.ops.quote_name
    meta = model._meta
    columns = []
    for model_field in meta.concrete_fields:
        db_type = str(model_field.db_type(connection))
        # Typed, because a parameter in a SELECT list has no column to take its type
        # from; text for character columns so that a length check still applies.
        cast = "text" if db_type.startswith("varchar") else db_type
        default = _default_maker(model_field)
        columns.append(
            _Column(
                model_field=model_field,
                name=model_field.column,
                quoted=quote(model_field.column),
                placeholder=f"%s::{cast}",
                primary_key=model_field.primary_key,
                plain_types=_plain_types(model_field),
                default=default,
                constant_default=model_field.get_default() if default is None else None,
            )
        )
    return _Layout(quote(meta.db_table), tuple(columns), quote(meta.pk.column))


def _default_maker(model_field: models.Field[Any, Any]) -> Callable[[], Any] | None:
    """What makes a left-out column's value each time, or None when its default is a constant."""
    if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
        return timezone.now if isinstance(model_field, DateTimeField) else date.today
    if model_field.default is not NOT_PROVIDED and callable(model_field.default):
        return model_field.get_default
    return None


_statements: dict[tuple[Any, ...], str] = {}


def insert_linked(rows: Sequence[NewRow], *, guard_sql: str = "", guard_params: Sequence[Any] = ()) -> None:
    """Insert ``rows`` in order in one statement; sets each row's ``pk``."""
    db = connections[connection.alias]  # resolved once, not per field
    position = {id(row): index for index, row in enumerate(rows)}
    params: list[Any] = list(guard_params)
    shape: list[Any] = [guard_sql]
    missing = object()
    for row in rows:
        values, links = row.values, row.links
        row_shape: list[Any] = [row.model]
        for column in _layout(row.model).columns:
            if column.name in links:
                row_shape.append(position[id(links[column.name])])
                continue
            value = values.get(column.name, missing)
            if value is missing:
                value = column.constant_default if column.default is None else column.default()
            if column.primary_key and value is None:
                row_shape.append(None)  # the database numbers it
                continue
            if value is not None and (
                type(value) not in column.plain_types or (type(value) is datetime and value.tzinfo is None)
            ):
                value = column.model_field.get_db_prep_save(value, db)
            if value is None:
                row_shape.append(_NULL)
            elif value == "":
                row_shape.append(_EMPTY)
            else:
                row_shape.append(_PARAMETER)
                params.append(value)
        shape.append(tuple(row_shape))
    key = tuple(shape)
    statement = _statements.get(key)
    if statement is None:
        statement = _statements.setdefault(key, _statement_for(key))
    # A prepared statement with parameters bound by the server: parsed and planned once
    # per connection, not once per report (Django's cursors bind client-side and never
    # prepare; DB_PREPARED_STATEMENTS in settings lets psycopg prepare this one). A
    # tenant switch changes search_path, and PostgreSQL re-plans a cached statement
    # whenever search_path differs from the one it was planned under.
    with connection.server_binding_cursor() as cursor, db.wrap_database_errors:
        cursor.execute(statement, params, prepare=True)
        ids = cursor.fetchone()
    if ids is None:
        raise PreconditionFailed(guard_sql)
    for row, pk in zip(rows, ids, strict=True):
        row.pk = pk


def _statement_for(shape: tuple[Any, ...]) -> str:
    """The statement text for one shape: the guard, then each row's model and columns."""
    guard_sql, *row_shapes = shape
    ctes = [f"guard AS ({guard_sql})"] if guard_sql else []
    names = [f"row{index}" for index in range(len(row_shapes))]
    for name, (model, *kinds) in zip(names, row_shapes, strict=True):
        layout = _layout(model)
        sources = ["guard"] if guard_sql else []
        columns: list[str] = []
        expressions: list[str] = []
        for column, kind in zip(layout.columns, kinds, strict=True):
            if kind is None:
                continue
            if isinstance(kind, int):
                source = names[kind]
                expressions.append(f"{source}.id")
                if source not in sources:
                    sources.append(source)
            else:
                # NULL and '' are written into the statement: fewer parameters keep it
                # within the size psycopg caches the parsing of (50 parameters).
                expressions.append({_NULL: "NULL", _EMPTY: "''"}.get(kind, column.placeholder))
            columns.append(column.quoted)
        source_clause = f" FROM {', '.join(sources)}" if sources else ""
        ctes.append(
            f"{name} AS (INSERT INTO {layout.table} ({', '.join(columns)}) "
            f"SELECT {', '.join(expressions)}{source_clause} RETURNING {layout.pk_column} AS id)"
        )
    selected = ", ".join(f"{name}.id" for name in names)
    return f"WITH {', '.join(ctes)} SELECT {selected} FROM {', '.join(names)}"  # noqa: S608 - names from models
