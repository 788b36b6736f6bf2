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
raised. Values go through each field's own ``pre_save``/``get_db_prep_save``,
as ``Model.save()`` would; model signals are not sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
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
    Field,
    IntegerField,
    UUIDField,
)

from tenants.db import connection


class PreconditionFailed(Exception):
    """The guard query found no row, so nothing was written."""


@dataclass
class NewRow:
    instance: models.Model
    # column -> the earlier NewRow whose id it takes
    links: dict[str, NewRow] = field(default_factory=dict)
    # column -> value, after pre_save (e.g. to date an auto_now column)
    overrides: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Column:
    model_field: Field[Any, Any]
    name: str
    quoted: str
    placeholder: str  # a typed parameter: "%s::uuid"
    attname: str
    primary_key: bool
    plain: bool  # a value of a _PLAIN_VALUES type goes to psycopg as it is
    read_as_is: bool  # pre_save would only read the attribute


@dataclass(frozen=True)
class _Layout:
    table: str
    columns: tuple[_Column, ...]
    pk_column: str
    attnames: dict[str, str]  # column -> attribute


# What get_db_prep_save hands back unchanged for the fields marked plain (it costs a few
# microseconds a field, and a report's four rows have about sixty).
_PLAIN_VALUES = frozenset({str, int, bool, bytes, date, UUID})
_PLAIN_FIELDS = (CharField, IntegerField, BooleanField, BinaryField, UUIDField, DateField)


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
        columns.append(
            _Column(
                model_field=model_field,
                name=model_field.column,
                quoted=quote(model_field.column),
                placeholder=f"%s::{cast}",
                attname=model_field.attname,
                primary_key=model_field.primary_key,
                plain=isinstance(model_field, _PLAIN_FIELDS) and not isinstance(model_field, DateTimeField),
                read_as_is=type(model_field).pre_save is Field.pre_save,
            )
        )
    attnames = {column.name: column.attname for column in columns}
    return _Layout(quote(meta.db_table), tuple(columns), quote(meta.pk.column), attnames)


def insert_linked(rows: Sequence[NewRow], *, guard_sql: str = "", guard_params: Sequence[Any] = ()) -> None:
    """Insert ``rows`` in order in one statement; sets each instance's pk."""
    db = connections[connection.alias]  # resolved once, not per field
    names = {id(row): f"row{index}" for index, row in enumerate(rows)}
    ctes: list[str] = []
    params: list[Any] = []
    if guard_sql:
        ctes.append(f"guard AS ({guard_sql})")
        params.extend(guard_params)
    for row in rows:
        layout = _layout(type(row.instance))
        instance, links, overrides = row.instance, row.links, row.overrides
        columns: list[str] = []
        expressions: list[str] = []
        sources = ["guard"] if guard_sql else []
        for column in layout.columns:
            if column.name in links:
                source = names[id(links[column.name])]
                expressions.append(f"{source}.id")
                if source not in sources:
                    sources.append(source)
                columns.append(column.quoted)
                continue
            if column.name in overrides:
                value = overrides[column.name]
            elif column.read_as_is:
                value = getattr(instance, column.attname)
            else:
                value = column.model_field.pre_save(instance, add=True)
            if column.primary_key and value is None:
                continue  # the database numbers it
            if not (column.plain and type(value) in _PLAIN_VALUES):
                value = column.model_field.get_db_prep_save(value, db)
            if value is None or value == "":
                # Written into the statement: fewer parameters keep it within the
                # size psycopg caches the parsing of (50 parameters).
                expressions.append("NULL" if value is None else "''")
            else:
                expressions.append(column.placeholder)
                params.append(value)
            columns.append(column.quoted)
        source_clause = f" FROM {', '.join(sources)}" if sources else ""
        ctes.append(
            f"{names[id(row)]} AS (INSERT INTO {layout.table} ({', '.join(columns)}) "
            f"SELECT {', '.join(expressions)}{source_clause} RETURNING {layout.pk_column} AS id)"
        )
    every = ", ".join(names[id(row)] for row in rows)
    selected = ", ".join(f"{names[id(row)]}.id" for row in rows)
    statement = f"WITH {', '.join(ctes)} SELECT {selected} FROM {every}"  # noqa: S608 - names from models
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
        row.instance.pk = pk
        attnames = _layout(type(row.instance)).attnames
        for name, linked in row.links.items():
            setattr(row.instance, attnames[name], linked.instance.pk)
        for name, value in row.overrides.items():
            setattr(row.instance, attnames[name], value)
        row.instance._state.adding = False
        row.instance._state.db = db.alias
