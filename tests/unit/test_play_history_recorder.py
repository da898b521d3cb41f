"""PlayHistoryRecorder: Liquidsoap's track events into the play history (jingles left out);
SQLite and MariaDB."""

from __future__ import annotations

import datetime as dt
import json

from helpers.factories import make_station

from station_desktop.daemon.events import (
    PlayHistoryRecorder,
    listeners_from_samples,
    parse_event,
)
from station_desktop.db.engine import Database
from station_desktop.services.history import PlayHistoryService
from station_desktop.services.stats import Sample, StatsService

T0 = 1795555663.0


def line(station: str, offset: float, **fields: object) -> str:
    return json.dumps({"event": "track", "station_id": station, "ts": T0 + offset, **fields})


def test_track_events_become_history_without_jingles(db: Database) -> None:
    station = make_station(db, assign=False).id
    start = dt.datetime.fromtimestamp(T0, dt.UTC)
    StatsService(db).record_sample(station, Sample(start - dt.timedelta(minutes=2), 4, 4))
    history = PlayHistoryService(db)
    recorder = PlayHistoryRecorder(history, listeners_from_samples(StatsService(db)))
    events = [
        line(station, 0, kind="music", title="Song", artist="Band", audio_id="f1",
             playlist_id="p1", source="autodj"),
        line(station, 180, kind="jingle", title="Station ID", artist="", audio_id="j1"),
        line(station, 190, kind="live", title="", artist=""),
        line(station, 400, kind="safety", title="safety", artist=None),
        json.dumps({"event": "live_connect", "station_id": station, "ts": T0 + 189}),
    ]
    for raw in events + events[:1]:  # the first one replayed: still one entry
        recorder.apply(parse_event(raw))

    entries = history.history(station)
    assert [(e.kind, e.title) for e in entries] == [
        ("unknown", "safety"), ("live", None), ("music", "Song")]
    song = entries[-1]
    assert (song.audio_file_id, song.playlist_id, song.listeners_at_start) == ("f1", "p1", 4)
    # the jingle did not end the song: the next recorded entry did
    assert song.ended_at == dt.datetime.fromtimestamp(T0 + 190, dt.UTC)
    assert entries[0].listeners_at_start == 4  # the sample is recent enough
