"""The main window: sidebar of views, station switcher, connection state in the status bar."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

from PySide6.QtCore import QAbstractItemModel, QLocale, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from station_desktop import __version__
from station_desktop.errors import StationError
from station_desktop.services.fleet import ServerRecord
from station_desktop.services.playlists import PlaylistRecord
from station_desktop.services.schedule import BlockRecord
from station_desktop.services.stations import StationRecord, StreamConfigRecord
from station_desktop.services.workspace import Workspace
from station_desktop.ui.asyncslot import async_slot
from station_desktop.ui.table_model import Column, RecordTableModel
from station_desktop.ui.worker import DbWorker

log = logging.getLogger("station_desktop.ui")

P = ParamSpec("P")
R = TypeVar("R")


def _human_bytes(count: int) -> str:
    size = float(count)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} TB"


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _day_name(day_of_week: int) -> str:
    """The seed counts 0 = Sunday; Qt counts 1 = Monday … 7 = Sunday."""
    return QLocale().dayName(7 if day_of_week == 0 else day_of_week)


def _titled(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    QVBoxLayout(box).addWidget(widget)
    return box


class StationOverview(QWidget):
    """What the selected station is, how it streams, its playlists and its week."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        self.heading.setStyleSheet("font-size: 20px; font-weight: 600; margin-bottom: 8px;")
        layout.addWidget(self.heading)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setFormAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.addLayout(self.form)
        self.playlists_model: RecordTableModel[PlaylistRecord] = RecordTableModel([
            Column(self.tr("Playlist"), lambda r: ("★ " if r.is_main else "") + r.name),
            Column(self.tr("Type"), lambda r: r.type),
            Column(self.tr("Tracks"), lambda r: r.item_count, align_right=True),
            Column(self.tr("Duration"), lambda r: _duration(r.total_duration), align_right=True),
        ])
        self.blocks_model: RecordTableModel[BlockRecord] = RecordTableModel([
            Column(self.tr("Day"), lambda r: _day_name(r.day_of_week)),
            Column(self.tr("Time"), lambda r: f"{r.start}\u2013{r.end}"
                   + (" (+1)" if r.crosses_midnight else "")),
            Column(self.tr("Playlist"), lambda r: r.playlist_name),
            Column(self.tr("Active"), lambda r: self.tr("yes") if r.is_active else self.tr("no")),
        ])
        tables = QHBoxLayout()
        tables.addWidget(_titled(self.tr("Playlists"), _table(self.playlists_model)), 1)
        tables.addWidget(_titled(self.tr("Weekly schedule"),
                                 _table(self.blocks_model, stretch_column=2)), 1)
        layout.addSpacing(12)
        layout.addLayout(tables, 1)
        self._values: dict[str, QLabel] = {}
        for key, label in (
            ("server", self.tr("Server")),
            ("mount", self.tr("Mountpoint")),
            ("bitrates", self.tr("Bitrates")),
            ("autodj", self.tr("AutoDJ")),
            ("live", self.tr("Live input")),
            ("timezone", self.tr("Time zone")),
            ("quota", self.tr("Storage quota")),
            ("status", self.tr("Stream status")),
        ):
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._values[key] = value
            self.form.addRow(label + ":", value)

    def show_station(
        self,
        station: StationRecord,
        config: StreamConfigRecord | None,
        playlists: list[PlaylistRecord],
        blocks: list[BlockRecord],
    ) -> None:
        self.heading.setText(station.name)
        self.playlists_model.set_records(playlists)
        self.blocks_model.set_records(blocks)
        values = {
            "server": station.server_name or self.tr("not assigned to a server yet"),
            "timezone": station.timezone,
            "quota": _human_bytes(station.storage_quota),
            "mount": "—", "bitrates": "—", "autodj": "—", "live": "—", "status": "—",
        }
        if config is not None:
            settings = config.settings
            values.update(
                mount=settings.mountpoint,
                bitrates=", ".join(f"{b} kbps" for b in settings.bitrates),
                autodj=(self.tr("on, {mode}, crossfade {seconds:g} s").format(
                    mode=settings.playback_mode, seconds=settings.crossfade_duration)
                    if settings.autodj_enabled else self.tr("off")),
                live=(self.tr("enabled on port {port}").format(port=config.harbor_port)
                      if settings.live_input_enabled else self.tr("disabled")),
                status=settings.status,
            )
        for key, text in values.items():
            self._values[key].setText(text)


def _table(model: QAbstractItemModel, stretch_column: int = 0) -> QTableView:
    """A read-only list view: the ``stretch_column`` takes the spare width, the others
    fit their contents."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(24)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    return view


class MainWindow(QMainWindow):
    """Signals:
        station_changed(str): the station switcher selected another station id.
    """

    station_changed = Signal(str)
    loaded = Signal()

    def __init__(self, worker: DbWorker) -> None:
        super().__init__()
        self._worker = worker
        self._workspace: Workspace | None = None
        self.setWindowTitle(self.tr("Station Desktop"))
        self.resize(QSize(1100, 680))

        self.station_switcher = QComboBox()
        self.station_switcher.setMinimumWidth(240)
        self.station_switcher.currentIndexChanged.connect(self._on_switcher_changed)
        toolbar = QToolBar(self.tr("Station"))
        toolbar.setObjectName("station-toolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(QLabel(self.tr("Station:") + " "))
        toolbar.addWidget(self.station_switcher)
        self.addToolBar(toolbar)

        self.sidebar = QListWidget()
        self.sidebar.setFixedWidth(180)
        self.sidebar.setStyleSheet("QListWidget { font-size: 14px; } "
                                   "QListWidget::item { padding: 6px 10px; }")
        self.pages = QStackedWidget()
        self.overview = StationOverview()
        self.stations_model: RecordTableModel[StationRecord] = RecordTableModel([
            Column(self.tr("Station"), lambda r: r.name),
            Column(self.tr("Server"), lambda r: r.server_name or self.tr("(unassigned)")),
            Column(self.tr("Mountpoint"), lambda r: r.mountpoint),
            Column(self.tr("Time zone"), lambda r: r.timezone),
            Column(self.tr("Status"), lambda r: r.stream_status),
        ])
        self.servers_model: RecordTableModel[ServerRecord] = RecordTableModel([
            Column(self.tr("Server"), lambda r: r.name),
            Column(self.tr("Host"), lambda r: f"{r.host}:{r.port}"),
            Column(self.tr("Region"), lambda r: r.region),
            Column(self.tr("Status"), lambda r: r.status),
            Column(self.tr("Stations"), lambda r: f"{r.current_load} / {r.capacity}",
                   align_right=True),
        ])
        self._add_page(self.tr("Station"), self.overview)
        self._add_page(self.tr("Stations"), _table(self.stations_model))
        self._add_page(self.tr("Servers"), _table(self.servers_model))
        self.sidebar.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.sidebar.setCurrentRow(0)

        central = QWidget()
        body = QHBoxLayout(central)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.sidebar)
        body.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.connection_label = QLabel(self.tr("Not connected"))
        self.statusBar().addPermanentWidget(self.connection_label)
        self._build_menus()

    # -- construction ------------------------------------------------------------------

    def _add_page(self, title: str, widget: QWidget) -> None:
        self.sidebar.addItem(QListWidgetItem(title))
        self.pages.addWidget(widget)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        reload_action = QAction(self.tr("&Reload"), self)
        reload_action.setShortcut(QKeySequence.StandardKey.Refresh)
        reload_action.triggered.connect(self._on_reload_triggered)
        file_menu.addAction(reload_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About Station Desktop"), self)
        about.triggered.connect(self._on_about_triggered)
        help_menu.addAction(about)

    # -- data --------------------------------------------------------------------------

    async def open_workspace(self, opener: Callable[[], Workspace]) -> None:
        """Open a database off the UI thread and show what it holds."""
        self.connection_label.setText(self.tr("Connecting…"))
        try:
            self._workspace = await self._worker.call(opener)
        except StationError as error:
            self.connection_label.setText(self.tr("Not connected"))
            self.show_error(self.tr("Could not open the database"), str(error))
            return
        self.connection_label.setText(self.tr("Connected: {name}").format(
            name=self._workspace.display_name))
        await self.reload()

    async def reload(self) -> None:
        workspace = self._workspace
        if workspace is None:
            return
        stations = await self._run(workspace.stations.list_stations)
        servers = await self._run(workspace.fleet.list_servers)
        if stations is None or servers is None:
            return
        self.stations_model.set_records(stations)
        self.servers_model.set_records(servers)
        current = self.station_switcher.currentData()
        self.station_switcher.blockSignals(True)
        self.station_switcher.clear()
        for station in stations:
            self.station_switcher.addItem(station.name, station.id)
        index = max(self.station_switcher.findData(current), 0)
        self.station_switcher.blockSignals(False)
        if stations:
            self.station_switcher.setCurrentIndex(index)
            await self.show_station(stations[index].id)
        self.loaded.emit()

    async def show_station(self, station_id: str) -> None:
        workspace = self._workspace
        if workspace is None:
            return
        station = await self._run(workspace.stations.get_station, station_id)
        if station is None:
            return
        config = None
        if station.server_id is not None:
            config = await self._run(workspace.stations.get_config, station_id)
        playlists = await self._run(workspace.playlists.list_playlists, station_id) or []
        blocks = await self._run(workspace.schedule.list_blocks, station_id) or []
        self.overview.show_station(station, config, playlists, blocks)

    async def _run(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R | None:
        """Call a service off the UI thread; an expected error is shown, and gives None."""
        try:
            return await self._worker.call(fn, *args, **kwargs)
        except StationError as error:
            self.show_error(self.tr("The operation failed"), str(error))
            return None

    def show_error(self, title: str, message: str) -> None:
        log.warning("%s: %s", title, message)
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok,
                          self)
        box.open()  # never exec() inside a coroutine

    # -- slots -------------------------------------------------------------------------

    @async_slot()
    async def _on_reload_triggered(self) -> None:
        await self.reload()

    @async_slot(int)
    async def _on_switcher_changed(self, index: int) -> None:
        station_id = self.station_switcher.itemData(index)
        if station_id:
            self.station_changed.emit(station_id)
            await self.show_station(station_id)

    def _on_about_triggered(self) -> None:
        QMessageBox.about(
            self, self.tr("About Station Desktop"),
            self.tr("<b>Station Desktop</b> {version}<br>Run internet-radio stations: library, "
                    "playlists, schedule, live DJs and statistics, on Icecast and Liquidsoap."
                    ).format(version=__version__),
        )


AsyncOpener = Callable[[], Awaitable[Workspace]]
