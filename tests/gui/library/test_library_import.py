"""Importing into the Library page by drag and drop: real files made with ffmpeg (accented
tags, a cover), a corrupt one, and cancelling. SQLite and MariaDB, local media storage."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui.library.support import ACCENTED, AudioFactory, settle, until

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from station_desktop.db.engine import Database
from station_desktop.services.library import LibraryService
from station_desktop.services.stations import StationRecord
from station_desktop.services.workspace import Workspace
from station_desktop.ui.library.model import ALBUM, ARTIST, COVER, FORMAT, GENRE, TITLE, YEAR
from station_desktop.ui.library.page import LibraryPage


def drop_files(page: LibraryPage, paths: list[Path]) -> bool:
    """Drag ``paths`` from a file manager onto the table and drop them; whether the view
    accepted the drag."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    viewport = page.view.viewport()
    at = viewport.rect().center()
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(at, Qt.DropAction.CopyAction, mime, buttons, modifiers)
    QApplication.sendEvent(viewport, enter)
    move = QDragMoveEvent(at + QPoint(5, 5), Qt.DropAction.CopyAction, mime, buttons,
                          modifiers)
    QApplication.sendEvent(viewport, move)
    drop = QDropEvent(QPointF(at), Qt.DropAction.CopyAction, mime, buttons, modifiers)
    QApplication.sendEvent(viewport, drop)
    return enter.isAccepted() and drop.isAccepted()


def _row_of(page: LibraryPage, title: str) -> int:
    for row in range(page.model.rowCount()):
        if page.model.index(row, TITLE).data() == title:
            return row
    shown = [page.model.index(r, TITLE).data() for r in range(page.model.rowCount())]
    raise AssertionError(f"{title!r} not shown: {shown}")


@pytest.mark.asyncio
async def test_dropped_files_import_with_their_tags_and_errors_are_reported(
    page: LibraryPage, workspace: Workspace, station: StationRecord, db: Database,
    audio: AudioFactory, media_root: Path,
) -> None:
    await page.set_context(workspace, station.id)
    assert page.model.rowCount() == 0
    folder = audio.folder / "Álbum «uno»"
    folder.mkdir()
    song = audio.make("canción.mp3", ACCENTED, with_cover=True)
    audio.make("Álbum «uno»/ögg.ogg", {"title": "Über den Wolken", "artist": "Jürgen Weiß",
                                        "album": "Größte Hits", "genre": "Schlager",
                                        "date": "1998"}, frequency=550)
    audio.make("Álbum «uno»/flac.flac", {"title": "Été indien", "artist": "Joe Dassin"},
               frequency=660)
    broken = audio.folder / "broken.mp3"
    broken.write_text("This is a text file, not an MP3.\n")

    assert drop_files(page, [song, folder, broken])
    await until(lambda: page.last_report is not None, timeout=60, what="the import report")
    report = page.last_report
    assert report is not None and not report.cancelled
    assert sorted(o.path.name for o in report.imported) == ["canción.mp3", "flac.flac",
                                                            "ögg.ogg"]
    assert [o.path.name for o in report.errors] == ["broken.mp3"]
    assert report.errors[0].message  # a reason a person can read

    dialog = page.report_dialog
    assert dialog is not None and dialog.isVisible()
    rows = dialog.rows()
    assert rows[0][0] == "broken.mp3" and rows[0][1] == "Error"  # errors first
    assert rows[0][2] == report.errors[0].message
    assert {r[1] for r in rows[1:]} == {"Imported"}

    await settle(page)
    assert page.model.rowCount() == 3
    row = _row_of(page, "Canción del ñandú")
    shown = {c: page.model.index(row, c).data() for c in (ARTIST, ALBUM, GENRE, YEAR, FORMAT)}
    assert shown == {ARTIST: "Zoë Ångström", ALBUM: "Música en el río",
                     GENRE: "Electrónica", YEAR: "2021", FORMAT: "MP3"}
    other = _row_of(page, "Über den Wolken")
    assert page.model.index(other, ARTIST).data() == "Jürgen Weiß"
    assert page.model.index(other, YEAR).data() == "1998"

    # The cover is read from storage for the row on screen and replaces the placeholder.
    page.model.index(row, COVER).data(Qt.ItemDataRole.DecorationRole)
    await page.covers.wait_idle()
    cover = page.model.index(row, COVER).data(Qt.ItemDataRole.DecorationRole)
    placeholder = page.covers.placeholder.cacheKey()
    assert not cover.isNull() and cover.cacheKey() != placeholder
    assert cover.toImage().pixelColor(13, 13).red() > 150  # the red cover, thumbnailed
    plain = _row_of(page, "Été indien")
    assert page.model.index(plain, COVER).data(
        Qt.ItemDataRole.DecorationRole).cacheKey() == placeholder

    stored = LibraryService(db).list_tracks(station.id).tracks
    assert {t.status for t in stored} == {"ready"}
    assert page.usage is not None and page.usage.used == sum(t.file_size for t in stored) > 0
    assert page.storage_bar.value() > 0
    assert page.count_label.text() == "3 tracks"
    assert not page.import_panel.isVisible()


@pytest.mark.asyncio
async def test_a_second_drop_of_the_same_files_reports_duplicates(
    page: LibraryPage, workspace: Workspace, station: StationRecord, audio: AudioFactory,
) -> None:
    await page.set_context(workspace, station.id)
    song = audio.make("first.mp3", {"title": "Primera"})
    assert drop_files(page, [song])
    await until(lambda: page.last_report is not None, timeout=60, what="the first import")
    page.last_report = None
    assert drop_files(page, [song])
    await until(lambda: page.last_report is not None, timeout=60, what="the second import")
    report = page.last_report
    assert report is not None and [o.status for o in report.outcomes] == ["duplicate"]
    dialog = page.report_dialog
    assert dialog is not None
    assert dialog.rows()[0][1] == "Duplicate" and dialog.rows()[0][2]
    await settle(page)
    assert page.model.rowCount() == 1


@pytest.mark.asyncio
async def test_cancel_stops_the_import_and_leaves_no_half_imported_file(
    page: LibraryPage, workspace: Workspace, station: StationRecord, db: Database,
    audio: AudioFactory, media_root: Path,
) -> None:
    await page.set_context(workspace, station.id)
    files = [audio.make(f"tone-{i:02d}.mp3", {"title": f"Tone {i:02d}"}, seconds=0.5,
                        frequency=200 + 20 * i) for i in range(40)]
    assert drop_files(page, files)
    await until(page.import_panel.isVisible, what="the progress bar")
    assert page.import_panel.cancel_button.isEnabled()
    page.import_panel.cancel_button.click()
    await until(lambda: page.last_report is not None, timeout=60, what="the cancelled import")

    report = page.last_report
    assert report is not None and report.cancelled
    assert len(report.outcomes) == 40
    assert report.not_started  # cancelled before they were done
    assert len(report.imported) < 40
    tracks = LibraryService(db).list_tracks(station.id).tracks
    assert sorted(t.id for t in tracks) == sorted(o.track_id or "" for o in report.imported)
    assert {t.status for t in tracks} <= {"ready"}  # nothing left processing
    stored = [p for p in media_root.rglob("*.mp3")]
    assert len(stored) == len(report.imported)  # no stored copy without its row
    assert not page.import_panel.isVisible()
    dialog = page.report_dialog
    assert dialog is not None and "cancelled" in dialog.findChild(
        type(page.count_label), "summary").text()
    await settle(page)
    assert page.model.rowCount() == len(report.imported)
