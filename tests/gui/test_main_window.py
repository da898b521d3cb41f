"""The main window on the embedded default: a new user sees the demo station."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QMessageBox

from station_desktop.services.workspace import Workspace, open_embedded, open_workspace
from station_desktop.ui.main_window import MainWindow
from station_desktop.ui.worker import DbWorker


@pytest.mark.asyncio
async def test_first_start_shows_the_demo_station(qtbot: QtBot, tmp_path: Path) -> None:
    worker = DbWorker()
    window = MainWindow(worker)
    qtbot.addWidget(window)
    window.show()
    try:
        await window.open_workspace(lambda: open_embedded(tmp_path / "data"))
        assert window.station_switcher.count() == 1
        assert window.station_switcher.currentText() == "Demo Radio"
        assert window.overview.heading.text() == "Demo Radio"
        assert window.stations_model.rowCount() == 1
        station = window.stations_model.record(0)
        assert station.server_name == "Local streaming server"
        assert station.mountpoint == "/demo-radio"
        assert window.servers_model.record(0).current_load == 1
        playlists = [window.overview.playlists_model.record(i)
                     for i in range(window.overview.playlists_model.rowCount())]
        assert playlists[0].name == "Main rotation" and playlists[0].is_main
        assert {p.name for p in playlists} == {
            "Main rotation", "Night jazz", "Morning show", "Station jingles"}
        blocks = [window.overview.blocks_model.record(i)
                  for i in range(window.overview.blocks_model.rowCount())]
        assert len(blocks) == 10
        night = [b for b in blocks if b.playlist_name == "Night jazz"]
        assert all(b.crosses_midnight and (b.start, b.end) == ("22:00", "02:00") for b in night)
        shown = window.overview.blocks_model.index(1, 1).data()
        assert shown == "22:00\u201302:00 (+1)"
        assert "Embedded" in window.connection_label.text()
        window.grab().save(str(tmp_path / "main.png"))
        assert (tmp_path / "main.png").stat().st_size > 0
    finally:
        worker.shutdown()


@pytest.mark.asyncio
async def test_an_unreachable_database_shows_an_error_and_keeps_the_window(
    qtbot: QtBot,
) -> None:
    worker = DbWorker()
    window = MainWindow(worker)
    qtbot.addWidget(window)
    try:
        # A closed port on loopback: the connection is refused at once.
        await window.open_workspace(
            lambda: _open("mysql+pymysql://nobody:secret@127.0.0.1:9/none")
        )
        assert window.connection_label.text() == "Not connected"
        assert window.station_switcher.count() == 0
        boxes = window.findChildren(QMessageBox)
        assert len(boxes) == 1 and boxes[0].isVisible()
        assert "127.0.0.1:9" in boxes[0].text()
        assert "secret" not in boxes[0].text()  # the password is never shown
    finally:
        worker.shutdown()


def _open(url: str) -> Workspace:
    return open_workspace(url)
