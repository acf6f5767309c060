"""Hot SELECTs run on the driver's cursor: compiled once, converted by their own column types.

Every API request resolves its bearer token and every online verification reads the
certificate's state. SQLAlchemy's execution machinery (execution context, result object,
events) costs 15 to 50 µs per statement, more than SQLite takes to answer either query, and
on a busy PostgreSQL worker as much as a quarter of the request. A DriverQuery is written as
an ordinary Core select, compiled once per dialect, and run straight on the DBAPI cursor of
the connection it is handed; its parameters and result columns go through the processors
of their SQLAlchemy types, so rows come back exactly as `connection.execute` gives them
(tests/test_driver_sql.py holds the two side by side).

Only for single SELECTs with named scalar parameters on a connection the caller already
holds: the cursor runs in that connection's transaction, or in none on Database.reader().
When the driver fails, the statement runs once more through SQLAlchemy, so that failures
(a connection the server dropped above all) are handled and raised as everywhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect


class DriverQuery:
    def __init__(self, statement: sa.Select):
        self.statement = statement
        self._plans: dict[str, _Plan] = {}

    def rows(self, connection: sa.Connection, params: dict[str, Any]) -> list[tuple]:
        dialect = connection.dialect
        plan = self._plans.get(dialect.name)
        if plan is None:
            plan = self._plans[dialect.name] = _Plan(self.statement, dialect)
        try:
            cursor = connection.connection.driver_connection.cursor()
            try:
                cursor.execute(plan.sql, plan.parameters(params))
                fetched = cursor.fetchall()
            finally:
                cursor.close()
        except dialect.loaded_dbapi.Error:
            # Run it again through SQLAlchemy, which tells a dropped connection from a bad
            # statement, throws dropped connections out of the pool and raises its own
            # DBAPIError: a driver error must mean the same here as anywhere else.
            return [tuple(row) for row in connection.execute(self.statement, params)]
        return [plan.row(raw) for raw in fetched]

    def first(self, connection: sa.Connection, params: dict[str, Any]) -> tuple | None:
        found = self.rows(connection, params)
        return found[0] if found else None


class _Plan:
    """The statement's SQL for one dialect and the conversions on each side of it."""

    def __init__(self, statement: sa.Select, dialect: Dialect):
        compiled = statement.compile(dialect=dialect)
        if compiled.positional:
            # qmark (SQLite): the driver wants the values in the order they appear.
            self._order: tuple[str, ...] | None = tuple(compiled.positiontup or ())
        else:
            self._order = None
        self.sql = str(compiled)
        self._bind: dict[str, tuple[Callable[[Any], Any], Any, bool]] = {}
        for name, bind in compiled.binds.items():
            if bind.expanding or bind.callable is not None:
                raise ValueError(f"{name} is not a plain parameter; run this statement on Core")
            convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
            self._bind[name] = (convert or _same, bind.value, bind.required)
        processors = (column.type.dialect_impl(dialect).result_processor(dialect, None)
                      for column in statement.selected_columns)
        self._result = tuple((i, convert) for i, convert in enumerate(processors)
                             if convert is not None)

    def parameters(self, params: dict[str, Any]) -> dict[str, Any] | tuple:
        converted = {}
        for name, (convert, default, required) in self._bind.items():
            if name not in params and required:
                raise KeyError(f"no value for the parameter {name}")
            converted[name] = convert(params.get(name, default))
        if self._order is None:
            return converted
        return tuple(converted[name] for name in self._order)

    def row(self, raw: tuple) -> tuple:
        if not self._result:
            return raw
        row = list(raw)
        for i, convert in self._result:
            row[i] = convert(row[i])
        return tuple(row)


def _same(value: Any) -> Any:
    return value
