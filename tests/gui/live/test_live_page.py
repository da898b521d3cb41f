"""The Live page over a real database (SQLite, then MariaDB): credentials hidden, revealed
and copied; regenerating asks first and the old password stops opening the live input;
guides carry this station's values; the sessions history comes from LiveSession rows."""

from __future__ import annotations

import datetime as dt

import pytest
from shell_support import WaitUntil

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QMessageBox

from station_desktop.services.stations import StationFields, StationRecord
from station_desktop.services.workspace import Workspace
from station_desktop.ui.pages.live import LivePage

pytestmark = pytest.mark.asyncio


async def test_credentials_hidden_revealed_and_copied(
    live_page: LivePage, workspace: Workspace, station: StationRecord,
) -> None:
    live_page.show()
    await live_page.set_context(workspace, station.id)
    credentials = workspace.stations.get_live_credentials(station.id)
    password = live_page.fields["password"]
    assert live_page.fields["host"].text() == "127.0.0.1"
    assert live_page.fields["port"].text() == str(credentials.port)
    assert live_page.fields["mount"].text() == credentials.mount
    assert live_page.fields["user"].text() == credentials.username
    assert password.echoMode() == QLineEdit.EchoMode.Password
    assert credentials.password not in password.displayText()
    live_page.reveal_button.click()
    assert password.displayText() == credentials.password
    live_page.reveal_button.click()
    assert credentials.password not in password.displayText()
    live_page.copy_buttons["password"].click()
    assert QGuiApplication.clipboard().text() == credentials.password
    live_page.copy_buttons["port"].click()
    assert QGuiApplication.clipboard().text() == str(credentials.port)
    for key in ("butt", "mixxx"):
        guide = live_page.guide_texts[key].toPlainText()
        assert "127.0.0.1" in guide and str(credentials.port) in guide
        assert credentials.mount in guide
        assert credentials.password not in guide  # hidden on screen like the field
        live_page.copy_guide(key)
        assert credentials.password in QGuiApplication.clipboard().text()  # copied whole
    live_page.reveal_button.click()
    assert credentials.password in live_page.guide_texts["butt"].toPlainText()
    live_page.reveal_button.click()
    await live_page.poller.stop_and_wait()


async def test_regenerate_asks_first_and_the_old_password_stops_working(
    live_page: LivePage, workspace: Workspace, station: StationRecord, wait_until: WaitUntil,
) -> None:
    live_page.show()
    await live_page.set_context(workspace, station.id)
    old = workspace.stations.get_live_credentials(station.id).password
    box = live_page.confirmation_box()
    assert box is not None and "stops working" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert workspace.stations.get_live_credentials(station.id).password == old

    box = live_page.confirmation_box()
    assert box is not None
    box.button(QMessageBox.StandardButton.Yes).click()
    await wait_until(lambda: live_page.fields["password"].text() != old)
    new = workspace.stations.get_live_credentials(station.id).password
    assert live_page.fields["password"].text() == new != old
    assert not workspace.stations.check_live_password(station.id, old)
    assert workspace.stations.check_live_password(station.id, new)
    live_page.copy_guide("mixxx")
    copied = QGuiApplication.clipboard().text()
    assert new in copied and old not in copied
    await live_page.poller.stop_and_wait()


async def test_sessions_history_and_status_without_liquidsoap(
    live_page: LivePage, workspace: Workspace, station: StationRecord, wait_until: WaitUntil,
) -> None:
    stats = workspace.stats
    start = dt.datetime(2026, 3, 1, 20, 0, tzinfo=dt.UTC)
    first = stats.start_live_session(station.id, "DJ Ñandú", start)
    stats.end_live_session(first.id, start + dt.timedelta(minutes=90, seconds=5), 40, 25)
    stats.start_live_session(station.id, None, start + dt.timedelta(days=1))
    live_page.poller.set_interval(100)
    live_page.show()
    await live_page.set_context(workspace, station.id)
    await wait_until(lambda: live_page.sessions_model.rowCount() == 2)
    model = live_page.sessions_model

    def row(index: int) -> list[str]:
        return [model.index(index, column).data() for column in range(model.columnCount())]

    newest, oldest = row(0), row(1)
    assert newest[0] == "(unnamed)" and newest[2] == "—" and newest[3] == "—"
    assert oldest[0] == "DJ Ñandú"
    assert oldest[3] == "1:30:05" and oldest[4] == "40" and oldest[5] == "25"
    facts = live_page.status_facts.values
    assert facts["connected"].text() == "unknown (Liquidsoap does not answer)"
    assert facts["listeners"].text() == "—"
    assert "liquidsoap:" in live_page.status_note.text()
    live_page.hide()
    assert not live_page.poller.active
    await live_page.poller.stop_and_wait()


async def test_a_station_without_server_has_no_live_input(
    live_page: LivePage, workspace: Workspace,
) -> None:
    lonely = workspace.stations.create_station(StationFields("Radio Sin Servidor", "UTC"))
    live_page.show()
    await live_page.set_context(workspace, lonely.id)
    assert live_page.showing_empty
    assert "not assigned to a streaming server" in live_page.empty.text()
    assert not live_page.poller.active
