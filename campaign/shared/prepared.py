"""Core statements run straight on the database driver: compiled once, then each run is the driver's cursor call.

Why: the phone's hot path (web/hotpath.py) sends six small statements for each entry, and SQLAlchemy's execution
of a statement (its execution context, the compiled cache's lookup, events, the result's wrapping) cost the worker
more CPU than the database did (issue 20). Here a statement is compiled once per dialect and set of parameter
names; a run passes the parameters through SQLAlchemy's own bind processors (a datetime as SQLite stores it, a
boolean as 0 or 1) and the rows through its result processors, so what is stored and read is what
`connection.execute` would store and read.

It runs on the caller's connection, inside the caller's transaction: the session's (`db.session.connection()`),
committed by the session as before.

What it leaves out, on purpose: SQLAlchemy's events do not see these statements (no before_cursor_execute), and
column defaults are not filled in. A statement that would need one (a column its parameters do not name, with a
Python-side default) is refused when it is compiled, rather than stored without it.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.compiler import SQLCompiler


@dataclass(frozen=True)
class _Prepared:
    sql: str
    # The driver's parameters in its order: (our name, the driver's name, the value if the statement carries its
    # own, SQLAlchemy's bind processor or None).
    parameters: tuple[tuple[str, str, Any, Callable[[Any], Any] | None], ...]
    positional: bool
    results: tuple[Callable[[Any], Any] | None, ...]  # SQLAlchemy's result processors, by column


Statement = sa.Select | sa.Insert | sa.Update | sa.Delete
_prepared: dict[tuple, _Prepared] = {}
_NOT_FIXED = object()


def _prepare(dialect: sa.Dialect, statement: Statement, keys: tuple[str, ...]) -> _Prepared:
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    assert isinstance(compiled, SQLCompiler)
    if compiled.insert_prefetch or compiled.update_prefetch:
        raise ValueError(f"a column default would be left out: give every column a value ({compiled.string})")
    names = compiled.positiontup or () if compiled.positional else tuple(compiled.binds)
    parameters = []
    for name in names:
        bind = compiled.binds[name]
        fixed: Any = _NOT_FIXED
        if name not in keys:
            if bind.callable is None and bind.value is None and bind.required:
                raise ValueError(f"no value for parameter {name!r} of {compiled.string}")
            fixed = bind.effective_value
        processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
        parameters.append((name, compiled.escaped_bind_names.get(name, name), fixed, processor))
    results = tuple(kind.dialect_impl(dialect).result_processor(dialect, None) for kind in _column_types(statement))
    return _Prepared(compiled.string, tuple(parameters), compiled.positional, results)


def _column_types(statement: Statement) -> list[sa.types.TypeEngine]:
    if isinstance(statement, sa.Select):
        return [column.type for column in statement.selected_columns]
    return [column["type"] for column in getattr(statement, "returning_column_descriptions", ())]


def _arguments(prepared: _Prepared, values: Mapping[str, Any]) -> tuple | dict:
    arguments = []
    for name, _driver_name, fixed, processor in prepared.parameters:
        value = values[name] if fixed is _NOT_FIXED else fixed
        arguments.append(value if processor is None else processor(value))
    if prepared.positional:
        return tuple(arguments)
    return {driver_name: value for (_name, driver_name, _fixed, _processor), value in zip(
        prepared.parameters, arguments, strict=True)}


def execute(
    connection: sa.Connection, statement: Statement, parameters: Mapping[str, Any] | Sequence[Mapping[str, Any]]
) -> list[tuple]:
    """Run `statement` with one set of parameters (its rows are returned, processed) or several (executemany;
    nothing is returned). `statement` is one built once and kept: it is compiled on its first run."""
    rows_of_parameters = [parameters] if isinstance(parameters, Mapping) else parameters
    if not rows_of_parameters:
        return []
    keys = tuple(rows_of_parameters[0])
    key = (statement, connection.dialect.name, connection.dialect.driver, keys)
    prepared = _prepared.get(key)
    if prepared is None:
        prepared = _prepared[key] = _prepare(connection.dialect, statement, keys)
    if not connection.in_transaction():
        connection.begin()  # as connection.execute would: the caller commits
    cursor = connection.connection.cursor()
    try:
        if len(rows_of_parameters) > 1:
            many: list[Any] = [_arguments(prepared, row) for row in rows_of_parameters]
            cursor.executemany(prepared.sql, many)
            return []
        cursor.execute(prepared.sql, _arguments(prepared, rows_of_parameters[0]))
        rows = cursor.fetchall() if cursor.description is not None else []
    finally:
        cursor.close()
    if not any(prepared.results):
        return [tuple(row) for row in rows]
    return [
        tuple(value if process is None else process(value) for process, value in zip(prepared.results, row, strict=True))
        for row in rows
    ]


def first(connection: sa.Connection, statement: Statement, parameters: Mapping[str, Any]) -> tuple | None:
    rows = execute(connection, statement, parameters)
    return rows[0] if rows else None


def scalar(connection: sa.Connection, statement: Statement, parameters: Mapping[str, Any]) -> Any:
    row = first(connection, statement, parameters)
    return row[0] if row is not None else None
