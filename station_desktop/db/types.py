"""Column types shared by every model, mapped the way Prisma maps them on MySQL.

Prisma's defaults for MySQL: ``String`` is ``VARCHAR(191)`` (191 utf8mb4 characters fit
InnoDB's 767-byte index limit), ``DateTime`` is ``DATETIME(3)`` (milliseconds), ``Float``
is ``DOUBLE``, ``Boolean`` is ``TINYINT(1)``. Keeping the same types lets the platform and
this application share one database.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, DateTime, Double, Integer, String, Text
from sqlalchemy.dialects import mysql, sqlite
from sqlalchemy.types import TypeDecorator

ID_LENGTH = 191
STR_LENGTH = 191


def Str() -> String:  # noqa: N802 - reads like a type in column declarations
    """Prisma's ``String``: VARCHAR(191), utf8mb4."""
    return String(STR_LENGTH)


def Id() -> String:  # noqa: N802
    """Prisma's ``String @id``: VARCHAR(191)."""
    return String(ID_LENGTH)


def LongText() -> Text:  # noqa: N802
    """Prisma's ``String @db.Text``: TEXT, for messages longer than 191 characters."""
    return Text()


Int = Integer
BigInt = BigInteger
Bool = Boolean


def Float() -> Double[float]:  # noqa: N802
    """Prisma's ``Float``: DOUBLE on MySQL, REAL on SQLite."""
    return Double()


class Timestamp(TypeDecorator[dt.datetime]):
    """Prisma's ``DateTime``: DATETIME(3) holding UTC, returned as aware UTC datetimes.

    The database stores naive UTC (as Prisma does); Python code only ever sees aware values,
    so a local time can never be stored by mistake.
    """

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect):  # type: ignore[no-untyped-def]
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.DATETIME(fsp=3))
        if dialect.name == "sqlite":
            return dialect.type_descriptor(
                sqlite.DATETIME(  # type: ignore[no-untyped-call]
                    storage_format="%(year)04d-%(month)02d-%(day)02d "
                    "%(hour)02d:%(minute)02d:%(second)02d.%(microsecond)06d"
                )
            )
        return dialect.type_descriptor(DateTime())

    def process_bind_param(
        self, value: dt.datetime | None, dialect: object
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a Timestamp column; use UTC-aware values")
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
        # Millisecond precision, as DATETIME(3) keeps; SQLite then round-trips the same value.
        return value.replace(microsecond=value.microsecond // 1000 * 1000)

    def process_result_value(
        self, value: dt.datetime | None, dialect: object
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


def utcnow() -> dt.datetime:
    """Now, UTC-aware, truncated to milliseconds (what DATETIME(3) stores)."""
    now = dt.datetime.now(dt.UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)
