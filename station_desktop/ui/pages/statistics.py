"""Statistics: the latest sample and the last 24 hours, hour by hour (read-only for now)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QWidget

from station_desktop.services.stats import HistoryBucket, StatsSample
from station_desktop.services.workspace import Workspace
from station_desktop.ui import formatting as fmt
from station_desktop.ui.labels import label
from station_desktop.ui.pages.base import StationPage
from station_desktop.ui.table_model import Column, RecordTableModel
from station_desktop.ui.widgets import FactsForm, fit_columns, make_table, titled
from station_desktop.ui.worker import DbWorker

HOURS = 24


class StatisticsPage(StationPage):
    def __init__(self, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Statistics"),
            self.tr("The latest sample stationd took from Icecast, and the last 24 hours. "
                    "Charts, longer ranges and exports arrive in a later version."),
            worker, parent)
        self.facts = FactsForm([
            ("time", self.tr("Sampled at")),
            ("listeners", self.tr("Listeners")),
            ("peak", self.tr("Peak")),
            ("by_bitrate", self.tr("By bitrate")),
            ("song", self.tr("Playing")),
            ("status", self.tr("Stream")),
        ])
        self.content.addWidget(self.facts)
        self.model: RecordTableModel[HistoryBucket] = RecordTableModel([
            Column(self.tr("Hour"), lambda r: fmt.datetime(r.start)),
            Column(self.tr("Average"), lambda r: fmt.number(r.avg_listeners, 1),
                   align_right=True),
            Column(self.tr("Most"), lambda r: fmt.number(r.max_listeners), align_right=True),
            Column(self.tr("Peak"), lambda r: fmt.number(r.peak_listeners), align_right=True),
            Column(self.tr("Samples"), lambda r: fmt.number(r.samples), align_right=True),
        ])
        self.view = make_table(self.model, "statistics-hours")
        self.content.addSpacing(10)
        self.content.addWidget(titled(self.tr("Listeners, last 24 hours"), self.view), 1)

    async def load_station(self, workspace: Workspace, station_id: str | None) -> None:
        assert station_id is not None
        latest = await self.run(workspace.stats.latest, station_id)
        if not self.is_current(workspace, station_id):
            return
        end = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
        end += dt.timedelta(hours=1)
        start = end - dt.timedelta(hours=HOURS)
        buckets = await self.run(workspace.stats.history, station_id, start, end,
                                 dt.timedelta(hours=1))
        if buckets is None or not self.is_current(workspace, station_id):
            return
        if latest is None and not buckets:
            self.show_empty(self.tr("No statistics yet: stationd records them once the "
                                    "station is on air."))
            return
        self.show_latest(latest)
        self.model.set_records(list(reversed(buckets)))  # newest first
        fit_columns(self.view)
        self.show_content()

    def show_latest(self, sample: StatsSample | None) -> None:
        if sample is None:
            self.facts.clear()
            return
        self.facts.set_values({
            "time": fmt.datetime(sample.timestamp),
            "listeners": fmt.number(sample.listeners),
            "peak": fmt.number(sample.peak_listeners),
            "by_bitrate": "  ".join(
                self.tr("{bitrate}: {count}").format(bitrate=fmt.kbps(kbps),
                                                     count=fmt.number(count))
                for kbps, count in ((64, sample.listeners_64), (128, sample.listeners_128),
                                    (320, sample.listeners_320))),
            "song": sample.current_song or "—",
            "status": label(sample.stream_status),
        })
