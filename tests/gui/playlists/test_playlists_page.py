"""The playlist editor over the real services (SQLite, then MariaDB): drops, reorders,
removals, shuffle, sort, undo and redo, playlists themselves, and refusals."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QMimeData, QModelIndex, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from station_desktop.services.playlists import PlaylistDetail, PlaylistFields, PlaylistService
from station_desktop.services.schedule import BlockFields
from station_desktop.services.workspace import Workspace
from station_desktop.ui.mime import TRACK_IDS_MIME, track_ids_mime
from station_desktop.ui.playlists import PlaylistsPage
from station_desktop.ui.worker import DbWorker

if TYPE_CHECKING:
    from gui.playlists.conftest import Station


def shown_tracks(page: PlaylistsPage) -> list[str]:
    model = page.items_model
    return [model.item(row).audio_file_id for row in range(model.rowCount())]


def shown_items(page: PlaylistsPage) -> list[str]:
    model = page.items_model
    return [model.item(row).id for row in range(model.rowCount())]


def stored(workspace: Workspace, playlist_id: str) -> PlaylistDetail:
    return workspace.playlists.get_playlist(playlist_id)


def stored_tracks(workspace: Workspace, playlist_id: str) -> list[str]:
    return [item.audio_file_id for item in stored(workspace, playlist_id).items]


def make_playlist(workspace: Workspace, station: Station, name: str, track_indexes: list[int],
                  **fields: Any) -> str:
    playlists: PlaylistService = workspace.playlists
    record = playlists.create_playlist(station.id, PlaylistFields(name, **fields))
    if track_indexes:
        playlists.add_items(record.id, [station.tracks[i].id for i in track_indexes])
    return record.id


async def open_page(page: PlaylistsPage, workspace: Workspace, station: Station,
                    playlist_id: str | None = None) -> None:
    await page.set_context(workspace, station.id)
    if playlist_id is not None:
        await page.select_playlist(playlist_id)
    await page.settle()


async def undo(page: PlaylistsPage) -> None:
    assert page.undo_action.isEnabled()
    page.undo_action.trigger()
    await page.settle()


async def redo(page: PlaylistsPage) -> None:
    assert page.redo_action.isEnabled()
    page.redo_action.trigger()
    await page.settle()


@pytest.mark.asyncio
async def test_lists_playlists_main_first_and_shows_the_items(
    page: PlaylistsPage, workspace: Workspace, station: Station, qtmodeltester: Any
) -> None:
    make_playlist(workspace, station, "Night jazz", [0, 1, 2])
    main = make_playlist(workspace, station, "Main rotation", [3, 4], is_main=True)
    make_playlist(workspace, station, "Station jingles", [], type="jingles")
    await open_page(page, workspace, station)
    names = [page.playlists_model.index(row, 0).data()
             for row in range(page.playlists_model.rowCount())]
    assert names == ["★ Main rotation", "Night jazz", "Station jingles"]
    assert page.playlists_model.index(2, 1).data() == "Jingles"
    assert page.current_playlist_id() == main  # the main playlist opens first
    assert shown_tracks(page) == [station.tracks[3].id, station.tracks[4].id]
    model = page.items_model
    assert [model.index(0, c).data() for c in range(4)] == ["1", "Naima", "John Coltrane",
                                                            "4:21"]
    assert page.footer_label.text() == "2 tracks · total 7:53"
    assert page.title_label.text() == "★ Main rotation"
    qtmodeltester.check(model)


@pytest.mark.asyncio
async def test_dropping_library_rows_adds_them_at_the_drop_position_with_undo(
    page: PlaylistsPage, workspace: Workspace, station: Station
) -> None:
    pid = make_playlist(workspace, station, "Night jazz", [0, 1, 2])
    await open_page(page, workspace, station, pid)
    before_items = shown_items(page)
    dropped = [station.tracks[7].id, station.tracks[5].id]
    mime = track_ids_mime(dropped)  # exactly what the Library view drags
    assert page.items_model.canDropMimeData(mime, Qt.DropAction.CopyAction, 1, 0, QModelIndex())
    assert page.items_model.dropMimeData(mime, Qt.DropAction.CopyAction, 1, 0, QModelIndex())
    await page.settle()
    t = [track.id for track in station.tracks]
    expected = [t[0], t[7], t[5], t[1], t[2]]
    assert shown_tracks(page) == expected == stored_tracks(workspace, pid)
    assert page.selected_rows() == [1, 2]  # the dropped rows are selected
    assert page.undo_action.text() == "&Undo Add 2 tracks"

    await undo(page)
    assert shown_items(page) == before_items == stored(workspace, pid).item_ids
    await redo(page)
    assert shown_tracks(page) == expected == stored_tracks(workspace, pid)


@pytest.mark.asyncio
async def test_a_drop_event_on_the_view_inserts_at_the_row_under_the_pointer(
    page: PlaylistsPage, workspace: Workspace, station: Station
) -> None:
    """The real view code: drag enter, move and drop events on the viewport."""
    pid = make_playlist(workspace, station, "Night jazz", [0, 1, 2, 3])
    await open_page(page, workspace, station, pid)
    drop = send_drop(page, track_ids_mime([station.tracks[9].id]), 2,
                     Qt.DropAction.CopyAction)
    assert drop.isAccepted()
    await page.settle()
    t = [track.id for track in station.tracks]
    assert shown_tracks(page) == [t[0], t[1], t[9], t[2], t[3]] == stored_tracks(workspace, pid)


def send_drop(page: PlaylistsPage, mime: QMimeData, row: int,
              actions: Qt.DropAction) -> QDropEvent:
    """Drag enter, move and drop on the upper edge of ``row``: the view's own drop code."""
    view = page.items_view
    rect = view.visualRect(page.items_model.index(row, 1))
    point = QPointF(rect.center().x(), rect.top() + 2)
    viewport = view.viewport()
    for event in (
        QDragEnterEvent(point.toPoint(), actions, mime, Qt.MouseButton.LeftButton,
                        Qt.KeyboardModifier.NoModifier),
        QDragMoveEvent(point.toPoint(), actions, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier),
    ):
        QApplication.sendEvent(viewport, event)
        assert event.isAccepted()
    drop = QDropEvent(point, actions, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, drop)
    return drop


@pytest.mark.asyncio
async def test_rows_dropped_on_the_view_move_within_the_playlist(
    page: PlaylistsPage, workspace: Workspace, station: Station
) -> None:
    """An internal move through the view's drop code (the drag itself cannot run
    offscreen: QDrag.exec needs a real window system)."""
    pid = make_playlist(workspace, station, "Night jazz", [0, 1, 2, 3, 4])
    await open_page(page, workspace, station, pid)
    items = shown_items(page)
    model = page.items_model
    mime = model.mimeData([model.index(3, 0), model.index(4, 0)])
    drop = send_drop(page, mime, 1, Qt.DropAction.MoveAction | Qt.DropAction.CopyAction)
    assert drop.isAccepted()
    await page.settle()
    moved = [items[0], items[3], items[4], items[1], items[2]]
    assert shown_items(page) == moved == stored(workspace, pid).item_ids
    await undo(page)
    assert stored(workspace, pid).item_ids == items


@pytest.mark.asyncio
async def test_other_drops_are_refused(
    page: PlaylistsPage, workspace: Workspace, station: Station
) -> None:
    pid = make_playlist(workspace, station, "Night jazz", [0])
    await open_page(page, workspace, station, pid)
    text = QMimeData()
    text.setText("not tracks")
    broken = QMimeData()
    broken.setData(TRACK_IDS_MIME, b"{not json")
    for mime in (text, broken):
        assert not page.items_model.dropMimeData(mime, Qt.DropAction.CopyAction, 0, 0,
                                                 QModelIndex())
    await page.settle()
    assert stored_tracks(workspace, pid) == [station.tracks[0].id]
    assert not page.undo_action.isEnabled()


@pytest.mark.asyncio
async def test_drag_reorder_persists_across_a_reload_and_undoes_exactly(
    page: PlaylistsPage, workspace: Workspace, station: Station, worker: DbWorker,
    qtbot: QtBot,
) -> None:
    pid = make_playlist(workspace, station, "Night jazz", [0, 1, 2, 3, 4, 5])
    await open_page(page, workspace, station, pid)
    items = shown_items(page)
    model = page.items_model
    # Drag rows 1 and 4 (a multi-selection) and drop them before row 3.
    mime = model.mimeData([model.index(1, 0), model.index(1, 1), model.index(4, 0)])
    assert model.dropMimeData(mime, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    await page.settle()
    moved = [items[0], items[2], items[1], items[4], items[3], items[5]]
    assert shown_items(page) == moved
    assert page.selected_item_ids() == [items[1], items[4]]
    # The view's own "remove the source rows after a move" must not remove anything.
    assert not model.removeRows(1, 1)
    assert shown_items(page) == moved

    fresh = PlaylistsPage(worker)  # another window, or the app restarted
    qtbot.addWidget(fresh)
    await open_page(fresh, workspace, station, pid)
    assert shown_items(fresh) == moved == stored(workspace, pid).item_ids

    await undo(page)
    assert shown_items(page) == items == stored(workspace, pid).item_ids
    await redo(page)
    assert shown_items(page) == moved == stored(workspace, pid).item_ids


@pytest.mark.asyncio
async def test_remove_with_the_delete_key_and_undo_puts_them_back_in_place(
    page: PlaylistsPage, workspace: Workspace, station: Station
) -> None:
    pid = make_playlist(workspace, station, "Night jazz", [0, 1, 2, 3, 4, 5])
    await open_page(page, workspace, station, pid)
    tracks = shown_tracks(page)
    page.items_view.setFocus()
    page._select_rows([1, 4, 5])
    QTest.keyClick(page.items_view, Qt.Key.Key_Delete)
    await page.settle()
    assert shown_tracks(page) == [tracks[0], tracks[2], tracks[3]]
    assert stored_tracks(workspace, pid) == [tracks[0], tracks[2], tracks[3]]
    assert page.footer_label.text().startswith("3 tracks")

    await undo(page)
    assert shown_tracks(page) == tracks == stored_tracks(workspace, pid)
    assert page.selected_rows() == [1, 4, 5]  # the restored rows
    await redo(page)
    assert stored_tracks(workspace, pid) == [tracks[0], tracks[2], tracks[3]]
    await undo(page)
    assert stored_tracks(workspace, pid) == tracks


@pytest.mark.asyncio
async def test_shuffle_and_sort_undo_to_the_exact_previous_order(
    page: PlaylistsPage, workspace: Workspace, station: Station
) -> None:
    pid = make_playlist(workspace, station, "Night jazz", list(range(10)))
    await open_page(page, workspace, station, pid)
    original = shown_items(page)

    page.shuffle(seed=7)
    await page.settle()
    shuffled = shown_items(page)
    assert shuffled != original and sorted(shuffled) == sorted(original)
    assert stored(workspace, pid).item_ids == shuffled

    page.sort("duration", descending=True)
    await page.settle()
    durations = [page.items_model.item(r).duration for r in range(10)]
    assert durations == sorted(durations, reverse=True)
    by_duration = shown_items(page)

    page.sort("title")
    await page.settle()
    titles = [page.items_model.item(r).display_title.casefold() for r in range(10)]
    assert titles == sorted(titles)

    await undo(page)  # the title sort
    assert shown_items(page) == by_duration == stored(workspace, pid).item_ids
    await undo(page)  # the duration sort
    assert shown_items(page) == shuffled == stored(workspace, pid).item_ids
    await undo(page)  # the shuffle
    assert shown_items(page) == original == stored(workspace, pid).item_ids
    await redo(page)  # the same shuffle again, not a new one
    assert shown_items(page) == shuffled == stored(workspace, pid).item_ids


@pytest.mark.asyncio
async def test_add_tracks_through_the_picker(
    page: PlaylistsPage, workspace: Workspace, station: Station
) -> None:
    pid = make_playlist(workspace, station, "Night jazz", [0, 1, 2])
    await open_page(page, workspace, station, pid)
    page._select_rows([0])  # picked tracks go after the selection
    dialog = page.open_track_picker()
    assert dialog is not None and dialog.isVisible()
    await dialog.search("hancock")
    assert [dialog.model.record(r).title for r in range(dialog.model.rowCount())] == [
        "Cantaloupe Island", "Watermelon Man"]
    dialog.select_rows([0, 1])
    dialog.accept()
    await page.settle()
    t = [track.id for track in station.tracks]
    expected = [t[0], t[5], t[9], t[1], t[2]]
    assert shown_tracks(page) == expected == stored_tracks(workspace, pid)
    await undo(page)
    assert stored_tracks(workspace, pid) == [t[0], t[1], t[2]]


@pytest.mark.asyncio
async def test_create_edit_and_main_with_undo(
    page: PlaylistsPage, workspace: Workspace, station: Station
) -> None:
    main = make_playlist(workspace, station, "Main rotation", [0], is_main=True)
    await open_page(page, workspace, station)

    dialog = page.open_new_dialog()
    assert dialog is not None
    dialog.name_edit.setText("Sunday brunch")
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("rotation"))
    dialog.description_edit.setPlainText("Slow jazz for Sunday mornings")
    dialog.accept()
    await page.settle()
    records = workspace.playlists.list_playlists(station.id)
    brunch = next(r for r in records if r.name == "Sunday brunch")
    assert brunch.description == "Slow jazz for Sunday mornings"
    assert page.current_playlist_id() == brunch.id

    edit = page.open_edit_dialog(brunch.id)
    assert edit is not None
    edit.name_edit.setText("Sunday morning")
    edit.accept()
    await page.settle()
    page.set_main(brunch.id)
    await page.settle()
    by_id = {r.id: r for r in workspace.playlists.list_playlists(station.id)}
    assert by_id[brunch.id].name == "Sunday morning" and by_id[brunch.id].is_main
    assert not by_id[main].is_main
    assert page.playlists_model.index(0, 0).data() == "★ Sunday morning"

    await undo(page)  # main
    by_id = {r.id: r for r in workspace.playlists.list_playlists(station.id)}
    assert by_id[main].is_main and not by_id[brunch.id].is_main
    await undo(page)  # rename
    assert workspace.playlists.get_playlist(brunch.id).playlist.name == "Sunday brunch"
    await undo(page)  # creation
    assert [r.name for r in workspace.playlists.list_playlists(station.id)] == [
        "Main rotation"]
    # Redo all three: the playlist comes back (with a new id) and the later edits follow it.
    await redo(page)
    await redo(page)
    await redo(page)
    records = workspace.playlists.list_playlists(station.id)
    assert [(r.name, r.is_main) for r in records] == [("Sunday morning", True),
                                                      ("Main rotation", False)]
    assert page.current_playlist_id() == records[0].id


@pytest.mark.asyncio
async def test_an_invalid_name_is_refused_with_the_reason(
    page: PlaylistsPage, workspace: Workspace, station: Station
) -> None:
    make_playlist(workspace, station, "Night jazz", [])
    await open_page(page, workspace, station)
    # In the dialog: refused before it closes, so what was typed stays.
    dialog = page.open_new_dialog()
    assert dialog is not None
    dialog.name_edit.setText("night JAZZ")
    dialog.accept()
    assert dialog.isVisible() and dialog.error.isVisible()
    assert "already has a playlist named “Night jazz”" in dialog.error.text()
    assert dialog.name_edit.text() == "night JAZZ"
    dialog.reject()
    # Past the dialog (someone else took the name meanwhile): the service refuses it.
    page.create_playlist(PlaylistFields("night JAZZ"))
    await page.settle()
    boxes = [b for b in page.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1 and "already has a playlist named 'Night jazz'" in boxes[0].text()
    assert len(workspace.playlists.list_playlists(station.id)) == 1
    assert not page.undo_action.isEnabled()


@pytest.mark.asyncio
async def test_delete_asks_first_and_says_what_goes_with_it(
    page: PlaylistsPage, workspace: Workspace, station: Station
) -> None:
    pid = make_playlist(workspace, station, "Night jazz", [0, 1])
    keep = make_playlist(workspace, station, "Main rotation", [2], is_main=True)
    workspace.schedule.create_block(station.id, BlockFields(pid, 5, "22:00", "02:00"))
    await open_page(page, workspace, station, pid)

    box = await page.confirm_delete(pid)
    assert box is not None and box.isVisible()
    assert "“Night jazz” and its 2 tracks?" in box.text()
    assert "(1 block)" in box.text() and "cannot be undone" in box.text()
    QTest.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    await page.settle()
    assert len(workspace.playlists.list_playlists(station.id)) == 2

    box = await page.confirm_delete(pid)
    assert box is not None
    QTest.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    await page.settle()
    assert [r.id for r in workspace.playlists.list_playlists(station.id)] == [keep]
    assert workspace.schedule.list_blocks(station.id) == []
    assert page.current_playlist_id() == keep
    assert not page.undo_action.isEnabled()


@pytest.mark.asyncio
async def test_a_drop_on_an_outdated_view_is_refused_and_the_view_reloads(
    page: PlaylistsPage, workspace: Workspace, station: Station
) -> None:
    pid = make_playlist(workspace, station, "Night jazz", [0, 1, 2])
    await open_page(page, workspace, station, pid)
    # Another operator moves the last track to the top meanwhile.
    theirs = stored(workspace, pid)
    workspace.playlists.move_items(pid, [theirs.item_ids[2]], 0, theirs.items_version)
    after_theirs = stored_tracks(workspace, pid)

    model = page.items_model
    assert model.dropMimeData(track_ids_mime([station.tracks[8].id]),
                              Qt.DropAction.CopyAction, 1, 0, QModelIndex())
    await page.settle()
    assert stored_tracks(workspace, pid) == after_theirs  # nothing added on a stale view
    boxes = [b for b in page.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1 and "changed since you opened it" in boxes[0].text()
    assert shown_tracks(page) == after_theirs  # reloaded
    assert not page.undo_action.isEnabled()


@pytest.mark.asyncio
async def test_undo_after_someone_else_changed_the_playlist_is_refused(
    page: PlaylistsPage, workspace: Workspace, station: Station
) -> None:
    pid = make_playlist(workspace, station, "Night jazz", [0, 1, 2])
    await open_page(page, workspace, station, pid)
    page.shuffle(seed=3)
    await page.settle()
    workspace.playlists.add_items(pid, [station.tracks[9].id])  # someone else's edit
    theirs = stored_tracks(workspace, pid)
    await undo(page)
    assert stored_tracks(workspace, pid) == theirs  # their edit survives
    boxes = [b for b in page.findChildren(QMessageBox) if b.isVisible()]
    assert any("undo history was cleared" in b.text() for b in boxes)
    assert shown_tracks(page) == theirs
    assert not page.undo_action.isEnabled() and not page.redo_action.isEnabled()


@pytest.mark.asyncio
async def test_undo_and_redo_keys(
    page: PlaylistsPage, workspace: Workspace, station: Station
) -> None:
    pid = make_playlist(workspace, station, "Night jazz", [0, 1, 2])
    await open_page(page, workspace, station, pid)
    tracks = shown_tracks(page)
    page.remove_rows([0])
    await page.settle()
    assert [k.toString() for k in page.undo_action.shortcuts()] == ["Ctrl+Z"]
    assert "Ctrl+Shift+Z" in [k.toString() for k in page.redo_action.shortcuts()]
    page.activateWindow()
    page.items_view.setFocus()
    QTest.keyClick(page.items_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    await page.settle()
    assert stored_tracks(workspace, pid) == tracks
    QTest.keyClick(page.items_view, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    await page.settle()
    assert stored_tracks(workspace, pid) == tracks[1:]
