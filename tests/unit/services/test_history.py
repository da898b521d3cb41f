"""PlayHistoryService: track starts close the previous entry, idempotent replays, paging,
top songs; SQLite and MariaDB."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers.factories import make_station

from station_desktop.db.engine import Database
from station_desktop.errors import NotFound, ValidationError
from station_desktop.services.history import PlayHistoryService, TopSong

T0 = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


@pytest.fixture
def history(db: Database) -> PlayHistoryService:
    return PlayHistoryService(db)


@pytest.fixture
def station(db: Database) -> str:
    return make_station(db, assign=False).id


def test_a_start_closes_the_previous_entry(history: PlayHistoryService, station: str) -> None:
    first = history.track_started(station, at(0), "One", "A", "file-1", "pl-1", "music", 7)
    second = history.track_started(station, at(3), "Two", "B", None, None, "live", 9)

    newest, older = history.history(station)
    assert newest.id == second.id and newest.ended_at is None and newest.kind == "live"
    assert older.id == first.id and older.ended_at == at(3)
    assert (older.audio_file_id, older.playlist_id, older.listeners_at_start) == (
        "file-1", "pl-1", 7)
    assert older.display == "A - One"


def test_recording_the_same_start_twice_adds_nothing(
    history: PlayHistoryService, station: str
) -> None:
    first = history.track_started(station, at(0), "One", "A")
    history.track_started(station, at(3), "Two", "B")
    replay = history.track_started(station, at(0), "One", "A")  # events replayed after a crash
    assert replay.id == first.id
    assert len(history.history(station)) == 2
    assert history.history(station)[1].ended_at == at(3)  # unchanged by the replay
    untitled = history.track_started(station, at(5), None, None, kind="live")
    assert history.track_started(station, at(5), None, None, kind="live").id == untitled.id


def test_an_out_of_order_start_ends_where_the_next_begins(
    history: PlayHistoryService, station: str
) -> None:
    history.track_started(station, at(0), "One", None)
    history.track_started(station, at(10), "Three", None)
    late = history.track_started(station, at(5), "Two", None)
    assert late.ended_at == at(10)
    titles = [(e.title, e.ended_at) for e in history.history(station)]
    assert titles == [("Three", None), ("Two", at(10)), ("One", at(10))]


def test_history_pages_newest_first(history: PlayHistoryService, station: str) -> None:
    for minute in range(5):
        history.track_started(station, at(minute), f"T{minute}", None)
    page = history.history(station, limit=2)
    assert [e.title for e in page] == ["T4", "T3"]
    nxt = history.history(station, limit=2, before=page[-1].started_at)
    assert [e.title for e in nxt] == ["T2", "T1"]
    with pytest.raises(NotFound):
        history.history("nope")


def test_top_songs_count_music_by_file_or_tags(
    history: PlayHistoryService, station: str, db: Database
) -> None:
    plays = [("Hit", "X", "f1", "music"), ("Hit (edit)", "X", "f1", "music"),
             ("Hit", "X", "f1", "music"), ("Loose", "Y", None, "music"),
             ("Loose", "Y", None, "music"), ("Other", "Z", "f2", "music"),
             ("Live set", "DJ", None, "live"), ("Live set", "DJ", None, "live"),
             ("Live set", "DJ", None, "live"), ("Live set", "DJ", None, "live")]
    for minute, (title, artist, file_id, kind) in enumerate(plays):
        history.track_started(station, at(minute), title, artist, file_id, None, kind)
    other = make_station(db, assign=False).id
    history.track_started(other, at(0), "Other station", "Q", "f9")

    top = history.top_songs(station, at(0), at(60))
    assert top == [TopSong("f1", "Hit (edit)", "X", 3), TopSong(None, "Loose", "Y", 2),
                   TopSong("f2", "Other", "Z", 1)]
    assert history.top_songs(station, at(0), at(60), limit=1) == top[:1]
    assert history.top_songs(station, at(3), at(5)) == [TopSong(None, "Loose", "Y", 2)]
    with pytest.raises(ValidationError):
        history.top_songs(station, at(5), at(5))


def test_refusals_and_cleaning(history: PlayHistoryService, station: str) -> None:
    with pytest.raises(ValidationError, match="Kind"):
        history.track_started(station, at(0), "x", None, kind="jingle")
    with pytest.raises(ValidationError):
        history.track_started(station, at(0), "x", None, listeners=-1)
    with pytest.raises(ValidationError):
        history.track_started(station, dt.datetime(2026, 1, 1), "x", None)
    with pytest.raises(NotFound):
        history.track_started("nope", at(0), "x", None)
    entry = history.track_started(station, at(0), "a\nb\tc " + "ñ" * 300, "  ")
    assert entry.title is not None and len(entry.title) == 191 and "\n" not in entry.title
    assert entry.artist is None
