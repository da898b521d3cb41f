"""The events file Liquidsoap appends to, and the live sessions made from it."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from helpers.factories import make_station

from station_desktop.daemon.events import EventReader, LiveSessionRecorder, parse_event
from station_desktop.db.engine import Database
from station_desktop.services.stats import Sample, StatsService

T0 = dt.datetime(2026, 11, 20, 21, 0, tzinfo=dt.UTC)


def _line(kind: str, station: str, at: dt.datetime, **fields: str) -> str:
    return json.dumps({"event": kind, "station_id": station, "ts": at.timestamp(), **fields})


def _append(path: Path, *lines: str, newline: bool = True) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + ("\n" if newline else ""))


def test_reader_returns_new_complete_lines_and_resumes_after_restart(tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    _append(events, _line("started", "s1", T0), _line("track", "s1", T0, title="Ñu \"x\""))
    reader = EventReader(events)
    first = reader.read_new()
    assert [e.kind for e in first] == ["started", "track"]
    assert first[1].text("title") == 'Ñu "x"' and first[1].at == T0
    reader.commit()
    assert reader.read_new() == []
    _append(events, _line("track", "s1", T0, title="half"), newline=False)  # still being written
    assert reader.read_new() == []
    _append(events, "")  # the newline arrives
    again = EventReader(events)  # a restarted daemon resumes after the committed offset
    assert [e.text("title") for e in again.read_new()] == ["half"]


def test_uncommitted_events_are_read_again(tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    _append(events, _line("started", "s1", T0))
    reader = EventReader(events)
    assert len(reader.read_new()) == 1  # not committed: e.g. the database was down
    assert len(EventReader(events).read_new()) == 1
    assert len(reader.read_new()) == 1


def test_truncated_or_replaced_file_is_read_from_the_start(tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    _append(events, *[_line("track", "s1", T0, title=str(i)) for i in range(5)])
    reader = EventReader(events)
    reader.read_new()
    reader.commit()
    replacement = tmp_path / "new.jsonl"
    _append(replacement, _line("started", "s1", T0))
    os.replace(replacement, events)  # logrotate-style replacement
    assert [e.kind for e in reader.read_new()] == ["started"]


def test_malformed_lines_are_counted_and_skipped(tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    _append(events, "not json", '{"event": "x"}', "[1,2]",
            '{"event": "t", "station_id": "s", "ts": "x"}')
    with events.open("ab") as handle:
        handle.write(b"\xff\xfe not utf-8\n")
    _append(events, _line("started", "s1", T0))
    reader = EventReader(events)
    assert [e.kind for e in reader.read_new()] == ["started"]
    assert reader.malformed == 5


@pytest.mark.parametrize("text", ["", "null", '{"event": 1, "station_id": "s", "ts": 1}'])
def test_parse_event_refuses_what_is_not_an_event(text: str) -> None:
    with pytest.raises(ValueError):
        parse_event(text)


def test_live_events_become_a_session_with_its_audience(db: Database, tmp_path: Path) -> None:
    station = make_station(db, "Live")
    stats = StatsService(db)
    for minute, listeners in ((0, 3), (5, 9), (10, 6)):  # samples during the show
        stats.record_sample(station.id, Sample(
            timestamp=T0 + dt.timedelta(minutes=minute), listeners=listeners,
            peak_listeners=listeners, current_song=None, listeners_by_bitrate={128: listeners},
            stream_status="online", uptime=60))
    recorder = LiveSessionRecorder(stats)
    connect = parse_event(_line("live_connect", station.id, T0, user="source",
                                dj_name="", ice_name="DJ Ñoño"))
    recorder.apply(connect)
    recorder.apply(connect)  # replayed after a crash: still one session
    (session,) = stats.live_sessions(station.id)
    assert session.dj_name == "DJ Ñoño" and session.is_open and session.start == T0
    end = parse_event(_line("live_disconnect", station.id, T0 + dt.timedelta(minutes=15)))
    recorder.apply(end)
    recorder.apply(end)  # idempotent too
    (closed,) = stats.live_sessions(station.id)
    assert closed.duration_seconds == 15 * 60
    assert (closed.peak_listeners, closed.avg_listeners) == (9, 6)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"user": "source", "dj_name": "source", "ice_name": "Night Show"}, "Night Show"),
        ({"user": "ana", "dj_name": "DJ Ana", "ice_name": "whatever"}, "DJ Ana"),
        ({"user": "source", "dj_name": "", "ice_name": ""}, "source"),
    ],
)
def test_session_is_named_after_the_dj_or_the_show(
    db: Database, fields: dict[str, str], expected: str
) -> None:
    station = make_station(db, "Named")
    stats = StatsService(db)
    LiveSessionRecorder(stats).apply(parse_event(_line("live_connect", station.id, T0, **fields)))
    assert stats.live_sessions(station.id)[0].dj_name == expected
