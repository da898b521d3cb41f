"""What every service shares: loading rows, optimistic concurrency, input validation.

Conventions (each service module follows them):

- A service is a class built with a :class:`~station_desktop.db.engine.Database`; each
  public method is one unit of work (``with self._db.transaction() as s`` for writes,
  ``self._db.read()`` for reads) and returns frozen dataclasses, never ORM rows.
- Records that can be edited carry ``version``, a fingerprint of the stored row
  (:func:`~station_desktop.db.models.row_version`). An update takes the version the
  caller loaded and is refused with :class:`~station_desktop.errors.Conflict` if the row
  changed since: a second operator never silently overwrites the first.
- Input is validated here (the UI validates too, for comfort, but the service is the
  authority) and refused with :class:`~station_desktop.errors.ValidationError` naming the
  field.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_desktop.db.models import Base, row_version
from station_desktop.db.types import STR_LENGTH
from station_desktop.errors import Conflict, NotFound, ValidationError

RowT = TypeVar("RowT", bound=Base)

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def get_row(session: Session, model: type[RowT], row_id: str, kind: str) -> RowT:
    """The row with ``row_id``, or :class:`NotFound` naming ``kind`` (e.g. "Playlist")."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(kind, row_id)
    return row


def lock_row(session: Session, model: type[RowT], row_id: str, kind: str) -> RowT:
    """Like :func:`get_row`, holding the row's write lock until the transaction ends
    (``SELECT ... FOR UPDATE`` on MySQL; SQLite's write transactions are already
    exclusive)."""
    row = session.scalars(
        select(model)
        .where(model.__table__.c.id == row_id)
        .with_for_update()
        # A copy loaded earlier in this session must not hide what the lock now guards.
        .execution_options(populate_existing=True)
    ).one_or_none()
    if row is None:
        raise NotFound(kind, row_id)
    return row


def check_version(row: Base, expected: str | None, what: str) -> None:
    """Refuse the edit when ``row`` no longer matches the version the caller loaded.

    ``expected=None`` means "last write wins" and is for callers that do not edit from a
    loaded copy (the daemon setting a status).
    """
    if expected is not None and row_version(row) != expected:
        raise Conflict(
            f"{what} was changed by someone else since you opened it. Your changes were not "
            "saved: reload to see the current values, then apply your edit again."
        )


def clean_text(
    value: str | None,
    field: str,
    label: str,
    *,
    required: bool = True,
    max_length: int = STR_LENGTH,
) -> str | None:
    """Trimmed single-line text, or None for an empty optional value."""
    if value is None or not value.strip():
        if required:
            raise ValidationError(f"{label} is required.", field=field)
        return None
    value = value.strip()
    if "\n" in value or "\r" in value or _CONTROL_CHARS.search(value):
        raise ValidationError(f"{label} must be a single line of text.", field=field)
    if len(value) > max_length:
        raise ValidationError(
            f"{label} is too long ({len(value)} characters; at most {max_length}).", field=field
        )
    return value


def required_text(value: str | None, field: str, label: str, max_length: int = STR_LENGTH) -> str:
    result = clean_text(value, field, label, required=True, max_length=max_length)
    assert result is not None
    return result


def check_range(
    value: float, field: str, label: str, minimum: float, maximum: float, unit: str = ""
) -> None:
    if math.isnan(value) or not minimum <= value <= maximum:
        suffix = f" {unit}" if unit else ""
        raise ValidationError(
            f"{label} must be between {minimum:g} and {maximum:g}{suffix} (got {value:g}).",
            field=field,
        )


def aware_instant(value: dt.datetime, field: str, label: str) -> dt.datetime:
    """An instant as the database stores it: aware, in UTC, to the millisecond. A naive
    datetime (no time zone) is refused: it would be stored as a guess."""
    if not isinstance(value, dt.datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            f"{label} must be a date and time with a time zone (aware); got {value!r}.",
            field=field,
        )
    value = value.astimezone(dt.UTC)
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def check_choice(value: str, field: str, label: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValidationError(
            f"{label} must be one of {', '.join(choices)} (got {value!r}).", field=field
        )
