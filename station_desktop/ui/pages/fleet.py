"""Stations and Servers: the fleet, for admins (read-only lists for now)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from station_desktop.services.fleet import ServerRecord
from station_desktop.services.stations import StationRecord
from station_desktop.services.workspace import Workspace
from station_desktop.ui import formatting as fmt
from station_desktop.ui.labels import label
from station_desktop.ui.pages.base import StationPage
from station_desktop.ui.table_model import Column, RecordTableModel
from station_desktop.ui.widgets import fit_columns, make_table
from station_desktop.ui.worker import DbWorker


class StationsPage(StationPage):
    needs_station = False

    def __init__(self, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Stations"),
            self.tr("Every station in this database. Creating stations and assigning them to "
                    "servers arrives in a later version."),
            worker, parent)
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
        self.content.addWidget(self.view)

    async def load_station(self, workspace: Workspace, station_id: str | None) -> None:
        stations = await self.run(workspace.stations.list_stations)
        if stations is None or self.workspace is not workspace:
            return
        self.model.set_records(stations)
        fit_columns(self.view)
        if stations:
            self.show_content()
        else:
            self.show_empty(self.tr("This database has no stations yet."))


class ServersPage(StationPage):
    needs_station = False

    def __init__(self, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Servers"),
            self.tr("The streaming servers (Icecast + Liquidsoap). Adding servers and pushing "
                    "their configuration arrives in a later version."),
            worker, parent)
        self.model: RecordTableModel[ServerRecord] = RecordTableModel([
            Column(self.tr("Server"), lambda r: r.name),
            Column(self.tr("Host"), lambda r: f"{r.host}:{r.port}"),
            Column(self.tr("Region"), lambda r: r.region or ""),
            Column(self.tr("Status"), lambda r: label(r.status)),
            Column(self.tr("Stations"), lambda r: self.tr("{load} of {capacity}").format(
                load=fmt.number(r.current_load), capacity=fmt.number(r.capacity)),
                align_right=True),
        ])
        self.view = make_table(self.model, "servers")
        self.content.addWidget(self.view)

    async def load_station(self, workspace: Workspace, station_id: str | None) -> None:
        servers = await self.run(workspace.fleet.list_servers)
        if servers is None or self.workspace is not workspace:
            return
        self.model.set_records(servers)
        fit_columns(self.view)
        if servers:
            self.show_content()
        else:
            self.show_empty(self.tr("This database has no streaming servers yet."))
