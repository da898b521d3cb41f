"""Pure week-clock arithmetic for the weekly schedule (no database, no I/O).

The seed's Schedule row is a wall-clock block: ``dayOfWeek`` (0 = Sunday ... 6 = Saturday),
``startTime`` and ``endTime`` as ``"HH:MM"`` in the station's time zone. Here a block
becomes a *span* on a circular week of :data:`MINUTES_PER_WEEK` minutes:

- it starts at ``day * 1440 + start`` and lasts ``duration`` minutes, occupying the
  half-open range ``[start, start + duration)`` taken modulo the week, so a block that
  ends the next morning (Saturday 22:00-02:00 ends Sunday 02:00) wraps round the week;
- an end earlier than the start crosses midnight; an end of ``00:00`` means midnight at
  the end of the start day (22:00-00:00 lasts two hours and does *not* cross midnight);
- an end equal to the start would be an empty block (a 24-hour block cannot be written
  in this model: it needs two blocks).

Wall-clock semantics make DST straightforward: an instant is converted to the station's
local time, and the block whose wall-clock span contains that local time plays. On a
spring-forward night the skipped wall times never happen (a 01:00-04:00 block is two real
hours long that night); on a fall-back night the repeated hour happens twice and both
passes are inside a block that covers it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MINUTES_PER_DAY = 24 * 60
DAYS_PER_WEEK = 7
MINUTES_PER_WEEK = DAYS_PER_WEEK * MINUTES_PER_DAY

# Between the times of a block in messages ("Monday 08:00\u201310:00"): an en dash.
RANGE_DASH = "\u2013"

# Index = the seed's dayOfWeek (0 = Sunday).
DAY_NAMES: tuple[str, ...] = (
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
)

# Exactly two ASCII digits, colon, two ASCII digits; 00:00 to 23:59.
_STRICT_HHMM = re.compile(r"(?:[01][0-9]|2[0-3]):[0-5][0-9]")
# What other writers of the shared database may have stored: "9:00", "09:00:00", "24:00".
_LENIENT_HHMM = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?")


def parse_hhmm(value: object) -> int:
    """Minutes after midnight of a strict ``"HH:MM"`` (``00:00`` to ``23:59``).

    Raises :class:`ValueError` for anything else: ``"7:00"``, ``"24:00"``, ``"12:60"``,
    surrounding spaces, non-ASCII digits, non-strings.
    """
    if not isinstance(value, str) or not _STRICT_HHMM.fullmatch(value):
        raise ValueError(f"not a time of the form HH:MM from 00:00 to 23:59: {value!r}")
    return int(value[:2]) * 60 + int(value[3:])


def parse_stored_hhmm(value: object, *, is_end: bool = False) -> int:
    """Minutes after midnight of a time *read back* from the shared database.

    Lenient where the intent is unambiguous, because the platform or an older program may
    have written the row: one-digit hours (``"9:00"``), seconds (``"09:00:00"``, dropped),
    surrounding spaces, and ``"24:00"`` as an end (= midnight, returned as 0). Raises
    :class:`ValueError` when the value cannot be read as a time of day.
    """
    if not isinstance(value, str):
        raise ValueError(f"not a time: {value!r}")
    match = _LENIENT_HHMM.fullmatch(value.strip())
    if match is None:
        raise ValueError(f"not a time of the form HH:MM: {value!r}")
    hours, minutes = int(match.group(1)), int(match.group(2))
    seconds = int(match.group(3) or 0)
    if minutes > 59 or seconds > 59:
        raise ValueError(f"not a time of the form HH:MM: {value!r}")
    if hours == 24 and minutes == 0 and seconds == 0 and is_end:
        return 0
    if hours > 23:
        raise ValueError(f"not a time of day (00:00 to 23:59): {value!r}")
    return hours * 60 + minutes


def format_hhmm(minutes: int) -> str:
    """``"HH:MM"`` of minutes after midnight (taken modulo a day)."""
    minutes %= MINUTES_PER_DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def block_duration(start: int, end: int) -> int:
    """Length in minutes of a block from ``start`` to ``end`` (minutes after midnight).

    An end earlier than the start runs into the next day; an end of 0 is midnight.
    Returns 0 when ``start == end`` (an empty block, which the service refuses).
    """
    return (end - start) % MINUTES_PER_DAY


def crosses_midnight(start: int, end: int) -> bool:
    """Whether the block runs past midnight into the next day (ending *at* midnight,
    ``end == 0``, does not count)."""
    return start + block_duration(start, end) > MINUTES_PER_DAY


def week_minute(day_of_week: int, minute: int) -> int:
    """Position on the week: minutes since Sunday 00:00 (``day_of_week`` 0 = Sunday)."""
    return (day_of_week * MINUTES_PER_DAY + minute) % MINUTES_PER_WEEK


def seed_day_of_week(day: dt.date) -> int:
    """The seed's day number of a date: 0 = Sunday ... 6 = Saturday.

    (Python's :meth:`~datetime.date.weekday` counts Monday = 0.)
    """
    return (day.weekday() + 1) % DAYS_PER_WEEK


def local_week_minute(when: dt.datetime, tz: dt.tzinfo) -> int:
    """The wall-clock week minute of the instant ``when`` in time zone ``tz``.

    ``when`` must be aware: a naive value would silently mean a different instant.
    """
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("a naive datetime is not an instant; give an aware datetime")
    local = when.astimezone(tz)
    return week_minute(seed_day_of_week(local.date()), local.hour * 60 + local.minute)


@dataclass(frozen=True, slots=True)
class WeekSpan:
    """A half-open range ``[start, start + duration)`` on the circular week."""

    start: int
    duration: int

    @classmethod
    def of_block(cls, day_of_week: int, start: int, end: int) -> WeekSpan:
        return cls(week_minute(day_of_week, start), block_duration(start, end))

    def contains(self, minute: int) -> bool:
        """Whether week minute ``minute`` falls inside (the end is excluded)."""
        return (minute - self.start) % MINUTES_PER_WEEK < self.duration

    def offset_of(self, minute: int) -> int:
        """Minutes from this span's start forward to ``minute`` (0 .. week - 1)."""
        return (minute - self.start) % MINUTES_PER_WEEK

    def overlaps(self, other: WeekSpan) -> bool:
        """Whether the two spans share at least one minute. Touching ends do not overlap;
        empty spans overlap nothing. Valid for spans that together fit in a week (blocks
        last less than a day, so always)."""
        if self.duration <= 0 or other.duration <= 0:
            return False
        return self.contains(other.start) or other.contains(self.start)


def describe_block(day_of_week: int, start: int, end: int) -> str:
    """How a person reads a block: ``"Monday 08:00-10:00"``; a block that runs past
    midnight says where it ends: ``"Saturday 22:00-02:00 (until Sunday)"``."""
    text = f"{day_name(day_of_week)} {format_hhmm(start)}{RANGE_DASH}{format_hhmm(end)}"
    if crosses_midnight(start, end):
        text += f" (until {day_name((day_of_week + 1) % DAYS_PER_WEEK)})"
    return text


def day_name(day_of_week: int) -> str:
    if 0 <= day_of_week < DAYS_PER_WEEK:
        return DAY_NAMES[day_of_week]
    return f"day {day_of_week}"

