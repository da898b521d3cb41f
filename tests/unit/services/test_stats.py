"""Stats service: samples, history buckets, summaries, live sessions; SQLite and MariaDB."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import pytest
from sqlalchemy import func, literal, select, text

from station_desktop.db.engine import Database
from station_desktop.db.models import LiveSession, StreamStats
from station_desktop.db.sqlfuncs import epoch_seconds, floor_div, least
from station_desktop.errors import Conflict, NotFound, StationError, ValidationError
from station_desktop.services import stats as stats_module
from station_desktop.services.stations import StationFields, StationService
from station_desktop.services.stats import (
    MAX_BUCKETS,
    HistoryBucket,
    LiveSessionRecord,
    NowPlaying,
    Sample,
    StatsService,
    StatsSummary,
)

T0 = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def stats(db: Database) -> StatsService:
    return StatsService(db)


@pytest.fixture
def station(db: Database) -> str:
    return StationService(db).create_station(StationFields("Radio Sol")).id


@pytest.fixture
def other_station(db: Database) -> str:
    return StationService(db).create_station(StationFields("Other FM")).id


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def sample(minutes: float, listeners: int = 0, peak: int | None = None,
           **kwargs: object) -> Sample:
    return Sample(at(minutes), listeners, listeners if peak is None else peak,
                  **kwargs)  # type: ignore[arg-type]


def stored_count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(StreamStats)) or 0)


# -- samples --------------------------------------------------------------------------------


def test_record_sample_and_read_it_back(db: Database, stats: StatsService, station: str) -> None:
    assert stats.latest(station) is None
    taken = dt.datetime(2026, 5, 4, 10, 0, 0, 123456, tzinfo=dt.UTC)
    recorded = stats.record_sample(station, Sample(
        taken, listeners=11, peak_listeners=14, current_song="Niño \u2013 Canción \U0001f3b5",
        listeners_by_bitrate={64: 3, 128: 5, 320: 1, 192: 2}, stream_status="online",
        uptime=3600,
    ))
    assert recorded.timestamp == taken.replace(microsecond=123000)  # stored to the ms
    assert (recorded.listeners, recorded.peak_listeners) == (11, 14)
    # 192 kbps has no column: it counts in the total only
    assert (recorded.listeners_64, recorded.listeners_128, recorded.listeners_320) == (3, 5, 1)
    assert recorded.current_song == "Niño \u2013 Canción \U0001f3b5"
    assert (recorded.stream_status, recorded.uptime, recorded.client_id) == (
        "online", 3600, station
    )
    assert stats.latest(station) == recorded
    newer = stats.record_sample(station, Sample(taken + 5 * MINUTE, 2, 2,
                                                stream_status="offline"))
    stats.record_sample(station, Sample(taken - 5 * MINUTE, 99, 99))  # late, older
    assert stats.latest(station) == newer
    assert (newer.listeners_64, newer.current_song) == (0, None)
    assert stored_count(db) == 3


def test_now_playing_comes_from_the_newest_sample(stats: StatsService, station: str) -> None:
    assert stats.now_playing(station) == NowPlaying(None, None, "unknown")
    stats.record_sample(station, sample(0, 5, current_song="Old Song"))
    stats.record_sample(station, sample(5, 7, current_song="New Song"))
    assert stats.now_playing(station) == NowPlaying("New Song", at(5), "online")
    stats.record_sample(station, sample(10, 0, stream_status="offline"))
    assert stats.now_playing(station) == NowPlaying(None, at(10), "offline")


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (Sample(dt.datetime(2026, 5, 4, 10, 0), 1, 1), "timestamp"),
        (Sample(T0, -1, 0), "listeners"),
        (Sample(T0, True, 1), "listeners"),
        (Sample(T0, 2**31, 2**31), "listeners"),
        (Sample(T0, 5, 4), "peak_listeners"),
        (Sample(T0, 3, 3, listeners_by_bitrate={128: 4}), "listeners_by_bitrate"),
        (Sample(T0, 3, 3, listeners_by_bitrate={0: 1}), "listeners_by_bitrate"),
        (Sample(T0, 3, 3, listeners_by_bitrate={128: -1}), "listeners_by_bitrate"),
        (Sample(T0, 3, 3, stream_status="broken"), "stream_status"),
        (Sample(T0, 3, 3, uptime=-5), "uptime"),
    ],
)
def test_invalid_samples_are_refused(
    db: Database, stats: StatsService, station: str, bad: Sample, field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        stats.record_sample(station, bad)
    assert info.value.field == field
    assert stored_count(db) == 0


def test_song_metadata_is_made_storable(stats: StatsService, station: str) -> None:
    messy = stats.record_sample(station, sample(0, current_song="Artist\n- Title\x00\t(Live) "))
    assert messy.current_song == "Artist - Title (Live)"
    long = stats.record_sample(station, sample(5, current_song="\u00e9" * 500))
    assert long.current_song is not None and len(long.current_song) == 191
    assert long.current_song.endswith("\u2026")
    blank = stats.record_sample(station, sample(10, current_song=" \r\n "))
    assert blank.current_song is None


def test_unknown_station_is_not_found(db: Database, stats: StatsService) -> None:
    with pytest.raises(NotFound, match="Station 'ghost'"):
        stats.record_sample("ghost", sample(0, 1))
    for read in (stats.latest, stats.now_playing, stats.open_live_session, stats.live_sessions):
        with pytest.raises(NotFound, match="Station 'ghost'"):
            read("ghost")
    with pytest.raises(NotFound):
        stats.history("ghost", at(0), at(60), dt.timedelta(minutes=5))
    with pytest.raises(NotFound):
        stats.summary("ghost", at(0), at(60))
    with pytest.raises(NotFound):
        stats.start_live_session("ghost", "DJ", at(0))
    assert stored_count(db) == 0


def test_record_samples_is_all_or_nothing(
    db: Database, stats: StatsService, station: str, other_station: str
) -> None:
    assert stats.record_samples([]) == []
    with pytest.raises(NotFound, match="Station 'ghost'"):
        stats.record_samples([(station, sample(0, 1)), ("ghost", sample(0, 2)),
                              (other_station, sample(0, 3))])
    assert stored_count(db) == 0
    with pytest.raises(ValidationError):
        stats.record_samples([(station, sample(0, 1)), (other_station, sample(0, 5, peak=1))])
    assert stored_count(db) == 0
    written = stats.record_samples([(station, sample(0, 1)), (other_station, sample(0, 3)),
                                    (station, sample(5, 2))])
    assert [(r.client_id, r.listeners) for r in written] == [
        (station, 1), (other_station, 3), (station, 2)
    ]
    assert stored_count(db) == 3
    latest = stats.latest(other_station)
    assert latest is not None and latest.listeners == 3


def test_a_retried_round_does_not_double_count(
    db: Database, stats: StatsService, station: str, other_station: str
) -> None:
    round_ = [(station, sample(0, 4)), (other_station, sample(0, 6))]
    first = stats.record_samples(round_)
    again = stats.record_samples([*round_, (station, sample(5, 8))])
    assert again[:2] == first
    assert stored_count(db) == 3
    assert stats.record_sample(station, sample(0, 4)) == first[0]
    # a duplicate inside one round is written once
    stats.record_samples([(station, sample(10, 1)), (station, sample(10, 1))])
    assert stored_count(db) == 4


# -- history and summary ------------------------------------------------------------------


def test_history_buckets_are_exact_and_start_at_start(
    stats: StatsService, station: str, other_station: str
) -> None:
    start = at(7)  # 10:07, deliberately not on a round boundary
    rows = [
        # bucket 0: [10:07, 10:22)
        sample(7, 1, 2, listeners_by_bitrate={64: 1}),
        sample(12, 2, 5, listeners_by_bitrate={128: 2}),
        sample(21.99, 4, 4, listeners_by_bitrate={64: 1, 128: 2, 320: 1}),
        # bucket 1: [10:22, 10:37) - a sample exactly on the boundary belongs here
        sample(22, 10, 10, listeners_by_bitrate={320: 7}),
        # bucket 2 has no samples: left out
        # bucket 3: [10:52, 11:07)
        sample(60, 3, 9),
        # outside [start, end): before the start, and exactly at the end
        sample(6.99, 100, 100),
        sample(67, 100, 100),
    ]
    stats.record_samples([(station, row) for row in rows])
    stats.record_sample(other_station, sample(10, 500, 500))  # another station's audience
    buckets = stats.history(station, start, at(67), dt.timedelta(minutes=15))
    assert buckets == [
        HistoryBucket(start=at(7), avg_listeners=7 / 3, max_listeners=4, peak_listeners=5,
                      avg_64=2 / 3, avg_128=4 / 3, avg_320=1 / 3, samples=3),
        HistoryBucket(start=at(22), avg_listeners=10.0, max_listeners=10, peak_listeners=10,
                      avg_64=0.0, avg_128=0.0, avg_320=7.0, samples=1),
        HistoryBucket(start=at(52), avg_listeners=3.0, max_listeners=3, peak_listeners=9,
                      avg_64=0.0, avg_128=0.0, avg_320=0.0, samples=1),
    ]
    assert all(b.start.tzinfo is not None for b in buckets)
    # one bucket over everything: 5 samples, mean 20/5
    (whole,) = stats.history(station, start, at(67), dt.timedelta(hours=2))
    assert (whole.samples, whole.avg_listeners, whole.max_listeners) == (5, 4.0, 10)
    assert stats.history(station, at(200), at(300), dt.timedelta(minutes=5)) == []


def test_history_takes_the_range_to_the_whole_second(
    stats: StatsService, station: str
) -> None:
    stats.record_sample(station, Sample(T0 + dt.timedelta(milliseconds=200), 3, 3))
    stats.record_sample(station, Sample(T0 + dt.timedelta(seconds=60, milliseconds=900), 5, 5))
    buckets = stats.history(station, T0 + dt.timedelta(milliseconds=500),
                            T0 + dt.timedelta(minutes=2), dt.timedelta(minutes=1))
    assert [(b.start, b.samples, b.avg_listeners) for b in buckets] == [
        (T0, 1, 3.0), (T0 + MINUTE, 1, 5.0)
    ]


def test_history_in_another_zone_means_the_same_instants(
    stats: StatsService, station: str
) -> None:
    stats.record_sample(station, sample(30, 6))
    madrid = dt.timezone(dt.timedelta(hours=2))
    (bucket,) = stats.history(station, T0.astimezone(madrid), at(60).astimezone(madrid),
                              dt.timedelta(hours=1))
    assert bucket.start == T0 and bucket.samples == 1


@pytest.mark.parametrize(
    ("start", "end", "bucket", "field"),
    [
        (at(60), at(0), dt.timedelta(minutes=5), "end"),
        (at(0), at(0), dt.timedelta(minutes=5), "end"),
        (at(0), at(60), dt.timedelta(seconds=59), "bucket"),
        (at(0), at(60), dt.timedelta(minutes=1, milliseconds=500), "bucket"),
        (at(0), at(MAX_BUCKETS + 1), dt.timedelta(minutes=1), "bucket"),
        (dt.datetime(2026, 5, 4, 10, 0), at(60), dt.timedelta(minutes=5), "start"),
        (at(0), dt.datetime(2026, 5, 4, 11, 0), dt.timedelta(minutes=5), "end"),
    ],
)
def test_history_refuses_bad_requests(
    stats: StatsService, station: str, start: dt.datetime, end: dt.datetime,
    bucket: dt.timedelta, field: str,
) -> None:
    with pytest.raises(ValidationError) as info:
        stats.history(station, start, end, bucket)
    assert info.value.field == field


def test_history_allows_exactly_the_bucket_limit(stats: StatsService, station: str) -> None:
    stats.record_sample(station, sample(MAX_BUCKETS - 1, 2))
    (last,) = stats.history(station, at(0), at(MAX_BUCKETS), dt.timedelta(minutes=1))
    assert last.start == at(MAX_BUCKETS - 1)


def test_summary_peak_average_and_time_online(stats: StatsService, station: str) -> None:
    rows = [
        (-2, 50, 60, "online"),  # before the range: covers 10:00-10:03
        (3, 4, 6, "online"),  # -> 10:08: 5 min
        (8, 0, 0, "offline"),  # 0
        (13, 6, 8, "online"),  # -> 10:18: 5 min
        (18, 10, 12, "online"),  # next at 11:00, but a sample vouches for 15 min at most
        (60, 2, 30, "online"),  # -> 11:05: 5 min
        (65, 8, 9, "online"),  # next at 11:55: 15 min
        (115, 6, 6, "online"),  # until the end of the range (12:00): 5 min
        (125, 70, 70, "online"),  # after the range
    ]
    stats.record_samples([(station, sample(m, n, p, stream_status=st)) for m, n, p, st in rows])
    summary = stats.summary(station, at(0), at(120))
    assert summary == StatsSummary(peak=30, average=36 / 7, samples=7,
                                   minutes_online=3 + 5 + 5 + 15 + 5 + 15 + 5)


def test_summary_without_samples_in_range(stats: StatsService, station: str) -> None:
    assert stats.summary(station, at(0), at(60)) == StatsSummary(0, 0.0, 0, 0.0)
    stats.record_sample(station, sample(-10, 5))  # online, vouches until 10:05
    assert stats.summary(station, at(0), at(60)) == StatsSummary(0, 0.0, 0, 5.0)
    stats.record_sample(station, sample(-1, 5, stream_status="offline"))
    assert stats.summary(station, at(0), at(60)).minutes_online == 0.0
    with pytest.raises(ValidationError) as info:
        stats.summary(station, at(60), at(0))
    assert info.value.field == "end"


def test_sql_helpers_agree_with_python(db: Database, stats: StatsService, station: str) -> None:
    when = dt.datetime(2026, 10, 25, 1, 30, 59, 999000, tzinfo=dt.UTC)
    stats.record_sample(station, Sample(when, 1, 1))
    with db.read() as s:
        if db.backend == "mysql":
            # TIMESTAMPDIFF ignores the session time zone (UNIX_TIMESTAMP would not)
            s.execute(text("SET time_zone = '+05:00'"))
        seconds, bucket, smallest = s.execute(
            select(epoch_seconds(StreamStats.timestamp),
                   floor_div(epoch_seconds(StreamStats.timestamp) - 1_000, 300),
                   least(StreamStats.listeners + 7, literal(3), 5))
        ).one()
    assert seconds == int(when.timestamp())  # fraction dropped
    assert bucket == (int(when.timestamp()) - 1_000) // 300
    assert smallest == 3


# -- live sessions --------------------------------------------------------------------------


def test_live_session_lifecycle(stats: StatsService, station: str) -> None:
    assert stats.open_live_session(station) is None
    started = stats.start_live_session(station, "  DJ Ñandú  ", at(0))
    assert (started.dj_name, started.start, started.end, started.is_open) == (
        "DJ Ñandú", at(0), None, True
    )
    assert (started.duration_seconds, started.peak_listeners, started.avg_listeners) == (
        None, 0, 0
    )
    assert stats.open_live_session(station) == started
    with pytest.raises(StationError, match=r"already open .*DJ Ñandú") as info:
        stats.start_live_session(station, "Another DJ", at(30))
    assert "End it before starting another" in str(info.value)
    ended = stats.end_live_session(started.id, at(90.5), 40, 25)
    assert ended == LiveSessionRecord(started.id, station, "DJ Ñandú", at(0), at(90.5), 5430,
                                      40, 25)
    assert not ended.is_open and stats.open_live_session(station) is None
    # the daemon may retry: same values, same answer; other values are a conflict
    assert stats.end_live_session(started.id, at(90.5), 40, 25) == ended
    with pytest.raises(Conflict, match="already ended"):
        stats.end_live_session(started.id, at(91), 40, 25)
    with pytest.raises(Conflict):
        stats.end_live_session(started.id, at(90.5), 41, 25)
    nameless = stats.start_live_session(station, None, at(100))
    assert nameless.dj_name is None


def test_ending_a_live_session_is_validated(stats: StatsService, station: str) -> None:
    session = stats.start_live_session(station, "DJ", at(10))
    with pytest.raises(ValidationError, match="before it started") as info:
        stats.end_live_session(session.id, at(9), 1, 1)
    assert info.value.field == "at"
    with pytest.raises(ValidationError) as average:
        stats.end_live_session(session.id, at(20), 3, 4)
    assert average.value.field == "avg_listeners"
    with pytest.raises(ValidationError) as negative:
        stats.end_live_session(session.id, at(20), -1, 0)
    assert negative.value.field == "peak_listeners"
    with pytest.raises(ValidationError) as naive:
        stats.end_live_session(session.id, dt.datetime(2026, 5, 4, 11, 0), 1, 1)
    assert naive.value.field == "at"
    with pytest.raises(NotFound, match="Live session 'nope'"):
        stats.end_live_session("nope", at(20), 1, 1)
    assert stats.open_live_session(station) == session  # nothing changed
    zero = stats.end_live_session(session.id, at(10), 0, 0)
    assert zero.duration_seconds == 0


def test_starting_a_live_session_is_validated(stats: StatsService, station: str) -> None:
    with pytest.raises(ValidationError) as multiline:
        stats.start_live_session(station, "DJ\nInjected", at(0))
    assert multiline.value.field == "dj_name"
    with pytest.raises(ValidationError) as naive:
        stats.start_live_session(station, "DJ", dt.datetime(2026, 5, 4, 10, 0))
    assert naive.value.field == "at"
    assert stats.open_live_session(station) is None


def test_live_sessions_newest_first_with_keyset_pages(
    stats: StatsService, station: str, other_station: str
) -> None:
    for n in range(5):
        session = stats.start_live_session(station, f"DJ {n}", at(60 * n))
        stats.end_live_session(session.id, at(60 * n + 30), n, n)
    stats.start_live_session(other_station, "Elsewhere", at(0))
    current = stats.start_live_session(station, "DJ open", at(400))
    page = stats.live_sessions(station, limit=2)
    assert [s.dj_name for s in page] == ["DJ open", "DJ 4"]
    assert page[0] == current
    page = stats.live_sessions(station, limit=2, before=page[-1].start)
    assert [s.dj_name for s in page] == ["DJ 3", "DJ 2"]
    page = stats.live_sessions(station, limit=2, before=page[-1].start)
    assert [s.dj_name for s in page] == ["DJ 1", "DJ 0"]
    assert stats.live_sessions(station, limit=2, before=page[-1].start) == []
    assert len(stats.live_sessions(station)) == 6
    for limit in (0, 501):
        with pytest.raises(ValidationError) as info:
            stats.live_sessions(station, limit=limit)
        assert info.value.field == "limit"
    with pytest.raises(ValidationError) as naive:
        stats.live_sessions(station, before=dt.datetime(2026, 5, 4, 10, 0))
    assert naive.value.field == "before"


def test_two_daemons_starting_a_session_at_once_open_only_one(
    db: Database, other_db: Database, station: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Widen the window between "no session is open" and the insert: without the station
    # lock both daemons would pass the check and open two sessions.
    original = stats_module._open_session_row

    def slow_lookup(*args: Any, **kwargs: Any) -> LiveSession | None:
        found = original(*args, **kwargs)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(stats_module, "_open_session_row", slow_lookup)
    services = [StatsService(db), StatsService(other_db)]
    barrier = threading.Barrier(len(services))
    outcomes: list[object] = [None] * len(services)

    def run(index: int) -> None:
        barrier.wait()
        try:
            outcomes[index] = services[index].start_live_session(station, f"DJ {index}", at(0))
        except Exception as error:  # the test inspects what each got
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(services))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    opened = [o for o in outcomes if isinstance(o, LiveSessionRecord)]
    refused = [o for o in outcomes if isinstance(o, StationError)]
    assert len(opened) == 1 and len(refused) == 1, outcomes
    assert "already open" in str(refused[0])
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(LiveSession)) == 1
