"""Dashboard: the selected station on air right now (listeners, now playing, uptime, live
or AutoDJ, Start/Stop/Skip), refreshed every few seconds while the page is visible, above
the station's facts, playlists and week."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QWidget

from station_desktop.errors import StationError
from station_desktop.services.playlists import PlaylistRecord
from station_desktop.services.schedule import BlockRecord
from station_desktop.services.stations import StationRecord, StreamConfigRecord
from station_desktop.services.workspace import Workspace
from station_desktop.ui import formatting as fmt
from station_desktop.ui.asyncslot import async_slot
from station_desktop.ui.labels import label
from station_desktop.ui.live.control import ControlHolder
from station_desktop.ui.live.layout import scrolling_body
from station_desktop.ui.live.onair import OnAirPanel
from station_desktop.ui.live.poller import Poller
from station_desktop.ui.page import StationPage
from station_desktop.ui.table_model import Column, RecordTableModel
from station_desktop.ui.widgets import FactsForm, fit_columns, make_table, titled
from station_desktop.ui.worker import DbWorker

REFRESH_MS = 5000


def block_time(block: BlockRecord) -> str:
    """``22:00-02:00 (+1)`` (with an en dash): the block's times in the station's zone;
    ``(+1)`` when it runs past midnight."""
    return f"{block.start}\u2013{block.end}" + (" (+1)" if block.crosses_midnight else "")


class DashboardPage(StationPage):
    def __init__(self, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Dashboard"), "", worker, parent)
        self.body = scrolling_body(self.content)
        self.controls = ControlHolder()
        self.poller = Poller(self.refresh_status, REFRESH_MS, self)
        self.poller.while_visible(self)  # polls only while the page is shown
        self._watched: tuple[Workspace, str] | None = None  # polled when it has a server
        self.onair = OnAirPanel()
        self.onair.start_button.clicked.connect(self.start_stream)
        self.onair.stop_button.clicked.connect(self.stop_stream)
        self.onair.skip_button.clicked.connect(self.skip_track)
        self.facts = FactsForm([
            ("server", self.tr("Server")),
            ("mount", self.tr("Mountpoint")),
            ("bitrates", self.tr("Bitrates")),
            ("autodj", self.tr("AutoDJ")),
            ("live", self.tr("Live input")),
            ("timezone", self.tr("Time zone")),
            ("quota", self.tr("Storage quota")),
        ])
        top = QHBoxLayout()
        top.addWidget(titled(self.tr("On air"), self.onair), 3)
        top.addWidget(titled(self.tr("Station"), self.facts), 2)
        self.body.addLayout(top)
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
        self.body.addSpacing(6)
        self.body.addLayout(tables, 1)

    async def refresh_status(self) -> None:
        """Ask Icecast and Liquidsoap (never the UI thread's time: asyncio, with limits)."""
        watched = self._watched
        if watched is None:
            return
        workspace, station_id = watched
        try:
            status = await self.controls.status(workspace, station_id)
        except StationError as error:
            if self._watched == watched:
                self.onair.show_problem(str(error))
            return
        if self._watched == watched:
            self.onair.show_status(status)

    # -- loading ----------------------------------------------------------------------------

    async def load_station(self, workspace: Workspace, station_id: str | None) -> None:
        assert station_id is not None
        self.poller.want(False)
        self._watched = None
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
            if config is None:
                self.onair.show_problem(self.tr(
                    "{station} is not assigned to a streaming server yet: there is no stream "
                    "to watch or control.").format(station=station.name))
            else:
                self._watched = (workspace, station_id)
                self.onair.show_waiting()
                self.poller.want(True)
        self._enable_controls(config is not None)

    def _enable_controls(self, enabled: bool) -> None:
        self.onair.start_button.setEnabled(enabled)
        self.onair.stop_button.setEnabled(enabled)

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
            )
        self.facts.set_values(values)
        self.show_content()

    # -- Start / Stop / Skip ------------------------------------------------------------------

    @async_slot()
    async def start_stream(self) -> None:
        await self._set_desired(start=True)

    @async_slot()
    async def stop_stream(self) -> None:
        await self._set_desired(start=False)

    async def _set_desired(self, *, start: bool) -> None:
        watched = self._watched
        if watched is None:
            return
        workspace, station_id = watched
        control = self.controls.service(workspace)
        result = await self.run(control.start if start else control.stop, station_id)
        if result is None or self._watched != watched:
            return
        self.onair.message.setText(
            self.tr("Start requested: stationd starts the stream within a few seconds.")
            if start else
            self.tr("Stop requested: stationd stops the stream within a few seconds."))
        self.poller.tick()

    @async_slot()
    async def skip_track(self) -> None:
        watched = self._watched
        if watched is None:
            return
        workspace, station_id = watched
        try:
            await self.controls.skip(workspace, station_id)
        except StationError as error:
            if self._watched == watched:
                self.onair.message.setText(self.tr("Could not skip: {problem}").format(
                    problem=str(error)))
            return
        if self._watched == watched:
            self.onair.message.setText(self.tr("Skipped to the next track."))
            self.poller.tick()
