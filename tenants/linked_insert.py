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
model signals are not sent.

What only depends on which columns a row is given (its plan: the constant
defaults of the others, written into the statement) is worked out once, so
each insert only converts the given values. The statement's text is kept too,
so the very same text object is executed again and psycopg keeps its parameter
dumpers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS, connections, models
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
from django.utils import timezone

from tenants.db import tenant_connection


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
    quoted: str
    placeholder: str  # a typed parameter: "%s::uuid"
    plain_type: type | None  # values of this type go to psycopg as they are

    def value_for_database(self, value: Any, db: Any) -> Any:
        kind = type(value)
        if value is None or (kind is self.plain_type and (kind is not datetime or value.tzinfo is not None)):
            return value
        return self.model_field.get_db_prep_save(value, db)


@dataclass(frozen=True, eq=False)
class _RowPlan:
    """How a row of one model is written, given values for these columns and links for those."""

    table: str
    pk_column: str
    given: tuple[_Column, ...]  # in the order of the row's values
    made: tuple[tuple[_Column, Callable[[], Any]], ...]  # left out, a new default each time (now)
    fixed_columns: tuple[str, ...]  # left out, a constant default...
    fixed_expressions: tuple[str, ...]  # ...written into the statement, or a placeholder for:
    fixed_params: tuple[Any, ...]
    link_columns: tuple[str, ...]  # in the order of the row's links

    def sql(self, name: str, sources: list[str], linked: Sequence[str]) -> str:
        columns = [column.quoted for column in self.given] + [column.quoted for column, _ in self.made]
        expressions = [column.placeholder for column in self.given] + [c.placeholder for c, _ in self.made]
        columns += [*self.fixed_columns, *self.link_columns]
        expressions += [*self.fixed_expressions, *(f"{source}.id" for source in linked)]
        from_clause = f" FROM {', '.join(sources)}" if sources else ""
        return (
            f"{name} AS (INSERT INTO {self.table} ({', '.join(columns)}) "
            f"SELECT {', '.join(expressions)}{from_clause} RETURNING {self.pk_column} AS id)"
        )


def _plain_type(model_field: models.Field[Any, Any]) -> type | None:
    """The type of value that the field's get_db_prep_save hands back unchanged, so it can
    go to psycopg as it is (the call costs a few microseconds, and a report's four rows
    have about sixty columns). Datetimes only when aware: Django makes a naive one aware,
    with a warning."""
    for field_class, value_type in _PLAIN_VALUE_OF:
        if isinstance(model_field, field_class):
            return value_type
    return None


# The first class that matches counts: a DateTimeField is a DateField too.
_PLAIN_VALUE_OF: tuple[tuple[type[models.Field[Any, Any]], type], ...] = (
    (DateTimeField, datetime),
    (CharField, str),
    (IntegerField, int),
    (BooleanField, bool),
    (BinaryField, bytes),
    (UUIDField, UUID),
    (DateField, date),
    (ForeignKey, int),  # to an integer primary key
)


def _default_maker(model_field: models.Field[Any, Any]) -> Callable[[], Any] | None:
    """What makes a left-out column's value each time, or None when its default is a constant."""
    if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
        return timezone.now if isinstance(model_field, DateTimeField) else date.today
    if model_field.has_default() and callable(model_field.default):
        return model_field.get_default
    return None


def _literal(value: Any) -> str | None:
    """A constant as SQL text, for the few kinds that need no quoting; None for the rest."""
    if value is None:
        return "NULL"
    if value == "" and isinstance(value, str):
        return "''"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if type(value) is int:
        return str(value)
    return None


@cache
def _plan(model: type[models.Model], given: tuple[str, ...], links: tuple[str, ...]) -> _RowPlan:
    db = connections[DEFAULT_DB_ALIAS]
    quote = db.ops.quote_name
    meta = model._meta
    by_column = {model_field.column: model_field for model_field in meta.concrete_fields}
    unknown = set(given) - set(by_column)
    twice = set(given) & set(links)
    if unknown or twice:
        raise ValueError(f"{meta.label}: unknown columns {sorted(unknown)}, given and linked {sorted(twice)}")

    def column(model_field: models.Field[Any, Any]) -> _Column:
        db_type = str(model_field.db_type(db))
        # Typed, because a parameter in a SELECT list has no column to take its type
        # from; text for character columns so that a length check still applies.
        cast = "text" if db_type.startswith("varchar") else db_type
        return _Column(model_field, quote(model_field.column), f"%s::{cast}", _plain_type(model_field))

    made: list[tuple[_Column, Callable[[], Any]]] = []
    fixed_columns: list[str] = []
    fixed_expressions: list[str] = []
    fixed_params: list[Any] = []
    for name, model_field in by_column.items():
        if name in given or name in links:
            continue
        maker = _default_maker(model_field)
        if maker is not None:
            made.append((column(model_field), maker))
            continue
        value = model_field.get_default()
        if model_field.primary_key and value is None:
            continue  # the database numbers it
        literal = _literal(value)
        fixed_columns.append(quote(name))
        if literal is None:
            fixed_expressions.append(column(model_field).placeholder)
            fixed_params.append(model_field.get_db_prep_save(value, db))
        else:
            fixed_expressions.append(literal)
    return _RowPlan(
        table=quote(meta.db_table),
        pk_column=quote(meta.pk.column),
        given=tuple(column(by_column[name]) for name in given),
        made=tuple(made),
        fixed_columns=tuple(fixed_columns),
        fixed_expressions=tuple(fixed_expressions),
        fixed_params=tuple(fixed_params),
        link_columns=tuple(quote(name) for name in links),
    )


_statements: dict[tuple[Any, ...], str] = {}


def insert_linked(rows: Sequence[NewRow], *, guard_sql: str = "", guard_params: Sequence[Any] = ()) -> None:
    """Insert ``rows`` in order in one statement; sets each row's ``pk``."""
    db = tenant_connection()
    position = {id(row): index for index, row in enumerate(rows)}
    params: list[Any] = list(guard_params)
    shape: list[Any] = [guard_sql]
    for row in rows:
        plan = _plan(row.model, tuple(row.values), tuple(row.links))
        for column, value in zip(plan.given, row.values.values(), strict=True):
            params.append(column.value_for_database(value, db))
        for column, maker in plan.made:
            params.append(column.value_for_database(maker(), db))
        params.extend(plan.fixed_params)
        shape.append((plan, tuple(position[id(target)] for target in row.links.values())))
    key = tuple(shape)
    statement = _statements.get(key)
    if statement is None:
        statement = _statements.setdefault(key, _statement_for(key))
    # Bound by the server, so that psycopg prepares it (OPTIONS["prepare_threshold"]):
    # parsed and planned once per connection, not once per report. A tenant switch
    # changes search_path, and PostgreSQL re-plans a cached statement whenever
    # search_path differs from the one it was planned under.
    cursor = db.server_binding_cursor()  # kept open for the connection's next arrival
    cursor.execute(statement, params)
    ids = cursor.fetchone()
    if ids is None:
        raise PreconditionFailed(guard_sql)
    for row, pk in zip(rows, ids, strict=True):
        row.pk = pk


def _statement_for(shape: tuple[Any, ...]) -> str:
    """The statement text for one shape: the guard, then each row's plan and links."""
    guard_sql, *row_shapes = shape
    ctes = [f"guard AS ({guard_sql})"] if guard_sql else []
    names = [f"row{index}" for index in range(len(row_shapes))]
    for name, (plan, linked_positions) in zip(names, row_shapes, strict=True):
        linked = [names[position] for position in linked_positions]
        sources = (["guard"] if guard_sql else []) + list(dict.fromkeys(linked))
        ctes.append(plan.sql(name, sources, linked))
    selected = ", ".join(f"{name}.id" for name in names)
    return f"WITH {', '.join(ctes)} SELECT {selected} FROM {', '.join(names)}"  # noqa: S608 - names from models
