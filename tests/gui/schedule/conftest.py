"""Fixtures of the schedule grid tests: a real workspace (SQLite, then MariaDB), a
station in Madrid with a few playlists, and the page with a fixed clock and locale."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from helpers.factories import make_station
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QLocale

from station_desktop.db.engine import Database
from station_desktop.services.playlists import PlaylistFields
from station_desktop.services.workspace import Workspace
from station_desktop.ui.schedule import SchedulePage
from station_desktop.ui.worker import DbWorker

# Wednesday 2026-03-25, 10:37:40 in Madrid (CET, UTC+1): the week before the clocks change.
NOW = dt.datetime(2026, 3, 25, 9, 37, 40, tzinfo=dt.UTC)


@dataclass
class Station:
    id: str
    morning: str
    night: str
    music: str


@pytest.fixture
def workspace(db: Database) -> Workspace:
    return Workspace(db)


@pytest.fixture
def station(workspace: Workspace, db: Database) -> Station:
    record = make_station(db, "Radio Sol", timezone="Europe/Madrid")
    playlists = workspace.playlists
    music = playlists.create_playlist(record.id, PlaylistFields("Main rotation", is_main=True))
    morning = playlists.create_playlist(record.id, PlaylistFields("Morning show", "special"))
    night = playlists.create_playlist(record.id, PlaylistFields("Night jazz"))
    return Station(record.id, morning.id, night.id, music.id)


@pytest.fixture
def locale() -> Iterator[QLocale]:
    """English (United Kingdom): weeks start on Monday. Restored afterwards."""
    before = QLocale()
    chosen = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    QLocale.setDefault(chosen)
    yield chosen
    QLocale.setDefault(before)


@pytest.fixture
def worker() -> Iterator[DbWorker]:
    db_worker = DbWorker()
    yield db_worker
    db_worker.shutdown()


@pytest.fixture
def page(qtbot: QtBot, worker: DbWorker, locale: QLocale) -> SchedulePage:
    widget = SchedulePage(worker)
    widget.clock = lambda: NOW
    qtbot.addWidget(widget)
    widget.resize(1200, 1140)
    widget.show()
    return widget
