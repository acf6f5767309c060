"""Hot SELECTs run on the driver's cursor: compiled once, converted by their own column types.

Every API request resolves its bearer token and every online verification reads the
certificate's state. SQLAlchemy's execution machinery (execution context, result object,
events) costs 15 to 50 µs per statement, more than SQLite takes to answer either query, and
on a busy PostgreSQL worker as much as a quarter of the request. A DriverQuery is written as
an ordinary Core select, compiled once per dialect, and run straight on the DBAPI cursor of
the connection it is handed; its parameters and result columns go through the processors
of their SQLAlchemy types, so rows come back exactly as `connection.execute` gives them
(tests/db/test_driver_sql.py holds the two side by side).

Only for single SELECTs with named scalar parameters on a connection the caller already
holds: the cursor runs in that connection's transaction, or in none on Database.reader().
A driver error is raised as SQLAlchemy's DBAPIError around it; a dropped connection is met
again through SQLAlchemy, so that the pool replaces it and its pool-mates as anywhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect


class DriverQuery:
    """binary: on PostgreSQL, rows come in the binary format (large byte strings arrive as
    they are, not as hexadecimal text to decode)."""

    def __init__(self, statement: sa.Select, *, binary: bool = False):
        self.statement, self.binary = statement, binary
        self._plans: dict[tuple[str, str], _Plan] = {}

    def rows(self, connection: sa.Connection, params: dict[str, Any]) -> list[tuple]:
        dialect = connection.dialect
        key = (dialect.name, dialect.driver)  # the driver decides the placeholders
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = _Plan(self.statement, dialect)
        parameters = plan.parameters(params)
        driver = connection.connection.driver_connection
        try:
            cursor = driver.cursor(binary=True) if self.binary and dialect.name == "postgresql" \
                else driver.cursor()
            try:
                cursor.execute(plan.sql, parameters)
                fetched = cursor.fetchall()
            finally:
                cursor.close()
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, driver, None):
                # Meet it again through SQLAlchemy, which invalidates the connection and
                # every other one the pool holds from before the drop, then raises.
                return [tuple(row) for row in connection.execute(self.statement, params)]
            raise sa.exc.DBAPIError.instance(plan.sql, parameters, error,
                                             dialect.loaded_dbapi.Error,
                                             dialect=dialect) from error
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
            if bind.expanding or bind.literal_execute or bind.callable is not None:
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
