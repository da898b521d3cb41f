"""The playlist editor: the station's playlists on the left, the selected one's tracks on
the right; drag and drop, shuffle, sort, undo and redo.

Every edit is saved through :class:`~station_desktop.services.playlists.PlaylistService`
with the version the user was looking at (a drop on an outdated view is refused, never
applied to someone else's order) and then pushed on the page's undo stack. Edits run one
at a time on the page's :class:`~station_desktop.ui.undo.OperationQueue`; the view shows
what the service returned, so the screen always holds the stored order.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QSplitter,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from station_desktop.errors import Conflict, NotFound, StationError
from station_desktop.services.library import TrackPage
from station_desktop.services.playlists import PlaylistDetail, PlaylistFields, PlaylistRecord
from station_desktop.ui.asyncslot import async_slot
from station_desktop.ui.formatting import duration
from station_desktop.ui.labels import label
from station_desktop.ui.playlists.commands import (
    AddItems,
    CreatePlaylist,
    EditPlaylist,
    RemoveItems,
    ReorderItems,
    SetMain,
)
from station_desktop.ui.playlists.dialogs import PlaylistDialog, TrackPickerDialog
from station_desktop.ui.playlists.model import (
    PlaylistItemsModel,
    tracks_text,
)
from station_desktop.ui.table_model import Column, RecordTableModel
from station_desktop.ui.undo import UndoablePage
from station_desktop.ui.worker import DbWorker

log = logging.getLogger("station_desktop.ui")

PICKER_PAGE_SIZE = 200


class PlaylistItemsView(QTableView):
    """The tracks of a playlist: rows drag within it and tracks drop into it.

    Signals:
        delete_pressed(): Delete or Backspace with rows selected.
    """

    delete_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty_text = ""
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragDropOverwriteMode(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(24)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if (event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
                and self.selectionModel() is not None
                and self.selectionModel().hasSelection()):
            self.delete_pressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0 and self.empty_text:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.viewport().rect().adjusted(24, 24, -24, -24),
                             int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                             self.empty_text)
            painter.end()


class PlaylistsPage(UndoablePage):
    """Signals:
        changed(): a change was saved (other views showing playlists may refresh).
    """

    changed = Signal()

    def __init__(self, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(worker, parent)
        self._records: list[PlaylistRecord] = []
        self._syncing = False
        self._build()
        self.queue.busy_changed.connect(self._on_busy_changed)
        self._update_actions()

    # -- construction -------------------------------------------------------------------

    def _build(self) -> None:
        splitter = QSplitter()
        splitter.addWidget(self._build_list())
        splitter.addWidget(self._build_items())
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 700])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(splitter)
        self._show_detail(None)

    def _build_list(self) -> QWidget:
        self.playlists_model: RecordTableModel[PlaylistRecord] = RecordTableModel([
            Column(self.tr("Playlist"), lambda r: ("★ " if r.is_main else "") + r.name),
            Column(self.tr("Type"), lambda r: label(r.type)),
            Column(self.tr("Tracks"), lambda r: r.item_count, align_right=True),
        ])
        self.playlists_view = QTableView()
        self.playlists_view.setModel(self.playlists_model)
        self.playlists_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.playlists_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.playlists_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.playlists_view.verticalHeader().setVisible(False)
        self.playlists_view.verticalHeader().setDefaultSectionSize(26)
        self.playlists_view.setShowGrid(False)
        header = self.playlists_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.playlists_view.selectionModel().currentRowChanged.connect(self._on_playlist_row)
        self.playlists_view.doubleClicked.connect(self._on_edit_triggered)

        self.new_action = QAction(self.tr("&New…"), self)
        self.new_action.setToolTip(self.tr("Create a playlist"))
        self.new_action.triggered.connect(self._on_new_triggered)
        self.edit_action = QAction(self.tr("&Edit…"), self)
        self.edit_action.setToolTip(self.tr("Rename the playlist, change its type or "
                                            "description"))
        self.edit_action.triggered.connect(self._on_edit_triggered)
        self.main_action = QAction(self.tr("Make &main"), self)
        self.main_action.setToolTip(self.tr("Make this the station's main playlist (what "
                                            "AutoDJ plays when no schedule block does)"))
        self.main_action.triggered.connect(self._on_main_triggered)
        self.delete_action = QAction(self.tr("&Delete…"), self)
        self.delete_action.setToolTip(self.tr("Delete the playlist"))
        self.delete_action.triggered.connect(self._on_delete_triggered)
        left_bar = QToolBar()
        left_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.new_action, self.edit_action, self.main_action, self.delete_action):
            left_bar.addAction(action)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(self.tr("Playlists"))
        heading.setStyleSheet("font-size: 15px; font-weight: 600;")
        left_layout.addWidget(heading)
        left_layout.addWidget(left_bar)
        left_layout.addWidget(self.playlists_view, 1)
        return left

    def _build_items(self) -> QWidget:
        self.title_label = QLabel()
        self.title_label.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.subtitle_label = QLabel()
        self.subtitle_label.setStyleSheet("color: palette(placeholder-text);")
        self.subtitle_label.setWordWrap(True)

        self.items_model = PlaylistItemsModel(self)
        self.items_model.tracks_dropped.connect(self._on_tracks_dropped)
        self.items_model.items_dropped.connect(self._on_items_dropped)
        self.items_view = PlaylistItemsView()
        self.items_view.setModel(self.items_model)
        # Fixed widths for the number columns: "resize to contents" would measure a
        # thousand rows of a large playlist on every refresh.
        item_header = self.items_view.horizontalHeader()
        metrics = self.items_view.fontMetrics()
        item_header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        item_header.resizeSection(0, metrics.horizontalAdvance("00000") + 16)
        item_header.resizeSection(3, metrics.horizontalAdvance(self.tr("Duration")) + 24)
        item_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        item_header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.items_view.delete_pressed.connect(self.remove_selected)
        self.items_view.selectionModel().selectionChanged.connect(
            lambda *_args: self._update_actions())

        self._build_item_actions()
        right_bar = QToolBar()
        right_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        right_bar.addAction(self.add_action)
        right_bar.addAction(self.remove_action)
        right_bar.addAction(self.shuffle_action)
        right_bar.addWidget(self.sort_button)
        right_bar.addSeparator()
        right_bar.addAction(self.undo_action)
        right_bar.addAction(self.redo_action)

        self.footer_label = QLabel()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.title_label)
        titles.addWidget(self.subtitle_label)
        right_layout.addLayout(titles)
        right_layout.addWidget(right_bar)
        right_layout.addWidget(self.items_view, 1)
        right_layout.addWidget(self.footer_label)
        return right

    def _build_item_actions(self) -> None:
        self.add_action = QAction(self.tr("&Add tracks…"), self)
        self.add_action.setToolTip(self.tr("Search the library and add tracks (or drag them "
                                           "here from the Library)"))
        self.add_action.triggered.connect(self._on_add_triggered)
        self.remove_action = QAction(self.tr("&Remove"), self)
        self.remove_action.setToolTip(self.tr("Remove the selected tracks from the playlist "
                                              "(Delete)"))
        self.remove_action.triggered.connect(self.remove_selected)
        self.shuffle_action = QAction(self.tr("&Shuffle"), self)
        self.shuffle_action.setToolTip(self.tr("Put the tracks in random order"))
        self.shuffle_action.triggered.connect(self._on_shuffle_triggered)
        self.sort_menu = QMenu(self.tr("Sort"), self)
        self.sort_actions: dict[tuple[str, bool], QAction] = {}
        for key, descending, text in (
            ("title", False, self.tr("By title (A to Z)")),
            ("title", True, self.tr("By title (Z to A)")),
            ("artist", False, self.tr("By artist")),
            ("duration", False, self.tr("By duration, shortest first")),
            ("duration", True, self.tr("By duration, longest first")),
        ):
            action = self.sort_menu.addAction(text)
            action.triggered.connect(
                lambda _checked=False, k=key, d=descending: self.sort(k, d))
            self.sort_actions[(key, descending)] = action
        self.sort_button = QToolButton()
        self.sort_button.setText(self.tr("S&ort") + " \u25be")
        self.sort_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.sort_button.setMenu(self.sort_menu)
        self.sort_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

    # -- what the commands use ----------------------------------------------------------

    def report_history_failure(self, error: StationError) -> None:
        self.show_error(self.tr("Could not undo or redo"), "{}\n\n{}".format(
            error, self.tr("The undo history was cleared.")))

    async def show_change(self, playlist_id: str | None, detail: PlaylistDetail | None = None,
                          select: Sequence[str] = ()) -> None:
        """After a saved change: refresh the list (counts, names, main flag), select
        ``playlist_id`` and show its items (``detail`` when the service returned it)."""
        station_id = self.require_station()
        records = await self.call(self.services().playlists.list_playlists, station_id)
        shown = self._set_playlists(records, playlist_id)
        if shown is None:
            self._show_detail(None)
        elif detail is not None and detail.playlist.id == shown:
            self._show_detail(detail, select)
        else:
            self._show_detail(await self.call(self.services().playlists.get_playlist, shown),
                              select)
        self.changed.emit()

    # -- loading ------------------------------------------------------------------------

    async def load(self) -> None:
        self._new_context()
        await self.queue.submit(self._reload_quietly)

    async def _reload_quietly(self) -> None:
        if self.workspace is None or self.station_id is None:
            self._set_playlists([], None)
            self._show_detail(None)
            return
        current = self.current_playlist_id()
        try:
            await self.show_change(current)
        except StationError as error:
            self.show_error(self.tr("Could not load the playlists"), str(error))

    def current_playlist_id(self) -> str | None:
        index = self.playlists_view.currentIndex()
        if not index.isValid() or index.row() >= self.playlists_model.rowCount():
            return None
        return self.playlists_model.record(index.row()).id

    def playlist_record(self, playlist_id: str) -> PlaylistRecord | None:
        return next((r for r in self._records if r.id == playlist_id), None)

    def select_playlist(self, playlist_id: str) -> asyncio.Future[None]:
        """Select a playlist and show its items (what a click in the list does)."""
        self._set_playlists(self._records, playlist_id)
        return self.queue.submit(lambda: self._show_playlist(playlist_id))

    def _set_playlists(self, records: list[PlaylistRecord], select: str | None) -> str | None:
        """Show ``records`` and select ``select`` (else the current one, else the main one,
        else the first); returns the selected id."""
        current = self.current_playlist_id()
        self._records = list(records)
        ids = [r.id for r in records]
        chosen = next((c for c in (select, current) if c is not None and c in ids), None)
        if chosen is None and records:
            chosen = records[0].id  # the list has the main playlist first
        self._syncing = True
        try:
            self.playlists_model.set_records(records)
            if chosen is not None:
                index = self.playlists_model.index(ids.index(chosen), 0)
                self.playlists_view.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
        finally:
            self._syncing = False
        self._update_actions()
        return chosen

    async def _show_playlist(self, playlist_id: str) -> None:
        try:
            detail = await self.call(self.services().playlists.get_playlist, playlist_id)
        except StationError as error:
            self.show_error(self.tr("Could not open the playlist"), str(error))
            await self._reload_quietly()
            return
        if self.current_playlist_id() == playlist_id:
            self._show_detail(detail)

    def _show_detail(self, detail: PlaylistDetail | None, select: Sequence[str] = ()) -> None:
        previous = self.items_model.detail
        if not select and previous is not None and detail is not None and (
                previous.playlist.id == detail.playlist.id):
            select = self.selected_item_ids()  # keep what was selected, where it still is
        self.items_model.set_detail(detail)
        if detail is None:
            self.title_label.setText(self.tr("No playlist selected"))
            self.subtitle_label.setText(self.tr("Create one with New…"))
            self.footer_label.setText("")
            self.items_view.empty_text = self.tr("Select a playlist on the left.")
        else:
            record = detail.playlist
            self.title_label.setText(("★ " if record.is_main else "") + record.name)
            parts = [label(record.type)]
            if record.is_main:
                parts.append(self.tr("main playlist"))
            if record.description:
                parts.append(record.description)
            self.subtitle_label.setText(" · ".join(parts))
            self.footer_label.setText(tracks_text(record.item_count) + " · "
                                      + self.tr("total {duration}").format(
                                          duration=duration(record.total_duration)))
            self.items_view.empty_text = self.tr(
                "This playlist is empty. Drag tracks here from the Library, or use "
                "Add tracks….")
        rows = self.items_model.rows_of(select) if select else []
        self._select_rows(rows)
        self._update_actions()

    def _select_rows(self, rows: Sequence[int]) -> None:
        selection_model = self.items_view.selectionModel()
        selection = QItemSelection()
        last_column = self.items_model.columnCount() - 1
        for row in rows:
            selection.select(self.items_model.index(row, 0),
                             self.items_model.index(row, last_column))
        selection_model.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if rows:
            first = self.items_model.index(rows[0], 0)
            selection_model.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.items_view.scrollTo(first)

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.items_view.selectionModel().selectedRows()})

    def selected_item_ids(self) -> list[str]:
        return [self.items_model.item(row).id for row in self.selected_rows()]

    # -- edits of items -----------------------------------------------------------------

    def _edit(self, work: Callable[[], Awaitable[None]]) -> asyncio.Future[None]:
        """Queue an edit; an expected error is shown (and a stale view reloaded)."""
        async def guarded() -> None:
            try:
                await work()
            except StationError as error:
                self.show_error(self.tr("The change was not saved"), str(error))
                if isinstance(error, Conflict | NotFound):
                    await self._reload_quietly()
        return self.queue.submit(guarded)

    def _editing(self) -> PlaylistDetail | None:
        return self.items_model.detail

    def add_tracks(self, track_ids: Sequence[str], position: int | None = None
                   ) -> asyncio.Future[None] | None:
        """Insert tracks before row ``position`` (None: at the end) of the shown playlist."""
        before = self._editing()
        ids = list(track_ids)
        if before is None or not ids:
            return None
        at = len(before.items) if position is None else max(0, min(position, len(before.items)))
        playlist_id = before.playlist.id

        async def work() -> None:
            result = await self.call(self.services().playlists.add_items, playlist_id, ids, at,
                                     expected_items_version=before.items_version)
            self.undo_stack.push(AddItems(self, before, result, at, ids))
            await self.show_change(playlist_id, result, result.item_ids[at:at + len(ids)])
        return self._edit(work)

    def remove_rows(self, rows: Sequence[int]) -> asyncio.Future[None] | None:
        before = self._editing()
        chosen = sorted(set(rows))
        if before is None or not chosen:
            return None
        playlist_id = before.playlist.id
        item_ids = [before.items[row].id for row in chosen]

        async def work() -> None:
            result = await self.call(self.services().playlists.remove_items, playlist_id,
                                     item_ids, expected_items_version=before.items_version)
            self.undo_stack.push(RemoveItems(self, before, result, chosen))
            await self.show_change(playlist_id, result)
        return self._edit(work)

    def remove_selected(self) -> asyncio.Future[None] | None:
        return self.remove_rows(self.selected_rows())

    def move_items(self, item_ids: Sequence[str], to_row: int) -> asyncio.Future[None] | None:
        """Move items (keeping their order) before row ``to_row``: a drop."""
        before = self._editing()
        moving = list(item_ids)
        if before is None or not moving:
            return None
        playlist_id = before.playlist.id

        async def work() -> None:
            result = await self.call(self.services().playlists.move_items, playlist_id, moving,
                                     to_row, before.items_version)
            if result.item_ids != before.item_ids:
                text = self.tr("Move {tracks}").format(tracks=tracks_text(len(moving)))
                self.undo_stack.push(ReorderItems(self, text, before, result))
            await self.show_change(playlist_id, result, moving)
        return self._edit(work)

    def shuffle(self, seed: int | None = None) -> asyncio.Future[None] | None:
        before = self._editing()
        if before is None or len(before.items) < 2:
            return None
        playlist_id = before.playlist.id

        async def work() -> None:
            result = await self.call(self.services().playlists.shuffle, playlist_id,
                                     before.items_version, seed=seed)
            if result.item_ids != before.item_ids:
                self.undo_stack.push(ReorderItems(self, self.tr("Shuffle"), before, result))
            await self.show_change(playlist_id, result)
        return self._edit(work)

    def sort(self, key: str, descending: bool = False) -> asyncio.Future[None] | None:
        before = self._editing()
        if before is None or len(before.items) < 2:
            return None
        playlist_id = before.playlist.id
        text = self.sort_actions[(key, descending)].text() if (
            (key, descending) in self.sort_actions) else key

        async def work() -> None:
            result = await self.call(self.services().playlists.sort_items, playlist_id, key,
                                     descending=descending,
                                     expected_items_version=before.items_version)
            if result.item_ids != before.item_ids:
                self.undo_stack.push(ReorderItems(
                    self, self.tr("Sort: {how}").format(how=text.replace("&", "")), before, result))
            await self.show_change(playlist_id, result)
        return self._edit(work)

    # -- edits of playlists -------------------------------------------------------------

    def create_playlist(self, fields: PlaylistFields) -> asyncio.Future[None]:
        async def work() -> None:
            record = await self.call(self.services().playlists.create_playlist,
                                     self.require_station(), fields)
            self.undo_stack.push(CreatePlaylist(self, record))
            await self.show_change(record.id)
        return self._edit(work)

    def edit_playlist(self, playlist_id: str, fields: PlaylistFields) -> asyncio.Future[None]:
        async def work() -> None:
            before = self.playlist_record(playlist_id)
            if before is None:
                raise NotFound("Playlist", playlist_id)
            after = await self.call(self.services().playlists.update_playlist, playlist_id,
                                    fields, before.version)
            if after.fields != before.fields:
                self.undo_stack.push(EditPlaylist(self, before, after))
            await self.show_change(playlist_id)
        return self._edit(work)

    def set_main(self, playlist_id: str) -> asyncio.Future[None]:
        async def work() -> None:
            record = self.playlist_record(playlist_id)
            if record is None:
                raise NotFound("Playlist", playlist_id)
            previous = next((r.id for r in self._records if r.is_main), None)
            if previous == playlist_id:
                return
            after = await self.call(self.services().playlists.set_main, playlist_id)
            self.undo_stack.push(SetMain(self, after, previous))
            await self.show_change(playlist_id)
        return self._edit(work)

    def delete_playlist(self, playlist_id: str) -> asyncio.Future[None]:
        """Delete at once (the confirmation is :meth:`confirm_delete`). Not undoable: the
        undo history is cleared."""
        async def work() -> None:
            record = self.playlist_record(playlist_id)
            version = record.version if record is not None else None
            await self.call(self.services().playlists.delete_playlist, playlist_id, version)
            self._forget_history()
            await self.show_change(None)
        return self._edit(work)

    # -- dialogs ------------------------------------------------------------------------

    def open_new_dialog(self) -> PlaylistDialog | None:
        if self.station_id is None:
            return None
        dialog = PlaylistDialog(None, self, check=lambda f: self._name_problem(f, None))
        dialog.accepted.connect(lambda: self.create_playlist(dialog.fields()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def open_edit_dialog(self, playlist_id: str | None = None) -> PlaylistDialog | None:
        playlist_id = playlist_id or self.current_playlist_id()
        record = self.playlist_record(playlist_id) if playlist_id else None
        if record is None:
            return None
        dialog = PlaylistDialog(record.fields, self,
                                check=lambda f: self._name_problem(f, record.id))
        dialog.accepted.connect(lambda: self.edit_playlist(record.id, dialog.fields()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _name_problem(self, fields: PlaylistFields, own_id: str | None) -> str | None:
        """Why the dialog cannot be saved as it is (checked before it closes, so nothing
        typed is lost); the service checks again when saving."""
        folded = fields.name.strip().casefold()
        for record in self._records:
            if record.id != own_id and record.name.casefold() == folded:
                return self.tr("This station already has a playlist named “{name}”; choose "
                               "another name.").format(name=record.name)
        return None

    async def confirm_delete(self, playlist_id: str | None = None) -> QMessageBox | None:
        """Ask before deleting (says how many tracks and schedule blocks go with it)."""
        playlist_id = playlist_id or self.current_playlist_id()
        record = self.playlist_record(playlist_id) if playlist_id else None
        if record is None or self.workspace is None or self.station_id is None:
            return None
        try:
            blocks = await self.call(self.workspace.schedule.list_blocks, self.station_id)
        except StationError as error:
            self.show_error(self.tr("Could not read the schedule"), str(error))
            return None
        uses = sum(1 for block in blocks if block.playlist_id == record.id)
        text = self.tr("Delete the playlist “{name}” and its {tracks}?").format(
            name=record.name, tracks=tracks_text(record.item_count))
        if uses == 1:
            text += " " + self.tr("It is also taken off the schedule (1 block).")
        elif uses:
            text += " " + self.tr("It is also taken off the schedule ({count} blocks).").format(
                count=uses)
        if record.is_main:
            text += " " + self.tr("It is the station's main playlist: AutoDJ will have no "
                                  "main playlist until you choose another.")
        text += "\n\n" + self.tr("This cannot be undone.")
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Delete playlist"), text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                          self)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Delete"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def answered(result: int) -> None:
            if result == QMessageBox.StandardButton.Yes:
                self.delete_playlist(record.id)
            box.deleteLater()

        box.finished.connect(answered)
        box.open()
        return box

    def open_track_picker(self) -> TrackPickerDialog | None:
        if self._editing() is None:
            return None
        dialog = TrackPickerDialog(self._search_tracks, self)

        def chosen() -> None:
            self.add_tracks(dialog.selected_track_ids(), self._insert_position())

        dialog.accepted.connect(chosen)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        dialog.search_edit.setFocus()
        dialog.start_search()
        return dialog

    async def _search_tracks(self, text: str) -> TrackPage | None:
        if self.workspace is None or self.station_id is None:
            return None
        return await self.call(self.workspace.library.list_tracks, self.station_id,
                               search=text or None, limit=PICKER_PAGE_SIZE)

    def _insert_position(self) -> int | None:
        """Where picked tracks go: after the selected rows, else at the end."""
        rows = self.selected_rows()
        return rows[-1] + 1 if rows else None

    # -- slots --------------------------------------------------------------------------

    def _on_playlist_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        playlist_id = self.playlists_model.record(current.row()).id
        self._update_actions()
        self.queue.submit(lambda: self._show_playlist(playlist_id))

    def _on_tracks_dropped(self, track_ids: list[str], row: int) -> None:
        self.add_tracks(track_ids, row)

    def _on_items_dropped(self, item_ids: list[str], row: int) -> None:
        self.move_items(item_ids, row)

    def _on_main_triggered(self) -> None:
        playlist_id = self.current_playlist_id()
        if playlist_id is not None:
            self.set_main(playlist_id)

    @async_slot()
    async def _on_delete_triggered(self) -> None:
        await self.confirm_delete()

    def _on_new_triggered(self) -> None:
        self.open_new_dialog()

    def _on_edit_triggered(self) -> None:
        self.open_edit_dialog()

    def _on_add_triggered(self) -> None:
        self.open_track_picker()

    def _on_shuffle_triggered(self) -> None:
        self.shuffle()

    def _on_busy_changed(self, busy: bool) -> None:
        self.items_model.accepting_drops = not busy
        self._update_actions()

    def _update_actions(self, *_args: Any) -> None:
        has_station = self.station_id is not None and self.workspace is not None
        record = self.playlist_record(self.current_playlist_id() or "")
        detail = self.items_model.detail
        has_items = detail is not None and len(detail.items) > 1
        self.new_action.setEnabled(has_station)
        self.edit_action.setEnabled(record is not None)
        self.delete_action.setEnabled(record is not None)
        self.main_action.setEnabled(record is not None and not record.is_main
                                    and record.type == "rotation")
        self.add_action.setEnabled(detail is not None)
        self.remove_action.setEnabled(detail is not None
                                      and self.items_view.selectionModel().hasSelection())
        self.shuffle_action.setEnabled(has_items)
        self.sort_button.setEnabled(has_items)
