"""Roll-ups of StreamStats (hourly, daily), pruning, history from roll-ups; SQLite and
MariaDB. The reference is always the raw computation (StatsService.history/summary)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from station_desktop.db.engine import Database
from station_desktop.db.models import (
    Client,
    StreamConfig,
    StreamStats,
    StreamStatsDaily,
    StreamStatsHourly,
)
from station_desktop.errors import NotFound, StationError
from station_desktop.services import rollups as rollups_module
from station_desktop.services.rollups import RollupService
from station_desktop.services.stations import StationFields, StationService
from station_desktop.services.stats import Sample, StatsService

T0 = dt.datetime(2026, 5, 4, 0, 0, tzinfo=dt.UTC)  # a UTC midnight
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
END = T0 + 3 * DAY


def sample(at: dt.datetime, i: int) -> Sample:
    """A varied, deterministic sample: some offline stretches, odd listener counts."""
    if 20 <= i % 97 <= 27:
        return Sample(at, 0, 0, stream_status="offline")
    low, mid, high = (i * 7) % 13, (i * 11) % 29, (i * 5) % 7
    total = low + mid + high + i % 3  # + listeners on a bitrate without a column
    return Sample(at, total, total + (i % 4), f"Song {i}",
                  {64: low, 128: mid, 320: high}, uptime=i * 300)


def fill(stats: StatsService, station: str, start: dt.datetime, end: dt.datetime,
         offset: int = 0) -> None:
    """5-minute samples (17.25 s past each mark) in [start, end), with a 40-minute hole
    (the daemon was down) in the afternoon of every day."""
    batch: list[tuple[str, Sample]] = []
    at, i = start, offset
    while at < end:
        stamp = at + dt.timedelta(seconds=17, milliseconds=250)
        if not (dt.time(15, 10) <= stamp.time() < dt.time(15, 50)):
            batch.append((station, sample(stamp, i)))
        at += dt.timedelta(minutes=5)
        i += 1
    stats.record_samples(batch)


def rows(db: Database, model: Any) -> list[tuple[Any, ...]]:
    """A roll-up table's rows without their ids, sorted."""
    with db.read() as s:
        found = s.execute(select(model.__table__)).mappings().all()
    return sorted(tuple(v for k, v in row.items() if k != "id") for row in found)


@pytest.fixture
def stations(db: Database) -> tuple[str, str]:
    service = StationService(db)
    return (service.create_station(StationFields("Radio Sol")).id,
            service.create_station(StationFields("Radio Luna")).id)


@pytest.fixture
def filled(db: Database, stations: tuple[str, str]) -> tuple[str, str]:
    stats = StatsService(db)
    fill(stats, stations[0], T0, END)
    fill(stats, stations[1], T0 + 5 * HOUR, END, offset=1000)
    return stations


RANGES = [
    (T0, END, HOUR),
    (T0, END, 3 * HOUR),
    (T0, END, DAY),
    (T0, END, 2 * DAY),
    (T0 + 7 * HOUR, END - 2 * HOUR, 2 * HOUR),  # hour-aligned, not day-aligned
    (T0 + 7 * HOUR, END, DAY),  # days from 07:00 UTC (a local midnight): hourly rows
    (T0 + DAY, T0 + DAY + 30 * dt.timedelta(minutes=1), 10 * dt.timedelta(minutes=1)),
    (T0 + 90 * dt.timedelta(minutes=1), T0 + 2 * DAY, 5 * HOUR),  # not aligned: raw
]


def test_history_from_rollups_equals_the_raw_answer(db: Database, filled: tuple[str, str]) -> None:
    stats, rollups = StatsService(db), RollupService(db)
    raw = {(station, r): stats.history(station, *r) for station in filled for r in RANGES}
    assert all(raw.values())

    report = rollups.roll_up(END)

    assert report.hours_from == T0 and report.days_from == T0 and report.until == END
    assert report.hourly_rows == 72 + 67 and report.daily_rows == 6
    for (station, r), expected in raw.items():
        assert rollups.history(station, *r) == expected, r
    # Without the raw samples (all rolled up, so all prunable) the aligned answers still
    # come out the same: they are read from the roll-ups.
    deleted = rollups.prune_raw(END)
    with db.read() as s:
        assert s.scalar(select(StreamStats.id).limit(1)) is None
    assert deleted == 2 * 3 * (288 - 8) - 5 * 12
    for (station, r), expected in raw.items():
        if r[0].minute == 0 and r[1].minute == 0 and r[0] >= T0:
            assert rollups.history(station, *r) == expected, r


def test_sums_maxima_and_minutes_online_are_exact(db: Database, filled: tuple[str, str]) -> None:
    stats, rollups = StatsService(db), RollupService(db)
    rollups.roll_up(END)
    station = filled[0]
    with db.read() as s:
        raw = s.scalars(select(StreamStats).where(StreamStats.clientId == station)).all()
        hourly = {r.bucketStart: r for r in s.scalars(
            select(StreamStatsHourly).where(StreamStatsHourly.clientId == station))}
        daily = {r.bucketStart: r for r in s.scalars(
            select(StreamStatsDaily).where(StreamStatsDaily.clientId == station))}
        s.expunge_all()  # keep the loaded values after the read's rollback
    for start, row in hourly.items():
        inside = [r for r in raw if start <= r.timestamp < start + HOUR]
        assert row.samples == len(inside) == 12 or (start.hour == 15 and row.samples < 12)
        assert row.listenersSum == sum(r.listeners for r in inside)
        assert row.maxListeners == max(r.listeners for r in inside)
        assert row.peakListeners == max(r.peakListeners for r in inside)
        assert (row.listeners64Sum, row.listeners128Sum, row.listeners320Sum) == (
            sum(r.listeners64 for r in inside), sum(r.listeners128 for r in inside),
            sum(r.listeners320 for r in inside))
        expected = stats.summary(station, start, start + HOUR).minutes_online
        assert row.minutesOnline == pytest.approx(expected, abs=1e-9), start
    assert len(daily) == 3
    for start, day in daily.items():
        summary = stats.summary(station, start, start + DAY)
        assert day.samples == summary.samples
        assert day.listenersSum / day.samples == summary.average
        assert max(day.maxListeners, day.peakListeners) == summary.peak
        assert day.minutesOnline == pytest.approx(summary.minutes_online, abs=1e-9)
    # The hole 15:10-15:50: 14:55:17 covers 15:00:00-15:00:17 (into this hour), 15:00:17
    # five minutes, 15:05:17 only 15 (no sample until 15:50:17), then 5 + 4:43 to 16:00.
    assert hourly[T0 + 15 * HOUR].minutesOnline == pytest.approx(
        (17 + 5 * 60 + 15 * 60 + 5 * 60 + 283) / 60)


def test_roll_up_is_idempotent_and_only_takes_complete_hours(
    db: Database, filled: tuple[str, str]
) -> None:
    rollups = RollupService(db)
    until = T0 + DAY + 10 * HOUR + dt.timedelta(minutes=42)
    rollups.roll_up(until)
    first = rows(db, StreamStatsHourly), rows(db, StreamStatsDaily)
    again = rollups.roll_up(until)
    assert (rows(db, StreamStatsHourly), rows(db, StreamStatsDaily)) == first
    assert again.hours_from == T0 + DAY + 8 * HOUR  # incremental: the last 2 hours
    starts = {r[1] for r in first[0]}
    assert max(starts) == T0 + DAY + 9 * HOUR  # 10:00-11:00 is not complete yet
    assert {r[1] for r in first[1]} == {T0}  # only the first day is complete
    # Nothing before the first sample, nothing to do when nothing is new.
    assert RollupService(db).roll_up(T0).hourly_rows == 0


def test_incremental_roll_up_after_new_samples_equals_a_full_one(
    db: Database, stations: tuple[str, str]
) -> None:
    stats, rollups = StatsService(db), RollupService(db)
    station = stations[0]
    middle = T0 + DAY + 6 * HOUR
    fill(stats, station, T0, middle)
    rollups.roll_up(middle)
    fill(stats, station, middle, END, offset=500)  # the daemon kept writing

    report = rollups.roll_up(END)

    assert report.hours_from == middle - 2 * HOUR
    assert report.hourly_rows == 44  # 2 recomputed + 42 new
    incremental = rows(db, StreamStatsHourly), rows(db, StreamStatsDaily)
    rollups.roll_up(END, since=T0 - DAY)  # from scratch
    assert (rows(db, StreamStatsHourly), rows(db, StreamStatsDaily)) == incremental
    assert len(incremental[1]) == 3
    for bucket in (HOUR, DAY):
        assert rollups.history(station, T0, END, bucket) == stats.history(station, T0, END,
                                                                          bucket)


def test_a_late_sample_needs_since_and_is_never_pruned_before(
    db: Database, stations: tuple[str, str]
) -> None:
    stats, rollups = StatsService(db), RollupService(db)
    station = stations[0]
    fill(stats, station, T0, T0 + DAY)
    rollups.roll_up(T0 + DAY)
    late = T0 + 3 * HOUR + dt.timedelta(minutes=2)  # a back-filled buffer
    stats.record_sample(station, Sample(late, 500, 500))

    rollups.roll_up(T0 + DAY)  # incremental: does not look back that far
    assert rollups.prune_raw(T0 + DAY) == (288 - 8) - 12  # the late sample's hour stays
    with db.read() as s:
        kept = s.scalars(select(StreamStats.timestamp).order_by(StreamStats.timestamp)).all()
    assert len(kept) == 13 and all(T0 + 3 * HOUR <= t < T0 + 4 * HOUR for t in kept)

    rollups.roll_up(T0 + DAY, since=late)
    assert rollups.history(station, T0 + 3 * HOUR, T0 + 4 * HOUR, HOUR)[0].max_listeners == 500
    assert rollups.prune_raw(T0 + DAY) == 13


def test_prune_keeps_what_is_not_rolled_up_and_works_in_batches(
    db: Database, filled: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rollups = RollupService(db)
    rollups.roll_up(T0 + DAY)
    monkeypatch.setattr(rollups_module, "PRUNE_BATCH", 50)
    transactions = 0
    original = RollupService._delete_runs

    def counting(self: RollupService, runs: Any) -> int:
        nonlocal transactions
        transactions += 1
        result = original(self, runs)
        assert result <= 50  # never more than a batch
        return result

    monkeypatch.setattr(RollupService, "_delete_runs", counting)

    deleted = rollups.prune_raw(END)  # asks for everything: only the first day goes

    assert deleted == (288 - 8) + (288 - 8 - 5 * 12)
    assert transactions >= deleted // 50
    with db.read() as s:
        oldest = s.scalar(select(StreamStats.timestamp).order_by(StreamStats.timestamp))
    assert oldest is not None and oldest >= T0 + DAY
    assert rollups.prune_raw(END) == 0  # nothing more is rolled up


def test_a_deleted_station_takes_its_rollups_along(
    db: Database, filled: tuple[str, str]
) -> None:
    rollups = RollupService(db)
    rollups.roll_up(END)
    gone, kept = filled
    # Raw samples restrict deleting a station (the seed's schema), roll-ups do not.
    with pytest.raises((IntegrityError, StationError)), db.transaction() as s:
        s.execute(delete(Client).where(Client.id == gone))
    with db.transaction() as s:
        s.execute(delete(StreamStats).where(StreamStats.clientId == gone))
        s.execute(delete(StreamConfig).where(StreamConfig.clientId == gone))
        s.execute(delete(Client).where(Client.id == gone))
    with db.read() as s:
        for model in (StreamStatsHourly, StreamStatsDaily):
            owners = set(s.scalars(select(model.clientId)))
            assert owners == {kept}, model


def test_history_of_an_unknown_station_and_without_rollups(
    db: Database, filled: tuple[str, str]
) -> None:
    rollups, stats = RollupService(db), StatsService(db)
    with pytest.raises(NotFound):
        rollups.history("nope", T0, END, HOUR)
    # Nothing rolled up yet: the raw answer.
    assert rollups.history(filled[1], T0, END, DAY) == stats.history(filled[1], T0, END, DAY)
