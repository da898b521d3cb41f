"""The dashboard over a real database (SQLite, then MariaDB), with the station's Icecast and
Liquidsoap not running: the page says so in place, polls only while visible, and Start/Stop
set the desired state in the database."""

from __future__ import annotations

import pytest
from shell_support import WaitUntil

from PySide6.QtWidgets import QApplication, QMessageBox

from station_desktop.services.stations import StationFields, StationRecord
from station_desktop.services.workspace import Workspace
from station_desktop.ui.pages.dashboard import DashboardPage

pytestmark = pytest.mark.asyncio


def _message_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()]


async def test_unreachable_programs_are_said_in_place_without_dialogs(
    dashboard: DashboardPage, workspace: Workspace, station: StationRecord,
    wait_until: WaitUntil,
) -> None:
    dashboard.poller.set_interval(100)
    dashboard.show()
    await dashboard.set_context(workspace, station.id)
    await wait_until(lambda: dashboard.poller.rounds >= 3)
    panel = dashboard.onair
    assert panel.value("stream") == "unknown (Icecast does not answer)"
    assert panel.value("source") == "unknown (Liquidsoap does not answer)"
    assert panel.value("uptime") == "not running or unreachable"
    assert panel.value("listeners") == "—"
    assert panel.value("desired") == "on air (active)"
    message = panel.message.text()
    assert "Liquidsoap:" in message and "Icecast:" in message
    assert not panel.skip_button.isEnabled()
    assert _message_boxes() == []  # three failed rounds, no dialog
    config = workspace.stations.get_config(station.id)
    assert dashboard.facts.values["mount"].text() == config.settings.mountpoint
    assert dashboard.facts.values["server"].text() == "Local VPS"
    await dashboard.poller.stop_and_wait()


async def test_polls_only_while_visible(
    dashboard: DashboardPage, workspace: Workspace, station: StationRecord,
    wait_until: WaitUntil,
) -> None:
    await dashboard.set_context(workspace, station.id)
    assert not dashboard.poller.active  # never shown: never polled
    assert dashboard.poller.rounds == 0
    dashboard.show()
    assert dashboard.poller.active
    await wait_until(lambda: dashboard.poller.rounds >= 1)
    dashboard.hide()
    assert not dashboard.poller.active
    rounds = dashboard.poller.rounds
    dashboard.poller.set_interval(50)
    await wait_until(lambda: True)
    for _ in range(10):
        QApplication.processEvents()
    assert dashboard.poller.rounds == rounds
    await dashboard.poller.stop_and_wait()


async def test_stop_and_start_set_the_desired_state(
    dashboard: DashboardPage, workspace: Workspace, station: StationRecord,
    wait_until: WaitUntil,
) -> None:
    dashboard.show()
    await dashboard.set_context(workspace, station.id)
    await wait_until(lambda: dashboard.onair.status is not None)
    dashboard.onair.stop_button.click()
    await wait_until(lambda: workspace.stations.get_config(station.id).settings.status
                     == "inactive")
    await wait_until(lambda: dashboard.onair.value("desired") == "off air (inactive)")
    assert "Stop requested" in dashboard.onair.message.text() or \
        "Checked at" in dashboard.onair.message.text()
    dashboard.onair.start_button.click()
    await wait_until(lambda: workspace.stations.get_config(station.id).settings.status
                     == "active")
    await wait_until(lambda: dashboard.onair.value("desired") == "on air (active)")
    await dashboard.poller.stop_and_wait()


async def test_skip_without_liquidsoap_says_why(
    dashboard: DashboardPage, workspace: Workspace, station: StationRecord,
    wait_until: WaitUntil,
) -> None:
    dashboard.show()
    await dashboard.set_context(workspace, station.id)
    await wait_until(lambda: dashboard.onair.status is not None)  # the refresh says its part
    await dashboard.skip_track()
    assert dashboard.onair.message.text().startswith("Could not skip:")
    assert "Liquidsoap" in dashboard.onair.message.text()
    assert _message_boxes() == []
    await dashboard.poller.stop_and_wait()


async def test_a_station_without_server_has_nothing_to_watch(
    dashboard: DashboardPage, workspace: Workspace,
) -> None:
    lonely = workspace.stations.create_station(StationFields("Radio Sin Servidor", "UTC"))
    dashboard.show()
    await dashboard.set_context(workspace, lonely.id)
    assert not dashboard.poller.active
    assert "not assigned to a streaming server" in dashboard.onair.message.text()
    assert not dashboard.onair.start_button.isEnabled()
    assert dashboard.facts.values["server"].text() == "not assigned to a server yet"
    await dashboard.poller.stop_and_wait()
