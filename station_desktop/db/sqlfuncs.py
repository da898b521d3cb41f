"""SQL helpers that mean the same on SQLite and MySQL/MariaDB, compiled per dialect.

Each is a SQLAlchemy expression construct with one ``@compiles`` rule per backend, so a
service writes ``epoch_seconds(StreamStats.timestamp)`` once and gets the right SQL on
both. A dialect without a rule fails at compile time with a clear message rather than
running SQL that means something else.

- :class:`epoch_seconds` -- whole seconds since 1970-01-01 00:00:00 of a DATETIME column
  that holds UTC (as :class:`~station_desktop.db.types.Timestamp` does). SQLite:
  ``CAST(strftime('%s', col) AS INTEGER)``; MySQL/MariaDB:
  ``TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', col)``, which, unlike ``UNIX_TIMESTAMP``,
  does not read the column through the session time zone. Fractions of a second are
  dropped (truncated) on both.
- :class:`floor_div` -- integer division of non-negative integers (``a / b`` is integer
  division on SQLite but decimal division on MySQL, whose integer operator is ``DIV``).
- :class:`least` -- the smallest of its arguments (SQLite's multi-argument ``min()``,
  MySQL's ``LEAST()``); NULL if any argument is NULL, on both.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, SQLColumnExpression
from sqlalchemy.exc import CompileError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import FunctionElement

_MYSQL = ("mysql", "mariadb")


class epoch_seconds(FunctionElement[int]):  # noqa: N801 - reads as a SQL function
    """Whole seconds since the Unix epoch of a UTC DATETIME expression."""

    type = BigInteger()
    name = "epoch_seconds"
    inherit_cache = True

    def __init__(self, expression: SQLColumnExpression[Any]) -> None:
        super().__init__(expression)


class floor_div(FunctionElement[int]):  # noqa: N801
    """``numerator // denominator`` for non-negative integer expressions."""

    type = BigInteger()
    name = "floor_div"
    inherit_cache = True

    def __init__(self, numerator: SQLColumnExpression[Any] | int,
                 denominator: SQLColumnExpression[Any] | int) -> None:
        super().__init__(numerator, denominator)


class least(FunctionElement[Any]):  # noqa: N801
    """The smallest of two or more expressions."""

    name = "least"
    inherit_cache = True

    def __init__(self, *expressions: SQLColumnExpression[Any] | int) -> None:
        if len(expressions) < 2:
            raise ValueError("least() needs at least two expressions")
        super().__init__(*expressions)


def _args(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> list[str]:
    return [compiler.process(clause, **kw) for clause in element.clauses]


@compiles(epoch_seconds)
def _epoch_unsupported(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    raise CompileError(
        f"epoch_seconds() has no rule for the {compiler.dialect.name} database "
        "(only SQLite and MySQL/MariaDB are supported)"
    )


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    (column,) = _args(element, compiler, **kw)
    return f"CAST(strftime('%s', {column}) AS INTEGER)"


@compiles(epoch_seconds, *_MYSQL)
def _epoch_mysql(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    (column,) = _args(element, compiler, **kw)
    return f"TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', {column})"


@compiles(floor_div)
def _floor_div_unsupported(element: floor_div, compiler: SQLCompiler, **kw: Any) -> str:
    raise CompileError(f"floor_div() has no rule for the {compiler.dialect.name} database")


@compiles(floor_div, "sqlite")
def _floor_div_sqlite(element: floor_div, compiler: SQLCompiler, **kw: Any) -> str:
    numerator, denominator = _args(element, compiler, **kw)
    # Both operands are integers, so SQLite divides as integers (truncating, = floor for
    # the non-negative values this is for); the casts make sure of it.
    return f"(CAST({numerator} AS INTEGER) / CAST({denominator} AS INTEGER))"


@compiles(floor_div, *_MYSQL)
def _floor_div_mysql(element: floor_div, compiler: SQLCompiler, **kw: Any) -> str:
    numerator, denominator = _args(element, compiler, **kw)
    return f"(({numerator}) DIV ({denominator}))"


@compiles(least)
def _least_unsupported(element: least, compiler: SQLCompiler, **kw: Any) -> str:
    raise CompileError(f"least() has no rule for the {compiler.dialect.name} database")


@compiles(least, "sqlite")
def _least_sqlite(element: least, compiler: SQLCompiler, **kw: Any) -> str:
    return f"min({', '.join(_args(element, compiler, **kw))})"


@compiles(least, *_MYSQL)
def _least_mysql(element: least, compiler: SQLCompiler, **kw: Any) -> str:
    return f"LEAST({', '.join(_args(element, compiler, **kw))})"


__all__ = ["epoch_seconds", "floor_div", "least"]
