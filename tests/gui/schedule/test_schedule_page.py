"""The weekly grid over the real schedule service (SQLite, then MariaDB): creating,
moving and resizing blocks with the mouse, the edit dialog, overlaps refused before
anything is saved, blocks across midnight, undo and redo, "now" and DST warnings."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest
from helpers.factories import table_snapshot
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QLocale, QPoint, Qt, QTime
from PySide6.QtTest import QTest

from station_desktop.db.engine import Database
from station_desktop.db.models import Schedule
from station_desktop.services.schedule import BlockFields
from station_desktop.services.workspace import Workspace
from station_desktop.ui.schedule import SchedulePage
from station_desktop.ui.schedule.grid import block_colors
from station_desktop.ui.worker import DbWorker

if TYPE_CHECKING:
    from gui.schedule.conftest import Station

SUN, MON, TUE, WED, THU, FRI, SAT = range(7)
DASH = "\u2013"
H = 60


def stored(workspace: Workspace, station: Station) -> list[tuple[str, int, str, str, bool]]:
    return [(b.playlist_name, b.day_of_week, b.start, b.end, b.is_active)
            for b in workspace.schedule.list_blocks(station.id)]


def add(workspace: Workspace, station: Station, playlist: str, day: int, start: str,
        end: str, active: bool = True) -> str:
    return workspace.schedule.create_block(
        station.id, BlockFields(playlist, day, start, end, active)).id


async def open_page(page: SchedulePage, workspace: Workspace, station: Station) -> None:
    await page.set_context(workspace, station.id)
    await page.settle()


def point(page: SchedulePage, day: int, minute: float, x: float = 0.5) -> QPoint:
    return page.grid.view_point(day, minute, x).toPoint()


def drag(page: SchedulePage, start: tuple[int, float], end: tuple[int, float],
         *, release: bool = True) -> None:
    """Press at (day, minute), move there in steps, release: a real mouse drag on the
    grid's viewport."""
    viewport = page.grid.viewport()
    a, b = point(page, *start), point(page, *end)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    for step in range(1, 6):
        QTest.mouseMove(viewport, a + (b - a) * (step / 5))
    if release:
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                           b)


async def undo(page: SchedulePage) -> None:
    assert page.undo_action.isEnabled()
    page.undo_action.trigger()
    await page.settle()


async def redo(page: SchedulePage) -> None:
    assert page.redo_action.isEnabled()
    page.redo_action.trigger()
    await page.settle()


@pytest.mark.asyncio
async def test_the_week_starts_on_the_locale_first_day(
    page: SchedulePage, qtbot: QtBot, worker: DbWorker
) -> None:
    assert page.first_day == MON  # en_GB
    assert page.grid.grid_geometry.day_of_column(0) == MON
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    american = SchedulePage(worker)
    qtbot.addWidget(american)
    assert american.first_day == SUN
    assert american.grid.grid_geometry.day_of_column(0) == SUN


@pytest.mark.asyncio
async def test_create_by_dragging_on_empty_space_with_the_default_playlist(
    page: SchedulePage, workspace: Workspace, station: Station
) -> None:
    await open_page(page, workspace, station)
    page.set_default_playlist(station.morning)
    drag(page, (MON, 8 * H + 4), (MON, 10 * H - 3))  # snapped to 08:00-10:00
    await page.settle()
    assert stored(workspace, station) == [("Morning show", MON, "08:00", "10:00", True)]
    [block] = page.grid.blocks
    assert (block.day_of_week, block.start, block.end) == (MON, 8 * H, 10 * H)
    assert page.grid.selected_block_id == block.id

    await undo(page)
    assert stored(workspace, station) == [] and page.grid.blocks == []
    await redo(page)
    assert stored(workspace, station) == [("Morning show", MON, "08:00", "10:00", True)]


@pytest.mark.asyncio
async def test_create_asks_for_the_playlist_in_a_dialog(
    page: SchedulePage, workspace: Workspace, station: Station
) -> None:
    await open_page(page, workspace, station)
    assert page.default_combo.currentData() is None  # "Ask each time"
    drag(page, (THU, 14 * H + 50), (THU, 13 * H))  # upwards: 13:00-15:00
    dialog = page._dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.fields().start == "13:00" and dialog.fields().end == "15:00"
    assert dialog.fields().day_of_week == THU
    dialog.playlist_combo.setCurrentIndex(dialog.playlist_combo.findData(station.night))
    dialog.accept()
    await page.settle()
    assert stored(workspace, station) == [("Night jazz", THU, "13:00", "15:00", True)]

    # Cancelling the dialog saves nothing.
    drag(page, (FRI, 9 * H), (FRI, 10 * H))
    assert page._dialog is not None
    page._dialog.reject()
    await page.settle()
    assert len(stored(workspace, station)) == 1


@pytest.mark.asyncio
async def test_move_a_block_by_dragging_it_to_another_day(
    page: SchedulePage, workspace: Workspace, station: Station
) -> None:
    block_id = add(workspace, station, station.morning, TUE, "08:00", "10:00")
    await open_page(page, workspace, station)
    drag(page, (TUE, 9 * H), (THU, 14 * H + 10))  # grabbed an hour in: starts at 13:15
    await page.settle()
    assert stored(workspace, station) == [("Morning show", THU, "13:15", "15:15", True)]
    assert page.undo_action.text() == "&Undo Move block"
    await undo(page)
    assert stored(workspace, station) == [("Morning show", TUE, "08:00", "10:00", True)]
    assert [b.id for b in workspace.schedule.list_blocks(station.id)] == [block_id]
    await redo(page)
    assert stored(workspace, station) == [("Morning show", THU, "13:15", "15:15", True)]


@pytest.mark.asyncio
async def test_resize_a_block_by_its_edges(
    page: SchedulePage, workspace: Workspace, station: Station
) -> None:
    add(workspace, station, station.morning, TUE, "08:00", "10:00")
    await open_page(page, workspace, station)
    drag(page, (TUE, 10 * H - 2), (TUE, 11 * H + 33))  # the bottom edge
    await page.settle()
    assert stored(workspace, station) == [("Morning show", TUE, "08:00", "11:30", True)]
    assert page.undo_action.text() == "&Undo Resize block"
    drag(page, (TUE, 8 * H + 2), (TUE, 7 * H + 10))  # the top edge
    await page.settle()
    assert stored(workspace, station) == [("Morning show", TUE, "07:15", "11:30", True)]
    await undo(page)
    await undo(page)
    assert stored(workspace, station) == [("Morning show", TUE, "08:00", "10:00", True)]


@pytest.mark.asyncio
async def test_an_overlapping_drop_snaps_back_and_saves_nothing(
    page: SchedulePage, workspace: Workspace, station: Station, db: Database
) -> None:
    add(workspace, station, station.morning, MON, "07:00", "10:00")
    late = add(workspace, station, station.music, MON, "12:00", "14:00")
    await open_page(page, workspace, station)
    before = table_snapshot(db, Schedule)
    shown = page.grid.blocks

    drag(page, (MON, 13 * H), (MON, 10 * H), release=False)  # would start at 09:00
    assert page.grid.ghost.overlapping  # red while it is over the other block
    QTest.mouseRelease(page.grid.viewport(), Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier, point(page, MON, 10 * H))
    await page.settle()
    assert table_snapshot(db, Schedule) == before
    assert page.grid.blocks == shown  # snapped back
    assert all(item.opacity() == 1.0 for item in page.grid.segment_items(late))
    assert page.message.isVisible()
    assert page.message.text() == (
        f"⚠ Not saved: Monday 09:00{DASH}11:00 would overlap “Morning show” on Monday "
        f"07:00{DASH}10:00. Move or shorten one of them, or switch the other block off first.")
    assert not page.undo_action.isEnabled()

    # Touching is not overlapping: 10:00-12:00 fits exactly between them.
    drag(page, (MON, 13 * H), (MON, 11 * H))
    await page.settle()
    assert ("Main rotation", MON, "10:00", "12:00", True) in stored(workspace, station)
    assert not page.message.isVisible()


@pytest.mark.asyncio
async def test_the_service_overlap_is_handled_too(
    page: SchedulePage, workspace: Workspace, station: Station, db: Database
) -> None:
    await open_page(page, workspace, station)
    page.set_default_playlist(station.music)
    # Another operator adds a block this page has not seen yet.
    add(workspace, station, station.night, WED, "20:00", "23:00")
    before = table_snapshot(db, Schedule)
    drag(page, (WED, 19 * H), (WED, 21 * H))
    await page.settle()
    assert table_snapshot(db, Schedule) == before
    assert page.message.text().startswith("⚠ Not saved: This block (Wednesday 19:00")
    assert "'Night jazz'" in page.message.text()
    assert [b.title for b in page.grid.blocks] == ["Night jazz"]  # reloaded


@pytest.mark.asyncio
async def test_a_block_across_midnight_round_trips_through_the_dialog(
    page: SchedulePage, workspace: Workspace, station: Station
) -> None:
    await open_page(page, workspace, station)
    dialog = page.open_new_dialog(FRI, 22 * H, 23 * H)
    assert dialog is not None
    dialog.end_edit.setTime(QTime(2, 0))
    assert dialog.summary.text() == "Runs past midnight, until Saturday 02:00 · 4 h 00 min"
    dialog.playlist_combo.setCurrentIndex(dialog.playlist_combo.findData(station.night))
    dialog.accept()
    await page.settle()
    assert stored(workspace, station) == [("Night jazz", FRI, "22:00", "02:00", True)]
    [block] = page.grid.blocks
    items = page.grid.segment_items(block.id)
    g = page.grid.grid_geometry
    assert [(g.column_at(i.rect.center().x()), i.segment.start, i.segment.end)
            for i in items] == [(g.column_of(FRI), 22 * H, 24 * H), (g.column_of(SAT), 0, 2 * H)]

    edit = page.open_edit_dialog(block.id)
    assert edit is not None
    assert edit.fields() == BlockFields(station.night, FRI, "22:00", "02:00", True)
    edit.end_edit.setTime(QTime(3, 0))
    edit.accept()
    await page.settle()
    assert stored(workspace, station) == [("Night jazz", FRI, "22:00", "03:00", True)]
    await undo(page)
    assert stored(workspace, station) == [("Night jazz", FRI, "22:00", "02:00", True)]


@pytest.mark.asyncio
async def test_a_block_across_midnight_is_dragged_as_one(
    page: SchedulePage, workspace: Workspace, station: Station
) -> None:
    add(workspace, station, station.night, FRI, "22:00", "02:00")
    await open_page(page, workspace, station)
    # Grab the Saturday-morning part and move it an hour later: the whole block moves.
    drag(page, (SAT, 1 * H), (SAT, 2 * H))
    await page.settle()
    assert stored(workspace, station) == [("Night jazz", FRI, "23:00", "03:00", True)]
    # Its end edge is on Saturday: drag it down to 04:30.
    drag(page, (SAT, 3 * H - 2), (SAT, 4 * H + 30))
    await page.settle()
    assert stored(workspace, station) == [("Night jazz", FRI, "23:00", "04:30", True)]
    # The midnight edge of the Friday part is not an edge of the block: it moves it.
    drag(page, (FRI, 24 * H - 2), (FRI, 23 * H - 2))
    await page.settle()
    assert stored(workspace, station) == [("Night jazz", FRI, "22:00", "03:30", True)]


@pytest.mark.asyncio
async def test_resizing_into_the_next_day_and_saturday_into_sunday(
    page: SchedulePage, workspace: Workspace, station: Station
) -> None:
    add(workspace, station, station.night, TUE, "21:00", "23:00")
    await open_page(page, workspace, station)
    drag(page, (TUE, 23 * H - 2), (WED, 1 * H))  # end edge into Wednesday's column
    await page.settle()
    assert stored(workspace, station) == [("Night jazz", TUE, "21:00", "01:00", True)]

    page.set_default_playlist(station.music)
    drag(page, (SAT, 23 * H), (SUN, 1 * H))  # Sunday is the last column here
    await page.settle()
    assert ("Main rotation", SAT, "23:00", "01:00", True) in stored(workspace, station)
    sat = next(b for b in page.grid.blocks if b.day_of_week == SAT)
    days = [i.segment.day_of_week for i in page.grid.segment_items(sat.id)]
    assert days == [SAT, SUN]


@pytest.mark.asyncio
async def test_the_dialog_refuses_an_overlap_and_keeps_what_was_typed(
    page: SchedulePage, workspace: Workspace, station: Station, db: Database
) -> None:
    add(workspace, station, station.morning, MON, "07:00", "10:00")
    other = add(workspace, station, station.music, TUE, "07:00", "10:00")
    await open_page(page, workspace, station)
    before = table_snapshot(db, Schedule)
    dialog = page.open_edit_dialog(other)
    assert dialog is not None
    dialog.day_combo.setCurrentIndex(dialog.day_combo.findData(MON))
    dialog.accept()
    assert dialog.isVisible() and dialog.error.isVisible()
    assert f"would overlap “Morning show” on Monday 07:00{DASH}10:00" in dialog.error.text()
    await page.settle()
    assert table_snapshot(db, Schedule) == before
    # Switched off, it may overlap: an inactive block does not play.
    dialog.active_check.setChecked(False)
    dialog.accept()
    await page.settle()
    assert ("Main rotation", MON, "07:00", "10:00", False) in stored(workspace, station)


@pytest.mark.asyncio
async def test_delete_key_and_undo(
    page: SchedulePage, workspace: Workspace, station: Station
) -> None:
    add(workspace, station, station.morning, MON, "07:00", "10:00")
    await open_page(page, workspace, station)
    viewport = page.grid.viewport()
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     point(page, MON, 8 * H))
    assert page.grid.selected_block_id is not None
    assert page.delete_action.isEnabled()
    QTest.keyClick(page.grid, Qt.Key.Key_Delete)
    await page.settle()
    assert stored(workspace, station) == []
    await undo(page)
    assert stored(workspace, station) == [("Morning show", MON, "07:00", "10:00", True)]
    await redo(page)
    assert stored(workspace, station) == []


@pytest.mark.asyncio
async def test_undo_refuses_after_someone_else_changed_the_block(
    page: SchedulePage, workspace: Workspace, station: Station
) -> None:
    block_id = add(workspace, station, station.morning, TUE, "08:00", "10:00")
    await open_page(page, workspace, station)
    drag(page, (TUE, 9 * H), (WED, 9 * H))
    await page.settle()
    moved = workspace.schedule.get_block(block_id)
    assert (moved.day_of_week, moved.start) == (WED, "08:00")
    # Another operator shortens it.
    workspace.schedule.update_block(
        block_id, BlockFields(station.morning, WED, "08:00", "09:00"), moved.version)
    await undo(page)
    assert stored(workspace, station) == [("Morning show", WED, "08:00", "09:00", True)]
    assert "changed by someone else" in page.message.text()
    assert "The undo history was cleared." in page.message.text()
    assert not page.undo_action.isEnabled() and not page.redo_action.isEnabled()
    assert [(b.start, b.end) for b in page.grid.blocks] == [(8 * H, 9 * H)]  # reloaded


@pytest.mark.asyncio
async def test_double_click_opens_the_edit_dialog(
    page: SchedulePage, workspace: Workspace, station: Station
) -> None:
    block_id = add(workspace, station, station.morning, MON, "07:00", "10:00")
    await open_page(page, workspace, station)
    QTest.mouseDClick(page.grid.viewport(), Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier, point(page, MON, 8 * H))
    dialog = page._dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.fields() == page.block_record(block_id).fields  # type: ignore[union-attr]
    dialog.reject()


@pytest.mark.asyncio
async def test_now_line_in_the_station_time_zone(
    page: SchedulePage, workspace: Workspace, station: Station
) -> None:
    await open_page(page, workspace, station)
    # 09:37 UTC is 10:37 in Madrid (CET), a Wednesday.
    assert page.grid.now_marker == (WED, 10 * H + 37)
    assert page.grid.today == WED
    assert page._now_timer.isActive() and page._now_timer.interval() == 20_000
    # In summer Madrid is UTC+2: 21:59:30 UTC on Saturday 4 July is 23:59 there.
    page.clock = lambda: dt.datetime(2026, 7, 4, 21, 59, 30, tzinfo=dt.UTC)
    page._tick()
    assert page.grid.now_marker == (SAT, 23 * H + 59)
    assert page._now_timer.interval() == 30_000  # wakes at the next full minute


@pytest.mark.asyncio
async def test_blocks_in_the_spring_forward_gap_are_flagged(
    page: SchedulePage, workspace: Workspace, station: Station
) -> None:
    across = add(workspace, station, station.night, SAT, "23:00", "02:30")
    inside = add(workspace, station, station.music, SUN, "02:30", "03:00")
    clear = add(workspace, station, station.morning, MON, "02:00", "03:00")
    await open_page(page, workspace, station)
    across_warning = page.dst_warning(across)
    assert across_warning is not None
    assert "clocks in Europe/Madrid jump from 02:00 to 03:00" in across_warning
    assert "29 March 2026" in across_warning
    assert "30 minutes shorter that night" in across_warning
    inside_warning = page.dst_warning(inside)
    assert inside_warning is not None and "does not play that night" in inside_warning
    assert page.dst_warning(clear) is None
    [item] = [i for i in page.grid.segment_items(inside)]
    assert "⚠" in item.toolTip() and "does not play that night" in item.toolTip()


@pytest.mark.asyncio
async def test_blocks_are_coloured_by_playlist(
    page: SchedulePage, workspace: Workspace, station: Station
) -> None:
    add(workspace, station, station.morning, MON, "07:00", "10:00")
    add(workspace, station, station.morning, TUE, "07:00", "10:00")
    add(workspace, station, station.night, TUE, "22:00", "02:00", active=False)
    await open_page(page, workspace, station)
    fills = {(b.playlist_id, b.active): block_colors(b.color_hue, b.active)[0].name()
             for b in page.grid.blocks}
    assert len(fills) == 2  # both Morning show blocks have one colour
    assert fills[(station.night, False)] == "#eceef1"  # switched off: grey
    # Each of the station's playlists has its own hue, the legend says which.
    hues = {b.playlist_id: b.color_hue for b in page.grid.blocks}
    assert hues[station.morning] != hues[station.night]
    morning_fill = fills[(station.morning, True)]
    assert morning_fill in page.legend.text()
    # The same page opened again gives the same colours.
    await page.reload()
    assert {b.playlist_id: b.color_hue for b in page.grid.blocks} == hues
