"""Fixtures for the Library page: a workspace on the ``db`` fixture's database (SQLite, then
MariaDB) with local media storage, a station, the page, and an ffmpeg audio factory."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from gui.library.support import MB, AudioFactory
from helpers.factories import make_station
from pytestqt.qtbot import QtBot

from station_desktop.db.engine import Database
from station_desktop.media.storage import LocalStorage
from station_desktop.services.stations import StationRecord
from station_desktop.services.workspace import Workspace, single_storage
from station_desktop.ui.library.page import LibraryPage
from station_desktop.ui.worker import DbWorker


@pytest.fixture
def worker() -> Iterator[DbWorker]:
    worker = DbWorker()
    yield worker
    worker.shutdown()


@pytest.fixture
def media_root(tmp_path: Path) -> Path:
    root = tmp_path / "audio"
    root.mkdir()
    return root


@pytest.fixture
def workspace(db: Database, media_root: Path) -> Iterator[Workspace]:
    """The services on the test database, importing into ``media_root``."""
    workspace = Workspace(db, storage_for=single_storage(LocalStorage(media_root)))
    yield workspace
    workspace.importer.close()  # the db fixture disposes of the database


@pytest.fixture
def station(db: Database) -> StationRecord:
    return make_station(db, "Radio Ñandú", storage_quota=10 * MB)


@pytest.fixture
def page(qtbot: QtBot, worker: DbWorker) -> LibraryPage:
    page = LibraryPage(worker)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    return page


@pytest.fixture
def audio(tmp_path: Path) -> AudioFactory:
    if shutil.which("ffmpeg") is None:
        pytest.fail("ffmpeg is required for the import tests (apt-get install ffmpeg)")
    folder = tmp_path / "incoming"
    folder.mkdir()
    return AudioFactory(folder)
