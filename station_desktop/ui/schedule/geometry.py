"""Pure geometry of the weekly schedule grid (no Qt): time <-> y, day <-> x, snapping,
the rectangles of a block, dragging, the local overlap check and DST gaps.

Positions on the week use the service's model (:mod:`station_desktop.services.weektime`):
a block is a :class:`WeekSpan`, ``[start, start + duration)`` minutes on a circular week
that begins on Sunday 00:00 (the seed's ``dayOfWeek`` 0 = Sunday). The grid shows the
week from the locale's first day, so a column is a day *shifted* by ``first_day``.

A block that crosses midnight is one span and two :class:`Segment` s (the evening on its
day, the morning on the next day); Saturday's late block continues on Sunday, wherever
Sunday's column is.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from station_desktop.services.weektime import (
    DAYS_PER_WEEK,
    MINUTES_PER_DAY,
    MINUTES_PER_WEEK,
    WeekSpan,
    block_duration,
    seed_day_of_week,
    week_minute,
)

SNAP_MINUTES = 15
MIN_BLOCK_MINUTES = SNAP_MINUTES
# A block lasts less than a day (start == end cannot be written); on the grid, a whole
# day less one snap step.
MAX_BLOCK_MINUTES = MINUTES_PER_DAY - SNAP_MINUTES
EDGE_PIXELS = 5.0  # how close to a block's top or bottom a press resizes instead of moving

K = TypeVar("K")


def snap(minute: float, step: int = SNAP_MINUTES) -> int:
    """The multiple of ``step`` nearest to ``minute`` (halves round up)."""
    return int((minute + step / 2) // step) * step


def qt_day_to_seed(qt_day: int) -> int:
    """Qt's day number (1 = Monday ... 7 = Sunday) as the seed's (0 = Sunday ... 6)."""
    return qt_day % DAYS_PER_WEEK


def seed_day_to_qt(day_of_week: int) -> int:
    return 7 if day_of_week % DAYS_PER_WEEK == 0 else day_of_week % DAYS_PER_WEEK


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def contains(self, px: float, py: float) -> bool:
        return self.x <= px < self.x + self.width and self.y <= py < self.y + self.height


@dataclass(frozen=True, slots=True)
class Segment:
    """The part of a block drawn in one day's column: minutes ``start`` to ``end``
    (``end`` up to 1440, the midnight that closes the day)."""

    day_of_week: int
    start: int
    end: int
    is_first: bool  # holds the block's start (its top edge resizes the start)
    is_last: bool  # holds the block's end (its bottom edge resizes the end)


def segments(day_of_week: int, start: int, end: int) -> list[Segment]:
    """Where a block (``start``/``end`` minutes after midnight, as stored) is drawn: one
    segment, or two when it runs past midnight into the next day."""
    duration = block_duration(start, end)
    if start + duration <= MINUTES_PER_DAY:
        return [Segment(day_of_week, start, start + duration, True, True)]
    next_day = (day_of_week + 1) % DAYS_PER_WEEK
    return [
        Segment(day_of_week, start, MINUTES_PER_DAY, True, False),
        Segment(next_day, 0, start + duration - MINUTES_PER_DAY, False, True),
    ]


def span_segments(span: WeekSpan) -> list[Segment]:
    day, start, end = block_of_span(span)
    return segments(day, start, end)


def block_of_span(span: WeekSpan) -> tuple[int, int, int]:
    """(day of week, start, end) as a Schedule row stores them (times in minutes after
    midnight; an end of 0 is midnight)."""
    start = span.start % MINUTES_PER_WEEK
    day, minute = divmod(start, MINUTES_PER_DAY)
    return day, minute, (minute + span.duration) % MINUTES_PER_DAY


def span_of(day_of_week: int, start: int, end: int) -> WeekSpan:
    return WeekSpan.of_block(day_of_week, start, end)


@dataclass(frozen=True, slots=True)
class GridGeometry:
    """Where the grid draws: column 0 shows ``first_day`` (seed numbering) and starts at
    ``left``; 00:00 is at ``top``; each day is ``day_width`` wide and each minute
    ``minute_height`` tall."""

    first_day: int
    left: float
    top: float
    day_width: float
    minute_height: float

    @property
    def width(self) -> float:
        return self.left + DAYS_PER_WEEK * self.day_width

    @property
    def height(self) -> float:
        return self.top + MINUTES_PER_DAY * self.minute_height

    def column_of(self, day_of_week: int) -> int:
        return (day_of_week - self.first_day) % DAYS_PER_WEEK

    def day_of_column(self, column: int) -> int:
        return (self.first_day + column) % DAYS_PER_WEEK

    def x_of_day(self, day_of_week: int) -> float:
        return self.left + self.column_of(day_of_week) * self.day_width

    def y_of_minute(self, minute: float) -> float:
        return self.top + minute * self.minute_height

    def minute_at(self, y: float) -> float:
        """The time of day at ``y``, clamped to the day (0 to 1440)."""
        return min(max((y - self.top) / self.minute_height, 0.0), float(MINUTES_PER_DAY))

    def column_at(self, x: float) -> int | None:
        """The column under ``x``, or None over the time gutter or past the last day."""
        if x < self.left:
            return None
        column = int((x - self.left) // self.day_width)
        return column if column < DAYS_PER_WEEK else None

    def day_at(self, x: float) -> int:
        """The day under ``x``, the nearest column when ``x`` is outside the grid (a drag
        that leaves the grid keeps to its edge)."""
        column = int((x - self.left) // self.day_width)
        return self.day_of_column(min(max(column, 0), DAYS_PER_WEEK - 1))

    def week_minute_at(self, x: float, y: float) -> float:
        """The point's position on the week (minutes since Sunday 00:00; not snapped). The
        bottom of a column is midnight, the same instant as the top of the next day."""
        day = self.day_at(x)
        return (day * MINUTES_PER_DAY + self.minute_at(y)) % MINUTES_PER_WEEK

    def segment_rect(self, segment: Segment) -> Rect:
        y = self.y_of_minute(segment.start)
        return Rect(self.x_of_day(segment.day_of_week), y, self.day_width,
                    self.y_of_minute(segment.end) - y)

    def block_rects(self, day_of_week: int, start: int, end: int) -> list[Rect]:
        """The rectangles of a block: one, or two for a block that crosses midnight."""
        return [self.segment_rect(seg) for seg in segments(day_of_week, start, end)]


# -- dragging ---------------------------------------------------------------------------------


def _forward(a: float, b: float) -> float:
    """Minutes forward from week minute ``a`` to ``b`` (0 .. week)."""
    return (b - a) % MINUTES_PER_WEEK


def _clamp_duration(duration: int) -> int:
    return min(max(duration, MIN_BLOCK_MINUTES), MAX_BLOCK_MINUTES)


def created_span(anchor: float, pointer: float) -> WeekSpan:
    """The block drawn by dragging from week minute ``anchor`` to ``pointer`` (either
    direction): it covers every snap step the drag touched (the step pressed in
    included), is at least one step long and shorter than a day."""
    step = SNAP_MINUTES
    if _forward(anchor, pointer) <= MINUTES_PER_WEEK / 2:  # dragged down (or not at all)
        start = int(anchor // step) * step
        end = -int(-pointer // step) * step
        return WeekSpan(start % MINUTES_PER_WEEK, _clamp_duration(int(_forward(start, end))))
    end = -int(-anchor // step) * step  # dragged up: the anchor is the end
    start = int(pointer // step) * step
    duration = _clamp_duration(int(_forward(start, end)))
    return WeekSpan((end - duration) % MINUTES_PER_WEEK, duration)


def moved_span(span: WeekSpan, grab_offset: float, pointer: float) -> WeekSpan:
    """``span`` dragged by a pointer that grabbed it ``grab_offset`` minutes after its
    start and is now at week minute ``pointer``: same length, snapped start."""
    return WeekSpan(snap(pointer - grab_offset) % MINUTES_PER_WEEK, span.duration)


def resized_start(span: WeekSpan, pointer: float) -> WeekSpan:
    """``span`` with its top edge dragged to ``pointer``; the end stays."""
    end = span.start + span.duration
    forward = int(_forward(snap(pointer), end))
    duration = MIN_BLOCK_MINUTES if forward > MINUTES_PER_WEEK // 2 else _clamp_duration(forward)
    return WeekSpan((end - duration) % MINUTES_PER_WEEK, duration)


def resized_end(span: WeekSpan, pointer: float) -> WeekSpan:
    """``span`` with its bottom edge dragged to ``pointer`` (into the next day's column
    to run past midnight); the start stays."""
    forward = int(_forward(span.start, snap(pointer)))
    duration = MIN_BLOCK_MINUTES if forward > MINUTES_PER_WEEK // 2 else _clamp_duration(forward)
    return WeekSpan(span.start, duration)


class Zone(enum.Enum):
    BODY = "body"
    TOP = "top"  # resizes the start
    BOTTOM = "bottom"  # resizes the end


def hit_zone(rect: Rect, segment: Segment, y: float, edge: float = EDGE_PIXELS) -> Zone:
    """What a press at ``y`` inside ``rect`` (the rectangle of ``segment``) grabs: the
    block's start edge, its end edge, or its body. The midnight edges of a block that
    crosses midnight are body: there is nothing to resize there."""
    reach = min(edge, rect.height / 3)
    if segment.is_first and y < rect.y + reach:
        return Zone.TOP
    if segment.is_last and y >= rect.bottom - reach:
        return Zone.BOTTOM
    return Zone.BODY


# -- overlaps ---------------------------------------------------------------------------------


def first_overlap(candidate: WeekSpan, others: Iterable[tuple[K, WeekSpan]]) -> K | None:
    """The key of the first span in ``others`` that ``candidate`` overlaps, with the
    service's rule (:meth:`WeekSpan.overlaps`: half-open, circular week, touching ends
    allowed), or None."""
    for key, span in others:
        if candidate.overlaps(span):
            return key
    return None


def overlap_minutes(a: WeekSpan, b: WeekSpan) -> int:
    """How many minutes two spans share on the circular week."""
    if a.duration <= 0 or b.duration <= 0:
        return 0
    offset = (b.start - a.start) % MINUTES_PER_WEEK
    total = 0
    for lo in (offset, offset - MINUTES_PER_WEEK):
        total += max(0, min(a.duration, lo + b.duration) - max(0, lo))
    return total


# -- daylight saving time ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClockGap:
    """Wall-clock minutes that do not exist on ``date`` in a time zone: the clocks jump
    from ``start`` to ``start + duration`` (a spring-forward night)."""

    date: dt.date
    start: int  # minutes after midnight, local wall clock
    duration: int

    @property
    def day_of_week(self) -> int:
        return seed_day_of_week(self.date)

    @property
    def end(self) -> int:
        return (self.start + self.duration) % MINUTES_PER_DAY

    @property
    def span(self) -> WeekSpan:
        return WeekSpan(week_minute(self.day_of_week, self.start), self.duration)


def spring_forward_gaps(tz: dt.tzinfo, start: dt.date, days: int = 366) -> list[ClockGap]:
    """The wall-clock gaps of ``tz`` in the ``days`` days from ``start`` (a year by
    default: every spring-forward night the schedule will meet). Found by stepping six
    hours at a time in UTC and narrowing each offset increase down to the minute."""
    utc = dt.UTC
    step = dt.timedelta(hours=6)
    begin = dt.datetime.combine(start, dt.time(0), tzinfo=utc) - dt.timedelta(days=1)
    stop = begin + dt.timedelta(days=days + 2)
    gaps: list[ClockGap] = []
    t = begin
    offset = t.astimezone(tz).utcoffset() or dt.timedelta(0)
    while t < stop:
        nxt = t + step
        new_offset = nxt.astimezone(tz).utcoffset() or dt.timedelta(0)
        if new_offset > offset:
            lo, hi = t, nxt  # offset(lo) is the old one, offset(hi) the new one
            while hi - lo > dt.timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                if (mid.astimezone(tz).utcoffset() or dt.timedelta(0)) > offset:
                    hi = mid
                else:
                    lo = mid
            jump = hi.replace(second=0, microsecond=0)
            before = (jump + offset).replace(tzinfo=None)  # the wall time that never shows
            gap = ClockGap(before.date(), before.hour * 60 + before.minute,
                           int((new_offset - offset).total_seconds() // 60))
            if start <= gap.date < start + dt.timedelta(days=days):
                gaps.append(gap)
        offset = new_offset
        t = nxt
    return gaps


def gaps_in_block(span: WeekSpan, gaps: Iterable[ClockGap]) -> list[tuple[ClockGap, int]]:
    """The gaps that fall inside the block ``span``, with the minutes of it each one
    removes that night (all of them: the block does not play that night)."""
    found: list[tuple[ClockGap, int]] = []
    for gap in gaps:
        lost = overlap_minutes(span, gap.span)
        if lost > 0:
            found.append((gap, lost))
    return found


# -- colours ----------------------------------------------------------------------------------


HUE_SLOTS = 24
HUE_STEP = 360 // HUE_SLOTS


def _slot(playlist_id: str) -> int:
    digest = hashlib.blake2b(playlist_id.encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") % HUE_SLOTS


def playlist_hue(playlist_id: str) -> int:
    """A playlist's own hue (0-359): the same on every run and machine (Python's own
    ``hash`` of a string changes per process), one of 24 steps of 15 degrees."""
    return _slot(playlist_id) * HUE_STEP


def assign_hues(playlist_ids: Iterable[str]) -> dict[str, int]:
    """Hues for a station's playlists that tell them apart: each playlist gets its own
    hue (:func:`playlist_hue`) unless an earlier playlist's hue is too close, then the
    nearest hue that is not. Playlists are taken in id order, which is creation order for
    cuids, so adding a playlist never recolours the older ones."""
    taken: list[int] = []
    hues: dict[str, int] = {}
    for playlist_id in sorted(set(playlist_ids)):
        slot = _free_slot(_slot(playlist_id), taken)
        taken.append(slot)
        hues[playlist_id] = slot * HUE_STEP
    return hues


def _free_slot(preferred: int, taken: list[int]) -> int:
    def distance(a: int, b: int) -> int:
        return min((a - b) % HUE_SLOTS, (b - a) % HUE_SLOTS)

    offsets = sorted(range(-(HUE_SLOTS // 2) + 1, HUE_SLOTS // 2 + 1), key=abs)
    for apart in (3, 2, 1):  # 45 degrees apart, else 30, else merely different
        for offset in offsets:
            candidate = (preferred + offset) % HUE_SLOTS
            if all(distance(candidate, other) >= apart for other in taken):
                return candidate
    return preferred  # more than 24 playlists: share
