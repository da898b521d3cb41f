"""The Library page: the selected station's tracks, imports, the metadata editor, deletion.

The table is a :class:`LibraryModel` (lazy pages, sort and search in SQL) in a
:class:`LibraryView` (files from the file manager drop on it). Above it: the search box
(Ctrl+F; it waits for a pause in typing), the status filter and the Import button
(Ctrl+I files, Ctrl+Shift+I a folder). Below it: the import's progress with Cancel while
one runs, and the station's storage against its quota. Enter or F2 edits the selected
tracks, Delete deletes them (after a confirmation that says how many; the result says
which playlists they were taken out of). The column layout and the sort are the table's
header state, which the main window keeps in the settings (``views/library/...``).
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressBar,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from station_desktop.errors import Conflict, StationError
from station_desktop.services.importer import FileOutcome, ImportReport
from station_desktop.services.library import DeletedTrack, StorageUsage, TrackRecord
from station_desktop.ui import formatting
from station_desktop.ui.asyncslot import async_slot
from station_desktop.ui.library.covers import CoverCache
from station_desktop.ui.library.editor import MetadataEditor
from station_desktop.ui.library.importing import ImportPanel, ImportReportDialog
from station_desktop.ui.library.model import (
    ALBUM,
    ARTIST,
    BITRATE,
    COVER,
    DURATION,
    FORMAT,
    GENRE,
    SORT_KEYS,
    STATUS,
    TITLE,
    YEAR,
    LibraryModel,
    Query,
)
from station_desktop.ui.library.view import LibraryView
from station_desktop.ui.page import Page
from station_desktop.ui.worker import DbWorker

log = logging.getLogger("station_desktop.ui.library")

SEARCH_DELAY_MS = 180  # a pause in typing this long runs the search
REFRESH_DELAY_MS = 400  # while importing, new rows show at most this often
MAX_SELECTED = 5_000  # tracks one edit or deletion takes
AUDIO_PATTERNS = ("*.mp3 *.ogg *.oga *.opus *.flac *.m4a *.aac *.mp4 *.wav *.aif *.aiff "
                  "*.wma *.ape *.mpc *.wv *.tta *.dsf *.ac3 *.mka *.webm *.spx *.alac")
_WIDTHS = {COVER: 40, TITLE: 280, ARTIST: 190, ALBUM: 190, GENRE: 110, YEAR: 60,
           DURATION: 76, FORMAT: 64, BITRATE: 84, STATUS: 110}


class LibraryPage(Page):
    """Signals:
        import_finished(object): the :class:`ImportReport` of an import that ended.
        tracks_deleted(object): the list of :class:`DeletedTrack` of a deletion.
        tracks_saved(object): the list of :class:`TrackRecord` the editor saved.
    """

    import_finished = Signal(object)
    tracks_deleted = Signal(object)
    tracks_saved = Signal(object)

    def __init__(self, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(worker, parent)
        self.setObjectName("library-page")
        self.covers = CoverCache(parent=self)
        self.model = LibraryModel(worker, self.covers, parent=self)
        self.usage: StorageUsage | None = None
        self.last_report: ImportReport | None = None
        self.last_deleted: list[DeletedTrack] | None = None
        self.editor: MetadataEditor | None = None
        self.confirmation: QMessageBox | None = None
        self.result_box: QMessageBox | None = None
        self.report_dialog: ImportReportDialog | None = None
        self._import_cancel: threading.Event | None = None
        self._build()
        self._build_actions()
        self.model.counted.connect(self._show_count)
        self.model.loaded.connect(self._on_model_loaded)
        self.model.failed.connect(self._on_fetch_failed)

    # -- construction ----------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 14, 20, 10)
        outer.addLayout(self._build_top())
        outer.addWidget(self._build_view(), 1)
        self.import_panel = ImportPanel()
        self.import_panel.cancel_requested.connect(self.cancel_import)
        outer.addWidget(self.import_panel)
        outer.addLayout(self._build_footer())
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filters)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._apply_filters)
        self.status_filter.currentIndexChanged.connect(lambda _i: self._apply_filters())
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.model.refresh)

    def _build_top(self) -> QHBoxLayout:
        top = QHBoxLayout()
        heading = QLabel(self.tr("Library"))
        heading.setObjectName("heading")
        heading.setStyleSheet("font-size: 20px; font-weight: 600;")
        top.addWidget(heading)
        top.addSpacing(16)
        self.search = QLineEdit()
        self.search.setObjectName("library-search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            self.tr("Search title, artist, album, genre or file name (Ctrl+F)"))
        self.search.setMinimumWidth(280)
        top.addWidget(self.search, 1)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("library-status")
        for text, value in ((self.tr("All tracks"), None), (self.tr("Ready"), "ready"),
                            (self.tr("Processing"), "processing"),
                            (self.tr("With errors"), "error")):
            self.status_filter.addItem(text, value)
        top.addWidget(self.status_filter)
        self.import_button = QToolButton()
        self.import_button.setObjectName("library-import")
        self.import_button.setText(self.tr("Import…"))
        fallback = self.style().standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton)
        self.import_button.setIcon(QIcon.fromTheme("document-import", fallback))
        self.import_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.import_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        top.addWidget(self.import_button)
        return top

    def _build_view(self) -> LibraryView:
        self.view = LibraryView()
        self.view.setModel(self.model)
        self.view.empty_text = self.tr("No station selected.")
        header = self.view.horizontalHeader()
        for column, width in _WIDTHS.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(COVER, QHeaderView.ResizeMode.Fixed)
        header.setSortIndicator(TITLE, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._on_sort_indicator)
        self.view.files_dropped.connect(self._on_files_dropped)
        self.view.customContextMenuRequested.connect(self._on_context_menu)
        self.view.activated.connect(lambda _index: self.edit_selected())
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        return self.view

    def _build_footer(self) -> QHBoxLayout:
        footer = QHBoxLayout()
        footer.setContentsMargins(0, 6, 0, 0)
        self.count_label = QLabel()
        self.count_label.setObjectName("library-count")
        footer.addWidget(self.count_label, 1)
        self.storage_label = QLabel()
        self.storage_label.setObjectName("library-storage")
        footer.addWidget(self.storage_label)
        self.storage_bar = QProgressBar()
        self.storage_bar.setObjectName("library-storage-bar")
        self.storage_bar.setRange(0, 1000)
        self.storage_bar.setTextVisible(False)
        self.storage_bar.setFixedWidth(180)
        self.storage_bar.setFixedHeight(10)
        footer.addWidget(self.storage_bar)
        return footer

    def _build_actions(self) -> None:
        def action(text: str, shortcuts: Sequence[QKeySequence | QKeySequence.StandardKey],
                   target: QWidget, slot: object) -> QAction:
            act = QAction(text, self)
            act.setShortcuts([QKeySequence(s) for s in shortcuts])
            context = (Qt.ShortcutContext.WidgetShortcut if target is self.view
                       else Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.setShortcutContext(context)
            act.triggered.connect(slot)
            target.addAction(act)
            return act

        self.find_action = action(self.tr("Find"), [QKeySequence.StandardKey.Find], self,
                                  self.focus_search)
        self.import_files_action = action(
            self.tr("Import &files…"), [QKeySequence("Ctrl+I")], self, self.choose_files)
        self.import_folder_action = action(
            self.tr("Import a f&older…"), [QKeySequence("Ctrl+Shift+I")], self,
            self.choose_folder)
        self.edit_action = action(
            self.tr("&Edit tags…"), [QKeySequence(Qt.Key.Key_F2), QKeySequence(Qt.Key.Key_Return),
                                     QKeySequence(Qt.Key.Key_Enter)], self.view,
            self.edit_selected)
        self.delete_action = action(self.tr("&Delete…"), [QKeySequence.StandardKey.Delete],
                                    self.view, self.delete_selected)
        menu = QMenu(self.import_button)
        menu.addAction(self.import_files_action)
        menu.addAction(self.import_folder_action)
        self.import_button.setMenu(menu)
        self.import_button.clicked.connect(self.choose_files)
        self._update_actions()

    # -- context ---------------------------------------------------------------------------

    async def load(self) -> None:
        workspace, station_id = self.workspace, self.station_id
        importer = getattr(workspace, "importer", None) if workspace is not None else None
        self.covers.set_loader(importer.cover_bytes if importer is not None else None)
        if workspace is None:
            self.view.empty_text = self.tr("Not connected to a database.")
        elif station_id is None:
            self.view.empty_text = self.tr("No station selected. Choose one in the station "
                                           "switcher at the top of the window.")
        else:
            self.view.empty_text = self.tr(
                "This station's library is empty.\nDrop audio files or folders here, or use "
                "Import (Ctrl+I).")
        self.model.set_source(workspace.library if workspace is not None else None,
                              station_id, self.query_from_widgets())
        self._update_actions()
        await self.model.wait_idle()  # the rows first, then the storage figures
        await self.refresh_usage()
        if workspace is not None and station_id is not None:
            # The station's search text, read now rather than on the first keystroke.
            try:
                await self.worker.call(workspace.library.warm_search, station_id)
            except StationError as error:  # the search will say it, if it fails too
                log.info("search text of station %s not read: %s", station_id, error)

    async def refresh_usage(self) -> None:
        workspace, station_id = self.workspace, self.station_id
        if workspace is None or station_id is None:
            self.usage = None
            self._show_usage()
            return
        usage = await self.run(workspace.library.storage_usage, station_id)
        if self.workspace is workspace and self.station_id == station_id:
            self.usage = usage
            self._show_usage()
            self._show_count(self.model.rowCount())

    def _show_usage(self) -> None:
        usage = self.usage
        self.storage_bar.setVisible(usage is not None)
        if usage is None:
            self.storage_label.setText("")
            return
        share = usage.used / usage.quota if usage.quota > 0 else 1.0
        self.storage_bar.setValue(min(round(share * 1000), 1000))
        self.storage_label.setText(self.tr("{used} of {quota} used ({percent} %)").format(
            used=formatting.data_size(usage.used), quota=formatting.data_size(usage.quota),
            percent=formatting.number(share * 100, 1 if 0 < share < 0.1 else 0)))
        self.storage_bar.setToolTip(self.tr("{free} free of the station's quota").format(
            free=formatting.data_size(usage.free)))
        colour = "#c0392b" if share >= 0.95 else "#d68910" if share >= 0.8 else ""
        self.storage_bar.setStyleSheet(
            f"QProgressBar::chunk {{ background: {colour}; }}" if colour else "")

    def _show_count(self, count: int) -> None:
        query = self.model.query
        if self.station_id is None:
            self.count_label.setText("")
            return
        total = self.usage.track_count if self.usage is not None else None
        if (query.search or query.status) and total is not None:
            self.count_label.setText(self.tr("{shown} of {total} tracks").format(
                shown=formatting.number(count), total=formatting.number(total)))
        elif count == 1:
            self.count_label.setText(self.tr("1 track"))
        else:
            self.count_label.setText(self.tr("{count} tracks").format(
                count=formatting.number(count)))

    def _on_model_loaded(self) -> None:
        query = self.model.query
        if self.model.rowCount() == 0 and (query.search or query.status):
            self.view.empty_text = self.tr("No track matches the search.")
        elif self.station_id is not None and self.workspace is not None:
            self.view.empty_text = self.tr(
                "This station's library is empty.\nDrop audio files or folders here, or use "
                "Import (Ctrl+I).")
        self._update_actions()
        self.view.viewport().update()

    def _on_fetch_failed(self, message: str) -> None:
        self.show_error(self.tr("The library could not be read"), message)

    # -- filters and sort ------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _apply_filters(self) -> None:
        self._search_timer.stop()
        self.model.set_query(replace(self.model.query, search=self.search.text().strip(),
                                     status=self.status_filter.currentData()))

    def _on_sort_indicator(self, section: int, order: Qt.SortOrder) -> None:
        if section in SORT_KEYS:
            self.model.sort(section, order)

    def query_from_widgets(self) -> Query:
        """The query the page's widgets show: the header's sort indicator (restored from
        the settings), the search box and the status filter."""
        header = self.view.horizontalHeader()
        query = replace(self.model.query, search=self.search.text().strip(),
                        status=self.status_filter.currentData())
        section = header.sortIndicatorSection()
        if section in SORT_KEYS:
            query = replace(query, sort=SORT_KEYS[section],
                            descending=header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder)
        return query

    # -- selection -------------------------------------------------------------------------

    def selected_rows(self) -> list[int]:
        return sorted(index.row() for index in self.view.selectionModel().selectedRows())

    def selected_tracks(self) -> list[TrackRecord]:
        return self.model.records(self.selected_rows())

    def _update_actions(self, *_args: object) -> None:
        has_station = self.workspace is not None and self.station_id is not None
        selected = bool(self.view.selectionModel().hasSelection())
        self.edit_action.setEnabled(has_station and selected)
        self.delete_action.setEnabled(has_station and selected)
        for act in (self.import_files_action, self.import_folder_action):
            act.setEnabled(has_station)
        self.import_button.setEnabled(has_station)

    def _checked_selection(self) -> list[TrackRecord] | None:
        rows = self.selected_rows()
        if not rows:
            return None
        if len(rows) > MAX_SELECTED:
            self.show_error(self.tr("Too many tracks selected"), self.tr(
                "Select at most {count} tracks at a time.").format(
                    count=formatting.number(MAX_SELECTED)))
            return None
        tracks = self.model.records(rows)
        if len(tracks) < len(rows):
            self.show_error(self.tr("Still loading"), self.tr(
                "Some of the selected tracks are still loading; try again in a moment."))
            return None
        return tracks

    def _on_context_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction(self.edit_action)
        menu.addAction(self.delete_action)
        menu.addSeparator()
        menu.addAction(self.import_files_action)
        menu.addAction(self.import_folder_action)
        menu.popup(self.view.viewport().mapToGlobal(position))

    # -- editing ---------------------------------------------------------------------------

    def edit_selected(self) -> MetadataEditor | None:
        """Open the metadata editor on the selected tracks (it saves by itself)."""
        workspace = self.workspace
        tracks = self._checked_selection()
        if workspace is None or not tracks:
            return None
        editor = MetadataEditor(self.worker, workspace.library, tracks, self)
        editor.saved.connect(self._on_tracks_saved)
        editor.reloaded.connect(self.model.replace_records)
        editor.finished.connect(lambda _result: editor.deleteLater())
        self.editor = editor
        editor.open()
        return editor

    def _on_tracks_saved(self, records: list[TrackRecord]) -> None:
        self.model.replace_records(records)
        self.model.refresh()  # the sort or the search may place them elsewhere now
        self.tracks_saved.emit(records)

    # -- deleting --------------------------------------------------------------------------

    def delete_selected(self) -> QMessageBox | None:
        """Ask to confirm the deletion of the selected tracks (then deletes them)."""
        tracks = self._checked_selection()
        if self.workspace is None or not tracks:
            return None
        count = len(tracks)
        if count == 1:
            text = self.tr("Delete “{title}”?").format(title=tracks[0].display_title)
        else:
            text = self.tr("Delete %n tracks?", "", count)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Delete tracks"), text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                          self)
        box.setObjectName("confirm-delete")
        box.setInformativeText(self.tr(
            "They are removed from the library and from every playlist that contains them. "
            "This cannot be undone."))
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Delete"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(lambda button: self._on_confirmed(box, button, tracks))
        self.confirmation = box
        box.open()  # never exec() inside the qasync loop
        return box

    def _on_confirmed(self, box: QMessageBox, button: QAbstractButton,
                      tracks: list[TrackRecord]) -> None:
        if box.standardButton(button) == QMessageBox.StandardButton.Yes:
            self._delete_later(tracks)

    @async_slot(object)
    async def _delete_later(self, tracks: list[TrackRecord]) -> None:
        await self.delete_tracks(tracks)

    async def delete_tracks(self, tracks: Sequence[TrackRecord]) -> list[DeletedTrack] | None:
        workspace = self.workspace
        if workspace is None:
            return None
        try:
            deleted = await self.worker.call(workspace.library.delete_tracks,
                                             [t.id for t in tracks],
                                             {t.id: t.version for t in tracks})
        except Conflict as conflict:
            self.show_error(self.tr("Nothing was deleted"), self.tr(
                "{reason}\nThe list was reloaded; check the tracks and delete again.").format(
                    reason=conflict))
            self.model.refresh()
            return None
        except StationError as error:
            self.show_error(self.tr("Nothing was deleted"), str(error))
            return None
        self.view.clearSelection()
        self.model.refresh()
        await self.refresh_usage()
        self._show_deleted(deleted)
        self.last_deleted = deleted
        self.tracks_deleted.emit(deleted)
        return deleted

    def _show_deleted(self, deleted: list[DeletedTrack]) -> None:
        playlists = Counter(name for d in deleted for name in d.removed_from)
        if len(deleted) == 1:
            text = self.tr("“{title}” was deleted.").format(
                title=deleted[0].track.display_title)
        else:
            count = len(deleted)
            text = self.tr("%n tracks were deleted.", "", count)
        if playlists:
            listed = "\n".join(
                self.tr("• {playlist}: {count}").format(playlist=name, count=count)
                for name, count in sorted(playlists.items(), key=lambda i: i[0].casefold()))
            detail = self.tr("They were taken out of these playlists (tracks removed):\n"
                             "{playlists}").format(playlists=listed)
        else:
            detail = self.tr("They were in no playlist.")
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Tracks deleted"), text,
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("deleted")
        box.setInformativeText(detail)
        self.result_box = box
        box.open()

    # -- importing -------------------------------------------------------------------------

    @property
    def importing(self) -> bool:
        return self._import_cancel is not None

    def choose_files(self) -> None:
        dialog = QFileDialog(self, self.tr("Import audio files"))
        dialog.setObjectName("import-files-dialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilters([self.tr("Audio files ({patterns})").format(
            patterns=AUDIO_PATTERNS), self.tr("All files (*)")])
        dialog.filesSelected.connect(
            lambda files: self._import_later([Path(f) for f in files]))
        dialog.open()

    def choose_folder(self) -> None:
        dialog = QFileDialog(self, self.tr("Import a folder (with its subfolders)"))
        dialog.setObjectName("import-folder-dialog")
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.fileSelected.connect(lambda folder: self._import_later([Path(folder)]))
        dialog.open()

    def _on_files_dropped(self, paths: list[Path]) -> None:
        self._import_later(paths)

    @async_slot(object)
    async def _import_later(self, paths: list[Path]) -> None:
        await self.import_paths(paths)

    async def import_paths(self, paths: Sequence[Path]) -> ImportReport | None:
        """Import files and folders into the station, showing progress, then the report."""
        workspace, station_id = self.workspace, self.station_id
        if not paths:
            return None
        if workspace is None or station_id is None:
            self.show_error(self.tr("Nothing to import into"),
                            self.tr("Choose a station first, then import its files."))
            return None
        if self._import_cancel is not None:
            self.show_error(self.tr("An import is running"), self.tr(
                "Wait for the current import to finish (or cancel it), then import these."))
            return None
        importer = getattr(workspace, "importer", None)
        if importer is None:
            self.show_error(self.tr("Importing is not available"), self.tr(
                "This version cannot import files into this database."))
            return None
        cancel = threading.Event()
        self._import_cancel = cancel
        self.import_panel.start()
        try:
            report: ImportReport = await importer.import_files(
                station_id, list(paths), on_progress=self.import_panel.update_progress,
                on_outcome=self._on_import_outcome, cancel=cancel)
        except StationError as error:
            self.show_error(self.tr("The files were not imported"), str(error))
            return None
        finally:
            self._import_cancel = None
            self.import_panel.finish()
            self._refresh_timer.stop()
        if self.workspace is workspace and self.station_id == station_id:
            self.model.refresh()
            await self.refresh_usage()
        dialog = ImportReportDialog(report, self)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        self.report_dialog = dialog
        dialog.open()
        self.last_report = report
        self.import_finished.emit(report)
        return report

    def _on_import_outcome(self, outcome: FileOutcome) -> None:
        if outcome.status == "imported" and not self._refresh_timer.isActive():
            self._refresh_timer.start()  # new rows appear while the import goes on

    def cancel_import(self) -> None:
        if self._import_cancel is not None:
            self._import_cancel.set()
