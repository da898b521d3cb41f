"""The dashboard and DJ mode against the real Icecast and Liquidsoap of the integration
suite: a real listener is counted, now playing comes from Liquidsoap, and DJ mode sees a
mount go on air and off air when its source stops.

The station in the database points at the stack: server 127.0.0.1 on the stack's Icecast
port, telnet port = the stack's Liquidsoap (whose ``out128`` output answers the now-playing
question), mount ``/dash-128`` fed by a real ffmpeg source.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import os
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.onair import listening
from helpers.stack import ARTIST, RadioStack
from sqlalchemy import update

import qasync
from PySide6.QtWidgets import QApplication

from station_desktop.db import migrate
from station_desktop.db.engine import Database
from station_desktop.db.models import StreamConfig
from station_desktop.services.fleet import FleetService, ServerFields
from station_desktop.services.playlists import PlaylistFields
from station_desktop.services.schedule import BlockFields
from station_desktop.services.stations import StationFields
from station_desktop.services.workspace import Workspace
from station_desktop.ui.live.dj_mode import DjWindow, check_mount
from station_desktop.ui.pages.dashboard import DashboardPage
from station_desktop.ui.pages.live import LivePage
from station_desktop.ui.settings import AppSettings
from station_desktop.ui.worker import DbWorker

pytestmark = [pytest.mark.integration, pytest.mark.gui]

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def qt_loop() -> Iterator[qasync.QEventLoop]:
    """Qt's event loop for a scenario (the async GUI hook lives in tests/gui only)."""
    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)
    gc.collect()  # free the closed widgets on this thread (see tests/gui/live/conftest.py)


async def wait_for(predicate: Callable[[], object], timeout: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


def run(loop: qasync.QEventLoop, scenario: Callable[[], Awaitable[None]]) -> None:
    loop.run_until_complete(asyncio.wait_for(scenario(), 90))


def _workspace(tmp_path: Path, stack: RadioStack) -> tuple[Workspace, str]:
    url = f"sqlite:///{tmp_path / 'station.db'}"
    migrate.upgrade(url)
    workspace = Workspace(Database(url))
    server = FleetService(workspace.db).create_server(
        ServerFields("Stack VPS", "127.0.0.1", stack.icecast_port))
    station = workspace.stations.create_station(StationFields("Radio Stack", "UTC"))
    workspace.stations.assign_server(station.id, server.id)
    with workspace.db.transaction() as s:
        s.execute(update(StreamConfig).where(StreamConfig.clientId == station.id)
                  .values(telnetPort=stack.telnet_port))
    config = workspace.stations.get_config(station.id)
    workspace.stations.update_config(station.id, replace(
        config.settings, mountpoint="/dash", bitrates=(128,), live_input_enabled=True),
        config.version)
    main = workspace.playlists.create_playlist(station.id, PlaylistFields("Main rotation",
                                                                          is_main=True))
    morning = workspace.playlists.create_playlist(station.id, PlaylistFields("Morning show"))
    for day in range(1, 6):
        workspace.schedule.create_block(station.id, BlockFields(morning.id, day, "07:00",
                                                                "10:00", True))
    workspace.schedule.create_block(station.id, BlockFields(main.id, 6, "22:00", "02:00",
                                                            True))
    return workspace, station.id


def test_dashboard_counts_a_real_listener_and_shows_now_playing(
    qt_loop: qasync.QEventLoop, radio_stack: RadioStack, tmp_path: Path,
) -> None:
    workspace, station_id = _workspace(tmp_path, radio_stack)
    worker = DbWorker()
    page = DashboardPage(worker)
    page.poller.set_interval(300)
    page.resize(1100, 720)
    radio_stack.start_ffmpeg_source(radio_stack.source_url("/dash-128"), name="p8-dash")

    async def scenario() -> None:
        await wait_for(lambda: "/dash-128" in radio_stack.mounts(), 20, "the /dash-128 source")
        page.show()
        await page.set_context(workspace, station_id)
        panel = page.onair
        await wait_for(lambda: panel.value("stream").startswith("online"), 20, "online")
        assert panel.value("listeners") == "0"
        async with listening(f"{radio_stack.icecast_url}/dash-128") as received:
            await wait_for(lambda: received[0] > 0 and panel.value("listeners") == "1", 20,
                           "the listener counted")
            assert ARTIST in panel.value("playing")  # from Liquidsoap's out128 metadata
            assert panel.value("source") == "AutoDJ"
            assert panel.value("uptime") != "not running or unreachable"
            assert panel.skip_button.isEnabled()
            if os.environ.get("STATION_SCREENSHOTS") == "1":
                assert page.grab().save(str(DOCS / "dashboard.png"))
        await wait_for(lambda: panel.value("listeners") == "0", 20, "the listener gone")
        await page.poller.stop_and_wait()
        page.close()
        page.controls.close()

    try:
        run(qt_loop, scenario)
    finally:
        radio_stack.stop_process("p8-dash")
        worker.shutdown()
        workspace.close()


def test_dj_mode_sees_the_mount_on_air_then_off_air(
    qt_loop: qasync.QEventLoop, radio_stack: RadioStack, tmp_path: Path,
) -> None:
    window = DjWindow(AppSettings(tmp_path / "dj.ini"), use_tray=False)
    window.poller.set_interval(300)
    window.resize(460, 240)
    dropped: list[str] = []
    window.connection_dropped.connect(dropped.append)
    # A station's mounts are <mount>-<kbps>; DJs are told <mount>, an alias Icecast's
    # status does not list.
    radio_stack.start_ffmpeg_source(radio_stack.source_url("/dj-show-128"), name="p8-dj",
                                    ice_name="DJ Show")

    async def scenario() -> None:
        window.show()
        window.url_edit.setText(radio_stack.icecast_url)
        window.mount_edit.setText("/dj-show")
        window.settings_changed()
        window.start()
        await wait_for(lambda: window.state_label.text() == "ON AIR", 20, "on air")
        assert "0 listening" in window.details_label.text()
        exact = await check_mount(radio_stack.icecast_url, "/dj-show-128")
        other = await check_mount(radio_stack.icecast_url, "/dj-sho")  # not a prefix match
        assert (exact.on_air, other.on_air) == (True, False)
        if os.environ.get("STATION_SCREENSHOTS") == "1":
            assert window.grab().save(str(DOCS / "dj-mode.png"))
        radio_stack.stop_process("p8-dj")
        await wait_for(lambda: window.state_label.text() == "Off air", 20, "off air")
        assert dropped == ["/dj-show"]
        await window.poller.stop_and_wait()
        window.close()

    try:
        run(qt_loop, scenario)
    finally:
        radio_stack.stop_process("p8-dj")


def test_live_page_sees_a_real_dj_on_the_harbor(
    qt_loop: qasync.QEventLoop, radio_stack: RadioStack, tmp_path: Path,
) -> None:
    workspace, station_id = _workspace(tmp_path, radio_stack)
    stats = workspace.stats
    before = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    past = stats.start_live_session(station_id, "DJ Noche", before)
    stats.end_live_session(past.id, before + dt.timedelta(hours=2), 31, 18)
    # what stationd records when the DJ logs in (the harbor asks it for the password)
    stats.start_live_session(station_id, "DJ Ñandú", dt.datetime.now(dt.UTC))
    worker = DbWorker()
    page = LivePage(worker)
    page.poller.set_interval(300)
    page.resize(1100, 760)

    async def scenario() -> None:
        page.show()
        await page.set_context(workspace, station_id)
        facts = page.status_facts.values
        await wait_for(lambda: facts["connected"].text() == "no", 20, "no DJ yet")
        radio_stack.start_ffmpeg_source(radio_stack.harbor_url, name="p8-live-dj")
        await wait_for(lambda: facts["connected"].text() == "yes", 30, "the DJ connected")
        assert facts["dj"].text() == "DJ Ñandú"
        assert facts["since"].text() != "—"
        assert page.sessions_model.rowCount() == 2
        if os.environ.get("STATION_SCREENSHOTS") == "1":
            assert page.grab().save(str(DOCS / "live.png"))
        radio_stack.stop_process("p8-live-dj")
        await wait_for(lambda: facts["connected"].text() == "no", 30, "the DJ gone")
        await page.poller.stop_and_wait()
        page.close()
        page.controls.close()

    try:
        run(qt_loop, scenario)
    finally:
        radio_stack.stop_process("p8-live-dj")
        worker.shutdown()
        workspace.close()
