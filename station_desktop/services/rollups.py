"""Hourly and daily roll-ups of the audience samples, pruning, and history that reads them.

stationd writes one StreamStats row per station every few minutes: ~105,000 rows per
station and year. Charts over weeks or months read the roll-ups instead
(``StreamStatsHourly``, ``StreamStatsDaily``, migration 0006), and raw samples older than
the retention can go once they are rolled up.

Roll-up (:meth:`RollupService.roll_up`):

- an hourly row per station and complete UTC hour before ``until`` that has samples, from
  the raw samples; a daily row per station and complete UTC day from the hourly rows.
  Aggregation runs in SQL (``GROUP BY``, the portable helpers of ``db/sqlfuncs.py``); the
  grouped rows (one per station-hour, in windows of a day) are then written back.
- upsert = **delete + insert** of every bucket in the window, in one transaction per
  window (a day of hours, a month of days), on both backends. It needs no dialect-specific
  ``ON CONFLICT`` / ``ON DUPLICATE KEY``, and it also removes a bucket whose samples were
  deleted. Running twice gives the same rows (new ids, same values): idempotent.
- incremental: without ``since``, it recomputes from one bucket before the newest roll-up
  (the last ~2 hours / days) up to ``until``; on an empty table, from the oldest sample.
  A sample written *later* into an hour older than that (a daemon that back-fills a
  buffer after an outage of hours) is only rolled up by ``roll_up(until, since=<its
  time>)``; until then :meth:`prune_raw` keeps it (see below) but the roll-up answers
  without it.
- ``minutesOnline``: each online sample covers the time until the next sample, for at most
  :data:`~station_desktop.services.stats.MAX_SAMPLE_GAP` (as
  :meth:`StatsService.summary` counts), split at hour boundaries, so the minutes of an
  hour-aligned range are the sum of its hours. An hour covered only by the previous
  hour's last sample gets a row with ``samples`` = 0.

Per server: ``client_ids`` limits a roll-up (and its resume point) and a prune to those
stations. Each stationd passes the stations of its own server, so several daemons sharing
one database never rewrite each other's buckets at the same time.

Pruning (:meth:`RollupService.prune_raw`): deletes raw samples older than a cut-off only
in station-hours whose hourly row counts exactly as many samples as are stored (so a
sample in an hour without roll-up, or that arrived after its hour was rolled up, is
kept), at most :data:`PRUNE_BATCH` rows per transaction, so MariaDB never holds a huge
lock.

Reading (:meth:`RollupService.history`): the same answer as
:meth:`StatsService.history`, from daily rows for buckets of whole days starting at a UTC
midnight, hourly rows for buckets of whole hours starting on an hour, raw samples for
everything else and for the part of the range not rolled up yet.

Station deletion: the roll-ups go with their station (ON DELETE CASCADE); the raw
StreamStats rows still *restrict* it, as the seed's schema says (there is no station
deletion in the services yet).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    delete,
    func,
    insert,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnClause

from station_desktop.db.engine import Database
from station_desktop.db.ids import new_id
from station_desktop.db.models import Client, StreamStats, StreamStatsDaily, StreamStatsHourly
from station_desktop.db.sqlfuncs import epoch_seconds, floor_div, least
from station_desktop.services._common import aware_instant, get_row
from station_desktop.services.stats import (
    MAX_SAMPLE_GAP,
    HistoryBucket,
    bucket_seconds,
    checked_range,
)

HOUR = 3600
DAY = 86400
HOURLY_WINDOW = 24 * HOUR  # station-hours computed and written per transaction
DAILY_WINDOW = 31 * DAY
PRUNE_BATCH = 10_000  # raw rows deleted per transaction
_GAP = MAX_SAMPLE_GAP // dt.timedelta(seconds=1)
# GROUP BY the select's alias: SQLAlchemy would repeat the expression with fresh bound
# parameters, which MySQL's ONLY_FULL_GROUP_BY does not recognise as the selected one.
# Both backends accept an alias there.
_BY_HOUR: ColumnClause[Any] = literal_column("h")
_BY_DAY: ColumnClause[Any] = literal_column("d")
_BY_K: ColumnClause[Any] = literal_column("k")

Rollup = type[StreamStatsHourly] | type[StreamStatsDaily]


@dataclass(frozen=True, slots=True)
class RollupReport:
    until: dt.datetime  # roll-ups are complete before this (start of the hour of ``until``)
    hours_from: dt.datetime | None  # first hour recomputed; None: nothing to do
    hourly_rows: int  # hourly rows written
    days_from: dt.datetime | None
    daily_rows: int


@dataclass(slots=True)
class _Sums:
    """Aggregates of one bucket; added together exactly (integers)."""

    samples: int = 0
    listeners: int = 0
    top: int = 0
    peak: int = 0
    sum64: int = 0
    sum128: int = 0
    sum320: int = 0
    online: float = 0.0  # minutes

    def add(self, other: _Sums) -> None:
        self.samples += other.samples
        self.listeners += other.listeners
        self.top = max(self.top, other.top)
        self.peak = max(self.peak, other.peak)
        self.sum64 += other.sum64
        self.sum128 += other.sum128
        self.sum320 += other.sum320
        self.online += other.online


def _at(epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC)


def _epoch(value: dt.datetime) -> int:
    return int(value.timestamp())


def _floor(epoch: int, unit: int) -> int:
    return epoch // unit * unit


def _sums(row: Sequence[Any]) -> _Sums:
    samples, total, top, peak, sum64, sum128, sum320, online = row
    return _Sums(int(samples or 0), int(total or 0), int(top or 0), int(peak or 0),
                 int(sum64 or 0), int(sum128 or 0), int(sum320 or 0), float(online or 0.0))


def _in_seconds(sums: _Sums) -> _Sums:
    """``sums`` with its online minutes (a SUM of floats, whose last bits depend on the
    order the database adds them in) as seconds to the millisecond: a day rolled up
    incrementally and from scratch then stores the very same value."""
    sums.online = round(sums.online * 60, 3)
    return sums


class RollupService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- rolling up ------------------------------------------------------------------

    def roll_up(
        self, until: dt.datetime, *, since: dt.datetime | None = None,
        client_ids: Collection[str] | None = None,
    ) -> RollupReport:
        """Roll up every complete hour and day before ``until`` (see module docstring).

        ``since`` forces a recomputation from the start of its hour (and day), e.g. after
        samples were written late; without it, the run is incremental. ``client_ids``
        limits the run to those stations (None: every station).
        """
        stop_h = _floor(_epoch(aware_instant(until, "until", "Until")), HOUR)
        forced = _epoch(aware_instant(since, "since", "Since")) if since is not None else None
        ids = _id_filter(client_ids)
        if ids is not None and not ids:
            return RollupReport(_at(stop_h), None, 0, None, 0)
        with self._db.read() as s:
            if forced is not None:
                start_h: int | None = _floor(forced, HOUR)
            else:
                start_h = _resume_point(s, StreamStatsHourly, HOUR, ids)
                if start_h is None:
                    oldest = s.scalar(_only(select(func.min(StreamStats.timestamp)),
                                            StreamStats.clientId, ids))
                    start_h = _floor(_epoch(oldest), HOUR) if oldest is not None else None
        hourly_rows = 0
        hours_from = None
        if start_h is not None and start_h < stop_h:
            hours_from = _at(start_h)
            for lo in range(start_h, stop_h, HOURLY_WINDOW):
                hourly_rows += self._roll_hours(lo, min(lo + HOURLY_WINDOW, stop_h), ids)

        stop_d = _floor(stop_h, DAY)
        with self._db.read() as s:
            if forced is not None:
                start_d: int | None = _floor(forced, DAY)
            else:
                start_d = _resume_point(s, StreamStatsDaily, DAY, ids)
                if start_d is None:
                    oldest = s.scalar(_only(select(func.min(StreamStatsHourly.bucketStart)),
                                            StreamStatsHourly.clientId, ids))
                    start_d = _floor(_epoch(oldest), DAY) if oldest is not None else None
        if start_d is not None and hours_from is not None:
            start_d = min(start_d, _floor(start_h or 0, DAY))  # days whose hours changed
        daily_rows = 0
        days_from = None
        if start_d is not None and start_d < stop_d:
            days_from = _at(start_d)
            for lo in range(start_d, stop_d, DAILY_WINDOW):
                daily_rows += self._roll_days(lo, min(lo + DAILY_WINDOW, stop_d), ids)
        return RollupReport(_at(stop_h), hours_from, hourly_rows, days_from, daily_rows)

    def _roll_hours(self, lo: int, hi: int, ids: list[str] | None = None) -> int:
        """Recompute the hourly rows of ``[lo, hi)`` (epoch seconds, hour-aligned)."""
        t = epoch_seconds(StreamStats.timestamp)
        samples = (
            select(
                StreamStats.clientId.label("client"), t.label("t"),
                StreamStats.streamStatus.label("status"), StreamStats.listeners,
                StreamStats.peakListeners, StreamStats.listeners64, StreamStats.listeners128,
                StreamStats.listeners320,
                func.lead(t).over(partition_by=StreamStats.clientId,
                                  order_by=(StreamStats.timestamp, StreamStats.id))
                .label("next_t"),
            )
            # From one gap earlier: the last sample of the previous hour may cover the
            # beginning of ``lo`` online.
            .where(StreamStats.timestamp >= _at(lo - _GAP), StreamStats.timestamp < _at(hi),
                   *_in(StreamStats.clientId, ids))
            .subquery()
        )
        hour = floor_div(samples.c.t, HOUR) * HOUR
        covered_until = least(func.coalesce(samples.c.next_t, samples.c.t + _GAP),
                              samples.c.t + _GAP)
        online = samples.c.status == "online"
        own = (
            select(
                samples.c.client, hour.label("h"), samples.c.t.label("n"),
                samples.c.listeners.label("l"), samples.c.peakListeners.label("p"),
                samples.c.listeners64.label("l64"), samples.c.listeners128.label("l128"),
                samples.c.listeners320.label("l320"),
                case((online, least(covered_until, hour + HOUR) - samples.c.t), else_=0)
                .label("sec"),
            )
        )
        spill = (
            select(
                samples.c.client, (hour + HOUR).label("h"), null().label("n"),
                null().label("l"), null().label("p"), null().label("l64"),
                null().label("l128"), null().label("l320"),
                (covered_until - hour - HOUR).label("sec"),
            )
            .where(online, covered_until > hour + HOUR)
        )
        parts = union_all(own, spill).subquery()
        query = (
            select(
                parts.c.client, parts.c.h, func.count(parts.c.n), func.sum(parts.c.l),
                func.max(parts.c.l), func.max(parts.c.p), func.sum(parts.c.l64),
                func.sum(parts.c.l128), func.sum(parts.c.l320), func.sum(parts.c.sec),
            )
            .where(parts.c.h >= lo, parts.c.h < hi)
            .group_by(parts.c.client, parts.c.h)
        )
        with self._db.transaction() as s:
            rows = [(client, int(h), _sums(rest))
                    for client, h, *rest in s.execute(query)]
            return _replace(s, StreamStatsHourly, lo, hi, rows, seconds_to_minutes=True,
                            ids=ids)

    def _roll_days(self, lo: int, hi: int, ids: list[str] | None = None) -> int:
        """Recompute the daily rows of ``[lo, hi)`` from the hourly rows."""
        h = StreamStatsHourly
        day = (floor_div(epoch_seconds(h.bucketStart), DAY) * DAY).label("d")
        query = (
            select(
                h.clientId, day, func.sum(h.samples), func.sum(h.listenersSum),
                func.max(h.maxListeners), func.max(h.peakListeners), func.sum(h.listeners64Sum),
                func.sum(h.listeners128Sum), func.sum(h.listeners320Sum),
                func.sum(h.minutesOnline),
            )
            .where(h.bucketStart >= _at(lo), h.bucketStart < _at(hi), *_in(h.clientId, ids))
            .group_by(h.clientId, _BY_DAY)
        )
        with self._db.transaction() as s:
            rows = [(client, int(d), _in_seconds(_sums(rest)))
                    for client, d, *rest in s.execute(query)]
            return _replace(s, StreamStatsDaily, lo, hi, rows, seconds_to_minutes=True,
                            ids=ids)

    # -- pruning ---------------------------------------------------------------------

    def prune_raw(
        self, older_than: dt.datetime, *, client_ids: Collection[str] | None = None
    ) -> int:
        """Delete raw samples before ``older_than`` (to the hour: the hour holding it is
        kept) whose station-hour is rolled up with exactly as many samples as are stored.
        Returns how many rows were deleted; at most :data:`PRUNE_BATCH` per transaction.
        ``client_ids`` limits it to those stations (None: every station)."""
        cutoff = _floor(_epoch(aware_instant(older_than, "older_than", "Older than")), HOUR)
        ids = _id_filter(client_ids)
        if ids is not None:
            client_ids = ids
        else:
            with self._db.read() as s:
                client_ids = list(s.scalars(select(Client.id).order_by(Client.id)))
        deleted = 0
        batch: list[tuple[str, int, int]] = []
        batch_rows = 0
        for client_id in client_ids:
            for run in self._prunable_runs(client_id, cutoff):
                if batch and batch_rows + run[3] > PRUNE_BATCH:
                    deleted += self._delete_runs(batch)
                    batch, batch_rows = [], 0
                batch.append(run[:3])
                batch_rows += run[3]
        if batch:
            deleted += self._delete_runs(batch)
        return deleted

    def _prunable_runs(self, client_id: str, cutoff: int) -> Iterator[tuple[str, int, int, int]]:
        """``(station, from, to, rows)``: runs of consecutive prunable hours, each of at
        most :data:`PRUNE_BATCH` rows (one hour is never split)."""
        hour = (floor_div(epoch_seconds(StreamStats.timestamp), HOUR) * HOUR).label("h")
        with self._db.read() as s:
            stored = s.execute(
                select(hour, func.count())
                .where(StreamStats.clientId == client_id, StreamStats.timestamp < _at(cutoff))
                .group_by(_BY_HOUR).order_by(_BY_HOUR)
            ).all()
            if not stored:
                return
            rolled: dict[int, int] = {int(h): int(n) for h, n in s.execute(
                select(epoch_seconds(StreamStatsHourly.bucketStart), StreamStatsHourly.samples)
                .where(StreamStatsHourly.clientId == client_id,
                       StreamStatsHourly.bucketStart >= _at(int(stored[0][0])),
                       StreamStatsHourly.bucketStart < _at(cutoff))
            )}
        run: list[int] = []  # start, end, rows
        for stored_h, stored_count in stored:
            h, count = int(stored_h), int(stored_count)
            if rolled.get(h) != count:
                if run:
                    yield client_id, run[0], run[1], run[2]
                run = []
                continue
            if run and run[1] == h and run[2] + count <= PRUNE_BATCH:
                run[1], run[2] = h + HOUR, run[2] + count
            else:
                if run:
                    yield client_id, run[0], run[1], run[2]
                run = [h, h + HOUR, count]
        if run:
            yield client_id, run[0], run[1], run[2]

    def _delete_runs(self, runs: Iterable[tuple[str, int, int]]) -> int:
        deleted = 0
        with self._db.transaction() as s:
            for client_id, lo, hi in runs:
                result = s.execute(
                    delete(StreamStats).where(StreamStats.clientId == client_id,
                                              StreamStats.timestamp >= _at(lo),
                                              StreamStats.timestamp < _at(hi))
                    .execution_options(synchronize_session=False)
                )
                deleted += int(result.rowcount)  # type: ignore[attr-defined]
        return deleted

    # -- reading ---------------------------------------------------------------------

    def history(
        self, client_id: str, start: dt.datetime, end: dt.datetime, bucket: dt.timedelta
    ) -> list[HistoryBucket]:
        """:meth:`StatsService.history`'s answer (same buckets, same numbers), read from
        the daily or hourly roll-ups where the buckets allow it (see module docstring) and
        from the raw samples for the rest."""
        start, end = checked_range(start, end)
        seconds = bucket_seconds(bucket, start, end)
        origin, stop = _epoch(start), _epoch(end)
        plan: list[tuple[Rollup | None, int, int]] = []
        cursor = origin
        with self._db.read() as s:
            get_row(s, Client, client_id, "Station")
            for model, unit in ((StreamStatsDaily, DAY), (StreamStatsHourly, HOUR)):
                if seconds % unit or origin % unit or cursor % unit:
                    continue
                newest = s.scalar(select(func.max(model.bucketStart))
                                  .where(model.clientId == client_id))
                if newest is None:
                    continue
                cut = min(_epoch(newest) + unit, _floor(stop, unit))
                if cut > cursor:
                    plan.append((model, cursor, cut))
                    cursor = cut
            if cursor < stop:
                plan.append((None, cursor, stop))
            buckets: dict[int, _Sums] = defaultdict(_Sums)
            for source, lo, hi in plan:
                for k, sums in _bucket_sums(s, client_id, source, origin, seconds, lo, hi):
                    buckets[k].add(sums)
        return [
            HistoryBucket(
                start=_at(origin + k * seconds), avg_listeners=b.listeners / b.samples,
                max_listeners=b.top, peak_listeners=b.peak, avg_64=b.sum64 / b.samples,
                avg_128=b.sum128 / b.samples, avg_320=b.sum320 / b.samples,
                samples=b.samples,
            )
            for k, b in sorted(buckets.items()) if b.samples
        ]


def _id_filter(client_ids: Collection[str] | None) -> list[str] | None:
    return sorted(set(client_ids)) if client_ids is not None else None


def _in(column: Any, ids: list[str] | None) -> tuple[ColumnElement[bool], ...]:
    """``column IN ids`` as a where-clause part; nothing when ``ids`` is None."""
    return (column.in_(ids),) if ids is not None else ()


def _only(query: Select[Any], column: Any, ids: list[str] | None) -> Select[Any]:
    return query.where(*_in(column, ids))


def _resume_point(s: Session, model: Rollup, unit: int, ids: list[str] | None) -> int | None:
    """Where an incremental run starts: one bucket before the newest roll-up (of ``ids``)."""
    newest = s.scalar(_only(select(func.max(model.bucketStart)), model.clientId, ids))
    return _epoch(newest) - unit if newest is not None else None


def _replace(
    s: Session, model: Rollup, lo: int, hi: int, rows: list[tuple[str, int, _Sums]], *,
    seconds_to_minutes: bool, ids: list[str] | None = None,
) -> int:
    """Delete the buckets of ``[lo, hi)`` (of ``ids``) and insert ``rows`` instead (one
    transaction)."""
    s.execute(delete(model).where(model.bucketStart >= _at(lo), model.bucketStart < _at(hi),
                                  *_in(model.clientId, ids))
              .execution_options(synchronize_session=False))
    if rows:
        s.execute(insert(model), [
            {"id": new_id(), "clientId": client, "bucketStart": _at(start),
             "samples": b.samples, "listenersSum": b.listeners, "maxListeners": b.top,
             "peakListeners": b.peak, "listeners64Sum": b.sum64, "listeners128Sum": b.sum128,
             "listeners320Sum": b.sum320,
             "minutesOnline": b.online / 60 if seconds_to_minutes else b.online}
            for client, start, b in rows
        ])
    return len(rows)


def _bucket_sums(
    s: Session, client_id: str, model: Rollup | None, origin: int, seconds: int, lo: int,
    hi: int,
) -> Iterator[tuple[int, _Sums]]:
    """Per bucket number ``k`` (counted from ``origin``): the sums over ``[lo, hi)`` from
    ``model``'s rows, or from the raw samples when ``model`` is None."""
    rows: Sequence[Sequence[Any]]
    if model is None:
        k = floor_div(epoch_seconds(StreamStats.timestamp) - origin, seconds).label("k")
        query = (
            select(k, func.count(), func.sum(StreamStats.listeners),
                   func.max(StreamStats.listeners), func.max(StreamStats.peakListeners),
                   func.sum(StreamStats.listeners64), func.sum(StreamStats.listeners128),
                   func.sum(StreamStats.listeners320), func.count() * 0)
            .where(StreamStats.clientId == client_id, StreamStats.timestamp >= _at(lo),
                   StreamStats.timestamp < _at(hi))
            .group_by(_BY_K)
        )
        rows = s.execute(query).all()
    else:
        k = floor_div(epoch_seconds(model.bucketStart) - origin, seconds).label("k")
        rollup_query = (
            select(k, func.sum(model.samples), func.sum(model.listenersSum),
                   func.max(model.maxListeners), func.max(model.peakListeners),
                   func.sum(model.listeners64Sum), func.sum(model.listeners128Sum),
                   func.sum(model.listeners320Sum), func.sum(model.minutesOnline))
            .where(model.clientId == client_id, model.bucketStart >= _at(lo),
                   model.bucketStart < _at(hi))
            .group_by(_BY_K)
        )
        rows = s.execute(rollup_query).all()
    for row in rows:
        yield int(row[0]), _sums(row[1:])


__all__ = ["PRUNE_BATCH", "RollupReport", "RollupService"]
