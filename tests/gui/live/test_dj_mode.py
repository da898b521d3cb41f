"""DJ mode without a stack: values kept in QSettings, a server that does not answer and a
bad URL said in place. (On air / off air against a real Icecast: tests/integration/
test_live_views_real.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.stack import free_port
from pytestqt.qtbot import QtBot
from shell_support import WaitUntil

from station_desktop.ui.live.dj_mode import DjWindow, check_mount, normalise_mount
from station_desktop.ui.settings import AppSettings

pytestmark = pytest.mark.asyncio


async def test_values_are_kept_and_an_unreachable_server_is_said(
    qtbot: QtBot, tmp_path: Path, wait_until: WaitUntil,
) -> None:
    settings = AppSettings(tmp_path / "dj.ini")
    window = DjWindow(settings, use_tray=False)
    qtbot.addWidget(window)
    window.show()
    assert window.state_label.text() == "Enter the server URL and the mount."
    window.url_edit.setText(f"http://127.0.0.1:{free_port()}")
    window.mount_edit.setText("my-show")
    window.settings_changed()
    window.start()
    await wait_until(lambda: window.poller.rounds >= 1)
    assert window.state_label.text() == "Cannot reach the server"
    assert "127.0.0.1" in window.details_label.text()
    again = DjWindow(AppSettings(tmp_path / "dj.ini"), use_tray=False)
    qtbot.addWidget(again)
    assert again.server_url == window.server_url
    assert again.mount == "/my-show"
    await window.poller.stop_and_wait()


async def test_a_bad_url_is_explained() -> None:
    check = await check_mount("radio.example.net:8000", "/live")
    assert check.on_air is None
    assert check.problem is not None and "not an http(s) URL" in check.problem
    assert normalise_mount(" live ") == "/live"
