"""Fixtures of the stream-settings and fleet pages: a real workspace on the ``db``
fixture's database (SQLite, then MariaDB) and a DB worker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from station_desktop.db.engine import Database
from station_desktop.media.storage import LocalStorage
from station_desktop.services.workspace import Workspace, single_storage
from station_desktop.ui.worker import DbWorker


@pytest.fixture
def worker() -> Iterator[DbWorker]:
    worker = DbWorker()
    yield worker
    worker.shutdown()


@pytest.fixture
def workspace(db: Database, tmp_path: Path) -> Iterator[Workspace]:
    root = tmp_path / "audio"
    root.mkdir()
    workspace = Workspace(db, storage_for=single_storage(LocalStorage(root)))
    yield workspace
    workspace.importer.close()
