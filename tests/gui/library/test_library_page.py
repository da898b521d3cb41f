"""The Library page on SQLite and MariaDB: the quota bar, the metadata editor (one track,
many tracks, a conflicting edit), deletion with its confirmation, keyboard shortcuts and
the column layout kept in the settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui.library.support import MB, bulk_tracks, settle, type_text, until
from helpers.factories import make_track
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from station_desktop.db.engine import Database
from station_desktop.services.library import LibraryService, TrackMetadata
from station_desktop.services.playlists import PlaylistFields, PlaylistService
from station_desktop.services.stations import StationRecord
from station_desktop.services.workspace import Workspace
from station_desktop.ui.library.editor import MetadataEditor
from station_desktop.ui.library.model import ARTIST, TITLE, YEAR
from station_desktop.ui.library.page import LibraryPage
from station_desktop.ui.settings import AppSettings
from station_desktop.ui.worker import DbWorker


def _select(page: LibraryPage, *rows: int) -> None:
    selection = page.view.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(page.model.index(row, TITLE),
                         QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)


def _row(page: LibraryPage, title: str) -> int:
    for row in range(page.model.rowCount()):
        if page.model.index(row, TITLE).data() == title:
            return row
    raise AssertionError(f"{title!r} is not shown")


@pytest.mark.asyncio
async def test_the_footer_shows_storage_used_against_the_quota(
    page: LibraryPage, workspace: Workspace, station: StationRecord, db: Database
) -> None:
    bulk_tracks(db, station.id, [{"fileSize": 3 * MB}, {"fileSize": MB // 2}])
    await page.set_context(workspace, station.id)  # the quota is 10 MB
    assert page.storage_bar.isVisible()
    assert page.storage_bar.value() == 350  # per mille
    assert page.storage_label.text() == "3.5 MB of 10.0 MB used (35 %)"
    assert page.count_label.text() == "2 tracks"
    assert page.usage is not None and page.usage.free == 10 * MB - 3 * MB - MB // 2


@pytest.mark.asyncio
async def test_editing_one_track_saves_it(
    page: LibraryPage, workspace: Workspace, station: StationRecord, db: Database
) -> None:
    track = make_track(db, station.id, "Old title", artist="Somebody", year=1990)
    await page.set_context(workspace, station.id)
    _select(page, 0)
    editor = page.edit_selected()
    assert editor is not None and editor.isVisible()
    assert editor.fields["title"].text() == "Old title"
    assert editor.fields["year"].text() == "1990"
    QTest.keyClicks(editor.fields["title"], "!")
    editor.fields["artist"].clear()
    type_text(editor.fields["artist"], "Ñandú Ørkester")
    editor.fields["year"].setText("2024")

    assert await editor.save()

    saved = LibraryService(db).get_track(track.id)
    assert (saved.title, saved.artist, saved.year) == ("Old title!", "Ñandú Ørkester", 2024)
    await settle(page)
    assert page.model.index(0, TITLE).data() == "Old title!"
    assert page.model.index(0, ARTIST).data() == "Ñandú Ørkester"


@pytest.mark.asyncio
async def test_editing_many_tracks_changes_only_the_fields_edited(
    page: LibraryPage, workspace: Workspace, station: StationRecord, db: Database
) -> None:
    first = make_track(db, station.id, "One", artist="Ana", album="Same", genre="Pop")
    second = make_track(db, station.id, "Two", artist="Bea", album="Same", genre="Rock")
    await page.set_context(workspace, station.id)
    _select(page, 0, 1)
    editor = page.edit_selected()
    assert editor is not None
    assert editor.windowTitle() == "Edit 2 tracks"
    assert editor.multiple == {"title", "artist", "genre"}
    assert editor.fields["artist"].text() == ""
    assert editor.fields["artist"].placeholderText() == "(multiple values)"
    assert editor.fields["album"].text() == "Same"
    QTest.keyClicks(editor.fields["genre"], "Cumbia")

    assert await editor.save()

    library = LibraryService(db)
    after = [library.get_track(first.id), library.get_track(second.id)]
    assert [(t.title, t.artist, t.album, t.genre) for t in after] == [
        ("One", "Ana", "Same", "Cumbia"), ("Two", "Bea", "Same", "Cumbia")]


@pytest.mark.asyncio
async def test_a_conflicting_edit_is_refused_shown_and_reloaded(
    page: LibraryPage, workspace: Workspace, station: StationRecord, db: Database,
    other_db: Database,
) -> None:
    track = make_track(db, station.id, "Shared", artist="Before")
    await page.set_context(workspace, station.id)
    _select(page, 0)
    editor = page.edit_selected()
    assert editor is not None
    QTest.keyClicks(editor.fields["genre"], "Jazz")
    # Another operator renames the track meanwhile.
    LibraryService(other_db).update_metadata(
        track.id, TrackMetadata("Renamed elsewhere", "Before"), track.version)

    assert not await editor.save()

    assert editor.isVisible() and editor.error.isVisible()
    assert "changed" in editor.error.text() and "reloaded" in editor.error.text()
    assert editor.fields["title"].text() == "Renamed elsewhere"  # reloaded ...
    assert editor.fields["genre"].text() == "Jazz"  # ... keeping what was typed
    assert LibraryService(db).get_track(track.id).genre is None  # nothing saved
    assert page.model.index(0, TITLE).data() == "Renamed elsewhere"

    assert await editor.save()  # now on the current version
    saved = LibraryService(db).get_track(track.id)
    assert (saved.title, saved.genre) == ("Renamed elsewhere", "Jazz")


@pytest.mark.asyncio
async def test_a_bad_year_is_refused_with_the_field_marked(
    page: LibraryPage, workspace: Workspace, station: StationRecord, db: Database
) -> None:
    track = make_track(db, station.id, "Old")
    await page.set_context(workspace, station.id)
    _select(page, 0)
    editor = page.edit_selected()
    assert editor is not None
    editor.fields["year"].setText("3000")
    assert not await editor.save()
    assert "Year" in editor.error.text()
    assert editor.fields["year"].hasFocus() or QApplication.focusWidget() is None
    assert LibraryService(db).get_track(track.id).year is None


@pytest.mark.asyncio
async def test_delete_asks_then_removes_and_names_the_playlists(
    page: LibraryPage, workspace: Workspace, station: StationRecord, db: Database
) -> None:
    doomed = [make_track(db, station.id, f"Doomed {i}") for i in range(2)]
    kept = make_track(db, station.id, "Kept")
    playlists = PlaylistService(db)
    night = playlists.create_playlist(station.id, PlaylistFields("Noche de jazz"))
    playlists.add_items(night.id, [doomed[0].id, kept.id])
    await page.set_context(workspace, station.id)
    assert page.count_label.text() == "3 tracks"
    _select(page, _row(page, "Doomed 0"), _row(page, "Doomed 1"))

    box = page.delete_selected()
    assert box is not None and box.isVisible()
    assert box.text() == "Delete 2 tracks?"
    box.button(QMessageBox.StandardButton.Cancel).click()
    await settle(page)
    assert page.last_deleted is None
    assert len(LibraryService(db).list_tracks(station.id).tracks) == 3

    box = page.delete_selected()
    assert box is not None
    box.button(QMessageBox.StandardButton.Yes).click()
    await until(lambda: page.last_deleted is not None, what="the deletion")

    left = LibraryService(db).list_tracks(station.id).tracks
    assert [t.title for t in left] == ["Kept"]
    assert [i.audio_file_id for i in playlists.get_playlist(night.id).items] == [kept.id]
    assert page.result_box is not None and page.result_box.isVisible()
    assert "2 tracks were deleted" in page.result_box.text()
    assert "Noche de jazz: 1" in page.result_box.informativeText()
    await settle(page)
    assert page.model.rowCount() == 1 and page.count_label.text() == "1 track"


@pytest.mark.asyncio
async def test_keyboard_shortcuts(
    page: LibraryPage, workspace: Workspace, station: StationRecord, db: Database
) -> None:
    make_track(db, station.id, "Keyed")
    await page.set_context(workspace, station.id)
    page.activateWindow()
    page.view.setFocus()
    QTest.keyClick(page.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    page.view.setFocus()
    _select(page, 0)
    QTest.keyClick(page.view, Qt.Key.Key_F2)
    assert isinstance(page.editor, MetadataEditor) and page.editor.isVisible()
    page.editor.reject()
    page.view.setFocus()
    QTest.keyClick(page.view, Qt.Key.Key_Delete)
    assert page.confirmation is not None and page.confirmation.isVisible()
    page.confirmation.button(QMessageBox.StandardButton.Cancel).click()


@pytest.mark.asyncio
async def test_column_layout_and_sort_are_kept_in_the_settings(
    qtbot: QtBot, worker: DbWorker, workspace: Workspace, station: StationRecord,
    db: Database, tmp_path: Path,
) -> None:
    bulk_tracks(db, station.id, [{"title": "A", "year": 1990}, {"title": "B", "year": 2000}])
    settings = AppSettings(tmp_path / "settings.ini")
    first = LibraryPage(worker)
    qtbot.addWidget(first)
    await first.set_context(workspace, station.id)
    first.view.horizontalHeader().resizeSection(ARTIST, 321)
    first.view.sortByColumn(YEAR, Qt.SortOrder.DescendingOrder)
    await settle(first)
    settings.save_views("library", first)
    settings.sync()

    second = LibraryPage(worker)
    qtbot.addWidget(second)
    AppSettings(tmp_path / "settings.ini").restore_views("library", second)
    await second.set_context(workspace, station.id)
    assert second.view.horizontalHeader().sectionSize(ARTIST) == 321
    assert second.model.query.sort == "year" and second.model.query.descending
    assert [second.model.index(r, TITLE).data() for r in range(2)] == ["B", "A"]
