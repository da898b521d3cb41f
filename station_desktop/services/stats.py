"""Audience statistics and live sessions (the seed's flow "Estadísticas").

Seed API: ``GET /api/stream/stats`` (realtime: :meth:`StatsService.latest`),
``GET /api/stream/stats/history`` (:meth:`~StatsService.history`,
:meth:`~StatsService.summary`), ``GET /api/stream/now-playing``
(:meth:`~StatsService.now_playing`) and ``GET /api/stream/live-sessions``
(:meth:`~StatsService.live_sessions`). ``GET /api/stream/history`` (play history) is
:class:`~station_desktop.services.history.PlayHistoryService`, over our PlayHistory table.

Samples: stationd reads Icecast every few minutes and writes one StreamStats row per
station with :meth:`~StatsService.record_sample` (or a whole round with
:meth:`~StatsService.record_samples`, all or nothing). Icecast serves one mount per
bitrate; the seed keeps columns for 64, 128 and 320 kbps only, so listeners on any other
bitrate (e.g. 96 or 192) count in ``listeners`` but in no per-bitrate column. Writing the
same station and timestamp again does not add a second row: the stored sample is kept and
returned, so a daemon may safely retry a round whose commit it did not see confirmed.

Live sessions (flow "Transmisión en vivo"): the daemon starts one when a DJ connects and
ends it, with the listener peak and average, when the DJ disconnects. A station has at
most one open session; the daemon must end it before starting the next.

All instants are aware datetimes (UTC when read back), stored to the millisecond.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from station_desktop.db.engine import Database
from station_desktop.db.models import Client, LiveSession, StreamStats
from station_desktop.db.sqlfuncs import epoch_seconds, floor_div, least
from station_desktop.db.types import STR_LENGTH
from station_desktop.errors import Conflict, NotFound, StationError, ValidationError
from station_desktop.services._common import (
    aware_instant,
    check_choice,
    check_range,
    clean_text,
    get_row,
    lock_row,
)

STREAM_STATUSES = ("online", "offline")
TRACKED_BITRATES = (64, 128, 320)  # the seed's listeners64/128/320 columns
MAX_COUNT = 2**31 - 1  # INT columns
MIN_BUCKET = dt.timedelta(minutes=1)
MAX_BUCKETS = 5_000
# An online sample vouches for the time until the next sample, but for no longer than
# this: a longer silence means the daemon was not watching (three missed 5-minute rounds).
MAX_SAMPLE_GAP = dt.timedelta(minutes=15)
MAX_PAGE = 500
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ELLIPSIS = "\u2026"


@dataclass(frozen=True, slots=True)
class Sample:
    """One reading of a station's stream, as stationd takes it from Icecast."""

    timestamp: dt.datetime  # aware
    listeners: int  # all listeners, every bitrate
    peak_listeners: int  # highest count since the previous sample (>= listeners)
    current_song: str | None = None
    # kbps -> listeners; 64/128/320 go to their columns, others count in the total only
    listeners_by_bitrate: Mapping[int, int] = field(default_factory=dict)
    stream_status: str = "online"  # "online" | "offline"
    uptime: int = 0  # seconds the stream has been up


@dataclass(frozen=True, slots=True)
class StatsSample:
    id: str
    client_id: str
    timestamp: dt.datetime
    listeners: int
    peak_listeners: int
    current_song: str | None
    listeners_64: int
    listeners_128: int
    listeners_320: int
    stream_status: str
    uptime: int


@dataclass(frozen=True, slots=True)
class HistoryBucket:
    """Aggregates of the samples in ``[start, start + bucket)``."""

    start: dt.datetime
    avg_listeners: float
    max_listeners: int
    peak_listeners: int  # highest Icecast peak reported in the bucket
    avg_64: float
    avg_128: float
    avg_320: float
    samples: int


@dataclass(frozen=True, slots=True)
class ChartSeries:
    """Buckets or samples as parallel arrays, ready for a plot: ``times`` are epoch
    seconds (UTC) of each bucket's start (or each sample's time), in time order."""

    times: tuple[float, ...]
    average: tuple[float, ...]  # mean listeners (a raw sample: its listener count)
    peak: tuple[int, ...]  # highest count or Icecast peak in the bucket
    avg_64: tuple[float, ...]
    avg_128: tuple[float, ...]
    avg_320: tuple[float, ...]
    samples: tuple[int, ...]  # samples behind each point (a raw sample: 1)

    def __len__(self) -> int:
        return len(self.times)

    @classmethod
    def from_buckets(cls, buckets: Sequence[HistoryBucket]) -> ChartSeries:
        return cls(
            times=tuple(b.start.timestamp() for b in buckets),
            average=tuple(b.avg_listeners for b in buckets),
            peak=tuple(max(b.max_listeners, b.peak_listeners) for b in buckets),
            avg_64=tuple(b.avg_64 for b in buckets),
            avg_128=tuple(b.avg_128 for b in buckets),
            avg_320=tuple(b.avg_320 for b in buckets),
            samples=tuple(b.samples for b in buckets),
        )

    @property
    def peak_listeners(self) -> int:
        """The highest point of the series (0 when empty)."""
        return max(self.peak, default=0)

    @property
    def average_listeners(self) -> float:
        """The mean of the samples behind the series (0.0 when empty)."""
        total = sum(self.samples)
        return sum(a * n for a, n in zip(self.average, self.samples, strict=True)) / total \
            if total else 0.0


@dataclass(frozen=True, slots=True)
class StatsSummary:
    peak: int  # highest listener count seen or reported as a peak in the range
    average: float  # mean of the samples' listener counts; 0.0 when there are none
    samples: int
    minutes_online: float


@dataclass(frozen=True, slots=True)
class NowPlaying:
    song: str | None
    at: dt.datetime | None  # when the sample was taken; None when there is none yet
    stream_status: str  # "online" | "offline" | "unknown" (no sample yet)


@dataclass(frozen=True, slots=True)
class LiveSessionRecord:
    id: str
    client_id: str
    dj_name: str | None
    start: dt.datetime
    end: dt.datetime | None
    duration_seconds: int | None
    peak_listeners: int
    avg_listeners: int

    @property
    def is_open(self) -> bool:
        return self.end is None


# -- validation -------------------------------------------------------------------------


def _count(value: int, field_name: str, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{label} must be a whole number; got {value!r}.", field=field_name)
    check_range(value, field_name, label, 0, MAX_COUNT)
    return value


def _song(value: str | None) -> str | None:
    """Stream metadata as it can be stored: one line, at most 191 characters.

    Metadata comes from whatever the DJ's encoder or the files say; rather than losing the
    sample, control characters become spaces and an over-long title is cut with an ellipsis.
    """
    if value is None:
        return None
    text = " ".join(_CONTROL.sub(" ", str(value)).split())
    if not text:
        return None
    if len(text) > STR_LENGTH:
        text = text[: STR_LENGTH - 1] + _ELLIPSIS
    return text


@dataclass(frozen=True, slots=True)
class _CleanSample:
    timestamp: dt.datetime
    listeners: int
    peak: int
    song: str | None
    by_bitrate: dict[int, int]
    status: str
    uptime: int


def validate_sample(sample: Sample) -> _CleanSample:
    timestamp = aware_instant(sample.timestamp, "timestamp", "The sample time")
    listeners = _count(sample.listeners, "listeners", "Listeners")
    peak = _count(sample.peak_listeners, "peak_listeners", "Peak listeners")
    if peak < listeners:
        raise ValidationError(
            f"Peak listeners ({peak}) cannot be below the current listeners ({listeners}).",
            field="peak_listeners",
        )
    by_bitrate: dict[int, int] = {}
    for bitrate, count in dict(sample.listeners_by_bitrate).items():
        if isinstance(bitrate, bool) or not isinstance(bitrate, int) or bitrate <= 0:
            raise ValidationError(
                f"Bitrates are positive whole kbps; got {bitrate!r}.",
                field="listeners_by_bitrate",
            )
        by_bitrate[bitrate] = _count(count, "listeners_by_bitrate",
                                     f"Listeners at {bitrate} kbps")
    if sum(by_bitrate.values()) > listeners:
        raise ValidationError(
            f"The listeners per bitrate add up to {sum(by_bitrate.values())}, more than the "
            f"{listeners} listeners in total.",
            field="listeners_by_bitrate",
        )
    check_choice(sample.stream_status, "stream_status", "Stream status", STREAM_STATUSES)
    uptime = _count(sample.uptime, "uptime", "Uptime")
    return _CleanSample(timestamp, listeners, peak, _song(sample.current_song), by_bitrate,
                        sample.stream_status, uptime)


def checked_range(start: dt.datetime, end: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """``[start, end)`` in UTC, taken to the whole second (fractions dropped)."""
    start = aware_instant(start, "start", "The start").replace(microsecond=0)
    end = aware_instant(end, "end", "The end").replace(microsecond=0)
    if end <= start:
        raise ValidationError(
            f"The end ({end:%Y-%m-%d %H:%M:%S} UTC) must be after the start "
            f"({start:%Y-%m-%d %H:%M:%S} UTC).",
            field="end",
        )
    return start, end


def _epoch(value: dt.datetime) -> int:
    return int(value.timestamp())


# -- records ----------------------------------------------------------------------------


def _sample_record(row: StreamStats) -> StatsSample:
    return StatsSample(
        id=row.id, client_id=row.clientId, timestamp=row.timestamp, listeners=row.listeners,
        peak_listeners=row.peakListeners, current_song=row.currentSong,
        listeners_64=row.listeners64, listeners_128=row.listeners128,
        listeners_320=row.listeners320, stream_status=row.streamStatus, uptime=row.uptime,
    )


def _session_record(row: LiveSession) -> LiveSessionRecord:
    return LiveSessionRecord(
        id=row.id, client_id=row.clientId, dj_name=row.djName, start=row.startTime,
        end=row.endTime, duration_seconds=row.duration, peak_listeners=row.peakListeners,
        avg_listeners=row.avgListeners,
    )


def _in_range(client_id: str, start: dt.datetime, end: dt.datetime) -> ColumnElement[bool]:
    return and_(StreamStats.clientId == client_id, StreamStats.timestamp >= start,
                StreamStats.timestamp < end)


class StatsService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- samples (written by stationd) -----------------------------------------------------

    def record_sample(self, client_id: str, sample: Sample) -> StatsSample:
        return self.record_samples([(client_id, sample)])[0]

    def record_samples(self, samples: Sequence[tuple[str, Sample]]) -> list[StatsSample]:
        """Write one round of samples ``(station id, sample)`` in one transaction: all are
        written or, if any is refused (invalid, unknown station), none is."""
        cleaned = [(client_id, validate_sample(sample)) for client_id, sample in samples]
        if not cleaned:
            return []
        with self._db.transaction() as s:
            client_ids = {client_id for client_id, _ in cleaned}
            known = set(s.scalars(select(Client.id).where(Client.id.in_(client_ids))))
            for client_id, _ in cleaned:
                if client_id not in known:
                    raise NotFound("Station", client_id)
            stored = _existing_samples(s, cleaned)
            out: list[StreamStats] = []
            for client_id, sample in cleaned:
                key = (client_id, sample.timestamp)
                row = stored.get(key)
                if row is None:
                    row = StreamStats(
                        clientId=client_id, timestamp=sample.timestamp,
                        listeners=sample.listeners, peakListeners=sample.peak,
                        currentSong=sample.song,
                        listeners64=sample.by_bitrate.get(64, 0),
                        listeners128=sample.by_bitrate.get(128, 0),
                        listeners320=sample.by_bitrate.get(320, 0),
                        streamStatus=sample.status, uptime=sample.uptime,
                    )
                    s.add(row)
                    stored[key] = row
                out.append(row)
            s.flush()
            return [_sample_record(row) for row in out]

    # -- reading -------------------------------------------------------------------------

    def latest(self, client_id: str) -> StatsSample | None:
        """The station's newest sample (the "realtime" figures), or None before the first."""
        with self._db.read() as s:
            row = _latest_row(s, client_id)
            return _sample_record(row) if row is not None else None

    def now_playing(self, client_id: str) -> NowPlaying:
        """The song of the newest sample (up to one sampling interval old; asking
        Liquidsoap directly for what is on air comes with the control layer). ``at`` tells
        how old it is; ``stream_status`` is "unknown" before the first sample."""
        with self._db.read() as s:
            row = _latest_row(s, client_id)
            if row is None:
                return NowPlaying(None, None, "unknown")
            return NowPlaying(row.currentSong, row.timestamp, row.streamStatus)

    def history(
        self, client_id: str, start: dt.datetime, end: dt.datetime, bucket: dt.timedelta
    ) -> list[HistoryBucket]:
        """Samples in ``[start, end)`` aggregated per ``bucket``, in time order.

        Buckets are counted from ``start`` (``[start + k*bucket, start + (k+1)*bucket)``),
        so a caller who wants local days passes a local midnight. ``start`` and ``end`` are
        taken to the whole second. Buckets without samples are left out: the chart draws
        them as gaps (no data is not zero listeners). Aggregation happens in SQL.
        """
        start, end = checked_range(start, end)
        seconds = bucket_seconds(bucket, start, end)
        origin = _epoch(start)
        inner = (
            select(
                floor_div(epoch_seconds(StreamStats.timestamp) - origin, seconds).label("k"),
                StreamStats.listeners, StreamStats.peakListeners, StreamStats.listeners64,
                StreamStats.listeners128, StreamStats.listeners320,
            )
            .where(_in_range(client_id, start, end))
            .subquery()
        )
        # Sums, not AVG(): MySQL's AVG keeps 4 decimals, SUM of integers is exact on both.
        query = (
            select(
                inner.c.k, func.count(), func.sum(inner.c.listeners),
                func.max(inner.c.listeners), func.max(inner.c.peakListeners),
                func.sum(inner.c.listeners64), func.sum(inner.c.listeners128),
                func.sum(inner.c.listeners320),
            )
            .group_by(inner.c.k)
            .order_by(inner.c.k)
        )
        with self._db.read() as s:
            get_row(s, Client, client_id, "Station")
            rows = s.execute(query).all()
        buckets: list[HistoryBucket] = []
        for k, count, total, top, peak, sum64, sum128, sum320 in rows:
            n = int(count)
            buckets.append(HistoryBucket(
                start=start + dt.timedelta(seconds=int(k) * seconds),
                avg_listeners=int(total) / n, max_listeners=int(top),
                peak_listeners=int(peak), avg_64=int(sum64) / n, avg_128=int(sum128) / n,
                avg_320=int(sum320) / n, samples=n,
            ))
        return buckets

    def recent(self, client_id: str, since: dt.datetime) -> ChartSeries:
        """The raw samples from ``since`` on, oldest first, as arrays (the real-time chart);
        at most :data:`MAX_BUCKETS` of them (the newest)."""
        first = aware_instant(since, "since", "Since")
        query = (
            select(epoch_seconds(StreamStats.timestamp), StreamStats.listeners,
                   StreamStats.peakListeners, StreamStats.listeners64,
                   StreamStats.listeners128, StreamStats.listeners320)
            .where(StreamStats.clientId == client_id, StreamStats.timestamp >= first)
            .order_by(StreamStats.timestamp.desc(), StreamStats.id.desc())
            .limit(MAX_BUCKETS)
        )
        with self._db.read() as s:
            get_row(s, Client, client_id, "Station")
            rows = list(reversed(s.execute(query).all()))
        return ChartSeries(
            times=tuple(float(r[0]) for r in rows),
            average=tuple(float(r[1]) for r in rows),
            peak=tuple(max(int(r[1]), int(r[2])) for r in rows),
            avg_64=tuple(float(r[3]) for r in rows),
            avg_128=tuple(float(r[4]) for r in rows),
            avg_320=tuple(float(r[5]) for r in rows),
            samples=tuple(1 for _ in rows),
        )

    def summary(self, client_id: str, start: dt.datetime, end: dt.datetime) -> StatsSummary:
        """Peak, average and time online over ``[start, end)`` (to the whole second).

        Time online: each "online" sample counts from its time until the next sample, for
        at most :data:`MAX_SAMPLE_GAP` and never past ``end``; the last sample before
        ``start`` covers the beginning of the range the same way.
        """
        start, end = checked_range(start, end)
        with self._db.read() as s:
            get_row(s, Client, client_id, "Station")
            count, total, top, peak = s.execute(
                select(func.count(), func.sum(StreamStats.listeners),
                       func.max(StreamStats.listeners), func.max(StreamStats.peakListeners))
                .where(_in_range(client_id, start, end))
            ).one()
            online = _online_seconds(s, client_id, start, end)
        n = int(count)
        return StatsSummary(
            peak=max(int(top or 0), int(peak or 0)),
            average=int(total) / n if n else 0.0,
            samples=n,
            minutes_online=online / 60,
        )

    # -- live sessions -------------------------------------------------------------------

    def start_live_session(
        self, client_id: str, dj_name: str | None, at: dt.datetime
    ) -> LiveSessionRecord:
        """A DJ connected: open a session (refused while one is still open)."""
        dj = clean_text(dj_name, "dj_name", "DJ name", required=False)
        start = aware_instant(at, "at", "The start")
        with self._db.transaction() as s:
            client = lock_row(s, Client, client_id, "Station")  # one opener at a time
            current = _open_session_row(s, client_id, lock=True)
            if current is not None:
                raise StationError(
                    f"A live session is already open for {client.name!r} "
                    f"({current.djName or 'unnamed DJ'}, since "
                    f"{current.startTime:%Y-%m-%d %H:%M:%S} UTC). End it before starting "
                    "another."
                )
            row = LiveSession(clientId=client_id, djName=dj, startTime=start,
                              peakListeners=0, avgListeners=0)
            s.add(row)
            s.flush()
            return _session_record(row)

    def end_live_session(
        self, session_id: str, at: dt.datetime, peak_listeners: int, avg_listeners: int
    ) -> LiveSessionRecord:
        """The DJ disconnected: close the session with its duration and audience.

        Ending it again with the same values changes nothing (the daemon may retry);
        with different values it is a :class:`Conflict`.
        """
        end = aware_instant(at, "at", "The end")
        peak = _count(peak_listeners, "peak_listeners", "Peak listeners")
        average = _count(avg_listeners, "avg_listeners", "Average listeners")
        if average > peak:
            raise ValidationError(
                f"Average listeners ({average}) cannot exceed the peak ({peak}).",
                field="avg_listeners",
            )
        with self._db.transaction() as s:
            row = lock_row(s, LiveSession, session_id, "Live session")
            if row.endTime is not None:
                if (row.endTime, row.peakListeners, row.avgListeners) == (end, peak, average):
                    return _session_record(row)
                raise Conflict(
                    f"This live session already ended at {row.endTime:%Y-%m-%d %H:%M:%S} UTC "
                    f"(peak {row.peakListeners}, average {row.avgListeners}); it was not "
                    "changed."
                )
            if end < row.startTime:
                raise ValidationError(
                    f"The session cannot end ({end:%Y-%m-%d %H:%M:%S} UTC) before it started "
                    f"({row.startTime:%Y-%m-%d %H:%M:%S} UTC).",
                    field="at",
                )
            row.endTime = end
            row.duration = (end - row.startTime) // dt.timedelta(seconds=1)
            row.peakListeners, row.avgListeners = peak, average
            s.flush()
            return _session_record(row)

    def open_live_session(self, client_id: str) -> LiveSessionRecord | None:
        """The station's session still on air, if any."""
        with self._db.read() as s:
            get_row(s, Client, client_id, "Station")
            row = _open_session_row(s, client_id)
            return _session_record(row) if row is not None else None

    def live_sessions(
        self, client_id: str, limit: int = 50, before: dt.datetime | None = None
    ) -> list[LiveSessionRecord]:
        """Past and open sessions, newest first. For the next page pass ``before`` = the
        start of the last session of this one (keyset pagination: stable while new
        sessions arrive)."""
        check_range(limit, "limit", "Page size", 1, MAX_PAGE, "sessions")
        query = (
            select(LiveSession)
            .where(LiveSession.clientId == client_id)
            .order_by(LiveSession.startTime.desc(), LiveSession.id.desc())
            .limit(int(limit))
        )
        if before is not None:
            query = query.where(LiveSession.startTime < aware_instant(before, "before", "Before"))
        with self._db.read() as s:
            get_row(s, Client, client_id, "Station")
            return [_session_record(row) for row in s.scalars(query)]


def bucket_seconds(bucket: dt.timedelta, start: dt.datetime, end: dt.datetime) -> int:
    if not isinstance(bucket, dt.timedelta) or bucket < MIN_BUCKET:
        raise ValidationError(
            f"The bucket must be at least one minute; got {bucket!r}.", field="bucket"
        )
    if bucket % dt.timedelta(seconds=1):
        raise ValidationError(
            f"The bucket must be a whole number of seconds; got {bucket}.", field="bucket"
        )
    seconds = bucket // dt.timedelta(seconds=1)
    count = -(-_epoch_span(start, end) // seconds)
    if count > MAX_BUCKETS:
        raise ValidationError(
            f"That range would make {count} buckets of {bucket}; at most {MAX_BUCKETS} per "
            "request. Choose a larger bucket or a shorter range.",
            field="bucket",
        )
    return seconds


def _epoch_span(start: dt.datetime, end: dt.datetime) -> int:
    return _epoch(end) - _epoch(start)


def _open_session_row(s: Session, client_id: str, *, lock: bool = False) -> LiveSession | None:
    """The station's newest session without an end. ``lock`` makes it a locking read,
    which on InnoDB sees the latest committed rows whatever the transaction's snapshot."""
    query = (
        select(LiveSession)
        .where(LiveSession.clientId == client_id, LiveSession.endTime.is_(None))
        .order_by(LiveSession.startTime.desc(), LiveSession.id.desc())
        .limit(1)
    )
    if lock:
        query = query.with_for_update()
    return s.scalars(query).first()


def _latest_row(s: Session, client_id: str) -> StreamStats | None:
    get_row(s, Client, client_id, "Station")
    return s.scalars(
        select(StreamStats)
        .where(StreamStats.clientId == client_id)
        .order_by(StreamStats.timestamp.desc(), StreamStats.id.desc())
        .limit(1)
    ).first()


def _existing_samples(
    s: Session, cleaned: Sequence[tuple[str, _CleanSample]]
) -> dict[tuple[str, dt.datetime], StreamStats]:
    """Rows already stored for the (station, timestamp) pairs of a round."""
    client_ids = {client_id for client_id, _ in cleaned}
    stamps = {sample.timestamp for _, sample in cleaned}
    rows = s.scalars(
        select(StreamStats).where(StreamStats.clientId.in_(client_ids),
                                  StreamStats.timestamp.in_(stamps))
    )
    return {(row.clientId, row.timestamp): row for row in rows}


def _online_seconds(s: Session, client_id: str, start: dt.datetime, end: dt.datetime) -> int:
    """Seconds of ``[start, end)`` covered by online samples (see :meth:`summary`)."""
    origin, stop = _epoch(start), _epoch(end)
    gap = MAX_SAMPLE_GAP // dt.timedelta(seconds=1)
    seconds = 0
    # The sample just before the range covers its beginning, until the first sample in it.
    before = s.execute(
        select(StreamStats.timestamp, StreamStats.streamStatus)
        .where(StreamStats.clientId == client_id, StreamStats.timestamp < start)
        .order_by(StreamStats.timestamp.desc(), StreamStats.id.desc())
        .limit(1)
    ).first()
    if before is not None and before.streamStatus == "online":
        first = s.scalar(select(func.min(StreamStats.timestamp))
                         .where(_in_range(client_id, start, end)))
        until = min(_epoch(first) if first is not None else stop,
                    _epoch(before.timestamp) + gap, stop)
        seconds += max(0, until - origin)
    # Each online sample in the range covers the time until the next one (window function).
    t = epoch_seconds(StreamStats.timestamp)
    inner = (
        select(
            t.label("t"), StreamStats.streamStatus.label("status"),
            func.lead(t).over(order_by=(StreamStats.timestamp, StreamStats.id)).label("next_t"),
        )
        .where(_in_range(client_id, start, end))
        .subquery()
    )
    covered = case(
        (inner.c.status == "online",
         least(func.coalesce(inner.c.next_t, stop), inner.c.t + gap, stop) - inner.c.t),
        else_=0,
    )
    seconds += int(s.scalar(select(func.coalesce(func.sum(covered), 0))) or 0)
    return seconds
