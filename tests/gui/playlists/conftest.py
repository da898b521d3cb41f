"""Fixtures of the playlist editor tests: a real workspace (SQLite, then MariaDB), a
station with a small, realistic library, and the page on the shared DB worker."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from helpers.factories import make_station, new_track
from pytestqt.qtbot import QtBot

from station_desktop.db.engine import Database
from station_desktop.services.library import LibraryService, TrackRecord
from station_desktop.services.workspace import Workspace
from station_desktop.ui.playlists import PlaylistsPage
from station_desktop.ui.worker import DbWorker

LIBRARY = [
    ("Blue in Green", "Miles Davis", 337.0),
    ("So What", "Miles Davis", 562.0),
    ("Take Five", "The Dave Brubeck Quartet", 324.0),
    ("Naima", "John Coltrane", 261.0),
    ("Águas de Março", "Elis Regina & Tom Jobim", 212.0),
    ("Cantaloupe Island", "Herbie Hancock", 330.0),
    ("Footprints", "Wayne Shorter", 446.0),
    ("Moanin'", "Art Blakey & The Jazz Messengers", 575.0),
    ("Song for My Father", "Horace Silver", 427.0),
    ("Watermelon Man", "Herbie Hancock", 429.0),
]


@dataclass
class Station:
    id: str
    tracks: list[TrackRecord]


@pytest.fixture
def workspace(db: Database) -> Workspace:
    return Workspace(db)


@pytest.fixture
def station(db: Database) -> Station:
    record = make_station(db, "Radio Sol", timezone="Europe/Madrid")
    library = LibraryService(db)
    tracks = [
        library.add_track(record.id, new_track(title, artist=artist, duration=duration,
                                               status="ready"))
        for title, artist, duration in LIBRARY
    ]
    return Station(record.id, tracks)


@pytest.fixture
def worker() -> Iterator[DbWorker]:
    db_worker = DbWorker()
    yield db_worker
    db_worker.shutdown()


@pytest.fixture
def page(qtbot: QtBot, worker: DbWorker) -> PlaylistsPage:
    widget = PlaylistsPage(worker)
    qtbot.addWidget(widget)
    widget.resize(1100, 640)
    widget.show()
    return widget
