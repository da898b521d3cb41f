"""The Stream settings page over a real database: the form round-trips every field,
validation errors mark their input, a concurrent edit is refused, and unsaved edits are
not lost when the user switches station."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.factories import make_station
from pytestqt.qtbot import QtBot
from shell_support import WaitUntil

from PySide6.QtWidgets import QMessageBox

from station_desktop.db.engine import Database
from station_desktop.services.stations import StationService, StreamSettings
from station_desktop.services.workspace import Workspace
from station_desktop.ui.pages.stream_settings import StreamSettingsPage
from station_desktop.ui.worker import DbWorker


@pytest.fixture
def page(qtbot: QtBot, worker: DbWorker) -> StreamSettingsPage:
    page = StreamSettingsPage(worker)
    qtbot.addWidget(page)
    page.resize(900, 1000)
    page.show()
    return page


def edited(settings: StreamSettings) -> StreamSettings:
    return replace(settings, mountpoint="/nandu-hq", bitrates=(64, 192, 320),
                   max_listeners=750, autodj_enabled=False, crossfade_duration=5.5,
                   normalize_audio=True, normalization_level=-16.0,
                   playback_mode="sequential", live_input_enabled=False,
                   jingles_enabled=True, jingles_frequency=7, status="active")


@pytest.mark.asyncio
async def test_every_field_round_trips_through_the_database(
    page: StreamSettingsPage, workspace: Workspace, db: Database
) -> None:
    station = make_station(db, "Radio Ñandú")
    await page.set_context(workspace, station.id)
    assert page.config is not None
    assert page.form.settings() == page.config.settings
    assert not page.apply_button.isEnabled()

    wanted = edited(page.config.settings)
    page.form.set_settings(wanted)
    page.form.edited.emit()
    assert page.dirty and page.apply_button.isEnabled()
    assert await page.apply()

    stored = StationService(db).get_config(station.id).settings
    assert stored == wanted
    assert page.message.text().startswith("Saved. stationd applies it within 5 s:")
    assert "restarts Liquidsoap only because the script changed" in page.message.text()
    assert "next track, with no restart" in page.message.text()

    # a fresh page shows exactly what was stored
    await page.set_context(None, None)
    await page.set_context(workspace, station.id)
    assert page.form.settings() == wanted
    assert not page.dirty


@pytest.mark.asyncio
async def test_revert_shows_the_saved_values(page: StreamSettingsPage, workspace: Workspace,
                                             db: Database) -> None:
    station = make_station(db)
    await page.set_context(workspace, station.id)
    assert page.config is not None
    saved = page.config.settings
    page.form.max_listeners.setValue(5)
    assert page.dirty
    page.revert_button.click()
    assert page.form.settings() == saved and not page.dirty


@pytest.mark.asyncio
async def test_validation_errors_mark_the_field_and_save_nothing(
    page: StreamSettingsPage, workspace: Workspace, db: Database
) -> None:
    station = make_station(db)
    other = make_station(db)
    await page.set_context(workspace, station.id)
    before = StationService(db).get_config(station.id)

    page.form.mountpoint.setText("no slash here")
    page.form.edited.emit()
    assert not await page.apply()
    assert page.form.highlighted() == ["mountpoint"]
    assert "must start with '/'" in page.message.text()

    page.form.mountpoint.setText(StationService(db).get_config(other.id).mountpoint)
    page.form.edited.emit()
    assert not await page.apply()
    assert page.form.highlighted() == ["mountpoint"]
    assert "already used by another station" in page.message.text()

    page.form.mountpoint.setText(before.mountpoint)
    for box in page.form.bitrates.values():
        box.setChecked(False)
    page.form.max_listeners.setValue(9)  # kept on screen, not saved
    assert not await page.apply()
    assert page.form.highlighted() == ["bitrates"]
    assert "at least one bitrate" in page.message.text()
    assert page.form.max_listeners.value() == 9  # what the user typed is still there

    after = StationService(db).get_config(station.id)
    assert after.settings == before.settings and after.version == before.version
    page.form.bitrates[128].setChecked(True)  # correcting clears the mark
    assert page.form.highlighted() == []


@pytest.mark.asyncio
async def test_a_concurrent_edit_is_refused_not_overwritten(
    page: StreamSettingsPage, workspace: Workspace, db: Database, other_db: Database
) -> None:
    station = make_station(db)
    await page.set_context(workspace, station.id)
    assert page.config is not None
    theirs = replace(page.config.settings, max_listeners=42)
    StationService(other_db).update_config(station.id, theirs, page.config.version)

    page.form.crossfade.setValue(9.0)
    assert not await page.apply()
    assert "Someone else changed these settings" in page.message.text()
    assert StationService(db).get_config(station.id).settings == theirs
    page.revert_button.click()
    assert page.form.max_listeners.value() == 100  # revert shows what the page loaded
    await page.set_context(workspace, station.id)  # reloading shows theirs
    assert page.form.max_listeners.value() == 42


@pytest.mark.asyncio
async def test_switching_station_with_unsaved_edits_asks_and_applies(
    page: StreamSettingsPage, workspace: Workspace, db: Database, wait_until: WaitUntil
) -> None:
    first, second = make_station(db, "First"), make_station(db, "Second")
    await page.set_context(workspace, first.id)
    page.form.max_listeners.setValue(321)
    await page.set_context(workspace, second.id)
    assert page.guard is not None and "First" in page.guard.text()
    assert page.station_id == second.id  # the new station is shown meanwhile
    page.guard.button(QMessageBox.StandardButton.Apply).click()
    await wait_until(lambda: page.guard is None)
    await wait_until(lambda: StationService(db).get_config(first.id).settings.max_listeners
                     == 321)
    assert StationService(db).get_config(second.id).settings.max_listeners == 100

    page.form.max_listeners.setValue(11)  # now discard an edit of Second
    await page.set_context(workspace, first.id)
    assert page.guard is not None
    page.guard.button(QMessageBox.StandardButton.Discard).click()
    await wait_until(lambda: page.guard is None)
    assert StationService(db).get_config(second.id).settings.max_listeners == 100


@pytest.mark.asyncio
async def test_an_unassigned_station_says_how_to_get_settings(
    page: StreamSettingsPage, workspace: Workspace, db: Database
) -> None:
    station = make_station(db, "Lonely", assign=False)
    await page.set_context(workspace, station.id)
    assert page.showing_empty and "Stations page" in page.empty.text()


@pytest.mark.asyncio
async def test_stream_settings_screenshot(page: StreamSettingsPage, workspace: Workspace,
                                          db: Database, tmp_path: Path) -> None:
    station = make_station(db, "Radio Ñandú")
    await page.set_context(workspace, station.id)
    page.form.mountpoint.setText("bad mount")
    await page.apply()
    target = tmp_path / "stream-settings.png"
    assert page.grab().save(str(target))
    assert target.stat().st_size > 10_000
    if os.environ.get("STATION_SCREENSHOTS") == "1" and "sqlite" in workspace.db.display_url:
        docs = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
        assert page.grab().save(str(docs / "stream-settings.png"))
