"""The main window: sidebar of pages, station switcher, menus, connection state.

The window owns the open workspace (the database) and the selected station. It tells the
pages through :meth:`Page.set_context`: the visible page at once, every other page when it
is next shown (so a page never loads data nobody looks at, and nothing blocks the UI:
pages load off the UI thread through the shared :class:`DbWorker`).
"""

from __future__ import annotations

import asyncio
import logging
import platform
import sys
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import PySide6
from PySide6.QtCore import QSize, Qt, QUrl, Signal, qVersion
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDesktopServices, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QStyle,
    QToolBar,
    QWidget,
)

from station_desktop import __version__
from station_desktop.config import paths
from station_desktop.config.profiles import ProfileStore
from station_desktop.errors import StationError
from station_desktop.services.workspace import (
    EMBEDDED_FILENAME,
    Workspace,
    open_embedded,
    open_startup_workspace,
)
from station_desktop.ui.connections import EMBEDDED, ConnectionsDialog
from station_desktop.ui.page import Page
from station_desktop.ui.pages import PageSpec
from station_desktop.ui.settings import LANGUAGES, AppSettings
from station_desktop.ui.worker import DbWorker

log = logging.getLogger("station_desktop.ui")

P = ParamSpec("P")
R = TypeVar("R")

LICENCE = "GPL-3.0-or-later"
ADMIN_HEADER = "\x00admin"  # the sidebar's "Administration" heading (not a page)
MAX_STATUS_CHARS = 140

# Shown when the desktop's icon theme lacks the page's freedesktop icon (always offscreen).
_FALLBACK_ICONS = {
    "dashboard": QStyle.StandardPixmap.SP_DesktopIcon,
    "library": QStyle.StandardPixmap.SP_DirIcon,
    "playlists": QStyle.StandardPixmap.SP_FileDialogListView,
    "schedule": QStyle.StandardPixmap.SP_FileDialogDetailedView,
    "live": QStyle.StandardPixmap.SP_MediaVolume,
    "statistics": QStyle.StandardPixmap.SP_FileDialogInfoView,
    "stream": QStyle.StandardPixmap.SP_MediaPlay,
    "servers": QStyle.StandardPixmap.SP_DriveNetIcon,
    "stations": QStyle.StandardPixmap.SP_ComputerIcon,
}


class MainWindow(QMainWindow):
    """Signals:
        station_changed(str): the station switcher selected another station id.
        workspace_changed(): another database was opened.
        loaded(): the station list and the visible page were (re)loaded.
    """

    station_changed = Signal(str)
    workspace_changed = Signal()
    loaded = Signal()

    def __init__(
        self,
        worker: DbWorker,
        pages: Sequence[PageSpec],
        *,
        settings: AppSettings | None = None,
        profiles: ProfileStore | None = None,
        data_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self._worker = worker
        self._settings = settings if settings is not None else AppSettings()
        self._profiles = profiles if profiles is not None else ProfileStore()
        self._data_dir = data_dir if data_dir is not None else paths.data_dir()
        self._workspace: Workspace | None = None
        self._connection_key: str | None = None  # settings key of the open connection
        self._connected_profile: str | None = None  # its profile name, EMBEDDED, or None
        self._is_admin = True
        self._station_id: str | None = None
        self._tasks: set[asyncio.Future[Any]] = set()
        self._page_context: dict[str, tuple[Workspace | None, str | None]] = {}
        self._specs = list(pages)
        self.pages: dict[str, Page] = {}
        self.connections_dialog: ConnectionsDialog | None = None
        self.setObjectName("main-window")
        self.setWindowTitle(self.tr("Station Desktop"))

        self._build_toolbar()
        self._build_body()
        self.connection_label = QLabel(self.tr("Not connected"))
        self.connection_label.setObjectName("connection-state")
        self.statusBar().addPermanentWidget(self.connection_label)
        self._build_menus()
        for key, page in self.pages.items():
            self._settings.restore_views(key, page)
        if not self._settings.restore_window(self):
            self.resize(QSize(1180, 720))
        self._select_sidebar(self._specs[0].key)

    # -- construction ------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        self.station_switcher = QComboBox()
        self.station_switcher.setObjectName("station-switcher")
        self.station_switcher.setMinimumWidth(260)
        self.station_switcher.setPlaceholderText(self.tr("No stations"))
        self.station_switcher.setToolTip(self.tr("The station every page shows"))
        self.station_switcher.currentIndexChanged.connect(self._on_switcher_changed)
        toolbar = QToolBar(self.tr("Station"))
        toolbar.setObjectName("station-toolbar")
        toolbar.setMovable(False)
        label = QLabel(self.tr("Station:"))
        label.setContentsMargins(6, 0, 6, 0)
        toolbar.addWidget(label)
        toolbar.addWidget(self.station_switcher)
        self.addToolBar(toolbar)

    def _build_body(self) -> None:
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(224)
        self.sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sidebar.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setStyleSheet(
            "QListWidget#sidebar { font-size: 14px; border: none; "
            "background: palette(alternate-base); }"
            "QListWidget#sidebar::item { padding: 7px 10px; }")
        self.stack = QStackedWidget()
        admin_header_added = False
        for spec in self._specs:
            if spec.admin_only and not admin_header_added:
                header = QListWidgetItem(self.tr("Administration").upper())
                header.setData(Qt.ItemDataRole.UserRole, ADMIN_HEADER)
                header.setFlags(Qt.ItemFlag.NoItemFlags)
                font = header.font()
                font.setPointSizeF(font.pointSizeF() * 0.8)
                font.setBold(True)
                header.setFont(font)
                self.sidebar.addItem(header)
                admin_header_added = True
            page = spec.factory(self._worker)
            page.setObjectName(f"page-{spec.key}")
            self.pages[spec.key] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(self._icon(spec), spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.sidebar.addItem(item)
        self.sidebar.currentItemChanged.connect(self._on_sidebar_current_changed)
        central = QWidget()
        body = QHBoxLayout(central)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.sidebar)
        body.addWidget(self.stack, 1)
        self.setCentralWidget(central)

    def _icon(self, spec: PageSpec) -> QIcon:
        fallback = self.style().standardIcon(
            _FALLBACK_ICONS.get(spec.key, QStyle.StandardPixmap.SP_FileIcon))
        return QIcon.fromTheme(spec.icon, fallback) if spec.icon else fallback

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.connections_action = QAction(self.tr("&Connections…"), self)
        self.connections_action.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.connections_action.triggered.connect(self.open_connections)
        file_menu.addAction(self.connections_action)
        self.reload_action = QAction(self.tr("&Reload"), self)
        self.reload_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.reload_action.triggered.connect(self._on_reload_triggered)
        file_menu.addAction(self.reload_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        self.edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        self._no_undo = QAction(self.tr("&Undo"), self)
        self._no_undo.setEnabled(False)
        self._no_redo = QAction(self.tr("&Redo"), self)
        self._no_redo.setEnabled(False)

        view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.page_actions: dict[str, QAction] = {}
        for number, spec in enumerate(self._specs, 1):
            action = QAction(self._icon(spec), spec.title, self)
            if number <= 9:
                action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, key=spec.key: self._select_sidebar(key))
            view_menu.addAction(action)
            self.page_actions[spec.key] = action
        view_menu.addSeparator()
        view_menu.addMenu(self._build_language_menu())

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        log_folder = QAction(self.tr("Open &Log Folder"), self)
        log_folder.triggered.connect(self._on_open_log_folder_triggered)
        help_menu.addAction(log_folder)
        help_menu.addSeparator()
        about = QAction(self.tr("&About Station Desktop"), self)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _build_language_menu(self) -> QMenu:
        menu = QMenu(self.tr("&Language"), self)
        group = QActionGroup(self)
        names = {"system": self.tr("System default"), "en": "English", "es": "Español"}
        current = self._settings.language
        self.language_actions: dict[str, QAction] = {}
        for code in LANGUAGES:
            action = QAction(names[code], self, checkable=True)
            action.setChecked(code == current)
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            group.addAction(action)
            menu.addAction(action)
            self.language_actions[code] = action
        return menu

    # -- public API --------------------------------------------------------------------

    @property
    def workspace(self) -> Workspace | None:
        return self._workspace

    @property
    def station_id(self) -> str | None:
        return self._station_id

    @property
    def is_admin(self) -> bool:
        return self._is_admin

    def current_page_key(self) -> str:
        page = self.stack.currentWidget()
        return next(key for key, p in self.pages.items() if p is page)

    def page_context(self, key: str) -> tuple[Workspace | None, str | None] | None:
        """What the window last gave page ``key`` through set_context (None: nothing yet)."""
        return self._page_context.get(key)

    async def open_workspace(self, opener: Callable[[], Workspace]) -> bool:
        """Open a database off the UI thread and show what it holds. On failure the
        current database (if any) stays open and the error is shown."""
        previous_text = self.connection_label.text()
        self._set_connection_text(self.tr("Connecting…"))
        try:
            workspace = await self._worker.call(opener)
        except StationError as error:
            if self._workspace is None:
                self._set_connection_text(
                    self.tr("Not connected: {problem}").format(problem=str(error)))
            else:
                self._set_connection_text(previous_text)
            self.show_error(self.tr("Could not open the database"), str(error))
            return False
        is_admin, key, profile = await self._worker.call(self._describe, workspace)
        old, self._workspace = self._workspace, workspace
        self._is_admin, self._connection_key, self._connected_profile = is_admin, key, profile
        self._station_id = None
        if old is not None:
            await self._worker.call(old.close)  # queued after the old pages' reads
        self._apply_role()
        self._set_connection_text(self._describe_connection(workspace))
        self.workspace_changed.emit()
        await self.reload()
        if self._is_admin and "servers" in self.pages:
            # The Servers page watches the fleet and notifies when a server goes offline,
            # so an admin's gets its context now, not when first shown.
            await self._load_page("servers")
        return True

    async def connect_to(self, profile_name: str | None) -> bool:
        """Open the named profile, or the embedded database for None (which then also
        becomes what the next start opens)."""
        store, data_dir = self._profiles, self._data_dir
        if profile_name is None:
            def opener() -> Workspace:
                workspace = open_embedded(data_dir)
                try:
                    store.set_last_used(None)
                except StationError as error:  # a damaged profiles file: still open
                    log.warning("could not record the embedded database as last used: %s",
                                error)
                return workspace
        else:
            def opener() -> Workspace:
                return open_startup_workspace(store, data_dir, profile_name=profile_name)
        return await self.open_workspace(opener)

    async def reload(self) -> None:
        """Read the station list again and reload the visible page."""
        workspace = self._workspace
        if workspace is None:
            return
        stations = await self._run(workspace.stations.list_stations)
        if stations is None or workspace is not self._workspace:
            return
        ids = [s.id for s in stations]
        wanted = self._station_id
        if wanted not in ids and self._connection_key is not None:
            wanted = self._settings.last_station(self._connection_key)
        if wanted not in ids:
            wanted = ids[0] if ids else None
        self.station_switcher.blockSignals(True)
        try:
            self.station_switcher.clear()
            for station in stations:
                self.station_switcher.addItem(station.name, station.id)
            self.station_switcher.setCurrentIndex(ids.index(wanted) if wanted in ids else -1)
            self.station_switcher.setEnabled(bool(stations))
        finally:
            self.station_switcher.blockSignals(False)
        self._page_context.clear()  # every page reloads when next shown
        await self._select_station(wanted)

    async def select_station(self, station_id: str) -> None:
        """Show ``station_id`` (as choosing it in the switcher does)."""
        index = self.station_switcher.findData(station_id)
        if index < 0:
            raise StationError(f"Station {station_id!r} is not in this database.")
        self.station_switcher.blockSignals(True)
        self.station_switcher.setCurrentIndex(index)
        self.station_switcher.blockSignals(False)
        await self._select_station(station_id)

    async def show_page(self, key: str) -> Page:
        """Bring page ``key`` to the front and wait until it has loaded."""
        self._select_sidebar(key)
        await self.settled()
        return self.pages[key]

    async def settled(self) -> None:
        """Wait for every load the window started (tests and the screenshot use it)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def show_error(self, title: str, message: str) -> None:
        log.warning("%s: %s", title, message)
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok,
                          self)
        box.open()  # never exec() inside a coroutine

    def open_connections(self) -> ConnectionsDialog:
        """Show the Connections dialog (non-modal); Connect there switches the database."""
        if self.connections_dialog is not None:
            self.connections_dialog.raise_()
            self.connections_dialog.activateWindow()
            return self.connections_dialog
        dialog = ConnectionsDialog(self._profiles, self._data_dir / EMBEDDED_FILENAME,
                                   self._connected_profile, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.connect_requested.connect(self._on_connect_requested)
        dialog.finished.connect(self._on_connections_finished)
        self.connections_dialog = dialog
        dialog.open()
        self._spawn(dialog.reload(select=self._connected_profile or EMBEDDED))
        return dialog

    def show_about(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setObjectName("about")
        box.setWindowTitle(self.tr("About Station Desktop"))
        box.setIcon(QMessageBox.Icon.Information)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(self.tr(
            "<h3>Station Desktop {version}</h3>"
            "<p>Run internet-radio stations: library, playlists, schedule, live DJs and "
            "statistics, on Icecast and Liquidsoap.</p>"
            "<p>Licence: {licence}. You may share and change it under the terms of the GNU "
            "General Public License, version 3 or later.</p>"
            "<p><small>Qt {qt} · PySide6 {pyside} · Python {python}</small></p>"
        ).format(version=__version__, licence=LICENCE, qt=qVersion(),
                 pyside=PySide6.__version__, python=platform.python_version()))
        box.open()
        return box

    def set_language(self, code: str) -> None:
        """Remember the interface language; it applies at the next start."""
        if code == self._settings.language:
            return
        self._settings.language = code
        self._settings.sync()
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Language"),
                          self.tr("The new language applies the next time you start Station "
                                  "Desktop."), QMessageBox.StandardButton.Ok, self)
        box.setObjectName("language-changed")
        box.open()

    # -- internals ---------------------------------------------------------------------

    def _describe(self, workspace: Workspace) -> tuple[bool, str, str | None]:
        """(admin?, settings key, profile name or EMBEDDED); runs on the worker thread,
        since it reads the profiles file."""
        if workspace.embedded:
            return True, "embedded", EMBEDDED
        if workspace.profile_name:
            try:
                profile = self._profiles.get(workspace.profile_name)
            except StationError as error:
                log.warning("profile %r unreadable: %s", workspace.profile_name, error)
                return True, f"profile:{workspace.profile_name}", workspace.profile_name
            return profile.is_admin, f"profile:{profile.name}", profile.name
        return True, f"url:{workspace.db.display_url}", None

    def _describe_connection(self, workspace: Workspace) -> str:
        role = self.tr("administrator") if self._is_admin else self.tr("operator")
        if workspace.embedded:
            where = self.tr("Embedded database on this computer")
        elif workspace.profile_name:
            where = self.tr("{profile} ({url})").format(profile=workspace.profile_name,
                                                         url=workspace.db.display_url)
        else:
            where = workspace.db.display_url
        return self.tr("Connected: {where} · {role}").format(where=where, role=role)

    def _set_connection_text(self, text: str) -> None:
        shown = text if len(text) <= MAX_STATUS_CHARS else text[:MAX_STATUS_CHARS - 1] + "…"
        self.connection_label.setText(shown)
        self.connection_label.setToolTip(text)

    def _apply_role(self) -> None:
        admin = self._is_admin
        for spec in self._specs:
            if spec.admin_only:
                self._sidebar_item(spec.key).setHidden(not admin)
                self.page_actions[spec.key].setVisible(admin)
        for row in range(self.sidebar.count()):
            item = self.sidebar.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == ADMIN_HEADER:
                item.setHidden(not admin)
        current = self.current_page_key()
        if not admin and any(s.key == current and s.admin_only for s in self._specs):
            self._select_sidebar(self._specs[0].key)

    def _sidebar_item(self, key: str) -> QListWidgetItem:
        for row in range(self.sidebar.count()):
            item = self.sidebar.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == key:
                return item
        raise KeyError(key)

    def _select_sidebar(self, key: str) -> None:
        item = self._sidebar_item(key)
        if not item.isHidden():
            self.sidebar.setCurrentItem(item)

    async def _select_station(self, station_id: str | None) -> None:
        self._station_id = station_id
        if station_id is not None and self._connection_key is not None:
            self._settings.set_last_station(self._connection_key, station_id)
            self.station_changed.emit(station_id)
        await self._load_page(self.current_page_key())
        self.loaded.emit()

    async def _load_page(self, key: str) -> None:
        """Give page ``key`` the current context, unless it already has it."""
        context = (self._workspace, self._station_id)
        known = self._page_context.get(key)
        if known is not None and known[0] is context[0] and known[1] == context[1]:
            return
        self._page_context[key] = context
        await self.pages[key].set_context(*context)

    async def _run(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R | None:
        """Call a service off the UI thread; an expected error is shown, and gives None."""
        try:
            return await self._worker.call(fn, *args, **kwargs)
        except StationError as error:
            self.show_error(self.tr("The operation failed"), str(error))
            return None

    def _spawn(self, coroutine: Coroutine[Any, Any, Any]) -> asyncio.Future[Any]:
        """Run ``coroutine`` on the loop; :meth:`settled` waits for it, and an unexpected
        error reaches the crash dialog (sys.excepthook), as an async slot's would."""
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._on_task_done)
        return task

    def _on_task_done(self, task: asyncio.Future[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            sys.excepthook(type(error), error, error.__traceback__)

    def _sync_edit_menu(self, page: Page) -> None:
        """The Edit menu shows the visible page's undo/redo actions (if it has any)."""
        self.edit_menu.clear()
        undo = getattr(page, "undo_action", None)
        redo = getattr(page, "redo_action", None)
        self.edit_menu.addAction(undo if isinstance(undo, QAction) else self._no_undo)
        self.edit_menu.addAction(redo if isinstance(redo, QAction) else self._no_redo)

    # -- events and slots ------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._settings.save_window(self)
        for key, page in self.pages.items():
            self._settings.save_views(key, page)
        self._settings.sync()
        super().closeEvent(event)

    def _on_sidebar_current_changed(self, current: QListWidgetItem | None,
                                    _previous: QListWidgetItem | None) -> None:
        if current is None:
            return
        key = current.data(Qt.ItemDataRole.UserRole)
        page = self.pages.get(key)
        if page is None:
            return
        self.stack.setCurrentWidget(page)
        self._sync_edit_menu(page)
        if self._workspace is not None:
            self._spawn(self._load_page(key))

    def _on_switcher_changed(self, index: int) -> None:
        station_id = self.station_switcher.itemData(index)
        if station_id and station_id != self._station_id:
            self._spawn(self._select_station(station_id))

    def _on_reload_triggered(self) -> None:
        self._spawn(self.reload())

    def _on_connect_requested(self, profile_name: object) -> None:
        self._spawn(self.connect_to(profile_name if isinstance(profile_name, str) else None))

    def _on_connections_finished(self) -> None:
        self.connections_dialog = None

    def _on_open_log_folder_triggered(self) -> None:
        folder = paths.log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self.show_error(self.tr("Could not open the log folder"),
                            self.tr("The log files are in {folder}").format(folder=folder))
