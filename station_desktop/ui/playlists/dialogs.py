"""Dialogs of the playlist editor: a playlist's fields, and the track picker.

Both are opened with ``open()`` (never ``exec()``: the app runs on qasync) and report
through ``accepted``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from station_desktop.errors import StationError
from station_desktop.services.library import TrackPage, TrackRecord
from station_desktop.services.playlists import PLAYLIST_TYPES, PlaylistFields
from station_desktop.ui.formatting import duration
from station_desktop.ui.labels import label
from station_desktop.ui.playlists.model import tracks_text
from station_desktop.ui.table_model import Column, RecordTableModel


class PlaylistDialog(QDialog):
    """Name, type and description of a new or existing playlist."""

    def __init__(self, fields: PlaylistFields | None, parent: QWidget | None = None, *,
                 check: Callable[[PlaylistFields], str | None] | None = None) -> None:
        super().__init__(parent)
        self._check = check
        self._is_main = fields.is_main if fields is not None else False
        self.setWindowTitle(self.tr("New playlist") if fields is None
                            else self.tr("Edit playlist"))
        self.name_edit = QLineEdit(fields.name if fields is not None else "")
        self.name_edit.setPlaceholderText(self.tr("For example: Morning rotation"))
        self.type_combo = QComboBox()
        for value in PLAYLIST_TYPES:
            self.type_combo.addItem(label(value), value)
        if fields is not None:
            self.type_combo.setCurrentIndex(max(self.type_combo.findData(fields.type), 0))
        self.description_edit = QPlainTextEdit(
            fields.description or "" if fields is not None else "")
        self.description_edit.setFixedHeight(72)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b42318;")
        self.error.setVisible(False)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #9a6700;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Name:"), self.name_edit)
        form.addRow(self.tr("Type:"), self.type_combo)
        form.addRow(self.tr("Description:"), self.description_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.name_edit.textChanged.connect(self._update)
        self.type_combo.currentIndexChanged.connect(self._update)
        self._update()
        self.resize(420, self.sizeHint().height())

    def fields(self) -> PlaylistFields:
        return PlaylistFields(
            name=self.name_edit.text(),
            type=str(self.type_combo.currentData()),
            description=self.description_edit.toPlainText() or None,
            is_main=self._is_main and self.type_combo.currentData() == "rotation",
        )

    def accept(self) -> None:
        problem = self._check(self.fields()) if self._check is not None else None
        if problem:
            self.error.setText(problem)
            self.error.setVisible(True)
            return
        super().accept()

    def _update(self) -> None:
        self.error.setVisible(False)
        ok = bool(self.name_edit.text().strip())
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        button.setEnabled(ok)
        if self._is_main and self.type_combo.currentData() != "rotation":
            self.hint.setText(self.tr(
                "This is the station's main playlist, which must be a rotation playlist: "
                "with another type it stops being the main one."))
        else:
            self.hint.setText("")
        self.hint.setVisible(bool(self.hint.text()))


SearchFn = Callable[[str], Awaitable[TrackPage | None]]


class TrackPickerDialog(QDialog):
    """Search the station's library and choose tracks to add."""

    def __init__(self, search: SearchFn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._search = search
        self._task: asyncio.Future[None] | None = None
        self.setWindowTitle(self.tr("Add tracks"))
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(
            self.tr("Search title, artist, album, genre or file name"))
        self.search_edit.setClearButtonEnabled(True)
        self.model: RecordTableModel[TrackRecord] = RecordTableModel([
            Column(self.tr("Title"), lambda t: t.display_title),
            Column(self.tr("Artist"), lambda t: t.artist or ""),
            Column(self.tr("Album"), lambda t: t.album or ""),
            Column(self.tr("Duration"), lambda t: duration(t.duration), align_right=True),
        ])
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(self.accept)
        self.status = QLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Add"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.start_search)
        self.search_edit.textChanged.connect(self._debounce.start)
        self.view.selectionModel().selectionChanged.connect(self._update_ok)
        self._update_ok()
        self.resize(640, 460)

    def selected_track_ids(self) -> list[str]:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [self.model.record(row).id for row in rows]

    def select_rows(self, rows: list[int]) -> None:
        selection = self.view.selectionModel()
        selection.clearSelection()
        for row in rows:
            selection.select(self.model.index(row, 0),
                             selection.SelectionFlag.Select | selection.SelectionFlag.Rows)

    async def search(self, text: str | None = None) -> None:
        """Run the search now (``text``: put it in the search box first)."""
        if text is not None:
            self.search_edit.blockSignals(True)
            self.search_edit.setText(text)
            self.search_edit.blockSignals(False)
        self._debounce.stop()
        query = self.search_edit.text().strip()
        self.status.setText(self.tr("Searching…"))
        try:
            page = await self._search(query)
        except StationError as error:
            self.status.setText(str(error))
            return
        if page is None:
            self.status.setText("")
            return
        tracks = [track for track in page.tracks if track.status != "error"]
        self.model.set_records(tracks)
        self.view.resizeColumnsToContents()
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        if page.total > len(page.tracks):
            self.status.setText(self.tr("Showing {shown} of {total} tracks; refine the search "
                                        "to see the others.").format(
                                            shown=len(page.tracks), total=page.total))
        else:
            self.status.setText(tracks_text(len(tracks)))
        self._update_ok()

    def start_search(self) -> None:
        """Search in the background (what typing in the search box does)."""
        self._task = asyncio.ensure_future(self.search())

    def _update_ok(self, *_args: Any) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.view.selectionModel().selectedRows()))

    def done(self, result: int) -> None:
        self._debounce.stop()
        if self._task is not None and not self._task.done():
            self._task.cancel()
        super().done(result)

