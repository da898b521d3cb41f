"""Fixtures of the dashboard and Live page tests: a real workspace on the ``db`` fixture's
database (SQLite, then MariaDB) and a station on a server at 127.0.0.1 whose Icecast and
Liquidsoap ports are closed (so "does not answer" is real and fast, not a DNS wait)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers.stack import free_port
from pytestqt.qtbot import QtBot

from station_desktop.db.engine import Database
from station_desktop.services.fleet import FleetService, ServerFields
from station_desktop.services.stations import StationFields, StationRecord
from station_desktop.services.workspace import Workspace
from station_desktop.ui.pages.dashboard import DashboardPage
from station_desktop.ui.pages.live import LivePage
from station_desktop.ui.worker import DbWorker


@pytest.fixture
def workspace(db: Database) -> Workspace:
    return Workspace(db)


@pytest.fixture
def station(workspace: Workspace) -> StationRecord:
    record = workspace.stations.create_station(StationFields("Radio Ñandú", "Europe/Madrid"))
    server = FleetService(workspace.db).create_server(
        ServerFields("Local VPS", "127.0.0.1", free_port()))
    workspace.stations.assign_server(record.id, server.id)
    return workspace.stations.get_station(record.id)


@pytest.fixture
def worker() -> Iterator[DbWorker]:
    db_worker = DbWorker()
    yield db_worker
    db_worker.shutdown()


@pytest.fixture
def dashboard(qtbot: QtBot, worker: DbWorker) -> DashboardPage:
    page = DashboardPage(worker)
    qtbot.addWidget(page)
    page.resize(1100, 760)
    return page


@pytest.fixture
def live_page(qtbot: QtBot, worker: DbWorker) -> LivePage:
    page = LivePage(worker)
    qtbot.addWidget(page)
    page.resize(1100, 760)
    return page

