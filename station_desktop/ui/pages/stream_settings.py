"""Stream settings: the station's StreamConfig as it is stored (read-only for now)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from station_desktop.services.stations import StreamConfigRecord
from station_desktop.services.workspace import Workspace
from station_desktop.ui import formatting as fmt
from station_desktop.ui.labels import label
from station_desktop.ui.pages.base import StationPage
from station_desktop.ui.widgets import FactsForm
from station_desktop.ui.worker import DbWorker


class StreamSettingsPage(StationPage):
    def __init__(self, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Stream settings"),
            self.tr("The current values, read-only for now: editing them (and pushing them to "
                    "Liquidsoap) arrives in a later version."),
            worker, parent)
        self.facts = FactsForm([
            ("server", self.tr("Server")),
            ("mount", self.tr("Mountpoint")),
            ("bitrates", self.tr("Bitrates")),
            ("max_listeners", self.tr("Listener limit")),
            ("autodj", self.tr("AutoDJ")),
            ("mode", self.tr("Playback order")),
            ("crossfade", self.tr("Crossfade")),
            ("normalize", self.tr("Loudness normalisation")),
            ("jingles", self.tr("Jingles")),
            ("live", self.tr("Live input")),
            ("harbor", self.tr("Live input port")),
            ("telnet", self.tr("Control port")),
            ("status", self.tr("Status")),
        ])
        self.content.addWidget(self.facts)
        self.content.addStretch(1)

    async def load_station(self, workspace: Workspace, station_id: str | None) -> None:
        assert station_id is not None
        station = await self.run(workspace.stations.get_station, station_id)
        if station is None or not self.is_current(workspace, station_id):
            return
        if station.server_id is None:
            self.show_empty(self.tr("{station} is not assigned to a streaming server yet, so it "
                                    "has no stream settings.").format(station=station.name))
            return
        config = await self.run(workspace.stations.get_config, station_id)
        if config is None or not self.is_current(workspace, station_id):
            return
        self.show_config(config, station.server_name or "")

    def show_config(self, config: StreamConfigRecord, server_name: str) -> None:
        s = config.settings
        on, off = self.tr("on"), self.tr("off")
        self.facts.set_values({
            "server": server_name,
            "mount": s.mountpoint,
            "bitrates": ", ".join(fmt.kbps(b) for b in s.bitrates),
            "max_listeners": fmt.number(s.max_listeners),
            "autodj": on if s.autodj_enabled else off,
            "mode": label(s.playback_mode),
            "crossfade": self.tr("{seconds} s").format(seconds=fmt.decimal(s.crossfade_duration)),
            "normalize": (self.tr("on, to {level} LUFS").format(
                level=fmt.decimal(s.normalization_level)) if s.normalize_audio else off),
            "jingles": (self.tr("one every {count} songs").format(count=s.jingles_frequency)
                        if s.jingles_enabled else off),
            "live": on if s.live_input_enabled else off,
            "harbor": str(config.harbor_port) if config.harbor_port is not None else "—",
            "telnet": str(config.telnet_port) if config.telnet_port is not None else "—",
            "status": label(s.status),
        })
        self.show_content()
