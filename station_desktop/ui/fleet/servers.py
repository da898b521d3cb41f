"""The Servers page: the fleet's streaming servers, their load and listeners, the alerts
stationd raised, and a notification when a server goes offline (polled while the app
runs)."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from station_desktop.errors import StationError, ValidationError
from station_desktop.services.alerts import AlertService
from station_desktop.services.fleet import ServerFields, ServerRecord
from station_desktop.services.workspace import Workspace
from station_desktop.ui import formatting as fmt
from station_desktop.ui.asyncslot import async_slot
from station_desktop.ui.fleet.alerts import AlertsPanel
from station_desktop.ui.fleet.capacity import MIN_WIDTH, CapacityBarDelegate
from station_desktop.ui.fleet.server_dialog import ServerDialog
from station_desktop.ui.fleet.watcher import Notifier, OfflineWatcher
from station_desktop.ui.labels import label
from station_desktop.ui.page import StationPage
from station_desktop.ui.table_model import Column, RecordTableModel
from station_desktop.ui.widgets import fit_columns, make_table, titled
from station_desktop.ui.worker import DbWorker

log = logging.getLogger("station_desktop.ui")
POLL_MS = 30_000  # how often the servers are read again (offline notification, listeners)
CAPACITY_COLUMN = 4


class ServersPage(StationPage):
    needs_station = False

    def __init__(self, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Servers"),
            self.tr("The streaming servers (Icecast + Liquidsoap), how full they are, who "
                    "listens now, and the problems stationd noticed."),
            worker, parent)
        self.listeners: dict[str, int] = {}
        self.alert_service: AlertService | None = None
        self.dialog: ServerDialog | None = None
        self.confirm: QMessageBox | None = None
        self.watcher = OfflineWatcher(self)
        self.notifier = Notifier(self)
        self.watcher.went_offline.connect(self._notify_offline)
        self.model: RecordTableModel[ServerRecord] = RecordTableModel([
            Column(self.tr("Server"), lambda r: r.name),
            Column(self.tr("Host"), lambda r: f"{r.host}:{r.port}"),
            Column(self.tr("Region"), lambda r: r.region or ""),
            Column(self.tr("Status"), lambda r: label(r.status)),
            Column(self.tr("Stations"), lambda r: self.tr("{load} of {capacity}").format(
                load=fmt.number(r.current_load), capacity=fmt.number(r.capacity))),
            Column(self.tr("Listeners now"), lambda r: fmt.number(self.listeners.get(r.id, 0)),
                   align_right=True),
        ])
        self.view = make_table(self.model, "servers")
        self.view.setItemDelegateForColumn(CAPACITY_COLUMN, CapacityBarDelegate(self._usage,
                                                                                self.view))
        self.view.doubleClicked.connect(self._edit_clicked)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add server…"))
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.copy_id_button = QPushButton(self.tr("Copy server id"))
        self.copy_id_button.setToolTip(self.tr(
            "Copies the server's id, which stationd's configuration on that server needs "
            "([server] id in /etc/stationd/stationd.toml)."))
        self.add_button.clicked.connect(self._add_clicked)
        self.edit_button.clicked.connect(self._edit_clicked)
        self.delete_button.clicked.connect(self._delete_clicked)
        self.copy_id_button.clicked.connect(self.copy_id)
        for button in (self.add_button, self.edit_button, self.delete_button,
                       self.copy_id_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        top = QWidget()
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(buttons)
        column.addWidget(self.view)
        self.alerts = AlertsPanel(self.run)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(titled(self.tr("Alerts"), self.alerts))
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.content.addWidget(splitter)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)
        self._update_buttons()

    def _usage(self, row: int) -> tuple[int, int]:
        record = self.model.record(row)
        return record.current_load, record.capacity

    def selected(self) -> ServerRecord | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)
        self.copy_id_button.setEnabled(chosen)

    def copy_id(self) -> None:
        """The selected server's id to the clipboard (for its stationd.toml)."""
        server = self.selected()
        if server is not None:
            QGuiApplication.clipboard().setText(server.id)

    # -- loading and polling -----------------------------------------------------------

    async def set_context(self, workspace: Workspace | None, station_id: str | None) -> None:
        if workspace is not self.workspace:
            self.watcher.reset()
            self.alert_service = AlertService(workspace.db) if workspace is not None else None
        await super().set_context(workspace, station_id)
        if workspace is None:
            self.timer.stop()
        elif not self.timer.isActive():
            self.timer.start()

    async def load_station(self, workspace: Workspace, station_id: str | None) -> None:
        await self.refresh(workspace)

    async def refresh(self, workspace: Workspace, *, quiet: bool = False) -> None:
        """Read the servers, listeners and alerts again. ``quiet`` (the background poll):
        a failure is logged, not shown in a dialog every poll while the database is down."""
        try:
            servers = await self.worker.call(workspace.fleet.list_servers)
            listeners = await self.worker.call(workspace.fleet.listeners_now)
        except StationError as error:
            if quiet:
                log.warning("polling the servers failed: %s", error)
            else:
                self.show_error(self.tr("The servers could not be read"), str(error))
            return
        if self.workspace is not workspace:
            return
        chosen = self.selected()
        self.listeners = listeners
        self.model.set_records(servers)
        self.watcher.observe(servers)
        fit_columns(self.view)
        if self.view.columnWidth(CAPACITY_COLUMN) < MIN_WIDTH:
            self.view.setColumnWidth(CAPACITY_COLUMN, MIN_WIDTH)
        if chosen is not None:
            self.select(chosen.id)
        self.alerts.server_names = {server.id: server.name for server in servers}
        await self.alerts.load(self.alert_service)
        self.show_content()
        self._update_buttons()

    def select(self, server_id: str) -> None:
        for row in range(self.model.rowCount()):
            if self.model.record(row).id == server_id:
                self.view.selectRow(row)
                return

    @async_slot()
    async def _poll(self) -> None:
        if self.workspace is not None:
            await self.refresh(self.workspace, quiet=True)

    def _notify_offline(self, server: ServerRecord) -> None:
        self.notifier.notify(
            self.tr("Server offline"),
            self.tr("{server} ({host}) went offline: its stations are off the air until it "
                    "answers again.").format(server=server.name, host=server.host))

    # -- create, edit, delete ----------------------------------------------------------

    def _add_clicked(self) -> None:
        self.open_dialog(None)

    def _edit_clicked(self) -> None:
        server = self.selected()
        if server is not None:
            self.open_dialog(server)

    def open_dialog(self, server: ServerRecord | None) -> ServerDialog:
        dialog = ServerDialog(server.fields if server is not None else None, self)

        @async_slot(object)
        async def submitted(fields: ServerFields) -> None:
            await self.save(dialog, server, fields)

        dialog.submitted.connect(submitted)
        self.dialog = dialog
        dialog.open()
        return dialog

    async def save(self, dialog: ServerDialog, server: ServerRecord | None,
                   fields: ServerFields) -> ServerRecord | None:
        workspace = self.workspace
        if workspace is None:
            return None
        try:
            if server is None:
                saved = await self.worker.call(workspace.fleet.create_server, fields)
            else:
                saved = await self.worker.call(workspace.fleet.update_server, server.id, fields,
                                               server.version)
        except ValidationError as error:
            dialog.highlight(error.field, str(error))
            return None
        except StationError as error:
            dialog.highlight(None, str(error))
            return None
        dialog.accept()
        await self.refresh(workspace)
        self.select(saved.id)
        return saved

    def _delete_clicked(self) -> None:
        server = self.selected()
        if server is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question, self.tr("Delete server"),
            self.tr("Delete the server {server}? Its stations must be moved elsewhere "
                    "first.").format(server=server.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)

        @async_slot(int)
        async def finished(result: int) -> None:
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
                await self.delete(server)

        box.finished.connect(finished)
        self.confirm = box
        box.open()

    async def delete(self, server: ServerRecord) -> bool:
        workspace = self.workspace
        if workspace is None:
            return False
        try:
            await self.worker.call(workspace.fleet.delete_server, server.id, server.version)
        except StationError as error:  # ServerInUse says which stations to move
            self.show_error(self.tr("The server was not deleted"), str(error))
            return False
        await self.refresh(workspace)
        return True
