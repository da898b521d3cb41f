"""The chart's ranges: how far back each goes and how wide its buckets are (pure, no Qt).

Buckets are chosen so the roll-ups can answer (services/rollups.py): whole hours starting
on an hour read ``StreamStatsHourly``, whole days starting at a UTC midnight read
``StreamStatsDaily``; the 24-hour range reads the raw 5-minute samples.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
REALTIME_WINDOW = dt.timedelta(hours=1)  # samples shown by the real-time chart


class ChartRange(enum.Enum):
    REALTIME = "realtime"
    DAY = "24h"
    WEEK = "7d"
    MONTH = "30d"
    YEAR = "1y"


@dataclass(frozen=True, slots=True)
class Window:
    start: dt.datetime  # aware UTC
    end: dt.datetime
    bucket: dt.timedelta


_SPANS: dict[ChartRange, tuple[dt.timedelta, dt.timedelta]] = {
    ChartRange.DAY: (DAY, dt.timedelta(minutes=5)),
    ChartRange.WEEK: (7 * DAY, HOUR),
    ChartRange.MONTH: (30 * DAY, 3 * HOUR),
    ChartRange.YEAR: (365 * DAY, DAY),
}


def window(chart_range: ChartRange, now: dt.datetime) -> Window:
    """The range ending with the bucket that holds ``now``, aligned so the roll-ups serve
    it. The real-time range is the last :data:`REALTIME_WINDOW` of raw samples."""
    now = now.astimezone(dt.UTC)
    if chart_range is ChartRange.REALTIME:
        return Window(now - REALTIME_WINDOW, now, dt.timedelta(0))
    span, bucket = _SPANS[chart_range]
    if bucket >= DAY:
        floor = now.replace(hour=0, minute=0, second=0, microsecond=0)
    elif bucket >= HOUR:
        floor = now.replace(minute=0, second=0, microsecond=0)
    else:
        step = int(bucket.total_seconds()) // 60
        floor = now.replace(minute=now.minute // step * step, second=0, microsecond=0)
    end = floor + bucket
    return Window(end - span, end, bucket)
