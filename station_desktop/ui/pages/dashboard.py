"""Dashboard: what the selected station is, how it streams, its playlists and its week."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QWidget

from station_desktop.services.playlists import PlaylistRecord
from station_desktop.services.schedule import BlockRecord
from station_desktop.services.stations import StationRecord, StreamConfigRecord
from station_desktop.services.workspace import Workspace
from station_desktop.ui import formatting as fmt
from station_desktop.ui.labels import label
from station_desktop.ui.pages.base import StationPage
from station_desktop.ui.table_model import Column, RecordTableModel
from station_desktop.ui.widgets import FactsForm, fit_columns, make_table, titled
from station_desktop.ui.worker import DbWorker


def block_time(block: BlockRecord) -> str:
    """``22:00-02:00 (+1)`` (with an en dash): the block's times in the station's zone;
    ``(+1)`` when it runs past midnight."""
    return f"{block.start}\u2013{block.end}" + (" (+1)" if block.crosses_midnight else "")


class DashboardPage(StationPage):
    def __init__(self, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Dashboard"), "", worker, parent)
        self.facts = FactsForm([
            ("server", self.tr("Server")),
            ("mount", self.tr("Mountpoint")),
            ("bitrates", self.tr("Bitrates")),
            ("autodj", self.tr("AutoDJ")),
            ("live", self.tr("Live input")),
            ("timezone", self.tr("Time zone")),
            ("quota", self.tr("Storage quota")),
            ("status", self.tr("Stream status")),
        ])
        self.content.addWidget(self.facts)
        self.playlists_model: RecordTableModel[PlaylistRecord] = RecordTableModel([
            Column(self.tr("Playlist"), lambda r: ("★ " if r.is_main else "") + r.name),
            Column(self.tr("Type"), lambda r: label(r.type)),
            Column(self.tr("Tracks"), lambda r: fmt.number(r.item_count), align_right=True),
            Column(self.tr("Duration"), lambda r: fmt.duration(r.total_duration),
                   align_right=True),
        ])
        self.blocks_model: RecordTableModel[BlockRecord] = RecordTableModel([
            Column(self.tr("Day"), lambda r: fmt.day_name(r.day_of_week)),
            Column(self.tr("Time"), block_time),
            Column(self.tr("Playlist"), lambda r: r.playlist_name),
            Column(self.tr("Active"), lambda r: fmt.yes_no(r.is_active)),
        ])
        self.playlists_view = make_table(self.playlists_model, "dashboard-playlists",
                                         stretch_column=0)
        self.blocks_view = make_table(self.blocks_model, "dashboard-week", stretch_column=2)
        tables = QHBoxLayout()
        tables.addWidget(titled(self.tr("Playlists"), self.playlists_view), 1)
        tables.addWidget(titled(self.tr("Weekly schedule"), self.blocks_view), 1)
        self.content.addSpacing(10)
        self.content.addLayout(tables, 1)

    async def load_station(self, workspace: Workspace, station_id: str | None) -> None:
        assert station_id is not None
        station = await self.run(workspace.stations.get_station, station_id)
        if station is None or not self.is_current(workspace, station_id):
            return
        config = None
        if station.server_id is not None:
            config = await self.run(workspace.stations.get_config, station_id)
        playlists = await self.run(workspace.playlists.list_playlists, station_id) or []
        blocks = await self.run(workspace.schedule.list_blocks, station_id) or []
        if self.is_current(workspace, station_id):
            self.show_station(station, config, playlists, blocks)

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
        fit_columns(self.playlists_view)
        fit_columns(self.blocks_view)
        values = {
            "server": station.server_name or self.tr("not assigned to a server yet"),
            "timezone": station.timezone,
            "quota": fmt.data_size(station.storage_quota),
        }
        if config is not None:
            settings = config.settings
            values.update(
                mount=settings.mountpoint,
                bitrates=", ".join(fmt.kbps(b) for b in settings.bitrates),
                autodj=(self.tr("on, {mode}, crossfade {seconds} s").format(
                    mode=label(settings.playback_mode).lower(),
                    seconds=fmt.decimal(settings.crossfade_duration))
                    if settings.autodj_enabled else self.tr("off")),
                live=(self.tr("enabled on port {port}").format(port=config.harbor_port or "—")
                      if settings.live_input_enabled else self.tr("disabled")),
                status=label(settings.status),
            )
        self.facts.set_values(values)
        self.show_content()
