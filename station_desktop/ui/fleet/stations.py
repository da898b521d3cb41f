"""The Stations page: every station and its server, and "Assign to server…" with the
least-loaded online server suggested."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_desktop.errors import StationError
from station_desktop.services.fleet import ServerRecord
from station_desktop.services.stations import StationRecord, StreamConfigRecord
from station_desktop.services.workspace import Workspace
from station_desktop.ui import formatting as fmt
from station_desktop.ui.asyncslot import async_slot
from station_desktop.ui.labels import label
from station_desktop.ui.page import StationPage
from station_desktop.ui.table_model import Column, RecordTableModel
from station_desktop.ui.widgets import fit_columns, make_table
from station_desktop.ui.worker import DbWorker


class AssignDialog(QDialog):
    """Choose a server for a station; ``suggested`` (the least-loaded) is preselected."""

    def __init__(self, station: StationRecord, servers: list[ServerRecord],
                 suggested: ServerRecord | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Assign to server"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Put {station} on:").format(station=station.name)))
        self.combo = QComboBox()
        for server in servers:
            text = self.tr("{server} — {load} of {capacity} stations, {status}").format(
                server=server.name, load=server.current_load, capacity=server.capacity,
                status=label(server.status))
            if suggested is not None and server.id == suggested.id:
                text = self.tr("{server} (suggested: least loaded)").format(server=text)
            self.combo.addItem(text, server.id)
        if suggested is not None:
            self.combo.setCurrentIndex(self.combo.findData(suggested.id))
        layout.addWidget(self.combo)
        hint = QLabel(self.tr("A station without stream settings gets a mountpoint, ports and "
                              "a live password; a moved station keeps its settings."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def server_id(self) -> str | None:
        value = self.combo.currentData()
        return str(value) if value is not None else None


class StationsPage(StationPage):
    needs_station = False

    def __init__(self, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Stations"),
            self.tr("Every station in this database and the server it streams from."),
            worker, parent)
        self.dialog: AssignDialog | None = None
        self.model: RecordTableModel[StationRecord] = RecordTableModel([
            Column(self.tr("Station"), lambda r: r.name),
            Column(self.tr("Server"), lambda r: r.server_name or self.tr("(unassigned)")),
            Column(self.tr("Mountpoint"), lambda r: r.mountpoint or "—"),
            Column(self.tr("Time zone"), lambda r: r.timezone),
            Column(self.tr("Quota"), lambda r: fmt.data_size(r.storage_quota),
                   align_right=True),
            Column(self.tr("Status"), lambda r: label(r.stream_status)),
        ])
        self.view = make_table(self.model, "stations")
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        bar = QHBoxLayout()
        self.assign_button = QPushButton(self.tr("Assign to server…"))
        self.assign_button.clicked.connect(self._assign_clicked)
        bar.addWidget(self.assign_button)
        bar.addStretch(1)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.content.addLayout(bar)
        self.content.addWidget(self.view)
        self.content.addWidget(self.message)
        self._update_buttons()

    def selected(self) -> StationRecord | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        self.assign_button.setEnabled(self.selected() is not None)

    async def load_station(self, workspace: Workspace, station_id: str | None) -> None:
        await self.refresh(workspace)

    async def refresh(self, workspace: Workspace) -> None:
        chosen = self.selected()
        stations = await self.run(workspace.stations.list_stations)
        if stations is None or self.workspace is not workspace:
            return
        self.model.set_records(stations)
        fit_columns(self.view)
        if chosen is not None:
            self.select(chosen.id)
        if stations:
            self.show_content()
        else:
            self.show_empty(self.tr("This database has no stations yet."))
        self._update_buttons()

    def select(self, station_id: str) -> None:
        for row in range(self.model.rowCount()):
            if self.model.record(row).id == station_id:
                self.view.selectRow(row)
                return

    @async_slot()
    async def _assign_clicked(self) -> None:
        station = self.selected()
        if station is not None:
            await self.open_assign(station)

    async def open_assign(self, station: StationRecord) -> AssignDialog | None:
        workspace = self.workspace
        if workspace is None:
            return None
        servers = await self.run(workspace.fleet.list_servers)
        suggested = await self.run(workspace.fleet.least_loaded_server)
        if servers is None or self.workspace is not workspace:
            return None
        if not servers:
            self.show_error(self.tr("No servers"), self.tr(
                "Add a streaming server on the Servers page first."))
            return None
        dialog = AssignDialog(station, servers, suggested, self)

        @async_slot(int)
        async def finished(result: int) -> None:
            server_id = dialog.server_id()
            if result == QDialog.DialogCode.Accepted and server_id is not None:
                await self.assign(station, server_id)

        dialog.finished.connect(finished)
        self.dialog = dialog
        dialog.open()
        return dialog

    async def assign(self, station: StationRecord, server_id: str) -> StreamConfigRecord | None:
        workspace = self.workspace
        if workspace is None:
            return None
        try:
            config = await self.worker.call(workspace.stations.assign_server, station.id,
                                            server_id)
        except StationError as error:  # a full server says so
            self.show_error(self.tr("The station was not assigned"), str(error))
            return None
        await self.refresh(workspace)
        self.message.setText(self.tr("{station} now streams from the chosen server at {mount}; "
                                     "its stationd starts it within seconds.").format(
            station=station.name, mount=config.mountpoint))
        return config
