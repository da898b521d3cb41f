"""The Servers and Stations pages over a real database: server create/edit/delete (a
server in use is refused with a clear message), the capacity bar and listeners now,
assignment to the least-loaded server, alert acknowledgement, and the notification when
a server goes offline."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from helpers.factories import make_station
from pytestqt.qtbot import QtBot
from shell_support import WaitUntil

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QMessageBox

from station_desktop.db.engine import Database
from station_desktop.services.alerts import AlertService
from station_desktop.services.fleet import FleetService, ServerFields
from station_desktop.services.stations import StationFields, StationService
from station_desktop.services.stats import Sample, StatsService
from station_desktop.services.workspace import Workspace
from station_desktop.ui.fleet.capacity import FULL, HIGH, OK, bar_color
from station_desktop.ui.fleet.servers import CAPACITY_COLUMN
from station_desktop.ui.pages.fleet import ServersPage, StationsPage
from station_desktop.ui.worker import DbWorker


@pytest.fixture
def servers_page(qtbot: QtBot, worker: DbWorker) -> ServersPage:
    page = ServersPage(worker)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    return page


@pytest.fixture
def stations_page(qtbot: QtBot, worker: DbWorker) -> StationsPage:
    page = StationsPage(worker)
    qtbot.addWidget(page)
    page.resize(1000, 500)
    page.show()
    return page


def cell(page: ServersPage, row: int, column: int) -> str:
    return str(page.model.data(page.model.index(row, column)))


def row_of(page: ServersPage, name: str) -> int:
    return next(r for r in range(page.model.rowCount()) if page.model.record(r).name == name)


@pytest.mark.asyncio
async def test_server_create_edit_delete(servers_page: ServersPage, workspace: Workspace,
                                         db: Database, wait_until: WaitUntil) -> None:
    await servers_page.set_context(workspace, None)
    assert servers_page.model.rowCount() == 0

    dialog = servers_page.open_dialog(None)
    dialog.name.setText("Madrid 1")
    dialog.host.setText("not a host/")
    assert await servers_page.save(dialog, None, dialog.values()) is None
    assert dialog.highlighted() == ["host"] and dialog.isVisible()
    assert "not a host name" in dialog.error.text()
    assert FleetService(db).list_servers() == []

    dialog.host.setText("mad1.example.net")
    dialog.capacity.setValue(4)
    dialog.region.setText("eu-south")
    created = await servers_page.save(dialog, None, dialog.values())
    assert created is not None and not dialog.isVisible()
    stored = FleetService(db).get_server(created.id)
    assert (stored.name, stored.host, stored.capacity, stored.region) == (
        "Madrid 1", "mad1.example.net", 4, "eu-south")
    assert servers_page.selected() == stored

    edit = servers_page.open_dialog(stored)
    assert edit.values() == stored.fields
    edit.capacity.setValue(6)
    await servers_page.save(edit, stored, edit.values())
    assert FleetService(db).get_server(created.id).capacity == 6

    # refused while a station is on it, with the station named
    station = StationService(db).create_station(StationFields("Radio Ñandú"))
    StationService(db).assign_server(station.id, created.id)
    await servers_page.refresh(workspace)
    assert not await servers_page.delete(FleetService(db).get_server(created.id))
    box = servers_page.findChild(QMessageBox)
    assert box is not None and "Radio Ñandú" in box.text() and "Move them" in box.text()
    box.close()
    assert FleetService(db).list_servers() != []

    # the confirmation path deletes an empty server
    empty = FleetService(db).create_server(ServerFields("Spare", "spare.example.net"))
    await servers_page.refresh(workspace)
    servers_page.select(empty.id)
    servers_page.delete_button.click()
    assert servers_page.confirm is not None
    servers_page.confirm.button(QMessageBox.StandardButton.Yes).click()
    await wait_until(lambda: servers_page.model.rowCount() == 1)
    assert [s.name for s in FleetService(db).list_servers()] == ["Madrid 1"]


@pytest.mark.asyncio
async def test_edit_conflict_is_refused(servers_page: ServersPage, workspace: Workspace,
                                        db: Database, other_db: Database) -> None:
    server = FleetService(db).create_server(ServerFields("A", "a.example.net"))
    await servers_page.set_context(workspace, None)
    dialog = servers_page.open_dialog(servers_page.model.record(0))
    FleetService(other_db).update_server(server.id, ServerFields("A2", "a.example.net"),
                                         server.version)
    dialog.capacity.setValue(3)
    assert await servers_page.save(dialog, server, dialog.values()) is None
    assert "changed" in dialog.error.text().lower() and dialog.isVisible()
    assert FleetService(db).get_server(server.id).name == "A2"


@pytest.mark.asyncio
async def test_copy_server_id_gives_what_stationd_toml_needs(
    servers_page: ServersPage, workspace: Workspace, db: Database
) -> None:
    FleetService(db).create_server(ServerFields("First", "a.example.net"))
    second = FleetService(db).create_server(ServerFields("Second", "b.example.net"))
    await servers_page.set_context(workspace, None)
    servers_page.view.clearSelection()
    assert not servers_page.copy_id_button.isEnabled()
    servers_page.view.selectRow(row_of(servers_page, "Second"))
    assert servers_page.copy_id_button.isEnabled()
    QGuiApplication.clipboard().clear()
    servers_page.copy_id_button.click()
    assert QGuiApplication.clipboard().text() == second.id


@pytest.mark.asyncio
async def test_load_bar_and_listeners_now(servers_page: ServersPage, workspace: Workspace,
                                          db: Database) -> None:
    station = make_station(db, "Busy")
    other = make_station(db, "Quiet")
    stats = StatsService(db)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    stats.record_sample(station.id, Sample(timestamp=now - dt.timedelta(minutes=5),
                                           listeners=99, peak_listeners=99))
    stats.record_sample(station.id, Sample(timestamp=now, listeners=17, peak_listeners=17))
    stats.record_sample(other.id, Sample(timestamp=now, listeners=3, peak_listeners=3))
    await servers_page.set_context(workspace, None)
    busy = row_of(servers_page, str(station.server_name))
    assert cell(servers_page, busy, CAPACITY_COLUMN) == "1 of 10"
    assert cell(servers_page, busy, 5) == "17"  # the latest sample, not the older 99
    assert servers_page._usage(busy) == (1, 10)
    assert bar_color(1, 10) == OK and bar_color(8, 10) == HIGH and bar_color(10, 10) == FULL


@pytest.mark.asyncio
async def test_assign_suggests_and_uses_the_least_loaded_server(
    stations_page: StationsPage, workspace: Workspace, db: Database, wait_until: WaitUntil
) -> None:
    fleet, stations = FleetService(db), StationService(db)
    full = fleet.create_server(ServerFields("Almost full", "a.example.net", capacity=2))
    roomy = fleet.create_server(ServerFields("Roomy", "r.example.net", capacity=20))
    fleet.create_server(ServerFields("Down", "d.example.net", capacity=50, status="offline"))
    stations.assign_server(stations.create_station(StationFields("Old")).id, full.id)
    new = stations.create_station(StationFields("New station"))
    await stations_page.set_context(workspace, None)
    stations_page.select(new.id)
    record = stations_page.selected()
    assert record is not None and record.server_id is None

    dialog = await stations_page.open_assign(record)
    assert dialog is not None
    assert dialog.server_id() == roomy.id  # offline "Down" has more room but is offline
    assert "suggested" in dialog.combo.currentText()
    dialog.done(QDialog.DialogCode.Accepted)
    await wait_until(lambda: stations.get_station(new.id).server_id == roomy.id)
    await wait_until(lambda: "now streams from" in stations_page.message.text())
    assert stations_page.selected() is not None
    assert stations_page.selected().server_name == "Roomy"  # type: ignore[union-attr]
    assert fleet.get_server(roomy.id).current_load == 1


@pytest.mark.asyncio
async def test_alert_acknowledgement_persists(servers_page: ServersPage, workspace: Workspace,
                                              db: Database) -> None:
    server = FleetService(db).create_server(ServerFields("VPS", "vps.example.net"))
    alerts = AlertService(db)
    alert = alerts.raise_or_touch(server.id, None, "icecast_unreachable", "critical",
                                  "Icecast at http://vps.example.net:8000 does not answer")
    cleared = alerts.raise_or_touch(server.id, None, "liquidsoap_unreachable", "warning",
                                    "old problem")
    alerts.clear(server.id, None, "liquidsoap_unreachable")
    await servers_page.set_context(workspace, None)
    panel = servers_page.alerts
    assert [r.id for r in panel.model._rows] == [alert.id]  # open only
    panel.show_cleared.setChecked(True)
    await panel.load(panel.service)
    assert {r.id for r in panel.model._rows} == {alert.id, cleared.id}
    assert str(panel.model.data(panel.model.index(0, 1))) == "VPS"

    row = next(r for r in range(panel.model.rowCount()) if panel.model.record(r).id == alert.id)
    panel.view.selectRow(row)
    assert panel.ack_button.isEnabled()
    await panel.acknowledge([alert.id])
    stored = AlertService(db).list_alerts(open_only=True)[0]
    assert stored.acknowledged_at is not None and stored.acknowledged_by
    shown = next(r for r in panel.model._rows if r.id == alert.id)
    assert shown.acknowledged_at is not None
    assert stored.acknowledged_by in str(panel.model.data(panel.model.index(
        panel.model._rows.index(shown), 5)))


@pytest.mark.asyncio
async def test_offline_notification_fires_when_a_server_goes_offline(
    servers_page: ServersPage, workspace: Workspace, db: Database, wait_until: WaitUntil
) -> None:
    fleet = FleetService(db)
    up = fleet.create_server(ServerFields("Up", "up.example.net"))
    fleet.create_server(ServerFields("Already down", "down.example.net", status="offline"))
    await servers_page.set_context(workspace, None)
    assert servers_page.timer.isActive()
    assert servers_page.notifier.shown == []  # already offline at start: no notification

    await servers_page.refresh(workspace)
    assert servers_page.notifier.shown == []
    fleet.set_status(up.id, "offline", only_if=("online",))  # what stationd does
    servers_page.timer.setInterval(50)  # the background poll notices it
    await wait_until(lambda: len(servers_page.notifier.shown) == 1)
    servers_page.timer.stop()
    channel, title, text = servers_page.notifier.shown[0]
    assert channel in ("tray", "status bar", "log")
    assert title == "Server offline" and "Up (up.example.net)" in text
    await servers_page.refresh(workspace)  # still offline: told once
    assert len(servers_page.notifier.shown) == 1


@pytest.mark.asyncio
async def test_fleet_screenshot(servers_page: ServersPage, workspace: Workspace, db: Database,
                                tmp_path: Path) -> None:
    fleet, stations = FleetService(db), StationService(db)
    servers = [fleet.create_server(ServerFields(name, host, capacity=cap, region=region,
                                                status=status))
               for name, host, cap, region, status in [
                   ("Madrid 1", "mad1.example.net", 10, "eu-south", "online"),
                   ("Madrid 2", "mad2.example.net", 5, "eu-south", "online"),
                   ("Frankfurt", "fra1.example.net", 20, "eu-central", "maintenance"),
                   ("Bogotá", "bog1.example.net", 4, "sa-north", "offline")]]
    stats = StatsService(db)
    now = dt.datetime.now(dt.UTC)
    for i, (server, count) in enumerate(zip(servers, (6, 5, 2, 1), strict=True)):
        for n in range(count):
            station = stations.create_station(StationFields(f"Station {i}-{n}"))
            stations.assign_server(station.id, server.id)
            stats.record_sample(station.id, Sample(timestamp=now, listeners=7 * n + i,
                                                         peak_listeners=7 * n + i))
    alerts = AlertService(db)
    alerts.raise_or_touch(servers[3].id, None, "icecast_unreachable", "critical",
                          "Icecast at http://bog1.example.net:8000 does not answer")
    done = alerts.raise_or_touch(servers[1].id, None, "liquidsoap_crashing", "warning",
                                 "Liquidsoap of Station 1-2 crashed 3 times in 10 minutes")
    alerts.acknowledge(done.id, "admin")
    await servers_page.set_context(workspace, None)
    servers_page.select(servers[0].id)
    target = tmp_path / "fleet.png"
    assert servers_page.grab().save(str(target))
    assert target.stat().st_size > 10_000
    if os.environ.get("STATION_SCREENSHOTS") == "1" and "sqlite" in workspace.db.display_url:
        docs = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
        assert servers_page.grab().save(str(docs / "fleet.png"))
