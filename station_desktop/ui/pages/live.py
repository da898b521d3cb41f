"""Live: where a DJ connects (host, port, mount, user); the password stays hidden here."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from station_desktop.services.workspace import Workspace
from station_desktop.ui.pages.base import StationPage
from station_desktop.ui.widgets import FactsForm
from station_desktop.ui.worker import DbWorker

HIDDEN = "\u2022" * 8


class LivePage(StationPage):
    def __init__(self, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Live"),
            self.tr("What a DJ enters in BUTT or Mixxx. The full live page (showing and "
                    "copying the password, regenerating it, connection guides, whether a DJ "
                    "is on air, past sessions) arrives in a later version."),
            worker, parent)
        self.facts = FactsForm([
            ("enabled", self.tr("Live input")),
            ("host", self.tr("Host")),
            ("port", self.tr("Port")),
            ("mount", self.tr("Mount")),
            ("user", self.tr("User")),
            ("password", self.tr("Password")),
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
                                    "has no live input.").format(station=station.name))
            return
        credentials = await self.run(workspace.stations.get_live_credentials, station_id)
        if credentials is None or not self.is_current(workspace, station_id):
            return
        self.facts.set_values({
            "enabled": (self.tr("enabled") if credentials.enabled
                        else self.tr("disabled in the stream settings")),
            "host": credentials.host,
            "port": str(credentials.port) if credentials.port is not None else "—",
            "mount": credentials.mount,
            "user": credentials.username,
            "password": self.tr("{dots} (hidden)").format(dots=HIDDEN),
        })
        self.show_content()
